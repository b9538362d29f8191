//! The training numbers the presets are made of: the data sets of the papers the plane presets
//! follow, the plain recipe the plane presets share, what the robust presets add to it, and
//! the digits recipes. `presets` picks among them per preset.

use super::{
    Activation, Architecture, Data, GanConfig, ImageSet, LatentConfig, LatentDistribution,
    NetConfig, OptimizerConfig,
};
use crate::data::PlaneDistribution;
use crate::loss::GanLoss;

/// Metz et al. 2017 (Unrolled GANs), §3.1: 8 Gaussians on a circle of radius 2, std 0.02.
pub(super) fn ring8() -> PlaneDistribution {
    PlaneDistribution::GaussianRing {
        modes: 8,
        radius: 2.0,
        std: 0.02,
    }
}

/// Srivastava et al. 2017 (VEEGAN) and Lin et al. 2018 (PacGAN): 25 Gaussians at
/// {−4, −2, 0, 2, 4}², std 0.05.
pub(super) fn grid25() -> PlaneDistribution {
    PlaneDistribution::GaussianGrid {
        side: 5,
        spacing: 2.0,
        std: 0.05,
    }
}

/// The plain recipe made to converge across seeds on ring8 and grid25: R1 with γ = 0.3 keeps
/// D's score flat on the real data, so D cannot overshoot, and an average of G's weights is
/// shown and scored. Tuned at the plain recipe's lr 1e-3 with `gan sweep` on seeds 1, 2, 3, 5
/// and 9 (where the plain recipe collapsed), against γ = 0.1 (a collapse on seed 9), 1 and 10
/// (all modes, but blurrier: high quality 80–88%), batch 512, D 256 wide and G's lr halved
/// (no better). With it both nets take a faster learning rate, which each preset sets
/// (`with_lr`). docs/metrics.md has the 10-seed tables.
pub(super) fn robust(mut c: GanConfig) -> GanConfig {
    c.r1 = 0.3;
    c.g_ema = 0.999;
    c
}

/// Both nets' learning rate set to `lr`, the rest of their optimizer kept.
pub(super) fn with_lr(mut c: GanConfig, lr: f64) -> GanConfig {
    c.generator.optimizer.set_lr(lr);
    c.discriminator.optimizer.set_lr(lr);
    c
}

/// The training numbers shared by the plane presets: an MLP GAN of the size used by the
/// Unrolled-GAN and VEEGAN toy experiments (3 hidden layers, here 128 wide to train fast on a
/// CPU) with DCGAN's Adam β1 = 0.5. The learning rate 1e-3 was chosen on ring8 over 2e-4 (no
/// progress in 2,000 steps), 5e-4 (collapsed to 2 modes) and variants (batch 512, β2 = 0.9 with
/// a 2-d latent, D faster than G, 2 D steps), which all covered fewer modes across seeds.
/// The plain GAN still collapses on ring8 for some seeds (Metz et al. 2017's point); the
/// quality bar in `tests/quality.rs` uses seed 0.
pub(super) fn plane_training(data: PlaneDistribution) -> GanConfig {
    let adam = OptimizerConfig::Adam {
        lr: 1e-3,
        beta1: 0.5,
        beta2: 0.999,
    };
    GanConfig {
        data: Data::Plane(data),
        model: Architecture::Mlp,
        latent: LatentConfig {
            dim: 8,
            distribution: LatentDistribution::Gaussian,
        },
        generator: NetConfig {
            width: 128,
            depth: 3,
            activation: Activation::Relu,
            optimizer: adam,
        },
        discriminator: NetConfig {
            width: 128,
            depth: 3,
            activation: Activation::LeakyRelu,
            optimizer: adam,
        },
        loss: GanLoss::NonSaturating,
        d_steps: 1,
        batch_size: 256,
        r1: 0.0,
        g_ema: 0.0,
        pack: 1,
        conditional: false,
        lr_decay_steps: 0,
        seed: 0,
    }
}

/// WGAN-GP for the plane, after Gulrajani et al. 2017's `gan_toy.py`: Adam with
/// β = (0.5, 0.9), λ = 0.1 (their toy value, not the paper's 10), a ReLU critic without a
/// sigmoid. They train at lr 1e-4 with 5 critic steps for 100k steps; to cover grid25 within a
/// page visit this uses lr 2e-3 and 2 critic steps, which on seed 0 covered 24 of 25 modes
/// by step 4,000 where lr 1e-4 … 1e-3 with 5 critic steps (λ 0.1 or 1) covered at most 7.
pub(super) fn wgan_gp(mut c: GanConfig) -> GanConfig {
    let adam = OptimizerConfig::Adam {
        lr: 2e-3,
        beta1: 0.5,
        beta2: 0.9,
    };
    c.loss = GanLoss::WassersteinGp {
        penalty_weight: 0.1,
    };
    c.d_steps = 2;
    c.generator.optimizer = adam;
    c.discriminator.optimizer = adam;
    c.discriminator.activation = Activation::Relu;
    c
}

/// The digits presets. Both take DCGAN's optimizer (Radford et al. 2016, §4: Adam, lr 2e-4,
/// β1 = 0.5) and the non-saturating loss (Goodfellow et al. 2014), with a 64-d Gaussian z
/// (the paper uses 100-d uniform; 64 trains the same and is cheaper to interpolate in) and
/// batch 64 (the paper's 128 halved, for a browser step). DCGAN: ReLU in G, leaky ReLU 0.2 in
/// D as in the paper, 32 and 64 channels (the PyTorch DCGAN example's 64 and 128 halved).
/// MLP: two hidden layers of 256 in each net, the vanilla-GAN layout of PyTorch-GAN's `gan.py`
/// (eriklindernoren) narrowed from its 4 layers, leaky ReLU in both as there.
pub(super) fn digits(model: Architecture) -> GanConfig {
    let adam = OptimizerConfig::Adam {
        lr: 2e-4,
        beta1: 0.5,
        beta2: 0.999,
    };
    let (width, g_activation) = match model {
        Architecture::Mlp => (256, Activation::LeakyRelu),
        Architecture::Dcgan => (32, Activation::Relu),
    };
    GanConfig {
        data: Data::Images(ImageSet::Mnist {}),
        model,
        latent: LatentConfig {
            dim: 64,
            distribution: LatentDistribution::Gaussian,
        },
        generator: NetConfig {
            width,
            depth: 2,
            activation: g_activation,
            optimizer: adam,
        },
        discriminator: NetConfig {
            width,
            depth: 2,
            activation: Activation::LeakyRelu,
            optimizer: adam,
        },
        loss: GanLoss::NonSaturating,
        d_steps: 1,
        batch_size: 64,
        r1: 0.0,
        g_ema: 0.0,
        pack: 1,
        conditional: false,
        lr_decay_steps: 0,
        seed: 0,
    }
}

/// The conditional digits preset: the DCGAN digits recipe with the class given to both nets
/// (`GanConfig::conditional`), tuned for a reader's minute on the wasm CPU (~6.4 steps/s, so
/// ~380 steps) and for step 1,000 (docs/digits.md has the per-seed tables). G's learning rate
/// 5e-4 against D's 2e-4 reaches readable digits about twice as fast as the plain 2e-4 pair
/// (≥ 80% confident by step 300–400 on seeds 0–2, against 500–600); left there, every run
/// peaked by step ~500 and then slid (class agreement down to 71–84% by step 1,000, on seeds
/// 0–2, and D 64 channels wide or Adam's β2 0.99 did not stop it). Decaying both learning rates
/// (halved by step 200, a third by 400) holds the peak: 93.6–96.0% confident and 94.8–96.4%
/// agreement at step 1,000. The average of G's weights (0.999) smooths what is shown.
pub(super) fn conditional_digits() -> GanConfig {
    let mut c = digits(Architecture::Dcgan);
    c.conditional = true;
    c.generator.optimizer.set_lr(5e-4);
    c.g_ema = 0.999;
    c.lr_decay_steps = 200;
    c
}
