//! The trainer: both nets, their optimizers and the run's random streams; one step is
//! `d_steps` D updates then one G update. It returns tensors and reads nothing back: questions
//! to a trainer live in `probe`, evaluation in `eval`, what the page draws in `frame`.

mod inputs;
mod pinned;
mod replay;
mod saved;

use burn::optim::GradientsParams;
use burn::prelude::*;

use std::sync::Arc;

use crate::batch::sample_real;
use crate::config::{ConfigError, Data, GanConfig, LiveSettings};
use crate::data::mnist::MnistImages;
use crate::feed::{Feed, Part};
use crate::model::{Discriminator, Generator, pack};
use crate::optim::Optimizer;
use crate::rng::{SeededRng, Stream};
use crate::tensor::{blend_params, copy_params};
pub(crate) use inputs::{DInputs, GInputs};
pub use replay::Replay;

/// Losses of one step, still on the device: read them back only when needed.
pub struct StepLosses {
    /// D's loss at its last update this step (with the gradient penalty, for WGAN-GP). `[1]`
    pub d_loss: Tensor<1>,
    /// G's loss at its update. `[1]`
    pub g_loss: Tensor<1>,
}

/// Whether `device` runs under burn's fusion (the `fusion` feature, on any device but flex,
/// which burn never fuses).
pub fn runs_fused(device: &Device) -> bool {
    cfg!(feature = "fusion") && *device != Device::flex()
}

/// D as G's update on `device` sees it. Elsewhere `valid()`: D's weights are constants, so
/// only G is updated and D's weight gradients are never computed; the gradient still flows
/// through D's operations into G. Under burn 0.22.1's fusion that gradient comes out wrong when
/// D's weights track none (`tests/fusion.rs` pins it), so there D keeps tracking, and its own
/// gradients are computed and dropped.
pub fn discriminator_for_g_update<M: Module>(d: &M, device: &Device) -> M {
    if runs_fused(device) {
        d.clone()
    } else {
        d.valid()
    }
}

/// `module` in buffers of its own when `copy`, else sharing them.
fn copy_if<M: Module>(copy: bool, module: &M) -> M {
    if copy {
        copy_params(module)
    } else {
        module.clone()
    }
}

/// Both nets at a step, to go back to (after a NaN, say). Optimizer state is not kept: a
/// restored run restarts its optimizers' moments.
#[derive(Clone)]
pub struct Checkpoint {
    generator: Generator,
    average: Option<Generator>,
    discriminator: Discriminator,
    steps: u64,
}

impl Checkpoint {
    pub fn steps(&self) -> u64 {
        self.steps
    }
}

/// A GAN in training: both nets, their optimizers and the run's random streams.
pub struct Trainer {
    config: GanConfig,
    /// An autodiff device wrapping the backend chosen at the edge.
    device: Device,
    /// The same backend without autodiff, for inference (generate, discriminate).
    plain_device: Device,
    /// The images when the data is an image set (the config only names them).
    images: Option<Arc<MnistImages>>,
    /// Numbers per sample: 2 for points, 784 for digits.
    data_dim: usize,
    generator: Generator,
    /// The moving average of G's weights, without autodiff, when `g_ema` is on.
    average: Option<Generator>,
    discriminator: Discriminator,
    g_optimizer: Optimizer,
    d_optimizer: Optimizer,
    data_rng: SeededRng,
    noise_rng: SeededRng,
    penalty_rng: SeededRng,
    steps: u64,
    /// Changes whenever the state or the config is replaced from outside a step (a restore, a
    /// live change): a recorded step (`Replay`) is then recorded again.
    epoch: u64,
    /// Whether steps write the state in place (`Replay`): a checkpoint then copies it.
    pinned: bool,
}

impl Trainer {
    /// Validates `config` and builds a fresh run on `device` (autodiff is added here). Image
    /// data needs its images: see [`Self::with_images`].
    pub fn new(config: GanConfig, device: &Device) -> Result<Self, ConfigError> {
        Self::build(config, None, device)
    }

    /// As [`Self::new`], with the images an image config trains on (ignored for the plane).
    pub fn with_images(
        config: GanConfig,
        images: Arc<MnistImages>,
        device: &Device,
    ) -> Result<Self, ConfigError> {
        Self::build(config, Some(images), device)
    }

    fn build(
        config: GanConfig,
        images: Option<Arc<MnistImages>>,
        device: &Device,
    ) -> Result<Self, ConfigError> {
        config.validate()?;
        let images = match (&config.data, images) {
            (Data::Plane(_), _) => None,
            (Data::Images(_), Some(d)) if !d.is_empty() => Some(d),
            (Data::Images(_), _) => {
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
        let average = (config.g_ema > 0.0).then(|| generator.valid());
        Ok(Self {
            average,
            data_dim: config.data.dim(),
            images,
            g_optimizer: Optimizer::default(),
            d_optimizer: Optimizer::default(),
            data_rng: SeededRng::new(seed, Stream::Data),
            noise_rng: SeededRng::new(seed, Stream::Noise),
            penalty_rng: SeededRng::new(seed, Stream::Penalty),
            config,
            device,
            plain_device,
            generator,
            discriminator,
            steps: 0,
            epoch: 0,
            pinned: false,
        })
    }

    pub fn config(&self) -> &GanConfig {
        &self.config
    }

    /// Completed steps (each is `d_steps` D updates and one G update).
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// The G that is shown and scored: the moving average of G's weights when `g_ema` is on,
    /// else G as it stands (inference goes through `valid()`).
    pub fn generator(&self) -> &Generator {
        self.average.as_ref().unwrap_or(&self.generator)
    }

    /// D as it stands.
    pub fn discriminator(&self) -> &Discriminator {
        &self.discriminator
    }

    /// The backend without autodiff, where inference tensors live.
    pub fn plain_device(&self) -> &Device {
        &self.plain_device
    }

    /// `n` real samples from `rng` (not the run's own stream). `[n * data_dim]`
    pub fn sample_real(&self, rng: &mut SeededRng, n: usize) -> Vec<f32> {
        self.sample_real_labelled(rng, n).0
    }

    /// As [`Self::sample_real`], with each image's label (none for points). `[n]` or `[]`
    pub fn sample_real_labelled(&self, rng: &mut SeededRng, n: usize) -> (Vec<f32>, Vec<u8>) {
        sample_real(&self.config.data, self.images.as_deref(), rng, n)
    }

    /// G's samples for the noise at `z`, as D reads them: with the classes G was asked for.
    /// `[batch, data_dim (+ classes)]`
    fn fake_batch(&self, feed: &Feed, z: Part, classes: Option<Part>) -> Tensor<2> {
        let z = feed.matrix(z, self.config.generator_input_dim()); // [batch, latent (+ classes)]
        let fake = self.generator.forward(z);
        match classes {
            Some(c) => Tensor::cat(vec![fake, feed.matrix(c, self.config.label_dim())], 1),
            None => fake,
        }
    }

    fn discriminator_update(&mut self, feed: &Feed, at: &DInputs) -> Tensor<1> {
        let loss_kind = self.config.loss;
        let m = self.config.pack;
        let real = feed.matrix(at.real, self.config.discriminator_input_dim());
        let real = pack(real, m); // [batch / m, data_dim · m]
        // detach: D's update must not push gradients into G.
        let fake = pack(self.fake_batch(feed, at.z, at.fake_classes).detach(), m); // [batch / m, data_dim · m]
        // R1 needs D's input gradient on the real batch: its forward pass gives the scores too.
        let (real_scores, r1) = if self.config.r1 > 0.0 && loss_kind.takes_r1() {
            let (scores, grad) = self.discriminator.forward_with_input_gradient(real.clone());
            let squared = grad.powi_scalar(2).sum_dim(1).mean(); // [1]
            (scores, Some(squared * (self.config.r1 / 2.0) as f32))
        } else {
            (self.discriminator.forward(real.clone()), None)
        };
        let mut loss = match (loss_kind.penalty_weight(), at.eps) {
            (Some(weight), Some(eps)) => {
                let eps = feed.matrix(eps, 1); // [rows, 1]
                let mixed = real.clone() * eps.clone() + fake.clone() * (-eps + 1.0);
                let (_, grad) = self.discriminator.forward_with_input_gradient(mixed);
                // +1e-12 keeps sqrt's derivative finite where the gradient vanishes.
                let norm = (grad.powi_scalar(2).sum_dim(1) + 1e-12).sqrt(); // [batch, 1]
                let penalty = (norm - 1.0).powi_scalar(2).mean();
                loss_kind.discriminator_loss(real_scores, self.discriminator.forward(fake))
                    + penalty * weight
            }
            _ => loss_kind.discriminator_loss(real_scores, self.discriminator.forward(fake)),
        };
        if let Some(r1) = r1 {
            loss = loss + r1;
        }
        let grads = GradientsParams::from_grads(loss.backward(), &self.discriminator);
        let optimizer = self
            .config
            .optimizer_at(&self.config.discriminator, self.steps);
        let knobs = feed.vector(at.knobs).inner();
        let mut d = self
            .d_optimizer
            .step_fed(&optimizer, self.discriminator.clone(), grads, knobs);
        if let Some(c) = loss_kind.weight_clip() {
            d = d.clip_weights(c);
        }
        self.discriminator = d;
        loss = loss.detach();
        loss
    }

    fn generator_update(&mut self, feed: &Feed, at: &GInputs) -> Tensor<1> {
        let fake = self.fake_batch(feed, at.z, at.fake_classes); // [batch, data_dim (+ classes)]
        let fake = pack(fake, self.config.pack); // [batch / pack, data_dim · pack]
        let d = discriminator_for_g_update(&self.discriminator, &self.device);
        let scores = d.forward(fake); // [batch / pack, 1]
        let loss = self.config.loss.generator_loss(scores);
        let grads = GradientsParams::from_grads(loss.backward(), &self.generator);
        let optimizer = self.config.optimizer_at(&self.config.generator, self.steps);
        let knobs = feed.vector(at.knobs).inner();
        self.generator =
            self.g_optimizer
                .step_fed(&optimizer, self.generator.clone(), grads, knobs);
        if let (Some(average), Some(blend)) = (self.average.take(), at.blend) {
            let blend = feed.vector(blend).inner(); // [2]: β, 1 − β
            self.average = Some(blend_params(average, &self.generator, blend));
        }
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
        let (host, inputs) = self.draw_discriminator_phase();
        let feed = host.upload(&self.device);
        self.discriminator_phase_fed(&feed, &inputs)
    }

    /// `discriminator_phase` on inputs already on the device.
    pub(crate) fn discriminator_phase_fed(&mut self, feed: &Feed, inputs: &[DInputs]) -> Tensor<1> {
        let mut d_loss = None;
        for at in inputs {
            d_loss = Some(self.discriminator_update(feed, at));
        }
        d_loss.expect("d_steps >= 1 is validated")
    }

    /// The second half of a step: one G update against the current D.
    pub fn generator_phase(&mut self, d_loss: Tensor<1>) -> StepLosses {
        let (host, inputs) = self.draw_generator_phase();
        let feed = host.upload(&self.device);
        let g_loss = self.generator_phase_fed(&feed, &inputs);
        self.end_step();
        StepLosses { d_loss, g_loss }
    }

    /// G's update on inputs already on the device; the step counts once `end_step` runs.
    pub(crate) fn generator_phase_fed(&mut self, feed: &Feed, inputs: &GInputs) -> Tensor<1> {
        self.generator_update(feed, inputs)
    }

    pub(crate) fn end_step(&mut self) {
        self.steps += 1;
    }

    /// Applies live settings; the whole config is validated first, so a bad value changes nothing.
    pub fn set_live(&mut self, live: LiveSettings) -> Result<(), ConfigError> {
        self.config = self.config.with_live(live)?;
        self.epoch += 1;
        Ok(())
    }

    pub fn checkpoint(&self) -> Checkpoint {
        // A pinned run's buffers are overwritten in place by its next step.
        let p = self.pinned;
        Checkpoint {
            generator: copy_if(p, &self.generator),
            average: self.average.as_ref().map(|a| copy_if(p, a)),
            discriminator: copy_if(p, &self.discriminator),
            steps: self.steps,
        }
    }

    pub fn restore(&mut self, checkpoint: &Checkpoint) {
        self.epoch += 1;
        // A pinned run's buffers are written in place: it takes copies, so the checkpoint
        // stays as it is for another restore.
        let p = self.pinned;
        self.generator = copy_if(p, &checkpoint.generator);
        self.average = checkpoint.average.as_ref().map(|a| copy_if(p, a));
        self.discriminator = copy_if(p, &checkpoint.discriminator);
        self.steps = checkpoint.steps;
        self.g_optimizer = Optimizer::default();
        self.d_optimizer = Optimizer::default();
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::config::Preset;
    use crate::loss::GanLoss;
    use crate::probe;
    use crate::readback::{block_on, read_floats};

    #[test]
    fn live_settings_apply_or_refuse_without_change() {
        let mut t = Trainer::new(Preset::Ring8.config(), &Device::flex()).unwrap();
        let mut live = t.config().live();
        live.discriminator_lr = 5e-4;
        live.loss = crate::GanLoss::LeastSquares;
        live.d_steps = 3;
        t.set_live(live).unwrap();
        assert_eq!(t.config().live(), live);
        t.step();
        let before = t.config().live();
        let bad = LiveSettings {
            generator_lr: f64::NAN,
            ..before
        };
        assert_eq!(t.set_live(bad).unwrap_err().field, "generator.optimizer.lr");
        assert_eq!(t.config().live(), before);
    }

    #[test]
    fn r1_adds_half_gamma_times_the_squared_input_gradient_to_ds_loss() {
        // Two runs from the same seed differ at the first D update only by the penalty.
        let d_loss = |r1: f64| {
            let mut c = Preset::Ring8.config();
            c.r1 = r1;
            let mut t = Trainer::new(c, &Device::flex()).unwrap();
            crate::readback::read_scalar_blocking(t.step().d_loss)
        };
        let (off, on) = (d_loss(0.0), d_loss(10.0));
        assert!(on > off, "R1 adds a non-negative penalty: {on} vs {off}");
        // γ/2 · E‖∇s‖² grows linearly in γ.
        let twice = d_loss(20.0);
        let ratio = (twice - off) / (on - off);
        assert!((ratio - 2.0).abs() < 1e-3, "{ratio}");
        // A Wasserstein critic keeps its own constraint: R1 leaves its loss alone.
        let critic = |r1: f64| {
            let mut c = Preset::Ring8.config();
            (c.r1, c.loss) = (r1, GanLoss::ALL[4]);
            let mut t = Trainer::new(c, &Device::flex()).unwrap();
            crate::readback::read_scalar_blocking(t.step().d_loss)
        };
        assert_eq!(critic(10.0), critic(0.0));
    }

    #[test]
    fn a_packed_d_trains_under_each_penalty_and_still_scores_single_points() {
        for loss in [GanLoss::NonSaturating, GanLoss::ALL[4]] {
            let mut c = Preset::Ring8.config();
            (c.pack, c.loss) = (4, loss);
            let mut t = Trainer::new(c, &Device::flex()).unwrap();
            let losses = t.step();
            for l in [losses.d_loss, losses.g_loss] {
                assert!(
                    crate::readback::read_scalar_blocking(l).is_finite(),
                    "{loss:?}"
                );
            }
            // The page asks D about single points: one score each, and G's push per point.
            let points = vec![0.0f32, 2.0, -2.0, 0.0, 1.0, 1.0];
            let scores = probe::discriminate(&t, points.clone());
            assert_eq!(scores.dims(), [3, 1]);
            let at = crate::tensor::matrix(points, 2, t.plain_device());
            assert_eq!(probe::generator_gradients(&t, at).dims(), [3, 2]);
        }
    }

    #[test]
    fn half_steps_move_d_then_g() {
        let mut t = Trainer::new(Preset::Ring8.config(), &Device::flex()).unwrap();
        let read = |t: &Trainer| {
            let g = block_on(read_floats(probe::manifold(t, 4))).unwrap();
            let d = block_on(read_floats(probe::discriminate(t, vec![0.5, 0.5]))).unwrap();
            (g, d)
        };
        let (g0, d0) = read(&t);
        let d_loss = t.discriminator_phase();
        let (g1, d1) = read(&t);
        assert_eq!(
            (g1.clone(), t.steps()),
            (g0, 0),
            "D's half leaves G and the count alone"
        );
        assert_ne!(d1, d0);
        t.generator_phase(d_loss);
        let (g2, d2) = read(&t);
        assert_eq!(
            (d2, t.steps()),
            (d1, 1),
            "G's half leaves D alone and ends the step"
        );
        assert_ne!(g2, g1);
    }

    #[test]
    fn restore_returns_to_the_checkpoint() {
        let mut t = Trainer::new(Preset::Ring8.config(), &Device::flex()).unwrap();
        t.step();
        let cp = t.checkpoint();
        let at = block_on(read_floats(probe::manifold(&t, 4))).unwrap();
        for _ in 0..5 {
            t.step();
        }
        assert_ne!(block_on(read_floats(probe::manifold(&t, 4))).unwrap(), at);
        t.restore(&cp);
        assert_eq!(t.steps(), 1);
        assert_eq!(block_on(read_floats(probe::manifold(&t, 4))).unwrap(), at);
    }
}
