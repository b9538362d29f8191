//! How close G is to P_r in the plane, and how D plays, measured on a fixed evaluation batch.
//!
//! The numbers are host-side and plain: each function takes the read-back numbers, so it is
//! tested on known configurations without a device. The exact rules:
//!
//! - **High quality**: a generated sample within [`HQ_STDS`] = 3 standard deviations of the
//!   support (its nearest mode centre, or the nearest point of a curve), as in Srivastava et al.
//!   2017 (VEEGAN) and Lin et al. 2018 (PacGAN).
//! - **Mode covered**: a mode is covered when the high-quality samples nearest to it number at
//!   least [`COVERAGE_SHARE`] = 1/5 of what P_r would put there (n · the mode's weight).
//!   PacGAN's rule ("lost if fewer than 20 of 2,500 samples, 1/5 of the expected 100") made
//!   independent of the sample count and the number of modes.
//! - **Grid divergences** and D*: see `eval::grid`.
//! - **D*-gap**: the mean of |D(cell centre) − D*| weighted by the mixture (p_r + p_g)/2, so it
//!   measures D where the data are. Only for losses whose D is a probability (see
//!   `GanLoss::probability`).
//! - **D accuracy**: real samples scored as real and generated as fake, over both batches. A
//!   probability D decides at 1/2; a Wasserstein critic at the midpoint of its mean scores.
//! - **V(D, G)** = E_r[log D(x)] + E_g[log(1 − D(x))] on the batch, for the log losses;
//!   −2·log 2 at the game's optimum. For WGAN, E_r[f] − E_g[f] estimates W(P_r, P_g) (up to
//!   the critic's Lipschitz constant).

use burn::prelude::*;
use serde::Serialize;

use crate::batch::sample_latent;
use crate::data::PlaneDistribution;
use crate::data::plane::Support;
use crate::error::Error;
use crate::eval::grid::points;
pub use crate::eval::grid::{
    GRID_CELLS, Grid, MASS_SHOWN, d_star_grid, grid_masses, js, kl, mass_grid,
};
use crate::loss::GanLoss;
use crate::probe;
use crate::readback::{flat, read_many};
use crate::rng::{SeededRng, Stream};
use crate::train::Trainer;

/// Samples in the evaluation batch (PacGAN's 2,500).
pub const EVAL_SAMPLES: usize = 2500;
/// A sample is high-quality within this many standard deviations of the support.
pub const HQ_STDS: f64 = 3.0;
/// A mode is covered with at least this share of its expected high-quality samples.
pub const COVERAGE_SHARE: f64 = 0.2;

/// What the evaluation read back from the device: flat arrays, points as `[x0, y0, x1, ...]`.
#[derive(Debug, Clone)]
pub struct EvalBatch {
    pub real: Vec<f32>,
    pub fake: Vec<f32>,
    /// D's scores on `real`, `fake` and the grid's cell centres.
    pub d_real: Vec<f32>,
    pub d_fake: Vec<f32>,
    pub d_grid: Vec<f32>,
}

/// Modes covered and the high-quality fraction of generated samples.
pub fn mode_coverage(support: &Support, std: f64, fake: &[f32]) -> (usize, f64) {
    let mut per_mode = vec![0usize; support.modes];
    let mut nodes_per_mode = vec![0usize; support.modes];
    for &m in &support.mode_of {
        nodes_per_mode[m] += 1;
    }
    let mut hq = 0usize;
    let n = fake.len() / 2;
    for p in points(fake) {
        let (node, dist) = support.nearest(p);
        if dist <= HQ_STDS * std {
            hq += 1;
            per_mode[support.mode_of[node]] += 1;
        }
    }
    let total_nodes = support.nodes.len() as f64;
    let covered = per_mode
        .iter()
        .zip(&nodes_per_mode)
        .filter(|(got, nodes)| {
            **got as f64 >= COVERAGE_SHARE * n as f64 * **nodes as f64 / total_nodes
        })
        .count();
    (covered, if n == 0 { 0.0 } else { hq as f64 / n as f64 })
}

/// Every number the CLI reports and the page plots, for one evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    pub modes_covered: usize,
    pub modes_total: usize,
    /// Fraction of generated samples within 3σ of the support.
    pub high_quality: f64,
    /// KL(P_r‖P_g) on the grid, nats: large when G misses modes.
    pub kl_divergence: f64,
    /// KL(P_g‖P_r) on the grid, nats: large when G puts mass where P_r has none.
    pub reverse_kl_divergence: f64,
    /// JS(P_r‖P_g) on the grid, nats, in [0, ln 2].
    pub js_divergence: f64,
    /// D's accuracy on the real and generated evaluation batches.
    pub d_accuracy: f64,
    /// V(D, G) on the batch (log losses only); −2·log 2 ≈ −1.386 at the optimum.
    pub value: Option<f64>,
    /// E_r[f] − E_g[f] (Wasserstein losses only).
    pub wasserstein_estimate: Option<f64>,
    /// Mixture-weighted mean |D − D*| over the grid (losses whose D is a probability).
    pub d_star_gap: Option<f64>,
}

fn mean(v: &[f32]) -> f64 {
    v.iter().map(|&x| x as f64).sum::<f64>() / v.len().max(1) as f64
}

/// log σ(s), stable for large |s|.
fn log_sigmoid(s: f64) -> f64 {
    s.min(0.0) - (-s.abs()).exp().ln_1p()
}

/// D's accuracy: real scored real, fake scored fake, at the loss's decision threshold.
pub fn d_accuracy(loss: &GanLoss, d_real: &[f32], d_fake: &[f32]) -> f64 {
    // A probability D decides at 1/2; a critic's raw score at the midpoint of its means.
    let realness = |s: f32| loss.probability(s as f64).unwrap_or(s as f64);
    let threshold = match loss.probability(0.0) {
        Some(_) => 0.5,
        None => 0.5 * (mean(d_real) + mean(d_fake)),
    };
    let right = d_real.iter().filter(|&&s| realness(s) > threshold).count()
        + d_fake.iter().filter(|&&s| realness(s) < threshold).count();
    right as f64 / (d_real.len() + d_fake.len()).max(1) as f64
}

/// V(D, G) from D's logits on the batch.
pub fn value(d_real: &[f32], d_fake: &[f32]) -> f64 {
    let er = d_real.iter().map(|&s| log_sigmoid(s as f64)).sum::<f64>() / d_real.len() as f64;
    let eg = d_fake
        .iter()
        .map(|&s| log_sigmoid(-(s as f64)))
        .sum::<f64>()
        / d_fake.len() as f64;
    er + eg
}

/// Mixture-weighted mean |D − D*| over the grid cells (the outside cell has no centre).
///
/// A D that packs `pack` samples (PacGAN) is scored on `pack` copies of each cell centre, and
/// its optimum there is the packed one, p_rᵐ / (p_rᵐ + p_gᵐ): tuples of iid samples have the
/// product of the densities. For `pack` = 1 that is D* = p_r / (p_r + p_g).
pub fn d_star_gap(
    loss: &GanLoss,
    d_grid: &[f32],
    p_r: &[f64],
    p_g: &[f64],
    pack: usize,
) -> Option<f64> {
    let mut num = 0.0;
    let mut den = 0.0;
    let m = pack as i32;
    for (k, &s) in d_grid.iter().enumerate() {
        let d = loss.probability(s as f64)?;
        let (r, g) = (p_r[k], p_g[k]);
        let w = 0.5 * (r + g);
        num += w * (d - r.powi(m) / (r.powi(m) + g.powi(m))).abs();
        den += w;
    }
    Some(num / den)
}

impl Metrics {
    /// `pack`: how many samples D judges at once (`GanConfig::pack`), for the D* gap.
    pub fn compute(
        data: &PlaneDistribution,
        loss: &GanLoss,
        pack: usize,
        grid: &Grid,
        batch: &EvalBatch,
    ) -> Self {
        let (p_r, p_g) = grid_masses(data, grid, &batch.fake);
        Self::from_masses(data, loss, pack, batch, &p_r, &p_g)
    }

    /// As [`Metrics::compute`], from grid masses the caller already has (see [`grid_masses`]).
    pub fn from_masses(
        data: &PlaneDistribution,
        loss: &GanLoss,
        pack: usize,
        batch: &EvalBatch,
        p_r: &[f64],
        p_g: &[f64],
    ) -> Self {
        let support = data.support();
        let (modes_covered, high_quality) = mode_coverage(&support, data.std() as f64, &batch.fake);
        Self {
            modes_covered,
            modes_total: support.modes,
            high_quality,
            kl_divergence: kl(p_r, p_g),
            reverse_kl_divergence: kl(p_g, p_r),
            js_divergence: js(p_r, p_g),
            d_accuracy: d_accuracy(loss, &batch.d_real, &batch.d_fake),
            value: loss
                .plays_value_game()
                .then(|| value(&batch.d_real, &batch.d_fake)),
            wasserstein_estimate: loss
                .is_wasserstein()
                .then(|| mean(&batch.d_real) - mean(&batch.d_fake)),
            d_star_gap: d_star_gap(loss, &batch.d_grid, p_r, p_g, pack),
        }
    }
}

/// The evaluation batch on the device, before any read.
pub(crate) struct EvalTensors {
    pub real: Vec<f32>,
    pub fake: Tensor<2>,
    pub d_fake: Tensor<2>,
    pub d_real: Tensor<2>,
    pub d_grid: Tensor<2>,
}

/// The fixed evaluation batch (the same every call): real points, latent vectors, and the
/// device tensors G and D give for them and for the metrics grid, not yet read.
pub(crate) fn eval_tensors(
    t: &Trainer,
    data: &PlaneDistribution,
    n: usize,
    grid: &Grid,
) -> EvalTensors {
    let mut rng = SeededRng::new(t.config().seed, Stream::Eval);
    let real = data.sample(&mut rng, n);
    let z = sample_latent(t.config(), &mut rng, n);
    let fake = probe::generate(t, z); // [n, 2]
    EvalTensors {
        d_fake: probe::discriminate_tensor(t, fake.clone()),
        d_real: probe::discriminate(t, real.clone()),
        d_grid: probe::discriminate(t, grid.centres()),
        real,
        fake,
    }
}

/// Metrics of a plane run's current state on the fixed evaluation batch, in one device read.
pub async fn evaluate(t: &Trainer) -> Result<Metrics, Error> {
    let data = t
        .config()
        .data
        .plane()
        .ok_or_else(|| Error::State("the plane's metrics were asked of a digits run".into()))?;
    let grid = Grid::for_distribution(data);
    let e = eval_tensors(t, data, EVAL_SAMPLES, &grid);
    let mut parts = read_many(vec![
        flat(e.fake),
        flat(e.d_fake),
        flat(e.d_real),
        flat(e.d_grid),
    ])
    .await?
    .into_iter();
    let mut next = || parts.next().expect("four parts");
    let batch = EvalBatch {
        real: e.real,
        fake: next(),
        d_fake: next(),
        d_real: next(),
        d_grid: next(),
    };
    let config = t.config();
    Ok(Metrics::compute(
        data,
        &config.loss,
        config.pack,
        &grid,
        &batch,
    ))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn ring8() -> PlaneDistribution {
        crate::Preset::Ring8.config().data.plane().cloned().unwrap()
    }

    #[test]
    fn perfect_samples_cover_every_mode() {
        let d = ring8();
        let fake = d.sample(&mut SeededRng::new(9, Stream::Eval), EVAL_SAMPLES);
        let (covered, hq) = mode_coverage(&d.support(), 0.02, &fake);
        assert_eq!(covered, 8);
        // Within 3σ in 2-D: P(χ²₂ ≤ 9) = 1 − e^{−4.5} ≈ 0.989.
        assert!((hq - 0.989).abs() < 0.01, "hq {hq}");
    }

    #[test]
    fn collapsed_samples_cover_one_mode() {
        // Every sample on the mode at (2, 0): one mode of 8, all high quality.
        let fake: Vec<f32> = (0..1000).flat_map(|_| [2.0f32, 0.0]).collect();
        let (covered, hq) = mode_coverage(&ring8().support(), 0.02, &fake);
        assert_eq!((covered, hq), (1, 1.0));
        // Half on one mode, half far away: a mode needs 1/5 of its 1/8 share → 25 of 1000.
        let mut fake: Vec<f32> = (0..976).flat_map(|_| [0.0f32, 0.0]).collect();
        fake.extend((0..24).flat_map(|_| [0.0f32, 2.0]));
        let (covered, hq) = mode_coverage(&ring8().support(), 0.02, &fake);
        assert_eq!(covered, 0, "24 samples are below the 25 a mode needs");
        assert!((hq - 0.024).abs() < 1e-9);
    }

    #[test]
    fn value_and_accuracy_at_equilibrium() {
        // D ≡ 1/2 (logit 0): V = −2·log 2, and D is right on exactly none (ties are wrong).
        let zeros = vec![0.0f32; 10];
        assert!((value(&zeros, &zeros) + 2.0 * std::f64::consts::LN_2).abs() < 1e-12);
        let ns = GanLoss::NonSaturating;
        assert_eq!(d_accuracy(&ns, &zeros, &zeros), 0.0);
        // A perfect D: large logits on real, small on fake.
        assert_eq!(d_accuracy(&ns, &[5.0, 3.0], &[-4.0, -1.0]), 1.0);
        assert_eq!(d_accuracy(&ns, &[5.0, -3.0], &[-4.0, 1.0]), 0.5);
        // A critic separates at the midpoint of its mean scores.
        let w = GanLoss::Wasserstein { clip: 0.01 };
        assert_eq!(d_accuracy(&w, &[0.3, 0.2], &[0.1, 0.15]), 1.0);
        // LSGAN's D is its own probability.
        assert_eq!(d_accuracy(&GanLoss::LeastSquares, &[0.9], &[0.6]), 0.5);
    }

    #[test]
    fn d_star_gap_is_zero_for_the_optimal_discriminator() {
        let p_r = [0.3, 0.1, 0.0, 0.6];
        let p_g = [0.1, 0.1, 0.5, 0.3];
        // D* as logits: logit(r / (r + g)); the zero-mass-in-r cell gets a very negative logit.
        let logits: Vec<f32> = p_r
            .iter()
            .zip(&p_g)
            .map(|(r, g)| {
                let d: f64 = r / (r + g);
                (d.max(1e-9) / (1.0 - d).max(1e-9)).ln() as f32
            })
            .collect();
        let gap = d_star_gap(&GanLoss::NonSaturating, &logits, &p_r, &p_g, 1).unwrap();
        assert!(gap < 1e-6, "gap {gap}");
        // D ≡ 1/2 instead: weighted mean of |1/2 − D*|.
        let half = [0.0f32; 4];
        let gap = d_star_gap(&GanLoss::NonSaturating, &half, &p_r, &p_g, 1).unwrap();
        let want = (0.2 * 0.25 + 0.1 * 0.0 + 0.25 * 0.5 + 0.45 * (2.0 / 3.0 - 0.5)) / 1.0;
        assert!((gap - want).abs() < 1e-9, "{gap} vs {want}");
        // A D that packs 2 samples is held to the packed optimum r² / (r² + g²).
        let packed: Vec<f32> = p_r
            .iter()
            .zip(&p_g)
            .map(|(r, g)| {
                let d: f64 = r * r / (r * r + g * g);
                (d.max(1e-9) / (1.0 - d).max(1e-9)).ln() as f32
            })
            .collect();
        let gap = d_star_gap(&GanLoss::NonSaturating, &packed, &p_r, &p_g, 2).unwrap();
        assert!(gap < 1e-6, "packed gap {gap}");
        assert!(d_star_gap(&GanLoss::NonSaturating, &packed, &p_r, &p_g, 1).unwrap() > 0.01);
        assert_eq!(
            d_star_gap(&GanLoss::Wasserstein { clip: 0.01 }, &half, &p_r, &p_g, 1),
            None
        );
    }
}
