//! The GAN objectives. One enum, matched in this file alone.
//!
//! D's raw output is a *score* s(x). For the minimax and non-saturating losses it is a logit,
//! D(x) = σ(s(x)); every log D is computed as `log_sigmoid` so it never takes the log of 0.
//! For LSGAN it is D(x) itself, and for the Wasserstein losses it is the critic value f(x).

use burn::prelude::*;
use burn::tensor::activation::log_sigmoid;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::check::{ConfigError, positive};

/// How D's raw score s(x) reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scale {
    /// A logit: D(x) = σ(s).
    Logit,
    /// D(x) itself, near [0, 1] (LSGAN).
    Probability,
    /// A critic value with no fixed scale (WGAN).
    Critic,
}

/// D's scores as the page colours them: each in [0, 1] (NaN stays NaN).
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub values: Vec<f32>,
    /// A critic's lowest and highest score, which the ends of its scale stand for.
    pub critic_range: Option<(f32, f32)>,
}

/// Which game G and D play.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum GanLoss {
    /// Goodfellow et al. 2014, the game V(D,G) as written: G minimises E[log(1 − D(G(z)))].
    /// Its gradient vanishes while D confidently rejects G's samples (it "saturates").
    Minimax,
    /// Goodfellow et al. 2014's practical fix: G maximises E[log D(G(z))] instead. Same fixed
    /// point, strong gradients early on.
    NonSaturating,
    /// LSGAN (Mao et al. 2017) with targets a = 0 (fake), b = 1 (real), c = 1 (G's target):
    /// D minimises ½E[(D(x) − 1)²] + ½E[D(G(z))²], G minimises ½E[(D(G(z)) − 1)²].
    LeastSquares,
    /// WGAN (Arjovsky et al. 2017): the critic f maximises E[f(x)] − E[f(G(z))] with its weights
    /// clipped to [−clip, clip] after each update (the paper uses 0.01).
    Wasserstein { clip: f32 },
    /// WGAN-GP (Gulrajani et al. 2017): the critic's objective plus
    /// `penalty_weight` · E[(‖∇f(x̂)‖ − 1)²] at random interpolates x̂ (the paper uses 10).
    WassersteinGp { penalty_weight: f32 },
}

impl GanLoss {
    /// All five, with the papers' default parameters.
    pub const ALL: [GanLoss; 5] = [
        Self::Minimax,
        Self::NonSaturating,
        Self::LeastSquares,
        Self::Wasserstein { clip: 0.01 },
        Self::WassersteinGp {
            penalty_weight: 10.0,
        },
    ];

    pub fn name(&self) -> &'static str {
        match self {
            Self::Minimax => "minimax",
            Self::NonSaturating => "non-saturating",
            Self::LeastSquares => "least-squares",
            Self::Wasserstein { .. } => "wasserstein",
            Self::WassersteinGp { .. } => "wasserstein-gp",
        }
    }

    /// D's loss to minimise, from its scores on real and generated batches: `[batch, 1]` each.
    pub fn discriminator_loss(&self, real: Tensor<2>, fake: Tensor<2>) -> Tensor<1> {
        match self {
            Self::Minimax | Self::NonSaturating => {
                // −(E[log D(x)] + E[log(1 − D(G(z)))]), and 1 − σ(s) = σ(−s).
                -(log_sigmoid(real).mean() + log_sigmoid(-fake).mean())
            }
            Self::LeastSquares => {
                (real - 1.0).powi_scalar(2).mean() * 0.5 + fake.powi_scalar(2).mean() * 0.5
            }
            Self::Wasserstein { .. } | Self::WassersteinGp { .. } => fake.mean() - real.mean(),
        }
    }

    /// G's loss to minimise, from D's scores on generated samples: `[batch, 1]`.
    pub fn generator_loss(&self, fake: Tensor<2>) -> Tensor<1> {
        match self {
            Self::Minimax => log_sigmoid(-fake).mean(),
            Self::NonSaturating => -log_sigmoid(fake).mean(),
            Self::LeastSquares => (fake - 1.0).powi_scalar(2).mean() * 0.5,
            Self::Wasserstein { .. } | Self::WassersteinGp { .. } => -fake.mean(),
        }
    }

    /// The bound on D's weights after each update, for weight-clipped WGAN.
    pub fn weight_clip(&self) -> Option<f32> {
        match self {
            Self::Wasserstein { clip } => Some(*clip),
            _ => None,
        }
    }

    /// Whether the config's R1 penalty applies. A Wasserstein critic is kept in check by its own
    /// constraint (clipping, or the gradient penalty's unit slope, which R1's pull toward a flat
    /// critic on the data fights: WGAN-GP on ring8 with γ = 0.3 left G off the data entirely).
    pub fn takes_r1(&self) -> bool {
        match self {
            Self::Minimax | Self::NonSaturating | Self::LeastSquares => true,
            Self::Wasserstein { .. } | Self::WassersteinGp { .. } => false,
        }
    }

    /// The gradient penalty's weight, for WGAN-GP.
    pub fn penalty_weight(&self) -> Option<f32> {
        match self {
            Self::WassersteinGp { penalty_weight } => Some(*penalty_weight),
            _ => None,
        }
    }

    /// What the page's menus call it.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Minimax => "minimax (saturating)",
            Self::NonSaturating => "non-saturating",
            Self::LeastSquares => "least squares (LSGAN)",
            Self::Wasserstein { .. } => "Wasserstein, clipped (WGAN)",
            Self::WassersteinGp { .. } => "Wasserstein + gradient penalty",
        }
    }

    /// How D's raw score reads under this loss.
    pub fn scale(&self) -> Scale {
        match self {
            Self::Minimax | Self::NonSaturating => Scale::Logit,
            Self::LeastSquares => Scale::Probability,
            Self::Wasserstein { .. } | Self::WassersteinGp { .. } => Scale::Critic,
        }
    }

    /// D's output as a probability that x is real, where the loss makes it one: σ(s) for the
    /// log losses, s itself for LSGAN (whose optimal D is p_r / (p_r + p_g) with a = 0, b = 1,
    /// Mao et al. 2017, Prop. 1). A Wasserstein critic's score is not a probability: `None`.
    pub fn probability(&self, score: f64) -> Option<f64> {
        match self.scale() {
            Scale::Logit => Some(1.0 / (1.0 + (-score).exp())),
            Scale::Probability => Some(score),
            Scale::Critic => None,
        }
    }

    /// D's scores mapped to [0, 1] for the one colour scale the page paints them on: the
    /// probability that x is real, clamped (LSGAN's D can leave [0, 1]); a critic, which has
    /// no scale, stretched between its lowest and highest score, which the verdict keeps for
    /// the legend.
    pub fn verdict(&self, scores: &[f32]) -> Verdict {
        if self.scale() != Scale::Critic {
            let values = scores
                .iter()
                .map(|&s| {
                    let p = self.probability(s as f64).expect("not a critic") as f32;
                    if p.is_nan() { p } else { p.clamp(0.0, 1.0) }
                })
                .collect();
            return Verdict {
                values,
                critic_range: None,
            };
        }
        let finite = scores.iter().copied().filter(|s| s.is_finite());
        let lo = finite.clone().fold(f32::INFINITY, f32::min);
        let hi = finite.fold(f32::NEG_INFINITY, f32::max);
        let span = if hi > lo { hi - lo } else { 1.0 };
        Verdict {
            values: scores.iter().map(|&s| (s - lo) / span).collect(),
            critic_range: Some((lo, hi)),
        }
    }

    /// Whether D's score is the logit of the game V(D, G), so V can be reported.
    pub fn plays_value_game(&self) -> bool {
        matches!(self, Self::Minimax | Self::NonSaturating)
    }

    /// Whether D's score estimates a Wasserstein critic.
    pub fn is_wasserstein(&self) -> bool {
        self.scale() == Scale::Critic
    }

    pub(crate) fn validate(&self, field: &str) -> Result<(), ConfigError> {
        match self {
            Self::Wasserstein { clip } => positive(&format!("{field}.clip"), *clip as f64),
            Self::WassersteinGp { penalty_weight } => {
                positive(&format!("{field}.penalty_weight"), *penalty_weight as f64)
            }
            _ => Ok(()),
        }
    }
}

impl FromStr for GanLoss {
    type Err = ConfigError;

    /// A loss by name (or its common short name), with the papers' default parameters.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let alias = match s {
            "ns" | "nsgan" => "non-saturating",
            "lsgan" | "ls" => "least-squares",
            "wgan" => "wasserstein",
            "wgan-gp" => "wasserstein-gp",
            other => other,
        };
        Self::ALL
            .into_iter()
            .find(|l| l.name() == alias)
            .ok_or_else(|| {
                let names: Vec<_> = Self::ALL.iter().map(|l| l.name()).collect();
                ConfigError::new(
                    "loss",
                    format!(
                        "`{s}` is unknown; known losses: {} (or lsgan, wgan, wgan-gp)",
                        names.join(", ")
                    ),
                )
            })
    }
}

impl fmt::Display for GanLoss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::readback::read_scalar_blocking;

    fn column(v: &[f32]) -> Tensor<2> {
        Tensor::<1>::from_floats(v, &Device::flex()).reshape([v.len(), 1])
    }

    fn d_loss(l: GanLoss, real: &[f32], fake: &[f32]) -> f64 {
        read_scalar_blocking(l.discriminator_loss(column(real), column(fake)))
    }

    fn g_loss(l: GanLoss, fake: &[f32]) -> f64 {
        read_scalar_blocking(l.generator_loss(column(fake)))
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-5, "{a} vs {b}");
    }

    #[test]
    fn log_losses_match_hand_computed_values() {
        // Logits 0 mean D = 1/2 everywhere: D's loss is 2·log 2, i.e. V = −2·log 2 at equilibrium.
        let ln2 = std::f64::consts::LN_2;
        close(d_loss(GanLoss::Minimax, &[0.0, 0.0], &[0.0]), 2.0 * ln2);
        close(
            d_loss(GanLoss::NonSaturating, &[0.0], &[0.0, 0.0]),
            2.0 * ln2,
        );
        // real logit ln 3 → D = 3/4; fake logit −ln 3 → D = 1/4: loss = −2·log(3/4).
        let l3 = 3f32.ln();
        close(
            d_loss(GanLoss::Minimax, &[l3], &[-l3]),
            -2.0 * (0.75f64).ln(),
        );
        // G: minimax minimises log(1 − D) = log(3/4) at D = 1/4; non-saturating −log(1/4).
        close(g_loss(GanLoss::Minimax, &[-l3]), (0.75f64).ln());
        close(g_loss(GanLoss::NonSaturating, &[-l3]), -(0.25f64).ln());
        // Very confident D: log_sigmoid keeps it finite where log(σ(s)) would be −∞ in f32.
        let v = g_loss(GanLoss::NonSaturating, &[-200.0]);
        close(v, 200.0);
    }

    #[test]
    fn least_squares_matches_hand_computed_values() {
        // ½·mean((1−1)², (0−1)²) + ½·mean(0.5²) = ½·0.5 + ½·0.25
        close(d_loss(GanLoss::LeastSquares, &[1.0, 0.0], &[0.5]), 0.375);
        // ½·mean((0.5−1)², (2−1)²) = ½·(0.25 + 1)/2
        close(g_loss(GanLoss::LeastSquares, &[0.5, 2.0]), 0.3125);
    }

    #[test]
    fn wasserstein_matches_hand_computed_values() {
        let w = GanLoss::Wasserstein { clip: 0.01 };
        // E[f(fake)] − E[f(real)] = 0.5 − 2
        close(d_loss(w, &[1.0, 3.0], &[0.5]), -1.5);
        close(g_loss(w, &[0.5, 1.5]), -1.0);
        assert_eq!(w.weight_clip(), Some(0.01));
        let gp = GanLoss::WassersteinGp {
            penalty_weight: 10.0,
        };
        close(d_loss(gp, &[1.0, 3.0], &[0.5]), -1.5);
        assert_eq!(gp.penalty_weight(), Some(10.0));
        assert_eq!(gp.weight_clip(), None);
    }

    #[test]
    fn names_parse_and_unknown_names_are_refused() {
        for l in GanLoss::ALL {
            assert_eq!(l.name().parse::<GanLoss>().unwrap(), l);
        }
        assert_eq!(
            "wgan-gp".parse::<GanLoss>().unwrap(),
            GanLoss::WassersteinGp {
                penalty_weight: 10.0
            }
        );
        assert_eq!("lsgan".parse::<GanLoss>().unwrap(), GanLoss::LeastSquares);
        let e = "hinge".parse::<GanLoss>().unwrap_err();
        assert_eq!(e.field, "loss");
        assert!(e.reason.contains("minimax"));
    }

    #[test]
    fn verdicts_map_each_scale_to_the_unit_interval() {
        let v = GanLoss::NonSaturating.verdict(&[0.0, 1000.0, -1000.0]);
        assert_eq!(v.values, vec![0.5, 1.0, 0.0]);
        assert_eq!(v.critic_range, None);
        let v = GanLoss::LeastSquares.verdict(&[0.25, 1.5, -0.5]);
        assert_eq!(v.values, vec![0.25, 1.0, 0.0]);
        let v = GanLoss::Wasserstein { clip: 0.01 }.verdict(&[-2.0, 0.0, 2.0, f32::NAN]);
        assert_eq!(&v.values[..3], &[0.0, 0.5, 1.0]);
        assert!(v.values[3].is_nan());
        assert_eq!(v.critic_range, Some((-2.0, 2.0)));
        // A flat critic does not divide by zero.
        let v = GanLoss::WassersteinGp {
            penalty_weight: 1.0,
        }
        .verdict(&[3.0, 3.0]);
        assert_eq!(v.values, vec![0.0, 0.0]);
    }
}
