//! How close G is to P_r, and how D plays, measured on a fixed evaluation batch.
//!
//! All host-side and plain: each function takes the read-back numbers, so it is tested on known
//! configurations without a device. The exact rules:
//!
//! - **High quality**: a generated sample within [`HQ_STDS`] = 3 standard deviations of the
//!   support (its nearest mode centre, or the nearest point of a curve), as in Srivastava et al.
//!   2017 (VEEGAN) and Lin et al. 2018 (PacGAN).
//! - **Mode covered**: a mode is covered when the high-quality samples nearest to it number at
//!   least [`COVERAGE_SHARE`] = 1/5 of what P_r would put there (n · the mode's weight).
//!   PacGAN's rule ("lost if fewer than 20 of 2,500 samples, 1/5 of the expected 100") made
//!   independent of the sample count and the number of modes.
//! - **Grid divergences**: the view square is cut into [`GRID_CELLS`]² cells plus one "outside"
//!   cell. P_r's cell masses are exact (normal CDFs). P_g's come from a Gaussian kernel density
//!   estimate of the samples with bandwidth h = max(σ, cell width); P_r is smoothed by the same
//!   kernel (its blur becomes √(σ² + h²)) so that P_g = P_r gives divergence → 0 rather than a
//!   kernel-width bias. Both are mixed with 10⁻⁶ of the uniform law so KL stays finite.
//!   KL(P_r‖P_g), KL(P_g‖P_r) and JS are in nats (JS ≤ ln 2).
//! - **D*-gap**: D* = p_r / (p_r + p_g) per cell from the smoothed masses above; the gap is the
//!   mean of |D(cell centre) − D*| weighted by the mixture (p_r + p_g)/2, so it measures D where
//!   the data are. Only for losses whose D is a probability (see `GanLoss::probability`).
//! - **D accuracy**: real samples scored as real and generated as fake, over both batches. A
//!   probability D decides at 1/2; a Wasserstein critic at the midpoint of its mean scores.
//! - **V(D, G)** = E_r[log D(x)] + E_g[log(1 − D(x))] on the batch, for the log losses;
//!   −2·log 2 at the game's optimum. For WGAN, E_r[f] − E_g[f] estimates W(P_r, P_g) (up to
//!   the critic's Lipschitz constant).

use serde::Serialize;

use crate::config::GanConfig;
use crate::data::toy::{Support, ToyDistribution};
use crate::loss::GanLoss;

/// Samples in the evaluation batch (PacGAN's 2,500).
pub const EVAL_SAMPLES: usize = 2500;
/// Cells per side of the metrics grid.
pub const GRID_CELLS: usize = 64;
/// A sample is high-quality within this many standard deviations of the support.
pub const HQ_STDS: f64 = 3.0;
/// A mode is covered with at least this share of its expected high-quality samples.
pub const COVERAGE_SHARE: f64 = 0.2;
/// Weight of the uniform law mixed into grid masses to keep KL finite.
const FLOOR: f64 = 1e-6;

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

/// The square view [−L, L]² cut into `cells`² cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub half_width: f64,
    pub cells: usize,
}

impl Grid {
    pub fn for_distribution(data: &ToyDistribution) -> Self {
        Self {
            half_width: data.view_half_width() as f64,
            cells: GRID_CELLS,
        }
    }

    pub fn cell_width(&self) -> f64 {
        2.0 * self.half_width / self.cells as f64
    }

    fn edges(&self) -> Vec<f64> {
        (0..=self.cells)
            .map(|k| -self.half_width + k as f64 * self.cell_width())
            .collect()
    }

    /// Cell centres, row-major with y outermost (row j, column i → index j·cells + i),
    /// flattened `[x, y, ...]`.
    pub fn centres(&self) -> Vec<f32> {
        let w = self.cell_width();
        let c = |k: usize| (-self.half_width + (k as f64 + 0.5) * w) as f32;
        (0..self.cells * self.cells)
            .flat_map(|k| [c(k % self.cells), c(k / self.cells)])
            .collect()
    }

    /// Cell masses of an equal-weight mixture of isotropic Gaussians N(c, s²), plus the mass
    /// outside the view as the last entry.
    fn gaussian_masses(&self, centres: impl Iterator<Item = [f64; 2]>, s: f64) -> Vec<f64> {
        let n = self.cells;
        let edges = self.edges();
        let mut mass = vec![0.0; n * n + 1];
        let mut count = 0usize;
        let cdf = |x: f64| 0.5 * (1.0 + libm::erf(x / (s * std::f64::consts::SQRT_2)));
        for c in centres {
            count += 1;
            let px: Vec<f64> = edges
                .windows(2)
                .map(|e| cdf(e[1] - c[0]) - cdf(e[0] - c[0]))
                .collect();
            let py: Vec<f64> = edges
                .windows(2)
                .map(|e| cdf(e[1] - c[1]) - cdf(e[0] - c[1]))
                .collect();
            for (j, &y) in py.iter().enumerate() {
                if y < 1e-12 {
                    continue;
                }
                for (i, &x) in px.iter().enumerate() {
                    mass[j * n + i] += x * y;
                }
            }
        }
        let inside: f64 = mass[..n * n].iter().sum::<f64>() / count as f64;
        for m in &mut mass[..n * n] {
            *m /= count as f64;
        }
        mass[n * n] = (1.0 - inside).max(0.0);
        mass
    }
}

fn floored(p: Vec<f64>) -> Vec<f64> {
    let u = 1.0 / p.len() as f64;
    p.into_iter()
        .map(|v| (1.0 - FLOOR) * v + FLOOR * u)
        .collect()
}

/// KL(p‖q) in nats for discrete laws.
pub fn kl(p: &[f64], q: &[f64]) -> f64 {
    p.iter()
        .zip(q)
        .filter(|(a, _)| **a > 0.0)
        .map(|(a, b)| a * (a / b).ln())
        .sum()
}

/// Jensen–Shannon divergence in nats.
pub fn js(p: &[f64], q: &[f64]) -> f64 {
    let m: Vec<f64> = p.iter().zip(q).map(|(a, b)| 0.5 * (a + b)).collect();
    0.5 * kl(p, &m) + 0.5 * kl(q, &m)
}

fn points(flat: &[f32]) -> impl Iterator<Item = [f64; 2]> + '_ {
    flat.chunks_exact(2).map(|p| [p[0] as f64, p[1] as f64])
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

/// Grid masses of P_r and P_g (smoothed as the module docs say), each with an outside cell.
pub fn grid_masses(data: &ToyDistribution, grid: &Grid, fake: &[f32]) -> (Vec<f64>, Vec<f64>) {
    let std = data.std() as f64;
    let h = std.max(grid.cell_width());
    let support = data.support();
    let p_r = grid.gaussian_masses(support.nodes.iter().copied(), (std * std + h * h).sqrt());
    let p_g = grid.gaussian_masses(points(fake), h);
    (floored(p_r), floored(p_g))
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
pub fn d_star_gap(loss: &GanLoss, d_grid: &[f32], p_r: &[f64], p_g: &[f64]) -> Option<f64> {
    let mut num = 0.0;
    let mut den = 0.0;
    for (k, &s) in d_grid.iter().enumerate() {
        let d = loss.probability(s as f64)?;
        let (r, g) = (p_r[k], p_g[k]);
        let w = 0.5 * (r + g);
        num += w * (d - r / (r + g)).abs();
        den += w;
    }
    Some(num / den)
}

/// The optimal discriminator D* = P_r / (P_r + P_g) at each grid cell centre (the outside
/// cell dropped), from the same smoothed grid masses the divergences use. `[grid_cells²]`
pub fn d_star_grid(p_r: &[f64], p_g: &[f64], cells: usize) -> Vec<f32> {
    p_r.iter()
        .zip(p_g)
        .take(cells * cells)
        .map(|(&r, &g)| (r / (r + g)) as f32)
        .collect()
}

/// The metrics here are the plane's; digits have theirs in `classifier::digit_quality`.
fn plane(config: &GanConfig) -> &crate::data::ToyDistribution {
    config
        .data
        .plane()
        .expect("plane metrics were asked of a digits run")
}

impl Metrics {
    pub fn compute(config: &GanConfig, grid: &Grid, batch: &EvalBatch) -> Self {
        let (p_r, p_g) = grid_masses(plane(config), grid, &batch.fake);
        Self::from_masses(config, batch, &p_r, &p_g)
    }

    /// As [`Metrics::compute`], from grid masses the caller already has (see [`grid_masses`]).
    pub fn from_masses(config: &GanConfig, batch: &EvalBatch, p_r: &[f64], p_g: &[f64]) -> Self {
        let data = plane(config);
        let support = data.support();
        let (modes_covered, high_quality) = mode_coverage(&support, data.std() as f64, &batch.fake);
        let loss = &config.loss;
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
            d_star_gap: d_star_gap(loss, &batch.d_grid, p_r, p_g),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::rng::{SeededRng, Stream};

    fn ring8() -> ToyDistribution {
        ToyDistribution::GaussianRing {
            modes: 8,
            radius: 2.0,
            std: 0.02,
        }
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
    fn d_star_is_one_half_where_g_matches_and_one_where_g_is_absent() {
        let d = ring8();
        let grid = Grid::for_distribution(&d);
        // G = P_r exactly: D* = 1/2 wherever there is mass.
        let fake = d.sample(&mut SeededRng::new(3, Stream::Eval), 20_000);
        let (p_r, p_g) = grid_masses(&d, &grid, &fake);
        let star = d_star_grid(&p_r, &p_g, grid.cells);
        assert_eq!(star.len(), grid.cells * grid.cells);
        let heavy: Vec<f32> = (0..star.len())
            .filter(|&k| p_r[k] > 1e-3)
            .map(|k| star[k])
            .collect();
        assert!(!heavy.is_empty());
        assert!(heavy.iter().all(|&v| (v - 0.5).abs() < 0.1), "{heavy:?}");
        // G collapsed on one mode: D* ≈ 1 on the other modes, < 1/2 on the collapsed one.
        let fake: Vec<f32> = (0..1000).flat_map(|_| [2.0f32, 0.0]).collect();
        let (p_r, p_g) = grid_masses(&d, &grid, &fake);
        let star = d_star_grid(&p_r, &p_g, grid.cells);
        let at = |x: f64, y: f64| {
            let w = grid.cell_width();
            let i = ((x + grid.half_width) / w) as usize;
            let j = ((y + grid.half_width) / w) as usize;
            star[j * grid.cells + i]
        };
        assert!(at(-2.0, 0.0) > 0.99, "{}", at(-2.0, 0.0));
        assert!(at(2.0, 0.0) < 0.5, "{}", at(2.0, 0.0));
    }

    #[test]
    fn divergences_of_known_laws() {
        let p = [0.5, 0.5];
        assert_eq!(kl(&p, &p), 0.0);
        assert_eq!(js(&p, &p), 0.0);
        // Disjoint supports: JS = ln 2.
        assert!((js(&[1.0, 0.0], &[0.0, 1.0]) - std::f64::consts::LN_2).abs() < 1e-12);
        // KL([1/2,1/2] ‖ [1/4,3/4]) = ½ln2 + ½ln(2/3)
        let want = 0.5 * (2.0f64).ln() + 0.5 * (2.0f64 / 3.0).ln();
        assert!((kl(&p, &[0.25, 0.75]) - want).abs() < 1e-12);
    }

    #[test]
    fn grid_js_is_near_zero_for_real_samples_and_large_for_collapse() {
        let d = ring8();
        let grid = Grid::for_distribution(&d);
        let fake = d.sample(&mut SeededRng::new(1, Stream::Eval), EVAL_SAMPLES);
        let (p_r, p_g) = grid_masses(&d, &grid, &fake);
        assert!((p_r.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!((p_g.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        let good = js(&p_r, &p_g);
        assert!(good < 0.01, "JS of real vs real samples {good}");

        let collapsed: Vec<f32> = (0..EVAL_SAMPLES).flat_map(|_| [2.0f32, 0.0]).collect();
        let (p_r, p_g) = grid_masses(&d, &grid, &collapsed);
        let bad = js(&p_r, &p_g);
        // One mode of eight: the supports overlap on 1/8 of P_r's mass.
        assert!(bad > 0.4, "JS of a collapsed G {bad}");
        assert!(kl(&p_r, &p_g) > 2.0, "KL(P_r‖P_g) punishes missing modes");
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
        let gap = d_star_gap(&GanLoss::NonSaturating, &logits, &p_r, &p_g).unwrap();
        assert!(gap < 1e-6, "gap {gap}");
        // D ≡ 1/2 instead: weighted mean of |1/2 − D*|.
        let half = [0.0f32; 4];
        let gap = d_star_gap(&GanLoss::NonSaturating, &half, &p_r, &p_g).unwrap();
        let want = (0.2 * 0.25 + 0.1 * 0.0 + 0.25 * 0.5 + 0.45 * (2.0 / 3.0 - 0.5)) / 1.0;
        assert!((gap - want).abs() < 1e-9, "{gap} vs {want}");
        assert_eq!(
            d_star_gap(&GanLoss::Wasserstein { clip: 0.01 }, &half, &p_r, &p_g),
            None
        );
    }

    #[test]
    fn grid_centres_are_row_major_y_outer() {
        let g = Grid {
            half_width: 1.0,
            cells: 2,
        };
        assert_eq!(
            g.centres(),
            vec![-0.5, -0.5, 0.5, -0.5, -0.5, 0.5, 0.5, 0.5]
        );
    }
}
