//! The pieces both architectures share: activations, weights made on the host, and the
//! off-tape clamp behind WGAN's weight clipping.

use burn::module::Param;
use burn::nn::Linear;
use burn::prelude::*;
use burn::tensor::activation::{leaky_relu, relu, tanh};

use crate::config::Activation;

/// Leaky ReLU's slope for negative inputs.
pub const LEAKY_SLOPE: f64 = 0.2;

/// The config's nonlinearity, on a tensor of any rank.
pub fn activate<const D: usize>(a: Activation, x: Tensor<D>) -> Tensor<D> {
    match a {
        Activation::Relu => relu(x),
        Activation::LeakyRelu => leaky_relu(x, LEAKY_SLOPE),
        Activation::Tanh => tanh(x),
    }
}

/// A parameter from host values, row-major in `shape`. Weights are drawn on the host from the
/// run's seeded RNG, not by burn's initialisers, whose generators differ per backend.
pub fn param<const D: usize>(
    values: Vec<f32>,
    shape: [usize; D],
    device: &Device,
) -> Param<Tensor<D>> {
    Param::from_tensor(Tensor::from_data(TensorData::new(values, shape), device))
}

/// Clamp into [−c, c] that leaves the autodiff tape: the clamp must not join it (the next
/// backward would walk into the already-consumed graph); the clipped values are new leaves.
pub fn clamp<const D: usize>(t: Tensor<D>, c: f32) -> Tensor<D> {
    let trainable = t.is_autodiff();
    t.clamp(-c, c).detach().set_require_grad(trainable)
}

/// A linear layer with every weight and bias clamped into [−c, c].
pub fn clip_linear(l: Linear, c: f32) -> Linear {
    Linear {
        weight: l.weight.map(|w| clamp(w, c)),
        bias: l.bias.map(|b| b.map(|b| clamp(b, c))),
    }
}
