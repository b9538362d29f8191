//! Named configs. A preset is data, never a code path: it only fills in a [`GanConfig`]. Its
//! label, and a lesson's title and text, are what the page shows for it; the CLI replays any
//! preset with `gan train --preset NAME`.

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

use super::recipes::{
    conditional_digits, digits, grid25, plane_training, ring8, robust, wgan_gp, with_lr,
};
use super::{Architecture, ConfigError, GanConfig, OptimizerConfig};
use crate::data::PlaneDistribution;
use crate::loss::GanLoss;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    Ring8,
    Grid25,
    TwoGaussians,
    Ring,
    Spiral,
    Moons,
    /// Lesson: the non-saturating GAN on grid25 covers only some of the 25 modes.
    VanillaGrid25,
    /// Lesson: WGAN-GP on the same grid25 reaches the modes the vanilla GAN misses.
    WganGpGrid25,
    /// Lesson: D too strong (5 D steps per G step, D's learning rate 5× G's): G collapses.
    StrongD,
    /// Lesson: the same strong D with the minimax loss: G's gradient vanishes and G stalls.
    Saturating,
    /// Lesson: ring8 without R1 and the average of G, on a seed where it collapses.
    NoR1,
    /// Lesson: G two layers deeper than D: D cannot guide G onto the ring.
    DeepG,
    /// MNIST digits with fully connected G and D.
    DigitsMlp,
    /// MNIST digits with DCGAN's convolutional G and D.
    DigitsDcgan,
    /// MNIST digits with a class-conditional DCGAN (cGAN): G is asked for a digit.
    DigitsCgan,
    /// Lesson: the conditional DCGAN beside what the unconditional one draws.
    ConditionalDigits,
}

/// Where the page lists a preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PresetGroup {
    /// A distribution in the plane, in the distribution menu.
    Plane,
    /// A digits config, in the distribution menu.
    Digits,
    /// A teaching lesson, a button of its own.
    Lesson,
}

/// A lesson's button title and the text that says what to watch. The numbers in the texts
/// were measured natively with `gan train --preset NAME` (docs/lab.md's table of lessons).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Lesson {
    pub title: &'static str,
    pub text: &'static str,
}

/// The conditional digits lesson's text (the numbers: `gan train --preset digits-cgan`, the
/// per-seed table in docs/digits.md).
const CONDITIONAL_LESSON: &str = "The same DCGAN, now told which digit to draw: G gets the \
     class beside its noise, and D judges each digit as the class it claims to be. G no longer \
     has to discover on its own what tells a 7 from a 1, only how to write one, so its digits \
     read within a few hundred steps. Each row of the grid asks for one digit, 0 to 9; each \
     column keeps the same noise, which now holds only the style: slant, width, stroke. Pick \
     the walk\u{2019}s digit to see a style change while the class holds. Compare with\u{2026} \
     \u{201c}unconditional\u{201d} runs the plain game beside it.";

impl Preset {
    /// The preset a page, a figure or the CLI opens on when none is named.
    pub const DEFAULT: Preset = Preset::Ring8;

    pub const ALL: [Preset; 16] = [
        Self::Ring8,
        Self::Grid25,
        Self::TwoGaussians,
        Self::Ring,
        Self::Spiral,
        Self::Moons,
        Self::VanillaGrid25,
        Self::WganGpGrid25,
        Self::StrongD,
        Self::Saturating,
        Self::NoR1,
        Self::DeepG,
        Self::DigitsMlp,
        Self::DigitsDcgan,
        Self::DigitsCgan,
        Self::ConditionalDigits,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Ring8 => "ring8",
            Self::Grid25 => "grid25",
            Self::TwoGaussians => "two-gaussians",
            Self::Ring => "ring",
            Self::Spiral => "spiral",
            Self::Moons => "moons",
            Self::VanillaGrid25 => "vanilla-grid25",
            Self::WganGpGrid25 => "wgan-gp-grid25",
            Self::StrongD => "strong-d",
            Self::Saturating => "saturating",
            Self::NoR1 => "no-r1",
            Self::DeepG => "deep-g",
            Self::DigitsMlp => "digits-mlp",
            Self::DigitsDcgan => "digits-dcgan",
            Self::DigitsCgan => "digits-cgan",
            Self::ConditionalDigits => "conditional-digits",
        }
    }

    pub fn group(self) -> PresetGroup {
        match self {
            Self::DigitsMlp | Self::DigitsDcgan | Self::DigitsCgan => PresetGroup::Digits,
            Self::VanillaGrid25
            | Self::WganGpGrid25
            | Self::StrongD
            | Self::Saturating
            | Self::NoR1
            | Self::DeepG
            | Self::ConditionalDigits => PresetGroup::Lesson,
            _ => PresetGroup::Plane,
        }
    }

    /// What the page's menus call it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Ring8 => "8 Gaussians on a ring",
            Self::Grid25 => "25 Gaussians on a grid",
            Self::TwoGaussians => "two Gaussians",
            Self::Ring => "a ring",
            Self::Spiral => "a spiral",
            Self::Moons => "two moons",
            Self::DigitsMlp => "MNIST digits, MLP",
            Self::DigitsDcgan => "MNIST digits, DCGAN",
            Self::DigitsCgan => "MNIST digits, conditional DCGAN",
            lesson => {
                lesson
                    .lesson()
                    .expect("every other preset is a lesson")
                    .title
            }
        }
    }

    /// The lesson this preset teaches, for the lessons.
    pub fn lesson(self) -> Option<Lesson> {
        let (title, text) = match self {
            Self::VanillaGrid25 => (
                "Vanilla GAN collapses on grid25",
                "The non-saturating GAN on 25 Gaussians. Watch G settle on some modes and leave \
                 the rest: D turns green over the missed modes, but G\u{2019}s gradients there \
                 are too weak to pull points across. Natively (`gan train --preset \
                 vanilla-grid25`) it covers about half of the 25 after 5,000 steps.",
            ),
            Self::WganGpGrid25 => (
                "WGAN-GP covers it",
                "The same 25 Gaussians with a Wasserstein critic kept 1-Lipschitz by a gradient \
                 penalty (Gulrajani et al. 2017), 2 critic steps per G step. The critic\u{2019}s \
                 slope points everywhere toward real mass, so G\u{2019}s gradients reach every \
                 mode: watch the samples spread out over the grid. Natively it covers 24 of 25 \
                 by step 4,000.",
            ),
            Self::StrongD => (
                "D too strong (5:1, high D lr)",
                "Ring8 with 5 D updates per G update and D\u{2019}s learning rate 5\u{d7} \
                 G\u{2019}s. D\u{2019}s accuracy climbs past 90%: D wins, and G, chasing the one \
                 region D still doubts, collapses onto a single mode.",
            ),
            Self::Saturating => (
                "Saturating loss stalls",
                "The same strong D with the minimax loss log(1 \u{2212} D(G(z))). Once D rejects \
                 G\u{2019}s samples with confidence, this loss is flat: G\u{2019}s gradient \
                 arrows shrink to nothing, its loss sits at 0 and the samples stop moving. The \
                 non-saturating loss (the previous lesson) still moves G under the same D.",
            ),
            Self::NoR1 => (
                "Without R1, ring8 collapses",
                "The ring8 preset without its R1 penalty and without the average of G\u{2019}s \
                 weights, on seed 2. Nothing holds D\u{2019}s score flat on the real points, and on \
                 this seed G ends up on a few modes: natively 2 of 8 at step 5,000 (the plain \
                 recipe covers all 8 on only 4 of seeds 0\u{2013}9). Compare with\u{2026} \
                 \u{201c}R1 penalty\u{201d} runs the same seed beside it with R1 on.",
            ),
            Self::DeepG => (
                "G deeper than D",
                "G with 4 hidden layers against D with 2, otherwise ring8\u{2019}s plain recipe. \
                 D is too simple to say where the 8 modes are, so G\u{2019}s samples never land \
                 on the ring: natively 0 of 8 modes at step 5,000 on each of seeds \
                 0\u{2013}4, and R1 does not rescue it. A GAN needs a D at least as strong \
                 as its G.",
            ),
            Self::ConditionalDigits => ("Conditional digits read sooner", CONDITIONAL_LESSON),
            _ => return None,
        };
        Some(Lesson { title, text })
    }

    /// The preset's config. Where the data's numbers come from is said per arm; the training
    /// numbers are shared (see [`plane_training`]); a lesson changes them as its arm says.
    pub fn config(self) -> GanConfig {
        let data = match self {
            Self::DigitsMlp => return digits(Architecture::Mlp),
            Self::DigitsDcgan => return digits(Architecture::Dcgan),
            Self::DigitsCgan | Self::ConditionalDigits => return conditional_digits(),
            // The lessons keep the plain recipe, so the loss is all that differs.
            Self::VanillaGrid25 => return plane_training(grid25()),
            Self::WganGpGrid25 => return wgan_gp(plane_training(grid25())),
            // D's learning rate 5e-3 (5× G's) and 5 D steps: at step 1,000 on seed 0, D's
            // accuracy is 94% and G sits on 1 of 8 modes (measured with the CLI).
            // Both start from the plain recipe (no R1, no average of G): the lessons show the
            // imbalance itself, not what the ring8 preset does against it.
            Self::StrongD => {
                let mut c = plane_training(ring8());
                c.d_steps = 5;
                c.discriminator.optimizer = OptimizerConfig::Adam {
                    lr: 5e-3,
                    beta1: 0.5,
                    beta2: 0.999,
                };
                return c;
            }
            // As StrongD with the minimax loss: D's accuracy reaches ~100% and G's loss
            // log(1 − D(G(z))) flattens to ~0, so G stops moving (0 of 8 modes at step 1,000).
            Self::Saturating => {
                let mut c = Self::StrongD.config();
                c.loss = GanLoss::Minimax;
                return c;
            }
            // Seed 2 is one of the plain recipe's collapses (2 of 8 modes at step 5,000).
            Self::NoR1 => {
                let mut c = plane_training(ring8());
                c.seed = 2;
                return c;
            }
            Self::DeepG => {
                let mut c = plane_training(ring8());
                c.generator.depth = 4;
                c.discriminator.depth = 2;
                return c;
            }
            // The plain recipe covers all 8 modes on only 4 of seeds 0–9; with R1 and an average
            // of G it covers them on every seed (see `robust`). R1 keeps D from overshooting,
            // so both nets can take twice the plain recipe's learning rate, and they need it:
            // G's samples settle closer onto the modes within 5,000 steps (high quality on seeds
            // 0–9: lowest 91.6%, mean 93.7%; at 1e-3 lowest 87.3%, mean 89.8%; docs/experiments/2026-11-27-plane-recipes.md). The
            // Wasserstein losses, which ignore R1, do not take it (WGAN-GP's G leaves the data).
            Self::Ring8 => return with_lr(robust(plane_training(ring8())), 2e-3),
            // As ring8: the plain recipe covers about half of the 25 (the vanilla lesson). grid25
            // takes 1.5e-3 (all 25 modes on seeds 0–9 at 10,000 steps, high quality 89.1–92.1%,
            // against two seeds below 80% at 1e-3 and two collapses at 2e-3; docs/metrics.md).
            Self::Grid25 => return with_lr(robust(plane_training(grid25())), 1.5e-3),
            // The smallest multimodal case, GAN Lab's "two Gaussian hills" spirit: far enough
            // apart (separation 4) that a collapsed G is plain to see.
            Self::TwoGaussians => PlaneDistribution::TwoGaussians {
                separation: 4.0,
                std: 0.25,
            },
            // GAN Lab's ring: a continuous circle; radius 2 matches ring8 so the two compare.
            Self::Ring => PlaneDistribution::Ring {
                radius: 2.0,
                std: 0.05,
            },
            // The classic two-turn spiral toy set (e.g. the "swiss roll" 2-D slice), radius 3.
            Self::Spiral => PlaneDistribution::Spiral {
                turns: 2.0,
                radius: 3.0,
                std: 0.05,
            },
            // scikit-learn's make_moons (noise 0.05 relative to radius 1), scaled by 2.
            Self::Moons => PlaneDistribution::Moons {
                radius: 2.0,
                std: 0.1,
            },
        };
        plane_training(data)
    }
}

impl FromStr for Preset {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Self::ALL.iter().map(|p| p.name()).collect();
                ConfigError::new(
                    "preset",
                    format!("`{s}` is unknown; known presets: {}", names.join(", ")),
                )
            })
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
