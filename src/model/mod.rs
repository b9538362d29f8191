//! The networks: MLPs for any data, DCGAN's convolutional pair for digits. [`Generator`] and
//! [`Discriminator`] are the one place the config's [`Architecture`] is matched.

pub mod dcgan;
pub mod layers;
pub mod mlp;

use burn::prelude::*;

use crate::config::{Architecture, GanConfig};
use crate::rng::SeededRng;
pub use dcgan::{DcDiscriminator, DcGenerator};
pub use mlp::Mlp;

/// G: `[n, latent]` → `[n, data_dim]` (points, or pixels in (−1, 1)).
// One G per run, so the variants' size difference costs nothing (and the Module derive takes
// no Box).
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum Generator {
    Mlp(Mlp),
    Dcgan(DcGenerator),
}

/// D: `[n, data_dim]` → `[n, 1]` raw scores.
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum Discriminator {
    Mlp(Mlp),
    Dcgan(DcDiscriminator),
}

impl Generator {
    pub fn new(config: &GanConfig, rng: &mut SeededRng, device: &Device) -> Self {
        let (latent, dim) = (config.latent.dim, config.data.dim());
        match config.model {
            Architecture::Mlp => {
                let mlp = Mlp::new(latent, dim, &config.generator, rng, device);
                Self::Mlp(if config.data.is_images() {
                    mlp.with_tanh_output()
                } else {
                    mlp
                })
            }
            Architecture::Dcgan => {
                Self::Dcgan(DcGenerator::new(latent, &config.generator, rng, device))
            }
        }
    }

    pub fn forward(&self, z: Tensor<2>) -> Tensor<2> {
        match self {
            Self::Mlp(m) => m.forward(z),
            Self::Dcgan(m) => m.forward(z),
        }
    }
}

impl Discriminator {
    pub fn new(config: &GanConfig, rng: &mut SeededRng, device: &Device) -> Self {
        match config.model {
            Architecture::Mlp => Self::Mlp(Mlp::new(
                config.data.dim(),
                1,
                &config.discriminator,
                rng,
                device,
            )),
            Architecture::Dcgan => {
                Self::Dcgan(DcDiscriminator::new(&config.discriminator, rng, device))
            }
        }
    }

    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        match self {
            Self::Mlp(m) => m.forward(x),
            Self::Dcgan(m) => m.forward(x),
        }
    }

    /// The score and its input gradient (see [`Mlp::forward_with_input_gradient`]); only the
    /// MLP critic has one, and `GanConfig::validate` refuses WGAN-GP with DCGAN.
    pub fn forward_with_input_gradient(&self, x: Tensor<2>) -> (Tensor<2>, Tensor<2>) {
        match self {
            Self::Mlp(m) => m.forward_with_input_gradient(x),
            Self::Dcgan(_) => unreachable!("validate() refuses wasserstein-gp with dcgan"),
        }
    }

    pub fn clip_weights(self, c: f32) -> Self {
        match self {
            Self::Mlp(m) => Self::Mlp(m.clip_weights(c)),
            Self::Dcgan(m) => Self::Dcgan(m.clip_weights(c)),
        }
    }
}
