//! One serde config tree for the page, the CLI and the tests, with validation and presets.
//!
//! Every hyperparameter of a run lives here; nothing else in the crate holds a tunable number.
//! [`GanConfig::validate`] refuses a bad value with a [`ConfigError`] that names the field by
//! its path in the JSON (`discriminator.optimizer.lr`), so the page and the CLI can point at it.

use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::data::ToyDistribution;
use crate::loss::GanLoss;

/// A full run: data, both networks (each with its optimizer), loss, schedule, seed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GanConfig {
    /// The real distribution P_r: points in the plane, or MNIST digits.
    pub data: Data,
    /// The networks' shape: MLPs (any data; the default) or DCGAN's convolutional pair (digits).
    #[serde(default)]
    pub model: Architecture,
    /// The latent noise z fed to G.
    pub latent: LatentConfig,
    /// G: maps z to a point in the plane.
    pub generator: NetConfig,
    /// D: scores a point (a probability logit for minimax/non-saturating, a raw score otherwise).
    pub discriminator: NetConfig,
    /// The game's objective.
    pub loss: GanLoss,
    /// D updates per G update (WGAN's n_critic). More makes D closer to optimal before G moves.
    pub d_steps: usize,
    /// Samples per batch, the same for real and generated points.
    pub batch_size: usize,
    /// Seeds every random source: initial weights, real samples, noise, evaluation batches.
    pub seed: u64,
}

/// What G learns to imitate. In JSON both kinds are one object tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Data {
    /// A distribution in the plane.
    Plane(ToyDistribution),
    /// Images of handwritten digits.
    Digits(DigitsData),
}

/// Image data sets. The bytes come from the edge (the CLI reads `assets/mnist`, the page
/// fetches it); the config only names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum DigitsData {
    /// The project's packed MNIST subset: 28×28 grey digits, pixels scaled to [−1, 1].
    /// (A struct variant: serde ignores `deny_unknown_fields` on internally tagged unit ones.)
    Mnist {},
}

// By hand rather than `untagged`, so that a bad toy distribution keeps its own message
// (`unknown variant`, `missing field std`) instead of "did not match any variant".
impl<'de> Deserialize<'de> for Data {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = serde_json::Value::deserialize(deserializer)?;
        if value.get("kind").and_then(|k| k.as_str()) == Some("mnist") {
            DigitsData::deserialize(value)
                .map(Data::Digits)
                .map_err(D::Error::custom)
        } else {
            ToyDistribution::deserialize(value)
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
            Self::Digits(DigitsData::Mnist {}) => crate::data::mnist::PIXELS,
        }
    }

    pub fn is_images(&self) -> bool {
        matches!(self, Self::Digits(_))
    }

    /// The plane distribution, if this is one.
    pub fn plane(&self) -> Option<&ToyDistribution> {
        match self {
            Self::Plane(d) => Some(d),
            Self::Digits(_) => None,
        }
    }
}

/// The networks' architecture, for both G and D.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Architecture {
    /// Fully connected nets, `depth` hidden layers of `hidden` units.
    #[default]
    Mlp,
    /// DCGAN for 28×28 images: two (transposed) 4×4 stride-2 conv layers of `hidden` and
    /// 2·`hidden` channels, batch norm in G (see `model::dcgan`). `depth` must be 2.
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

/// An MLP and the optimizer that trains it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetConfig {
    /// Units per hidden layer.
    pub hidden: usize,
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

/// An optimizer with its hyperparameters. Matched in `train.rs` alone.
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
}

/// A refused config value: which field, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The field's path in the JSON config, e.g. `generator.optimizer.lr`.
    pub field: String,
    pub reason: String,
}

impl ConfigError {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid config: `{}` {}", self.field, self.reason)
    }
}

impl std::error::Error for ConfigError {}

/// A finite, strictly positive number, or an error naming `field`.
pub(crate) fn positive(field: &str, v: f64) -> Result<(), ConfigError> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(ConfigError::new(
            field,
            format!("must be a finite number above 0, got {v}"),
        ))
    }
}

fn in_unit_interval(field: &str, v: f64) -> Result<(), ConfigError> {
    if v.is_finite() && (0.0..1.0).contains(&v) {
        Ok(())
    } else {
        Err(ConfigError::new(
            field,
            format!("must be in [0, 1), got {v}"),
        ))
    }
}

fn count(field: &str, v: usize, max: usize) -> Result<(), ConfigError> {
    if (1..=max).contains(&v) {
        Ok(())
    } else {
        Err(ConfigError::new(
            field,
            format!("must be between 1 and {max}, got {v}"),
        ))
    }
}

/// Upper bounds that keep a run inside a browser tab's memory and patience.
const MAX_WIDTH: usize = 4096;
const MAX_DEPTH: usize = 16;
const MAX_BATCH: usize = 65_536;
const MAX_LATENT: usize = 1024;
const MAX_D_STEPS: usize = 100;
/// DCGAN channels: 256 makes D's second layer 512 wide, already heavy for a browser.
const MAX_CHANNELS: usize = 256;

impl NetConfig {
    fn validate(&self, field: &str) -> Result<(), ConfigError> {
        count(&format!("{field}.hidden"), self.hidden, MAX_WIDTH)?;
        count(&format!("{field}.depth"), self.depth, MAX_DEPTH)?;
        let opt = format!("{field}.optimizer");
        positive(&format!("{opt}.lr"), self.optimizer.lr())?;
        match self.optimizer {
            OptimizerConfig::Adam { beta1, beta2, .. } => {
                in_unit_interval(&format!("{opt}.beta1"), beta1 as f64)?;
                in_unit_interval(&format!("{opt}.beta2"), beta2 as f64)
            }
            OptimizerConfig::RmsProp { .. } => Ok(()),
            OptimizerConfig::Sgd { momentum, .. } => {
                in_unit_interval(&format!("{opt}.momentum"), momentum)
            }
        }
    }
}

impl GanConfig {
    /// Checks every field; the first bad one is returned, named by its path.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Data::Plane(d) = &self.data {
            d.validate("data")?;
        }
        count("latent.dim", self.latent.dim, MAX_LATENT)?;
        self.generator.validate("generator")?;
        self.discriminator.validate("discriminator")?;
        self.loss.validate("loss")?;
        if self.model == Architecture::Dcgan {
            if !self.data.is_images() {
                return Err(ConfigError::new(
                    "model",
                    "dcgan is convolutional and needs images: use data kind \"mnist\", or model \"mlp\"",
                ));
            }
            for (who, net) in [
                ("generator", &self.generator),
                ("discriminator", &self.discriminator),
            ] {
                count(&format!("{who}.hidden"), net.hidden, MAX_CHANNELS)?;
                if net.depth != 2 {
                    return Err(ConfigError::new(
                        format!("{who}.depth"),
                        format!(
                            "must be 2 for dcgan (two conv layers take 7×7 to 28×28), got {}",
                            net.depth
                        ),
                    ));
                }
            }
            if self.loss.penalty_weight().is_some() {
                return Err(ConfigError::new(
                    "loss",
                    "wasserstein-gp needs D's input gradient, written by hand only for the MLP \
                     critic (burn has no double backward): use model \"mlp\" or another loss",
                ));
            }
        }
        count("d_steps", self.d_steps, MAX_D_STEPS)?;
        count("batch_size", self.batch_size, MAX_BATCH)
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

impl Default for GanConfig {
    fn default() -> Self {
        Preset::Ring8.config()
    }
}

/// Named configs. A preset is data, never a code path: it only fills in a [`GanConfig`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    Ring8,
    Grid25,
    TwoGaussians,
    Ring,
    Spiral,
    Moons,
    /// Lesson: the non-saturating GAN on grid25 covers only some of the 25 modes.
    VanillaGrid25,
    /// Lesson: WGAN-GP on the same grid25 reaches the modes the vanilla GAN misses.
    WganGpGrid25,
    /// Lesson: D too strong (5 D steps per G step, D's learning rate 5× G's): G collapses.
    StrongD,
    /// Lesson: the same strong D with the minimax loss: G's gradient vanishes and G stalls.
    Saturating,
    /// MNIST digits with fully connected G and D.
    DigitsMlp,
    /// MNIST digits with DCGAN's convolutional G and D.
    DigitsDcgan,
}

impl Preset {
    pub const ALL: [Preset; 12] = [
        Self::Ring8,
        Self::Grid25,
        Self::TwoGaussians,
        Self::Ring,
        Self::Spiral,
        Self::Moons,
        Self::VanillaGrid25,
        Self::WganGpGrid25,
        Self::StrongD,
        Self::Saturating,
        Self::DigitsMlp,
        Self::DigitsDcgan,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Ring8 => "ring8",
            Self::Grid25 => "grid25",
            Self::TwoGaussians => "two-gaussians",
            Self::Ring => "ring",
            Self::Spiral => "spiral",
            Self::Moons => "moons",
            Self::VanillaGrid25 => "vanilla-grid25",
            Self::WganGpGrid25 => "wgan-gp-grid25",
            Self::StrongD => "strong-d",
            Self::Saturating => "saturating",
            Self::DigitsMlp => "digits-mlp",
            Self::DigitsDcgan => "digits-dcgan",
        }
    }

    /// Whether this preset is one of the page's teaching lessons rather than a distribution.
    pub fn is_lesson(self) -> bool {
        matches!(
            self,
            Self::VanillaGrid25 | Self::WganGpGrid25 | Self::StrongD | Self::Saturating
        )
    }

    /// The preset's config. Where the data's numbers come from is said per arm; the training
    /// numbers are shared (see [`toy_training`]); a lesson changes them as its arm says.
    pub fn config(self) -> GanConfig {
        let data = match self {
            Self::DigitsMlp => return digits(Architecture::Mlp),
            Self::DigitsDcgan => return digits(Architecture::Dcgan),
            Self::VanillaGrid25 => return Self::Grid25.config(),
            Self::WganGpGrid25 => return wgan_gp(Self::Grid25.config()),
            // D's learning rate 5e-3 (5× G's) and 5 D steps: at step 1,000 on seed 0, D's
            // accuracy is 94% and G sits on 1 of 8 modes (measured with the CLI).
            Self::StrongD => {
                let mut c = Self::Ring8.config();
                c.d_steps = 5;
                c.discriminator.optimizer = OptimizerConfig::Adam {
                    lr: 5e-3,
                    beta1: 0.5,
                    beta2: 0.999,
                };
                return c;
            }
            // As StrongD with the minimax loss: D's accuracy reaches ~100% and G's loss
            // log(1 − D(G(z))) flattens to ~0, so G stops moving (0 of 8 modes at step 1,000).
            Self::Saturating => {
                let mut c = Self::StrongD.config();
                c.loss = GanLoss::Minimax;
                return c;
            }
            // Metz et al. 2017 (Unrolled GANs), §3.1: 8 Gaussians on a circle of radius 2, std 0.02.
            Self::Ring8 => ToyDistribution::GaussianRing {
                modes: 8,
                radius: 2.0,
                std: 0.02,
            },
            // Srivastava et al. 2017 (VEEGAN) and Lin et al. 2018 (PacGAN): 25 Gaussians at
            // {−4, −2, 0, 2, 4}², std 0.05.
            Self::Grid25 => ToyDistribution::GaussianGrid {
                side: 5,
                spacing: 2.0,
                std: 0.05,
            },
            // The smallest multimodal case, GAN Lab's "two Gaussian hills" spirit: far enough
            // apart (separation 4) that a collapsed G is plain to see.
            Self::TwoGaussians => ToyDistribution::TwoGaussians {
                separation: 4.0,
                std: 0.25,
            },
            // GAN Lab's ring: a continuous circle; radius 2 matches ring8 so the two compare.
            Self::Ring => ToyDistribution::Ring {
                radius: 2.0,
                std: 0.05,
            },
            // The classic two-turn spiral toy set (e.g. the "swiss roll" 2-D slice), radius 3.
            Self::Spiral => ToyDistribution::Spiral {
                turns: 2.0,
                radius: 3.0,
                std: 0.05,
            },
            // scikit-learn's make_moons (noise 0.05 relative to radius 1), scaled by 2.
            Self::Moons => ToyDistribution::Moons {
                radius: 2.0,
                std: 0.1,
            },
        };
        toy_training(data)
    }
}

/// The training numbers shared by the toy presets: an MLP GAN of the size used by the
/// Unrolled-GAN and VEEGAN toy experiments (3 hidden layers, here 128 wide to train fast on a
/// CPU) with DCGAN's Adam β1 = 0.5. The learning rate 1e-3 was chosen on ring8 over 2e-4 (no
/// progress in 2,000 steps), 5e-4 (collapsed to 2 modes) and variants (batch 512, β2 = 0.9 with
/// a 2-d latent, D faster than G, 2 D steps), which all covered fewer modes across seeds.
/// The plain GAN still collapses on ring8 for some seeds (Metz et al. 2017's point); the
/// quality bar in `tests/quality.rs` uses seed 0.
fn toy_training(data: ToyDistribution) -> GanConfig {
    let adam = OptimizerConfig::Adam {
        lr: 1e-3,
        beta1: 0.5,
        beta2: 0.999,
    };
    GanConfig {
        data: Data::Plane(data),
        model: Architecture::Mlp,
        latent: LatentConfig {
            dim: 8,
            distribution: LatentDistribution::Gaussian,
        },
        generator: NetConfig {
            hidden: 128,
            depth: 3,
            activation: Activation::Relu,
            optimizer: adam,
        },
        discriminator: NetConfig {
            hidden: 128,
            depth: 3,
            activation: Activation::LeakyRelu,
            optimizer: adam,
        },
        loss: GanLoss::NonSaturating,
        d_steps: 1,
        batch_size: 256,
        seed: 0,
    }
}

/// WGAN-GP for the toy sets, after Gulrajani et al. 2017's `gan_toy.py`: Adam with
/// β = (0.5, 0.9), λ = 0.1 (their toy value, not the paper's 10), a ReLU critic without a
/// sigmoid. They train at lr 1e-4 with 5 critic steps for 100k steps; to cover grid25 within a
/// page visit this uses lr 2e-3 and 2 critic steps, which on seed 0 covered 24 of 25 modes
/// by step 4,000 where lr 1e-4 … 1e-3 with 5 critic steps (λ 0.1 or 1) covered at most 7.
fn wgan_gp(mut c: GanConfig) -> GanConfig {
    let adam = OptimizerConfig::Adam {
        lr: 2e-3,
        beta1: 0.5,
        beta2: 0.9,
    };
    c.loss = GanLoss::WassersteinGp {
        penalty_weight: 0.1,
    };
    c.d_steps = 2;
    c.generator.optimizer = adam;
    c.discriminator.optimizer = adam;
    c.discriminator.activation = Activation::Relu;
    c
}

/// The digits presets. Both take DCGAN's optimizer (Radford et al. 2016, §4: Adam, lr 2e-4,
/// β1 = 0.5) and the non-saturating loss (Goodfellow et al. 2014), with a 64-d Gaussian z
/// (the paper uses 100-d uniform; 64 trains the same and is cheaper to interpolate in) and
/// batch 64 (the paper's 128 halved, for a browser step). DCGAN: ReLU in G, leaky ReLU 0.2 in
/// D as in the paper, 32 and 64 channels (the PyTorch DCGAN example's 64 and 128 halved).
/// MLP: two hidden layers of 256 in each net, the vanilla-GAN layout of PyTorch-GAN's `gan.py`
/// (eriklindernoren) narrowed from its 4 layers, leaky ReLU in both as there.
fn digits(model: Architecture) -> GanConfig {
    let adam = OptimizerConfig::Adam {
        lr: 2e-4,
        beta1: 0.5,
        beta2: 0.999,
    };
    let (hidden, g_activation) = match model {
        Architecture::Mlp => (256, Activation::LeakyRelu),
        Architecture::Dcgan => (32, Activation::Relu),
    };
    GanConfig {
        data: Data::Digits(DigitsData::Mnist {}),
        model,
        latent: LatentConfig {
            dim: 64,
            distribution: LatentDistribution::Gaussian,
        },
        generator: NetConfig {
            hidden,
            depth: 2,
            activation: g_activation,
            optimizer: adam,
        },
        discriminator: NetConfig {
            hidden,
            depth: 2,
            activation: Activation::LeakyRelu,
            optimizer: adam,
        },
        loss: GanLoss::NonSaturating,
        d_steps: 1,
        batch_size: 64,
        seed: 0,
    }
}

impl FromStr for Preset {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Self::ALL.iter().map(|p| p.name()).collect();
                ConfigError::new(
                    "preset",
                    format!("`{s}` is unknown; known presets: {}", names.join(", ")),
                )
            })
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn refused(mutate: impl FnOnce(&mut GanConfig)) -> String {
        let mut c = GanConfig::default();
        mutate(&mut c);
        c.validate().expect_err("should be refused").field
    }

    #[test]
    fn every_preset_is_valid_and_round_trips_through_json() {
        for p in Preset::ALL {
            let c = p.config();
            c.validate().unwrap_or_else(|e| panic!("{p}: {e}"));
            assert_eq!(GanConfig::from_json(&c.to_json_pretty()).unwrap(), c);
            assert_eq!(p.name().parse::<Preset>().unwrap(), p);
        }
    }

    #[test]
    fn each_bad_value_is_refused_by_name() {
        let nan = f64::NAN;
        assert_eq!(refused(|c| c.batch_size = 0), "batch_size");
        assert_eq!(refused(|c| c.batch_size = 1 << 20), "batch_size");
        assert_eq!(refused(|c| c.d_steps = 0), "d_steps");
        assert_eq!(refused(|c| c.latent.dim = 0), "latent.dim");
        assert_eq!(refused(|c| c.generator.hidden = 0), "generator.hidden");
        assert_eq!(
            refused(|c| c.discriminator.hidden = 0),
            "discriminator.hidden"
        );
        assert_eq!(refused(|c| c.generator.depth = 0), "generator.depth");
        assert_eq!(
            refused(|c| c.discriminator.depth = 99),
            "discriminator.depth"
        );
        for bad in [nan, -1e-3, 0.0, f64::INFINITY] {
            let f = refused(|c| {
                c.discriminator.optimizer = OptimizerConfig::Adam {
                    lr: bad,
                    beta1: 0.5,
                    beta2: 0.9,
                }
            });
            assert_eq!(f, "discriminator.optimizer.lr", "lr {bad}");
        }
        assert_eq!(
            refused(|c| c.generator.optimizer = OptimizerConfig::Adam {
                lr: 1e-3,
                beta1: 1.0,
                beta2: 0.9
            }),
            "generator.optimizer.beta1"
        );
        assert_eq!(
            refused(|c| c.generator.optimizer = OptimizerConfig::Adam {
                lr: 1e-3,
                beta1: 0.5,
                beta2: -0.1
            }),
            "generator.optimizer.beta2"
        );
        assert_eq!(
            refused(|c| c.generator.optimizer = OptimizerConfig::Sgd {
                lr: 1e-3,
                momentum: nan
            }),
            "generator.optimizer.momentum"
        );
        assert_eq!(
            refused(|c| c.generator.optimizer = OptimizerConfig::RmsProp { lr: -1.0 }),
            "generator.optimizer.lr"
        );
        assert_eq!(
            refused(|c| c.loss = GanLoss::Wasserstein { clip: 0.0 }),
            "loss.clip"
        );
        assert_eq!(
            refused(|c| c.loss = GanLoss::WassersteinGp {
                penalty_weight: nan as f32
            }),
            "loss.penalty_weight"
        );
        assert_eq!(
            refused(|c| c.data = Data::Plane(ToyDistribution::GaussianRing {
                modes: 8,
                radius: 2.0,
                std: -0.1
            })),
            "data.std"
        );
        assert_eq!(
            refused(|c| c.data = Data::Plane(ToyDistribution::GaussianRing {
                modes: 0,
                radius: 2.0,
                std: 0.1
            })),
            "data.modes"
        );
        assert_eq!(
            refused(|c| c.data = Data::Plane(ToyDistribution::GaussianGrid {
                side: 5,
                spacing: nan as f32,
                std: 0.1
            })),
            "data.spacing"
        );
        assert_eq!(
            refused(|c| c.data = Data::Plane(ToyDistribution::Spiral {
                turns: 0.0,
                radius: 3.0,
                std: 0.1
            })),
            "data.turns"
        );
        assert_eq!(
            refused(|c| c.data = Data::Plane(ToyDistribution::Ring {
                radius: 2.0,
                std: 1e-5
            })),
            "data.std"
        );
        assert_eq!(
            refused(|c| c.data = Data::Plane(ToyDistribution::Points {
                points: vec![],
                std: 0.1
            })),
            "data.points"
        );
        assert_eq!(
            refused(|c| c.data = Data::Plane(ToyDistribution::Points {
                points: vec![[f32::NAN, 0.0]],
                std: 0.1
            })),
            "data.points"
        );
    }

    #[test]
    fn dcgan_is_refused_where_it_cannot_run() {
        let dcgan = |mutate: fn(&mut GanConfig)| {
            let mut c = Preset::DigitsDcgan.config();
            mutate(&mut c);
            c.validate().expect_err("should be refused")
        };
        let e = dcgan(|c| c.data = Preset::Ring8.config().data);
        assert_eq!(e.field, "model");
        assert_eq!(dcgan(|c| c.generator.depth = 3).field, "generator.depth");
        assert_eq!(
            dcgan(|c| c.discriminator.hidden = 1000).field,
            "discriminator.hidden"
        );
        let e = dcgan(|c| {
            c.loss = GanLoss::WassersteinGp {
                penalty_weight: 10.0,
            }
        });
        assert_eq!(e.field, "loss");
        // The MLP critic has its input gradient, so WGAN-GP on digits is fine with it.
        let mut c = Preset::DigitsMlp.config();
        c.loss = GanLoss::WassersteinGp {
            penalty_weight: 10.0,
        };
        c.validate().unwrap();
    }

    #[test]
    fn data_json_is_one_object_tagged_by_kind() {
        let digits = Preset::DigitsDcgan.config();
        let v: serde_json::Value = serde_json::from_str(&digits.to_json_pretty()).unwrap();
        assert_eq!(v["data"], serde_json::json!({"kind": "mnist"}));
        assert_eq!(v["model"], "dcgan");
        // An old config without `model` still reads, as an MLP.
        let mut v: serde_json::Value =
            serde_json::from_str(&GanConfig::default().to_json_pretty()).unwrap();
        v.as_object_mut().unwrap().remove("model");
        assert_eq!(
            GanConfig::from_json(&v.to_string()).unwrap(),
            GanConfig::default()
        );
        // A bad toy distribution keeps its own message.
        v["data"] = serde_json::json!({"kind": "ring8"});
        let e = GanConfig::from_json(&v.to_string()).unwrap_err();
        assert!(e.to_string().contains("unknown variant `ring8`"), "{e}");
        v["data"] = serde_json::json!({"kind": "mnist", "digits": 5});
        let e = GanConfig::from_json(&v.to_string()).unwrap_err();
        assert!(e.to_string().contains("digits"), "{e}");
    }

    #[test]
    fn unknown_preset_lists_the_known_ones() {
        let e = "ring9".parse::<Preset>().unwrap_err();
        assert_eq!(e.field, "preset");
        assert!(
            e.reason.contains("ring8") && e.reason.contains("moons"),
            "{e}"
        );
    }

    #[test]
    fn json_errors_name_the_field() {
        let mut v: serde_json::Value =
            serde_json::from_str(&GanConfig::default().to_json_pretty()).unwrap();
        v["batch_size"] = serde_json::json!(0);
        let e = GanConfig::from_json(&v.to_string()).unwrap_err();
        assert_eq!(e.field, "batch_size");

        v["batch_size"] = serde_json::json!(64);
        v["generator"]["widht"] = serde_json::json!(3);
        let e = GanConfig::from_json(&v.to_string()).unwrap_err();
        assert!(e.to_string().contains("widht"), "{e}");

        v["generator"].as_object_mut().unwrap().remove("widht");
        v["loss"] = serde_json::json!({"kind": "hinge"});
        let e = GanConfig::from_json(&v.to_string()).unwrap_err();
        assert!(e.to_string().contains("hinge"), "{e}");
    }
}
