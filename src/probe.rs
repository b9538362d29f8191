//! Read-only questions to a trainer: what G makes of given noise, what D says of given
//! samples, where G's loss pushes each sample, how G folds latent space. Each returns a tensor
//! on the trainer's inference device and changes nothing.

use burn::prelude::*;

use crate::config::LatentDistribution;
use crate::model::tile;
use crate::tensor::matrix;
use crate::train::Trainer;

/// G applied to given input rows (`[n * latent]`, each followed by its one-hot class for a
/// conditional run), without autodiff. `[n, data_dim]`
pub fn generate(t: &Trainer, z: Vec<f32>) -> Tensor<2> {
    let z = matrix(z, t.config().generator_input_dim(), t.plain_device());
    t.generator().valid().forward(z)
}

/// D's scores for given samples (`[n * data_dim]`, each followed by its one-hot class for a
/// conditional run), without autodiff. `[n, 1]`
pub fn discriminate(t: &Trainer, samples: Vec<f32>) -> Tensor<2> {
    let samples = matrix(
        samples,
        t.config().discriminator_input_dim(),
        t.plain_device(),
    );
    discriminate_tensor(t, samples)
}

/// D's scores for samples already on the inference device. `[n, data_dim]` → `[n, 1]`. A
/// packed D scores each sample as a tuple of copies of it (see [`tile`]).
pub fn discriminate_tensor(t: &Trainer, samples: Tensor<2>) -> Tensor<2> {
    t.discriminator()
        .valid()
        .forward(tile(samples, t.config().pack))
}

/// The direction G's loss moves each given sample: −∂ℓ/∂x for the per-sample generator loss
/// ℓ(x), i.e. where G's update pushes its samples. `[n, data_dim]` → `[n, data_dim]`
pub fn generator_gradients(t: &Trainer, samples: Tensor<2>) -> Tensor<2> {
    let n = samples.dims()[0];
    let x = samples.autodiff().require_grad();
    let loss = t
        .config()
        .loss
        .generator_loss(discriminate_tensor(t, x.clone()));
    let grads = loss.backward();
    // The loss is a mean over n samples: × n gives each sample's own gradient.
    let g = x.grad(&grads).expect("x requires grad");
    (-g * n as f32).without_autodiff()
}

/// G's image of a `side` × `side` grid over the first two latent coordinates (the rest 0),
/// spanning ±2 for Gaussian z and ±1 for uniform z: how G folds latent space into the
/// plane. Row-major, second coordinate outer. `[side², data_dim]`
pub fn manifold(t: &Trainer, side: usize) -> Tensor<2> {
    let dim = t.config().latent.dim;
    let reach = match t.config().latent.distribution {
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
    generate(t, z)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::config::Preset;
    use crate::readback::{block_on, read_floats, read_scalar_blocking};

    #[test]
    fn generator_gradients_point_where_the_loss_falls() {
        // Moving each point a little along −∂ℓ/∂x must lower G's loss.
        let mut t = Trainer::new(Preset::Ring8.config(), &Device::flex()).unwrap();
        for _ in 0..20 {
            t.step();
        }
        let pts: Vec<f32> = vec![0.5, 0.5, -1.0, 0.2, 1.5, -1.5];
        let at = matrix(pts.clone(), 2, t.plain_device());
        let grad = block_on(read_floats(generator_gradients(&t, at))).unwrap();
        let loss = |p: &[f32]| {
            let scores = block_on(read_floats(discriminate(&t, p.to_vec()))).unwrap();
            let col = Tensor::<1>::from_floats(scores.as_slice(), &Device::flex())
                .reshape([scores.len(), 1]);
            read_scalar_blocking(t.config().loss.generator_loss(col))
        };
        let moved: Vec<f32> = pts.iter().zip(&grad).map(|(p, g)| p + 1e-3 * g).collect();
        assert!(
            loss(&moved) < loss(&pts),
            "{} !< {}",
            loss(&moved),
            loss(&pts)
        );
    }
}
