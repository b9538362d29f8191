//! The pieces both architectures share: activations, weights made on the host, and the
//! off-tape clamp behind WGAN's weight clipping.

use burn::module::Param;
use burn::nn::Linear;
use burn::prelude::*;
use burn::tensor::activation::{relu, tanh};

use crate::config::Activation;

/// Leaky ReLU's slope for negative inputs.
pub const LEAKY_SLOPE: f64 = 0.2;

/// The config's nonlinearity, on a tensor of any rank.
pub fn activate<const D: usize>(a: Activation, x: Tensor<D>) -> Tensor<D> {
    match a {
        Activation::Relu => relu(x),
        Activation::LeakyRelu => leaky(x),
        Activation::Tanh => tanh(x),
    }
}

/// Leaky ReLU as x · k, k = 1 where x ≥ 0 and s elsewhere (k tracks no gradient): the same
/// values and gradients as burn's `leaky_relu`, bit for bit, zero included. Under autodiff
/// burn builds `leaky_relu` from `mask_where`, a branchy byte loop on flex forward and
/// backward that took a fifth of a ring8 step; these ops are vectorised.
fn leaky<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    // 1 − s + s rounds to exactly 1 in f32, so k ∈ {1, s}.
    let k = x.clone().greater_equal_elem(0.0).float() * (1.0 - LEAKY_SLOPE) + LEAKY_SLOPE;
    x * k
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::readback::{block_on, read_floats};
    use burn::tensor::activation::leaky_relu;

    /// Values and input gradients as bits, so −0 and 0 differ.
    fn bits(f: fn(Tensor<1>) -> Tensor<1>) -> (Vec<u32>, Vec<u32>) {
        let device = Device::flex().autodiff();
        let xs = [
            -2.5,
            -1e-30,
            -0.0,
            0.0,
            1e-30,
            0.7,
            3.0,
            -0.3,
            f32::MIN_POSITIVE,
        ];
        let x = Tensor::<1>::from_floats(xs.as_slice(), &device).require_grad();
        let weights = Tensor::<1>::from_floats([1.5, -2., 3., 4., 5., -6., 7., 8., 9.], &device);
        let grads = (f(x.clone()) * weights).sum().backward();
        let read = |t: Tensor<1>| -> Vec<u32> {
            let values = block_on(read_floats(t)).unwrap();
            values.iter().map(|v| v.to_bits()).collect()
        };
        (read(f(x.clone())), read(x.grad(&grads).unwrap()))
    }

    #[test]
    fn leaky_is_burns_leaky_relu_bit_for_bit_zero_included() {
        assert_eq!(bits(leaky), bits(|x| leaky_relu(x, LEAKY_SLOPE)));
    }
}
