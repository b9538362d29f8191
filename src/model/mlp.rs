//! The MLP used for both G (z → point) and D (point → score).
//!
//! Weights are drawn on the host from the run's seeded RNG (not by burn's initialisers, whose
//! generator differs per backend), with PyTorch's `nn.Linear` default: U(−1/√fan_in, 1/√fan_in)
//! for weights and biases, so a PyTorch reference of the same net starts from the same law.

use burn::nn::Linear;
use burn::prelude::*;
use burn::tensor::activation::tanh;

use super::layers::{LEAKY_SLOPE, activate, clip_linear, param};
use crate::config::{Activation, NetConfig};
use crate::rng::SeededRng;

/// σ'(pre), elementwise. For (leaky) ReLU it is a 0/1 (slope/1) mask: piecewise constant, so
/// autodiff through it is exact almost everywhere. For tanh it is 1 − tanh², differentiable.
fn derivative(a: Activation, pre: Tensor<2>) -> Tensor<2> {
    match a {
        Activation::Relu => pre.greater_elem(0.0).float(),
        Activation::LeakyRelu => pre.greater_elem(0.0).float() * (1.0 - LEAKY_SLOPE) + LEAKY_SLOPE,
        Activation::Tanh => -tanh(pre).powi_scalar(2) + 1.0,
    }
}

#[derive(Module, Debug)]
pub struct Mlp {
    hidden: Vec<Linear>,
    output: Linear,
    #[module(skip)]
    activation: Activation,
    /// tanh on the output: a generator of pixels in (−1, 1).
    #[module(skip)]
    tanh_output: bool,
}

fn linear(d_in: usize, d_out: usize, rng: &mut SeededRng, device: &Device) -> Linear {
    let bound = 1.0 / (d_in as f32).sqrt();
    let weight = rng.uniform_vec(d_in * d_out, -bound, bound);
    let bias = rng.uniform_vec(d_out, -bound, bound);
    Linear {
        // [d_in, d_out]: burn's row layout, x · W
        weight: param(weight, [d_in, d_out], device),
        bias: Some(param(bias, [d_out], device)),
    }
}

impl Mlp {
    /// An MLP `d_in → width × depth → d_out`, weights from `rng`.
    pub fn new(
        d_in: usize,
        d_out: usize,
        net: &NetConfig,
        rng: &mut SeededRng,
        device: &Device,
    ) -> Self {
        let mut hidden = Vec::with_capacity(net.depth);
        let mut width = d_in;
        for _ in 0..net.depth {
            hidden.push(linear(width, net.width, rng, device));
            width = net.width;
        }
        Self {
            hidden,
            output: linear(width, d_out, rng, device),
            activation: net.activation,
            tanh_output: false,
        }
    }

    /// The same net with tanh on its output (a generator of images in (−1, 1)).
    pub fn with_tanh_output(self) -> Self {
        Self {
            tanh_output: true,
            ..self
        }
    }

    /// `[batch, d_in]` → `[batch, d_out]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let x = self
            .hidden
            .iter()
            .fold(x, |x, layer| activate(self.activation, layer.forward(x))); // [batch, hidden]
        let out = self.output.forward(x);
        if self.tanh_output { tanh(out) } else { out }
    }

    /// The score and its exact input gradient ∇ₓ s(x), for a net with one output.
    ///
    /// burn has no double backward, so WGAN-GP's ‖∇ₓ D(x̂)‖ cannot come from `backward()` and
    /// then be differentiated again. Instead the gradient is written as ordinary tensor ops
    /// (backpropagation by hand): ∇ₓ s = W₁ diag(σ'(h₁)) W₂ … diag(σ'(h_L)) w_out, and
    /// autodiff differentiates *that* with respect to the weights. Returns
    /// (`[batch, 1]`, `[batch, d_in]`).
    pub fn forward_with_input_gradient(&self, x: Tensor<2>) -> (Tensor<2>, Tensor<2>) {
        let mut pre = Vec::with_capacity(self.hidden.len());
        let mut a = x;
        for layer in &self.hidden {
            let h = layer.forward(a); // [batch, hidden]
            a = activate(self.activation, h.clone());
            pre.push(h);
        }
        let score = self.output.forward(a); // [batch, 1]
        assert_eq!(
            score.dims()[1],
            1,
            "an input gradient needs a single-output net"
        );

        // ∂s/∂a_L = w_outᵀ, the same row for every sample: [1, hidden], broadcast over the batch.
        let mut g = self.output.weight.val().transpose();
        for (layer, h) in self.hidden.iter().zip(pre).rev() {
            let g_pre = derivative(self.activation, h) * g; // [batch, width_l]
            g = g_pre.matmul(layer.weight.val().transpose()); // [batch, width_{l-1}]
        }
        (score, g)
    }

    /// Clamps every weight and bias into [−c, c] (WGAN's Lipschitz constraint).
    pub fn clip_weights(self, c: f32) -> Self {
        let clip = |l: Linear| clip_linear(l, c);
        Self {
            hidden: self.hidden.into_iter().map(clip).collect(),
            output: clip(self.output),
            activation: self.activation,
            tanh_output: self.tanh_output,
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::config::OptimizerConfig;
    use crate::readback::{block_on, read_floats};
    use crate::rng::Stream;

    fn net(activation: Activation) -> NetConfig {
        NetConfig {
            width: 16,
            depth: 3,
            activation,
            optimizer: OptimizerConfig::Sgd {
                lr: 0.1,
                momentum: 0.0,
            },
        }
    }

    fn read(t: Tensor<2>) -> Vec<f32> {
        block_on(read_floats(t)).unwrap()
    }

    #[test]
    fn shapes() {
        let device = Device::flex();
        let mut rng = SeededRng::new(0, Stream::GeneratorInit);
        let g = Mlp::new(8, 2, &net(Activation::Relu), &mut rng, &device);
        assert_eq!(g.forward(Tensor::zeros([5, 8], &device)).dims(), [5, 2]);
        let d = Mlp::new(2, 1, &net(Activation::Relu), &mut rng, &device);
        let (s, grad) = d.forward_with_input_gradient(Tensor::zeros([7, 2], &device));
        assert_eq!((s.dims(), grad.dims()), ([7, 1], [7, 2]));
    }

    #[test]
    fn input_gradient_matches_finite_differences_and_autodiff() {
        let device = Device::flex();
        let ad = Device::flex().autodiff();
        let points: Vec<f32> = vec![0.3, -0.7, 1.2, 0.4, -1.5, -0.2, 0.05, 0.9];
        let n = points.len() / 2;
        for act in [Activation::Relu, Activation::LeakyRelu, Activation::Tanh] {
            let mut rng = SeededRng::new(11, Stream::DiscriminatorInit);
            let d = Mlp::new(2, 1, &net(act), &mut rng, &device);
            let x = Tensor::<1>::from_floats(points.as_slice(), &device).reshape([n, 2]);
            let (_, analytic) = d.forward_with_input_gradient(x);
            let analytic = read(analytic);

            // Central differences in f64 would be ideal; in f32, eps = 1e-3 keeps round-off small
            // while staying inside one linear piece of the (leaky) ReLU net for these points.
            let eps = 1e-3f32;
            for i in 0..n {
                for k in 0..2 {
                    let mut plus = points.clone();
                    let mut minus = points.clone();
                    plus[2 * i + k] += eps;
                    minus[2 * i + k] -= eps;
                    let f = |p: Vec<f32>| {
                        read(d.forward(
                            Tensor::<1>::from_floats(p.as_slice(), &device).reshape([n, 2]),
                        ))[i]
                    };
                    let fd = (f(plus) - f(minus)) / (2.0 * eps);
                    let a = analytic[2 * i + k];
                    assert!(
                        (fd - a).abs() < 2e-3 * (1.0 + a.abs()),
                        "{act:?} point {i} dim {k}: fd {fd} vs {a}"
                    );
                }
            }

            // And against burn's own first-order backward on the same net.
            let mut rng = SeededRng::new(11, Stream::DiscriminatorInit);
            let d_ad = Mlp::new(2, 1, &net(act), &mut rng, &ad);
            let x = Tensor::<1>::from_floats(points.as_slice(), &ad)
                .reshape([n, 2])
                .require_grad();
            let grads = d_ad.forward(x.clone()).sum().backward();
            let auto = read(x.grad(&grads).unwrap());
            for (a, b) in analytic.iter().zip(&auto) {
                assert!((a - b).abs() < 1e-5, "{act:?}: {a} vs autodiff {b}");
            }
        }
    }

    #[test]
    fn penalty_is_differentiable_with_respect_to_weights() {
        // The point of the hand-written gradient: ‖∇ₓ D‖ must carry a gradient to D's weights.
        let ad = Device::flex().autodiff();
        let mut rng = SeededRng::new(2, Stream::DiscriminatorInit);
        let d = Mlp::new(2, 1, &net(Activation::LeakyRelu), &mut rng, &ad);
        let x = Tensor::<1>::from_floats([0.5f32, -0.5, 1.0, 2.0], &ad).reshape([2, 2]);
        let (_, g) = d.forward_with_input_gradient(x);
        let penalty = (g.powi_scalar(2).sum_dim(1).sqrt() - 1.0)
            .powi_scalar(2)
            .mean();
        let grads = penalty.backward();
        let gw = d.hidden[0]
            .weight
            .grad(&grads)
            .expect("first layer gets a gradient");
        let norm: f32 = read(gw).iter().map(|v| v * v).sum();
        assert!(norm > 0.0);
    }

    #[test]
    fn clipping_bounds_every_parameter() {
        let device = Device::flex();
        let mut rng = SeededRng::new(3, Stream::DiscriminatorInit);
        let d = Mlp::new(2, 1, &net(Activation::Relu), &mut rng, &device).clip_weights(0.01);
        for l in d.hidden.iter().chain([&d.output]) {
            let w = read(l.weight.val());
            assert!(w.iter().all(|v| v.abs() <= 0.01));
            assert!(
                w.iter().any(|v| v.abs() == 0.01),
                "clipping should bite at init"
            );
        }
    }
}
