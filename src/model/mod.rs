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

/// G: `[n, latent (+ classes)]` → `[n, data_dim]` (points, or pixels in (−1, 1)). A
/// conditional G's rows end in the one-hot class asked for (see [`with_classes`]).
// One G per run, so the variants' size difference costs nothing (and the Module derive takes
// no Box).
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum Generator {
    Mlp(Mlp),
    Dcgan(DcGenerator),
}

/// D: `[n, data_dim (+ classes)]` → `[n, 1]` raw scores; a conditional D's rows end in the
/// sample's one-hot class.
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum Discriminator {
    Mlp(Mlp),
    Dcgan(DcDiscriminator),
}

/// PacGAN's packed batch: each run of `m` consecutive samples becomes one row of D's input.
/// `[n, dim]` → `[n / m, m · dim]` (row-major, so sample `k` of a tuple sits in columns
/// `k·dim..(k+1)·dim`). `n` is a multiple of `m` (`GanConfig::validate`).
pub fn pack(x: Tensor<2>, m: usize) -> Tensor<2> {
    // Not even a same-shape reshape for 1: on flex it changed WGAN-GP's run (the penalty's
    // interpolates), which `every_loss_trains_and_lowers_js` caught.
    if m == 1 {
        return x;
    }
    let [n, dim] = x.dims();
    x.reshape([n / m, m * dim])
}

/// Rows with their one-hot classes appended: `[n, dim]` → `[n, dim + classes]`, as a
/// conditional G and D read them. No classes (an unconditional run) leaves `x` as it is.
pub fn with_classes(x: Tensor<2>, labels: &[u8], classes: usize) -> Tensor<2> {
    if classes == 0 {
        return x;
    }
    let n = labels.len();
    let mut onehot = vec![0.0f32; n * classes];
    for (row, &label) in labels.iter().enumerate() {
        onehot[row * classes + label as usize] = 1.0;
    }
    let device = x.device();
    let onehot = Tensor::from_data(TensorData::new(onehot, [n, classes]), &device);
    Tensor::cat(vec![x, onehot], 1)
}

/// One row of D's input per sample: `m` copies of it side by side, so a packed D scores a
/// single point (the tuple of a distribution that sits at that point). `[n, dim]` →
/// `[n, m · dim]`.
pub fn tile(x: Tensor<2>, m: usize) -> Tensor<2> {
    if m == 1 { x } else { x.repeat_dim(1, m) }
}

impl Generator {
    pub fn new(config: &GanConfig, rng: &mut SeededRng, device: &Device) -> Self {
        // A conditional G reads its class as one-hot columns after z (`config.label_dim`).
        let (latent, dim) = (config.generator_input_dim(), config.data.dim());
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
                config.discriminator_input_dim() * config.pack,
                1,
                &config.discriminator,
                rng,
                device,
            )),
            Architecture::Dcgan => Self::Dcgan(DcDiscriminator::new(
                &config.discriminator,
                config.label_dim(),
                rng,
                device,
            )),
        }
    }

    /// Raw scores of D's input rows: `[rows, data_dim · pack]` → `[rows, 1]`. See [`pack`] and
    /// [`tile`] for making rows of samples.
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::readback::{block_on, read_floats};

    #[test]
    fn pack_puts_consecutive_samples_in_one_row_and_tile_repeats_one() {
        let device = Device::flex();
        let x = Tensor::<1>::from_floats([1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], &device)
            .reshape([4, 2]); // 4 points
        let packed = pack(x.clone(), 2);
        assert_eq!(packed.dims(), [2, 4]);
        let read = |t: Tensor<2>| block_on(read_floats(t)).unwrap();
        assert_eq!(read(packed), [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]);
        let tiled = tile(x.narrow(0, 0, 2), 3);
        assert_eq!(tiled.dims(), [2, 6]);
        assert_eq!(
            read(tiled),
            [1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 3.0, 4.0, 3.0, 4.0, 3.0, 4.0]
        );
    }
}
