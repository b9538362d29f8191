//! The training step: `d_steps` D updates, then one G update. Returns tensors, reads nothing.

use burn::optim::{
    AdamConfig, GradientsParams, ModuleOptimizer, RmsPropConfig, SgdConfig,
    momentum::MomentumConfig,
};
use burn::prelude::*;

use std::sync::Arc;

use crate::config::{ConfigError, Data, GanConfig, LatentDistribution, OptimizerConfig};
use crate::data::mnist::Digits;
use crate::data::toy::ToyDistribution;
use crate::loss::GanLoss;
use crate::metrics::{EvalBatch, Grid, Metrics};
use crate::model::{Discriminator, Generator};
use crate::readback::{ReadError, flat, read_many};
use crate::rng::{SeededRng, Stream};

/// Losses of one step, still on the device: read them back only when needed.
pub struct StepLosses {
    /// D's loss at its last update this step (with the gradient penalty, for WGAN-GP). `[1]`
    pub d_loss: Tensor<1>,
    /// G's loss at its update. `[1]`
    pub g_loss: Tensor<1>,
}

pub(crate) fn optimizer(config: &OptimizerConfig) -> ModuleOptimizer {
    match *config {
        OptimizerConfig::Adam { beta1, beta2, .. } => AdamConfig::new()
            .with_beta_1(beta1)
            .with_beta_2(beta2)
            .init(),
        OptimizerConfig::RmsProp { .. } => RmsPropConfig::new().with_momentum(0.0).init(),
        OptimizerConfig::Sgd { momentum, .. } => SgdConfig::new()
            .with_momentum((momentum > 0.0).then(|| MomentumConfig {
                momentum,
                dampening: 0.0,
                nesterov: false,
            }))
            .init(),
    }
}

/// `n` real samples: points of the plane distribution, or digits drawn uniformly with
/// replacement (`digits` is `Some` exactly for image data, as `Trainer::build` ensures).
/// `[n * data_dim]`
fn sample_real(data: &Data, digits: Option<&Digits>, rng: &mut SeededRng, n: usize) -> Vec<f32> {
    match (data, digits) {
        (Data::Plane(d), _) => d.sample(rng, n),
        (Data::Digits(_), Some(digits)) => (0..n)
            .flat_map(|_| digits.pixels(rng.index(digits.len())))
            .collect(),
        (Data::Digits(_), None) => unreachable!("a digits run is built with its digits"),
    }
}

/// Latent vectors for `n` samples, flattened `[n * dim]`.
pub fn sample_latent(config: &GanConfig, rng: &mut SeededRng, n: usize) -> Vec<f32> {
    let len = n * config.latent.dim;
    match config.latent.distribution {
        LatentDistribution::Gaussian => rng.normal_vec(len),
        LatentDistribution::Uniform => rng.uniform_vec(len, -1.0, 1.0),
    }
}

pub(crate) fn matrix(values: Vec<f32>, cols: usize, device: &Device) -> Tensor<2> {
    let rows = values.len() / cols;
    Tensor::from_data(TensorData::new(values, [rows, cols]), device)
}

/// The evaluation batch on the device, before any read.
pub(crate) struct EvalTensors {
    pub real: Vec<f32>,
    pub fake: Tensor<2>,
    pub d_fake: Tensor<2>,
    pub d_real: Tensor<2>,
    pub d_grid: Tensor<2>,
}

/// Settings that change a run in flight, without a reset.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiveSettings {
    pub generator_lr: f64,
    pub discriminator_lr: f64,
    pub loss: GanLoss,
    pub d_steps: usize,
    pub batch_size: usize,
}

/// Both nets at a step, to go back to (after a NaN, say). Optimizer state is not kept: a
/// restored run restarts its optimizers' moments.
#[derive(Clone)]
pub struct Checkpoint {
    generator: Generator,
    discriminator: Discriminator,
    steps: u64,
}

impl Checkpoint {
    pub fn steps(&self) -> u64 {
        self.steps
    }
}

fn set_lr(opt: &mut OptimizerConfig, new: f64) {
    match opt {
        OptimizerConfig::Adam { lr, .. }
        | OptimizerConfig::RmsProp { lr }
        | OptimizerConfig::Sgd { lr, .. } => *lr = new,
    }
}

/// A GAN in training: both nets, their optimizers and the run's random streams.
pub struct Trainer {
    config: GanConfig,
    /// An autodiff device wrapping the backend chosen at the edge.
    device: Device,
    /// The same backend without autodiff, for inference (generate, discriminate).
    plain_device: Device,
    /// The digits when the data is MNIST (the config only names them).
    digits: Option<Arc<Digits>>,
    /// Numbers per sample: 2 for points, 784 for digits.
    data_dim: usize,
    generator: Generator,
    discriminator: Discriminator,
    g_optimizer: ModuleOptimizer,
    d_optimizer: ModuleOptimizer,
    data_rng: SeededRng,
    noise_rng: SeededRng,
    penalty_rng: SeededRng,
    steps: u64,
}

impl Trainer {
    /// Validates `config` and builds a fresh run on `device` (autodiff is added here). Digits
    /// need their images: see [`Self::with_digits`].
    pub fn new(config: GanConfig, device: &Device) -> Result<Self, ConfigError> {
        Self::build(config, None, device)
    }

    /// As [`Self::new`], with the digits an MNIST config trains on (ignored for the plane).
    pub fn with_digits(
        config: GanConfig,
        digits: Arc<Digits>,
        device: &Device,
    ) -> Result<Self, ConfigError> {
        Self::build(config, Some(digits), device)
    }

    fn build(
        config: GanConfig,
        digits: Option<Arc<Digits>>,
        device: &Device,
    ) -> Result<Self, ConfigError> {
        config.validate()?;
        let digits = match (&config.data, digits) {
            (Data::Plane(_), _) => None,
            (Data::Digits(_), Some(d)) if !d.is_empty() => Some(d),
            (Data::Digits(_), _) => {
                return Err(ConfigError::new(
                    "data",
                    "is MNIST, but no digits were loaded to train on",
                ));
            }
        };
        let plain_device = device.clone().without_autodiff();
        let device = device.clone().autodiff();
        let seed = config.seed;
        let generator = Generator::new(
            &config,
            &mut SeededRng::new(seed, Stream::GeneratorInit),
            &device,
        );
        let discriminator = Discriminator::new(
            &config,
            &mut SeededRng::new(seed, Stream::DiscriminatorInit),
            &device,
        );
        Ok(Self {
            data_dim: config.data.dim(),
            digits,
            g_optimizer: optimizer(&config.generator.optimizer),
            d_optimizer: optimizer(&config.discriminator.optimizer),
            data_rng: SeededRng::new(seed, Stream::Data),
            noise_rng: SeededRng::new(seed, Stream::Noise),
            penalty_rng: SeededRng::new(seed, Stream::Penalty),
            config,
            device,
            plain_device,
            generator,
            discriminator,
            steps: 0,
        })
    }

    pub fn config(&self) -> &GanConfig {
        &self.config
    }

    /// Completed steps (each is `d_steps` D updates and one G update).
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// The plane distribution; the 2-D views (metrics, gradients, manifold) exist only for it.
    pub(crate) fn plane(&self) -> &ToyDistribution {
        self.config
            .data
            .plane()
            .expect("a plane view was asked of a digits run")
    }

    /// Whether this run trains on digits.
    pub fn is_digits(&self) -> bool {
        self.digits.is_some()
    }

    /// `n` real samples from `rng`. `[n * data_dim]`
    pub(crate) fn sample_real(&self, rng: &mut SeededRng, n: usize) -> Vec<f32> {
        sample_real(&self.config.data, self.digits.as_deref(), rng, n)
    }

    /// `[batch, data_dim]` real samples.
    fn real_batch(&mut self) -> Tensor<2> {
        let n = self.config.batch_size;
        let values = sample_real(
            &self.config.data,
            self.digits.as_deref(),
            &mut self.data_rng,
            n,
        );
        matrix(values, self.data_dim, &self.device)
    }

    /// `[batch, latent]` noise.
    fn noise_batch(&mut self) -> Tensor<2> {
        let z = sample_latent(&self.config, &mut self.noise_rng, self.config.batch_size);
        matrix(z, self.config.latent.dim, &self.device)
    }

    fn discriminator_update(&mut self) -> Tensor<1> {
        let loss_kind = self.config.loss;
        let real = self.real_batch(); // [batch, data_dim]
        let z = self.noise_batch();
        // detach: D's update must not push gradients into G.
        let fake = self.generator.forward(z).detach(); // [batch, data_dim]
        let mut loss = match loss_kind.penalty_weight() {
            None => loss_kind.discriminator_loss(
                self.discriminator.forward(real),
                self.discriminator.forward(fake),
            ),
            Some(weight) => {
                let eps = self
                    .penalty_rng
                    .uniform_vec(self.config.batch_size, 0.0, 1.0);
                let eps = matrix(eps, 1, &self.device); // [batch, 1]
                let mixed = real.clone() * eps.clone() + fake.clone() * (-eps + 1.0);
                let (_, grad) = self.discriminator.forward_with_input_gradient(mixed);
                // +1e-12 keeps sqrt's derivative finite where the gradient vanishes.
                let norm = (grad.powi_scalar(2).sum_dim(1) + 1e-12).sqrt(); // [batch, 1]
                let penalty = (norm - 1.0).powi_scalar(2).mean();
                loss_kind.discriminator_loss(
                    self.discriminator.forward(real),
                    self.discriminator.forward(fake),
                ) + penalty * weight
            }
        };
        let grads = GradientsParams::from_grads(loss.backward(), &self.discriminator);
        let lr = self.config.discriminator.optimizer.lr();
        let mut d = self.d_optimizer.step(lr, self.discriminator.clone(), grads);
        if let Some(c) = loss_kind.weight_clip() {
            d = d.clip_weights(c);
        }
        self.discriminator = d;
        loss = loss.detach();
        loss
    }

    fn generator_update(&mut self) -> Tensor<1> {
        let z = self.noise_batch();
        let fake = self.generator.forward(z); // [batch, data_dim]
        // valid(): D's weights are constants here, so only G is updated; the gradient still
        // flows through D's operations into G.
        let scores = self.discriminator.valid().forward(fake); // [batch, 1]
        let loss = self.config.loss.generator_loss(scores);
        let grads = GradientsParams::from_grads(loss.backward(), &self.generator);
        let lr = self.config.generator.optimizer.lr();
        self.generator = self.g_optimizer.step(lr, self.generator.clone(), grads);
        loss.detach()
    }

    /// One step of the game: `d_steps` D updates, then one G update.
    pub fn step(&mut self) -> StepLosses {
        let d_loss = self.discriminator_phase();
        self.generator_phase(d_loss)
    }

    /// The first half of a step, alone (the page's slow motion shows D's move and G's apart):
    /// `d_steps` D updates; gives D's last loss. The step counts once `generator_phase` ends it.
    pub fn discriminator_phase(&mut self) -> Tensor<1> {
        let mut d_loss = None;
        for _ in 0..self.config.d_steps {
            d_loss = Some(self.discriminator_update());
        }
        d_loss.expect("d_steps >= 1 is validated")
    }

    /// The second half of a step: one G update against the current D.
    pub fn generator_phase(&mut self, d_loss: Tensor<1>) -> StepLosses {
        let g_loss = self.generator_update();
        self.steps += 1;
        StepLosses { d_loss, g_loss }
    }

    /// G applied to given latent vectors (`[n * latent]`), without autodiff. `[n, data_dim]`
    pub fn generate(&self, z: Vec<f32>) -> Tensor<2> {
        let z = matrix(z, self.config.latent.dim, &self.plain_device);
        self.generator.valid().forward(z)
    }

    /// D's scores for given samples (`[n * data_dim]`), without autodiff. `[n, 1]`
    pub fn discriminate(&self, points: Vec<f32>) -> Tensor<2> {
        let points = matrix(points, self.data_dim, &self.plain_device);
        self.discriminator.valid().forward(points)
    }

    /// D's scores for samples already on the (non-autodiff) device. `[n, data_dim]` → `[n, 1]`
    pub fn discriminate_tensor(&self, samples: Tensor<2>) -> Tensor<2> {
        self.discriminator.valid().forward(samples)
    }

    /// Applies live settings; the whole config is validated first, so a bad value changes nothing.
    pub fn set_live(&mut self, live: LiveSettings) -> Result<(), ConfigError> {
        let mut config = self.config.clone();
        set_lr(&mut config.generator.optimizer, live.generator_lr);
        set_lr(&mut config.discriminator.optimizer, live.discriminator_lr);
        config.loss = live.loss;
        config.d_steps = live.d_steps;
        config.batch_size = live.batch_size;
        config.validate()?;
        self.config = config;
        Ok(())
    }

    pub fn live(&self) -> LiveSettings {
        LiveSettings {
            generator_lr: self.config.generator.optimizer.lr(),
            discriminator_lr: self.config.discriminator.optimizer.lr(),
            loss: self.config.loss,
            d_steps: self.config.d_steps,
            batch_size: self.config.batch_size,
        }
    }

    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            generator: self.generator.clone(),
            discriminator: self.discriminator.clone(),
            steps: self.steps,
        }
    }

    pub fn restore(&mut self, checkpoint: &Checkpoint) {
        self.generator = checkpoint.generator.clone();
        self.discriminator = checkpoint.discriminator.clone();
        self.steps = checkpoint.steps;
        self.g_optimizer = optimizer(&self.config.generator.optimizer);
        self.d_optimizer = optimizer(&self.config.discriminator.optimizer);
    }

    /// The direction G's loss moves each given point (`[n * 2]`): −∂ℓ/∂x for the per-sample
    /// generator loss ℓ(x), i.e. where G's update pushes its samples. `[n, 2]`
    pub fn generator_gradients(&self, points: Vec<f32>) -> Tensor<2> {
        self.generator_gradients_at(matrix(points, self.data_dim, &self.plain_device))
    }

    /// [`Self::generator_gradients`] for points already on the device. `[n, 2]` → `[n, 2]`
    pub fn generator_gradients_at(&self, points: Tensor<2>) -> Tensor<2> {
        let n = points.dims()[0];
        let x = points.autodiff().require_grad();
        let loss = self
            .config
            .loss
            .generator_loss(self.discriminator.valid().forward(x.clone()));
        let grads = loss.backward();
        // The loss is a mean over n samples: × n gives each sample's own gradient.
        let g = x.grad(&grads).expect("x requires grad");
        (-g * n as f32).without_autodiff()
    }

    /// G's image of a `side` × `side` grid over the first two latent coordinates (the rest 0),
    /// spanning ±2 for Gaussian z and ±1 for uniform z: how G folds latent space into the
    /// plane. Row-major, second coordinate outer. `[side², 2]`
    pub fn manifold(&self, side: usize) -> Tensor<2> {
        let dim = self.config.latent.dim;
        let reach = match self.config.latent.distribution {
            LatentDistribution::Gaussian => 2.0,
            LatentDistribution::Uniform => 1.0,
        };
        let at = |k: usize| -reach + 2.0 * reach * k as f32 / (side - 1).max(1) as f32;
        let mut z = vec![0.0f32; side * side * dim];
        for j in 0..side {
            for i in 0..side {
                let row = &mut z[(j * side + i) * dim..][..dim];
                row[0] = at(i);
                if dim > 1 {
                    row[1] = at(j);
                }
            }
        }
        self.generate(z)
    }

    /// The fixed evaluation batch (the same every call): real points, latent vectors, and the
    /// device tensors G and D give for them and for the metrics grid, not yet read.
    pub(crate) fn eval_tensors(&self, n: usize, grid: &Grid) -> EvalTensors {
        let mut rng = SeededRng::new(self.config.seed, Stream::Eval);
        let real = self.plane().sample(&mut rng, n);
        let z = sample_latent(&self.config, &mut rng, n);
        let fake = self.generate(z); // [n, 2]
        let d = self.discriminator.valid();
        EvalTensors {
            d_fake: d.forward(fake.clone()),
            d_real: self.discriminate(real.clone()),
            d_grid: self.discriminate(grid.centres()),
            real,
            fake,
        }
    }

    /// The evaluation batch read back in one device read: the one place a step's results leave
    /// the device for the metrics.
    pub async fn eval_batch(&self, n: usize, grid: &Grid) -> Result<EvalBatch, ReadError> {
        let t = self.eval_tensors(n, grid);
        let mut parts = read_many(vec![
            flat(t.fake),
            flat(t.d_fake),
            flat(t.d_real),
            flat(t.d_grid),
        ])
        .await?
        .into_iter();
        let mut next = || parts.next().expect("four parts");
        Ok(EvalBatch {
            real: t.real,
            fake: next(),
            d_fake: next(),
            d_real: next(),
            d_grid: next(),
        })
    }

    /// Metrics of the current state on the fixed evaluation batch.
    pub async fn evaluate(&self) -> Result<Metrics, ReadError> {
        let grid = Grid::for_distribution(self.plane());
        let batch = self.eval_batch(crate::metrics::EVAL_SAMPLES, &grid).await?;
        Ok(Metrics::compute(&self.config, &grid, &batch))
    }
}
