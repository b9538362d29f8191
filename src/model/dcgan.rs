//! DCGAN (Radford, Metz & Chintala 2016) sized for 28×28 digits and for a browser tab.
//!
//! G: z → linear → `[2c, 7, 7]` → transposed conv (4×4, stride 2) → `[c, 14, 14]` →
//! transposed conv → `[1, 28, 28]` → tanh. D mirrors it with strided convs and a linear score.
//! `c` is the config's `width`; the paper's recipe is kept where it applies: batch norm in G
//! (not on its output), none in D, no pooling, N(0, 0.02) initial weights, ReLU in G and
//! leaky ReLU (0.2) in D by the presets (the config's `activation` picks them). Two conv layers
//! instead of the paper's four: 28×28 needs only two doublings from 7×7.
//!
//! G's batch norm always normalises with the current batch's statistics (the paper's setting
//! during training, and what PyTorch DCGAN samples show when left in train mode): no running
//! averages to drift, and a fixed noise batch always gives the same images.

use burn::module::Param;
use burn::nn::Linear;
use burn::prelude::*;
use burn::tensor::activation::tanh;
use burn::tensor::module::{conv_transpose2d, conv2d};
use burn::tensor::ops::{ConvOptions, ConvTransposeOptions};

use super::layers::{activate, clamp, clip_linear, param};
use crate::config::{Activation, NetConfig};
use crate::data::mnist::{PIXELS, SIDE};
use crate::rng::SeededRng;

/// The paper's initial weight spread: N(0, 0.02).
const INIT_STD: f32 = 0.02;
/// Spatial side after the linear layer: two stride-2 layers double it to 28.
const BASE: usize = SIDE / 4;
/// Added to the batch variance before the square root (PyTorch's default).
const BN_EPS: f32 = 1e-5;

fn normal(n: usize, mean: f32, rng: &mut SeededRng, device: &Device) -> Param<Tensor<1>> {
    let values = rng
        .normal_vec(n)
        .into_iter()
        .map(|v| mean + INIT_STD * v)
        .collect();
    param(values, [n], device)
}

fn weight<const D: usize>(
    shape: [usize; D],
    rng: &mut SeededRng,
    device: &Device,
) -> Param<Tensor<D>> {
    let n = shape.iter().product();
    let values = rng
        .normal_vec(n)
        .into_iter()
        .map(|v| INIT_STD * v)
        .collect();
    param(values, shape, device)
}

fn zeros(n: usize, device: &Device) -> Param<Tensor<1>> {
    Param::from_tensor(Tensor::zeros([n], device))
}

fn linear(d_in: usize, d_out: usize, rng: &mut SeededRng, device: &Device) -> Linear {
    Linear {
        weight: weight([d_in, d_out], rng, device),
        bias: Some(zeros(d_out, device)),
    }
}

/// Kernel 4, stride 2, padding 1: exactly doubles (transposed) or halves (conv) a side.
const KERNEL: usize = 4;

/// A 4×4 stride-2 convolution's weights and bias; `up` makes it a transposed convolution.
#[derive(Module, Debug)]
pub struct Conv {
    /// `[in, out, 4, 4]` when transposed, `[out, in, 4, 4]` otherwise (burn's layouts).
    weight: Param<Tensor<4>>,
    bias: Param<Tensor<1>>,
    #[module(skip)]
    up: bool,
}

impl Conv {
    fn new(c_in: usize, c_out: usize, up: bool, rng: &mut SeededRng, device: &Device) -> Self {
        let shape = if up {
            [c_in, c_out, KERNEL, KERNEL]
        } else {
            [c_out, c_in, KERNEL, KERNEL]
        };
        Self {
            weight: weight(shape, rng, device),
            bias: zeros(c_out, device),
            up,
        }
    }

    /// `[n, c_in, h, w]` → `[n, c_out, 2h, 2w]` (transposed) or `[n, c_out, h/2, w/2]`.
    fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let (w, b) = (self.weight.val(), Some(self.bias.val()));
        if self.up {
            conv_transpose2d(
                x,
                w,
                b,
                ConvTransposeOptions::new([2, 2], [1, 1], [0, 0], [1, 1], 1),
            )
        } else {
            conv2d(x, w, b, ConvOptions::new([2, 2], [1, 1], [1, 1], 1))
        }
    }

    fn clip(self, c: f32) -> Self {
        Self {
            weight: self.weight.map(|w| clamp(w, c)),
            bias: self.bias.map(|b| clamp(b, c)),
            up: self.up,
        }
    }
}

/// Batch norm with learnable scale γ and shift β, on the batch's own statistics.
#[derive(Module, Debug)]
pub struct BatchNorm {
    gamma: Param<Tensor<1>>,
    beta: Param<Tensor<1>>,
}

impl BatchNorm {
    fn new(channels: usize, rng: &mut SeededRng, device: &Device) -> Self {
        // γ ~ N(1, 0.02), β = 0: the PyTorch DCGAN tutorial's init of the paper's recipe.
        Self {
            gamma: normal(channels, 1.0, rng, device),
            beta: zeros(channels, device),
        }
    }

    /// `[n, c, h, w]` → the same, each channel normalised over (n, h, w).
    fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let c = x.dims()[1];
        let mean = x.clone().mean_dim(0).mean_dim(2).mean_dim(3); // [1, c, 1, 1]
        let centred = x - mean;
        let var = centred
            .clone()
            .powi_scalar(2)
            .mean_dim(0)
            .mean_dim(2)
            .mean_dim(3);
        let normed = centred / (var + BN_EPS).sqrt();
        normed * self.gamma.val().reshape([1, c, 1, 1]) + self.beta.val().reshape([1, c, 1, 1])
    }
}

/// DCGAN's generator for 28×28 digits.
#[derive(Module, Debug)]
pub struct DcGenerator {
    project: Linear,
    norm0: BatchNorm,
    up1: Conv,
    norm1: BatchNorm,
    up2: Conv,
    #[module(skip)]
    activation: Activation,
}

impl DcGenerator {
    pub fn new(latent: usize, net: &NetConfig, rng: &mut SeededRng, device: &Device) -> Self {
        let c = net.width;
        Self {
            project: linear(latent, 2 * c * BASE * BASE, rng, device),
            norm0: BatchNorm::new(2 * c, rng, device),
            up1: Conv::new(2 * c, c, true, rng, device),
            norm1: BatchNorm::new(c, rng, device),
            up2: Conv::new(c, 1, true, rng, device),
            activation: net.activation,
        }
    }

    /// `[n, latent]` → `[n, 784]` pixels in (−1, 1).
    pub fn forward(&self, z: Tensor<2>) -> Tensor<2> {
        let n = z.dims()[0];
        let two_c = self.norm0.gamma.dims()[0];
        let x = self.project.forward(z).reshape([n, two_c, BASE, BASE]); // [n, 2c, 7, 7]
        let x = activate(self.activation, self.norm0.forward(x));
        let x = activate(self.activation, self.norm1.forward(self.up1.forward(x))); // [n, c, 14, 14]
        tanh(self.up2.forward(x)).reshape([n, PIXELS]) // [n, 1, 28, 28] → [n, 784]
    }
}

/// DCGAN's discriminator for 28×28 digits: one raw score (a logit, or a critic's value).
/// A conditional one adds the projection term ⟨embed(y), φ(x)⟩ of Miyato & Koyama 2018 to the
/// score: D's features φ(x) are held against what it has learned a digit of class y looks
/// like, so a well-drawn 3 asked to be a 7 is still caught.
#[derive(Module, Debug)]
pub struct DcDiscriminator {
    down1: Conv,
    down2: Conv,
    score: Linear,
    /// One row of feature weights per class, for a conditional D. `[classes, 2c · 7 · 7]`
    embed: Option<Param<Tensor<2>>>,
    #[module(skip)]
    activation: Activation,
}

impl DcDiscriminator {
    /// `classes`: 0 for a plain D; the one-hot labels that follow each image otherwise.
    pub fn new(net: &NetConfig, classes: usize, rng: &mut SeededRng, device: &Device) -> Self {
        let c = net.width;
        let features = 2 * c * BASE * BASE;
        Self {
            down1: Conv::new(1, c, false, rng, device),
            down2: Conv::new(c, 2 * c, false, rng, device),
            score: linear(features, 1, rng, device),
            // Drawn last, so a plain D's weights are the same with or without this code.
            embed: (classes > 0).then(|| weight([classes, features], rng, device)),
            activation: net.activation,
        }
    }

    /// `[n, 784 (+ classes)]` → `[n, 1]`: an image per row, then its one-hot class when
    /// conditional.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let n = x.dims()[0];
        let image = x.clone().narrow(1, 0, PIXELS).reshape([n, 1, SIDE, SIDE]);
        let h = activate(self.activation, self.down1.forward(image)); // [n, c, 14, 14]
        let h = activate(self.activation, self.down2.forward(h)); // [n, 2c, 7, 7]
        let [_, c2, hh, ww] = h.dims();
        let h = h.reshape([n, c2 * hh * ww]); // [n, 2c · 49]
        let score = self.score.forward(h.clone()); // [n, 1]
        match &self.embed {
            None => score,
            Some(embed) => {
                let classes = embed.dims()[0];
                let onehot = x.narrow(1, PIXELS, classes); // [n, classes]
                let wanted = onehot.matmul(embed.val()); // [n, 2c · 49]
                score + (h * wanted).sum_dim(1) // [n, 1]
            }
        }
    }

    /// Clamps every weight and bias into [−c, c] (WGAN's Lipschitz constraint).
    pub fn clip_weights(self, c: f32) -> Self {
        Self {
            down1: self.down1.clip(c),
            down2: self.down2.clip(c),
            score: clip_linear(self.score, c),
            embed: self.embed.map(|e| e.map(|e| clamp(e, c))),
            activation: self.activation,
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::config::OptimizerConfig;
    use crate::readback::{block_on, read_floats};
    use crate::rng::Stream;

    fn net(width: usize, activation: Activation) -> NetConfig {
        NetConfig {
            width,
            depth: 2,
            activation,
            optimizer: OptimizerConfig::RmsProp { lr: 1e-3 },
        }
    }

    #[test]
    fn shapes_and_ranges() {
        let device = Device::flex();
        let mut rng = SeededRng::new(0, Stream::GeneratorInit);
        let g = DcGenerator::new(16, &net(8, Activation::Relu), &mut rng, &device);
        let z = Tensor::from_data(TensorData::new(rng.normal_vec(5 * 16), [5, 16]), &device);
        let images = g.forward(z);
        assert_eq!(images.dims(), [5, PIXELS]);
        let pixels = block_on(read_floats(images.clone())).unwrap();
        assert!(
            pixels.iter().all(|p| p.abs() < 1.0),
            "tanh bounds G's pixels"
        );
        let d = DcDiscriminator::new(&net(8, Activation::LeakyRelu), 0, &mut rng, &device);
        assert_eq!(d.forward(images).dims(), [5, 1]);
    }

    #[test]
    fn batch_norm_normalises_each_channel() {
        let device = Device::flex();
        let mut rng = SeededRng::new(1, Stream::GeneratorInit);
        let mut bn = BatchNorm::new(3, &mut rng, &device);
        bn.gamma = Param::from_tensor(Tensor::ones([3], &device));
        let x = Tensor::<1>::from_data(
            TensorData::new(rng.normal_vec(4 * 3 * 5 * 5), [300]),
            &device,
        )
        .reshape([4, 3, 5, 5])
            * 3.0
            + 7.0;
        let y = bn.forward(x);
        let mean = block_on(read_floats(y.clone().mean_dim(0).mean_dim(2).mean_dim(3))).unwrap();
        let var = block_on(read_floats(
            y.powi_scalar(2).mean_dim(0).mean_dim(2).mean_dim(3),
        ))
        .unwrap();
        for (m, v) in mean.iter().zip(&var) {
            assert!(
                m.abs() < 1e-4 && (v - 1.0).abs() < 1e-3,
                "mean {m}, var {v}"
            );
        }
    }

    #[test]
    fn clipping_bounds_every_parameter() {
        let device = Device::flex();
        let mut rng = SeededRng::new(3, Stream::DiscriminatorInit);
        let d = DcDiscriminator::new(&net(4, Activation::LeakyRelu), 0, &mut rng, &device)
            .clip_weights(0.01);
        let w = block_on(read_floats(d.down2.weight.val())).unwrap();
        assert!(w.iter().all(|v| v.abs() <= 0.01) && w.iter().any(|v| v.abs() == 0.01));
    }
}
