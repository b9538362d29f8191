//! One serde config tree for the page, the CLI and the tests, with validation.
//!
//! Every hyperparameter of a run lives in [`GanConfig`]; the evaluation's fixed sizes (sample
//! counts, grid cells) are constants of the `eval` and `frame` modules, not settings.
//! [`GanConfig::validate`] refuses a bad value with a [`ConfigError`] that names the field by
//! its path in the JSON (`discriminator.optimizer.lr`), so the page and the CLI can point at it.
//! The bounds it enforces are the [`limits`], which the page's inputs take as they are.
//!
//! - [`presets`]: the named configs, the page's lessons and their labels;
//! - [`live`]: the settings that change a run in flight;
//! - [`catalog`]: everything the page lists or bounds, sent to it once.

pub mod catalog;
pub mod footprint;
pub mod limits;
pub mod live;
pub mod presets;
mod recipes;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
mod validate;

use serde::{Deserialize, Deserializer, Serialize};

pub use crate::check::ConfigError;
use crate::data::PlaneDistribution;
use crate::loss::GanLoss;
pub use live::LiveSettings;
pub use presets::Preset;

/// A full run: data, both networks (each with its optimizer), loss, schedule, seed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GanConfig {
    /// The real distribution P_r: points in the plane, or MNIST digits.
    pub data: Data,
    /// The networks' shape: MLPs (any data; the default) or DCGAN's convolutional pair (images).
    #[serde(default)]
    pub model: Architecture,
    /// The latent noise z fed to G.
    pub latent: LatentConfig,
    /// G: maps z to a sample (a point in the plane, or an image).
    pub generator: NetConfig,
    /// D: scores a sample (a probability logit for minimax/non-saturating, a raw score otherwise).
    pub discriminator: NetConfig,
    /// The game's objective.
    pub loss: GanLoss,
    /// D updates per G update (WGAN's n_critic). More makes D closer to optimal before G moves.
    pub d_steps: usize,
    /// Samples per batch, the same for real and generated samples.
    pub batch_size: usize,
    /// γ of the R1 penalty (Mescheder et al. 2018): D's loss gains γ/2 · E_Pr[‖∇ₓ s(x)‖²], which
    /// flattens D's score on the real data so D cannot overshoot and G is not flung past the
    /// modes. MLP only (the input gradient is written by hand there), and only for the losses
    /// whose D is a classifier (`GanLoss::takes_r1`): a Wasserstein critic keeps its own
    /// constraint. 0 (the default) is off.
    #[serde(default)]
    pub r1: f64,
    /// Decay β of an exponential moving average of G's weights (Yazıcı et al. 2019), updated
    /// after each G update; the average is the G that is shown and scored, while training moves
    /// the live G as before. It smooths away G's last oscillations around the modes. 0 (the
    /// default) turns it off. Its memory grows with the run (about a ninth of the steps so far,
    /// so the first frames are not stuck near the initial weights) up to 1/(1 − β) steps.
    #[serde(default)]
    pub g_ema: f64,
    /// PacGAN's packing m (Lin et al. 2018): D judges m samples at once, all real or all
    /// generated, so a G that puts its samples on a few modes makes tuples that look unlike
    /// real ones (too many repeats) and D can punish the collapse itself. Only D's first layer
    /// widens (m × the sample's numbers). `batch_size` must be a multiple of it; MLP only. D's
    /// score of a single point, as the page draws it, is its score of m copies of the point.
    /// 1 (the default) is a plain D.
    #[serde(default = "one")]
    pub pack: usize,
    /// A class-conditional game (cGAN; Mirza & Osindero 2014), for digits: G gets the digit's
    /// class as a one-hot vector beside z, and D gets the class beside the image (an MLP D as
    /// 10 more inputs; DCGAN's D projects its features onto the class's embedding, Miyato &
    /// Koyama 2018). G need not discover what makes a 7 a 7 on its own, so its digits read far
    /// sooner. Fake samples take uniformly drawn classes; real ones keep their labels. false
    /// (the default) is the plain, unconditional game the theory is about.
    #[serde(default)]
    pub conditional: bool,
    /// Steps T over which both learning rates fall to half: at step t each net's optimizer takes
    /// lr / (1 + t / T) (inverse-time decay), so a run can start fast and still settle instead
    /// of oscillating around what it found. The learning rates set (and changed live) are the
    /// ones at step 0. 0 (the default) keeps them constant.
    #[serde(default)]
    pub lr_decay_steps: u64,
    /// Seeds every random source: initial weights, real samples, noise, evaluation batches.
    /// At most 2⁵³ − 1, so that a page (JavaScript numbers) can carry it exactly.
    pub seed: u64,
}

/// What G learns to imitate. In JSON both kinds are one object tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Data {
    /// A distribution in the plane (the 2-D toys).
    Plane(PlaneDistribution),
    /// A set of images (MNIST digits).
    Images(ImageSet),
}

/// Image data sets. The bytes come from the edge (the CLI reads `assets/mnist`, the page
/// fetches it); the config only names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum ImageSet {
    /// The project's packed MNIST subset: 28×28 grey digits, pixels scaled to [−1, 1].
    /// (A struct variant: serde ignores `deny_unknown_fields` on internally tagged unit ones.)
    Mnist {},
}

// By hand rather than `untagged`, so that a bad plane distribution keeps its own message
// (`unknown variant`, `missing field std`) instead of "did not match any variant".
impl<'de> Deserialize<'de> for Data {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = serde_json::Value::deserialize(deserializer)?;
        if value.get("kind").and_then(|k| k.as_str()) == Some("mnist") {
            ImageSet::deserialize(value)
                .map(Data::Images)
                .map_err(D::Error::custom)
        } else {
            PlaneDistribution::deserialize(value)
                .map(Data::Plane)
                .map_err(D::Error::custom)
        }
    }
}

impl Data {
    /// Numbers per sample: 2 for a point, 784 for a digit.
    pub fn dim(&self) -> usize {
        match self {
            Self::Plane(_) => 2,
            Self::Images(ImageSet::Mnist {}) => crate::data::mnist::PIXELS,
        }
    }

    pub fn is_images(&self) -> bool {
        matches!(self, Self::Images(_))
    }

    /// Classes a conditional run can ask for: 10 digits; the plane has none.
    pub fn classes(&self) -> usize {
        match self {
            Self::Plane(_) => 0,
            Self::Images(ImageSet::Mnist {}) => crate::data::mnist::CLASSES,
        }
    }

    /// The plane distribution, if this is one.
    pub fn plane(&self) -> Option<&PlaneDistribution> {
        match self {
            Self::Plane(d) => Some(d),
            Self::Images(_) => None,
        }
    }
}

/// The networks' architecture, for both G and D.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Architecture {
    /// Fully connected nets, `depth` hidden layers of `width` units.
    #[default]
    Mlp,
    /// DCGAN for 28×28 images: two (transposed) 4×4 stride-2 conv layers of `width` and
    /// 2·`width` channels, batch norm in G (see `model::dcgan`). `depth` must be 2.
    Dcgan,
}

/// The latent space G samples from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatentConfig {
    /// Dimension of z.
    pub dim: usize,
    /// Distribution of each coordinate of z.
    pub distribution: LatentDistribution,
}

/// How each latent coordinate is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LatentDistribution {
    /// Standard normal N(0, 1).
    Gaussian,
    /// Uniform on [−1, 1].
    Uniform,
}

/// One network's shape and the optimizer that trains it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetConfig {
    /// The net's capacity: units per hidden layer of an MLP, or the channels of a DCGAN's
    /// narrower conv layer (the other has twice as many). Configs from before it was renamed
    /// say `hidden`.
    #[serde(alias = "hidden")]
    pub width: usize,
    /// Number of hidden layers (at least 1: a linear G cannot bend noise onto several modes).
    pub depth: usize,
    /// Nonlinearity after each hidden layer.
    pub activation: Activation,
    /// The optimizer and its learning rate for this network.
    pub optimizer: OptimizerConfig,
}

/// Hidden-layer nonlinearity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Activation {
    Relu,
    /// Leaky ReLU with slope 0.2 for negative inputs (the slope DCGAN's discriminator uses).
    LeakyRelu,
    Tanh,
}

/// An optimizer with its hyperparameters, applied in `src/optim/` alone.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum OptimizerConfig {
    /// Adam; GANs usually take β1 = 0.5 (DCGAN, Radford et al. 2016) for less momentum.
    Adam { lr: f64, beta1: f32, beta2: f32 },
    /// RMSProp without momentum, as WGAN (Arjovsky et al. 2017) recommends for weight clipping.
    RmsProp { lr: f64 },
    /// Plain SGD with optional momentum (0 turns it off).
    Sgd { lr: f64, momentum: f64 },
}

impl OptimizerConfig {
    pub fn lr(&self) -> f64 {
        match self {
            Self::Adam { lr, .. } | Self::RmsProp { lr } | Self::Sgd { lr, .. } => *lr,
        }
    }

    pub fn set_lr(&mut self, new: f64) {
        match self {
            Self::Adam { lr, .. } | Self::RmsProp { lr } | Self::Sgd { lr, .. } => *lr = new,
        }
    }
}

impl GanConfig {
    /// Numbers a class adds to G's and D's input rows: one-hot, so the class count when
    /// `conditional`, else 0.
    pub fn label_dim(&self) -> usize {
        if self.conditional {
            self.data.classes()
        } else {
            0
        }
    }

    /// `net`'s optimizer as it updates at `step`: its learning rate under `lr_decay_steps`.
    pub fn optimizer_at(&self, net: &NetConfig, step: u64) -> OptimizerConfig {
        let mut optimizer = net.optimizer;
        if self.lr_decay_steps > 0 {
            optimizer.set_lr(net.optimizer.lr() / (1.0 + step as f64 / self.lr_decay_steps as f64));
        }
        optimizer
    }

    /// Numbers per row of G's input: z, then the one-hot class of a conditional run.
    pub fn generator_input_dim(&self) -> usize {
        self.latent.dim + self.label_dim()
    }

    /// Numbers per sample of D's input (before packing): the sample, then its one-hot class.
    pub fn discriminator_input_dim(&self) -> usize {
        self.data.dim() + self.label_dim()
    }

    /// Parses a JSON config and validates it. Unknown or missing fields are refused by name.
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let config: Self = serde_json::from_str(text)
            .map_err(|e| ConfigError::new("(json)", format!("could not be read: {e}")))?;
        config.validate()?;
        Ok(config)
    }

    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a config always serialises")
    }
}

fn one() -> usize {
    1
}

impl Default for GanConfig {
    fn default() -> Self {
        Preset::DEFAULT.config()
    }
}
