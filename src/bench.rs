//! Timed workloads for `gan bench` and the browser benchmarks: the same code paths the lab
//! runs, sized as the issue names them.
//!
//! - [`Workload::Ring8`]: the ring8 preset's [`Trainer`] step (G 8→128×3→2, D 2→128×3→1,
//!   batch 256, Adam) without its R1 penalty and average of G: the plain game that
//!   `scripts/bench/pytorch.py` plays too;
//! - [`Workload::MnistMlp`]: an MLP GAN the size of an MNIST one (z 100 → 512×3 → 784,
//!   D 784 → 512×3 → 1, batch 64), trained by the same losses and optimizers on uniform noise
//!   standing in for images: the time of a step does not depend on the pixel values;
//! - [`Workload::DigitsDcgan`]: the digits-dcgan preset's [`Trainer`] step (DCGAN, 32/64
//!   channels, batch 64), on made-up digits for the same reason.
//!
//! A step only queues work; [`Bench::sync`] reads one loss back, so a timing that ends with it
//! includes all the device work.

use burn::optim::GradientsParams;
use burn::prelude::*;

use std::sync::Arc;

use crate::config::{Activation, NetConfig, OptimizerConfig, Preset};
use crate::data::mnist::MnistImages;
use crate::loss::GanLoss;
use crate::model::Mlp;
use crate::optim::Optimizer;
use crate::readback::read_scalar_blocking;
use crate::rng::{SeededRng, Stream};
use crate::tensor::matrix;
use crate::train::{Replay, StepLosses, Trainer, discriminator_for_g_update};

/// What to time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    Ring8,
    MnistMlp,
    DigitsDcgan,
}

impl Workload {
    pub const ALL: [Workload; 3] = [Self::Ring8, Self::MnistMlp, Self::DigitsDcgan];

    pub fn name(self) -> &'static str {
        match self {
            Self::Ring8 => "ring8",
            Self::MnistMlp => "mnist-mlp",
            Self::DigitsDcgan => "digits-dcgan",
        }
    }
}

/// The MNIST-sized MLP GAN's shape (see the module docs).
const MNIST_PIXELS: usize = 784;
const MNIST_LATENT: usize = 100;
const MNIST_BATCH: usize = 64;

fn mnist_net(activation: Activation) -> NetConfig {
    NetConfig {
        width: 512,
        depth: 3,
        activation,
        optimizer: OptimizerConfig::Adam {
            lr: 2e-4,
            beta1: 0.5,
            beta2: 0.999,
        },
    }
}

/// An MLP GAN on 784-d data: the non-saturating game, one D and one G update per step.
struct MlpGan {
    generator: Mlp,
    discriminator: Mlp,
    g_optimizer: Optimizer,
    d_optimizer: Optimizer,
    g_net: NetConfig,
    d_net: NetConfig,
    rng: SeededRng,
    device: Device,
}

impl MlpGan {
    fn new(device: &Device) -> Self {
        let device = device.clone().autodiff();
        let (g_net, d_net) = (
            mnist_net(Activation::Relu),
            mnist_net(Activation::LeakyRelu),
        );
        Self {
            generator: Mlp::new(
                MNIST_LATENT,
                MNIST_PIXELS,
                &g_net,
                &mut SeededRng::new(0, Stream::GeneratorInit),
                &device,
            ),
            discriminator: Mlp::new(
                MNIST_PIXELS,
                1,
                &d_net,
                &mut SeededRng::new(0, Stream::DiscriminatorInit),
                &device,
            ),
            g_optimizer: Optimizer::default(),
            d_optimizer: Optimizer::default(),
            g_net,
            d_net,
            rng: SeededRng::new(0, Stream::Data),
            device,
        }
    }

    fn step(&mut self) -> StepLosses {
        let loss = GanLoss::NonSaturating;
        // Host-made batches, uploaded each step, as the Trainer does.
        let real = matrix(
            self.rng.uniform_vec(MNIST_BATCH * MNIST_PIXELS, -1.0, 1.0),
            MNIST_PIXELS,
            &self.device,
        ); // [batch, 784]
        let z = matrix(
            self.rng.normal_vec(MNIST_BATCH * MNIST_LATENT),
            MNIST_LATENT,
            &self.device,
        ); // [batch, 100]
        let fake = self.generator.forward(z).tanh().detach(); // [batch, 784]
        let d_loss = loss.discriminator_loss(
            self.discriminator.forward(real),
            self.discriminator.forward(fake),
        );
        let grads = GradientsParams::from_grads(d_loss.backward(), &self.discriminator);
        self.discriminator =
            self.d_optimizer
                .step(&self.d_net.optimizer, self.discriminator.clone(), grads);

        let z = matrix(
            self.rng.normal_vec(MNIST_BATCH * MNIST_LATENT),
            MNIST_LATENT,
            &self.device,
        );
        let fake = self.generator.forward(z).tanh();
        let d = discriminator_for_g_update(&self.discriminator, &self.device);
        let g_loss = loss.generator_loss(d.forward(fake));
        let grads = GradientsParams::from_grads(g_loss.backward(), &self.generator);
        self.generator =
            self.g_optimizer
                .step(&self.g_net.optimizer, self.generator.clone(), grads);
        StepLosses {
            d_loss: d_loss.detach(),
            g_loss: g_loss.detach(),
        }
    }
}

enum Runner {
    Trainer(Box<Trainer>, Replay),
    MnistMlp(Box<MlpGan>),
}

/// A workload ready to step on a device.
pub struct Bench {
    runner: Runner,
    last: Option<StepLosses>,
}

impl Bench {
    /// `replay`: record the trainer's step once and replay it where the device can
    /// (`train::Replay`; the MLP workload always runs as it is).
    pub fn new(workload: Workload, device: &Device, replay: bool) -> Self {
        let runner = match workload {
            Workload::Ring8 => {
                // The plain game, as PyTorch's script plays it: the preset's R1 and average of G
                // would time work the reference does not do.
                let mut config = Preset::Ring8.config();
                config.r1 = 0.0;
                config.g_ema = 0.0;
                Runner::Trainer(
                    Box::new(Trainer::new(config, device).expect("the preset is valid")),
                    Replay::new(device, replay),
                )
            }
            Workload::DigitsDcgan => {
                let mut rng = SeededRng::new(0, Stream::Data);
                let digits = MnistImages {
                    images: (0..1000 * MNIST_PIXELS)
                        .map(|_| rng.index(256) as u8)
                        .collect(),
                    labels: (0..1000).map(|k| (k % 10) as u8).collect(),
                };
                let config = Preset::DigitsDcgan.config();
                Runner::Trainer(
                    Box::new(
                        Trainer::with_images(config, Arc::new(digits), device)
                            .expect("the preset is valid"),
                    ),
                    Replay::new(device, replay),
                )
            }
            Workload::MnistMlp => Runner::MnistMlp(Box::new(MlpGan::new(device))),
        };
        Self { runner, last: None }
    }

    /// Queues one training step.
    pub fn step(&mut self) {
        self.last = Some(match &mut self.runner {
            Runner::Trainer(t, r) => r.step(t),
            Runner::MnistMlp(g) => g.step(),
        });
    }

    /// Whether the steps replay a recording now.
    pub fn replaying(&self) -> bool {
        matches!(&self.runner, Runner::Trainer(_, r) if r.state() == Ok(true))
    }

    /// Waits for the queued work by reading the last step's G loss; returns it.
    pub fn sync(&mut self) -> f64 {
        self.last
            .take()
            .map_or(f64::NAN, |l| read_scalar_blocking(l.g_loss))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn each_workload_steps_to_finite_losses() {
        for w in Workload::ALL {
            let mut b = Bench::new(w, &Device::flex(), true);
            b.step();
            b.step();
            let g = b.sync();
            assert!(g.is_finite(), "{}: {g}", w.name());
        }
    }
}
