//! The density grid behind the plane's divergences and D*: the view square is cut into
//! [`GRID_CELLS`]² cells plus one "outside" cell. P_r's cell masses are exact (normal CDFs).
//! P_g's come from a Gaussian kernel density estimate of the samples with bandwidth
//! h = max(σ, cell width); P_r is smoothed by the same kernel (its blur becomes √(σ² + h²)) so
//! that P_g = P_r gives divergence → 0 rather than a kernel-width bias. Both are mixed with
//! 10⁻⁶ of the uniform law so KL stays finite. KL(P_r‖P_g), KL(P_g‖P_r) and JS are in nats
//! (JS ≤ ln 2). D* = p_r / (p_r + p_g) per cell comes from the same smoothed masses.

use crate::data::PlaneDistribution;

/// Cells per side of the metrics grid.
pub const GRID_CELLS: usize = 64;
/// Weight of the uniform law mixed into grid masses to keep KL finite.
const FLOOR: f64 = 1e-6;

/// The square view [−L, L]² cut into `cells`² cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub half_width: f64,
    pub cells: usize,
}

impl Grid {
    pub fn for_distribution(data: &PlaneDistribution) -> Self {
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
        let (mut px, mut py) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for c in centres {
            count += 1;
            cell_shares(&edges, c[0], s, &mut px);
            cell_shares(&edges, c[1], s, &mut py);
            // Only the columns the kernel reaches: elsewhere a share is exactly 0.
            let Some(first) = px.iter().position(|&x| x != 0.0) else {
                continue;
            };
            let last = px.iter().rposition(|&x| x != 0.0).unwrap_or(first);
            for (j, &y) in py.iter().enumerate() {
                if y < 1e-12 {
                    continue;
                }
                let row = &mut mass[j * n + first..=j * n + last];
                for (m, &x) in row.iter_mut().zip(&px[first..=last]) {
                    *m += x * y;
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

/// Each cell's share of N(c, s²) along one axis, Φ(right edge) − Φ(left edge), into `out`.
///
/// A frame computes this for each of its 2,500 samples, so the CDF is taken once per edge, not
/// twice. Six and more s·√2 from `c`, erf is exactly ±1 in f64 (libm returns 1 − 2⁻¹⁰²², which
/// rounds to 1), so the CDF is exactly 0 or 1 there and erf is skipped. Same numbers, to the bit.
fn cell_shares(edges: &[f64], c: f64, s: f64, out: &mut Vec<f64>) {
    let scale = s * std::f64::consts::SQRT_2;
    let cdf = |e: f64| {
        let z = (e - c) / scale;
        if z >= 6.0 {
            1.0
        } else if z <= -6.0 {
            0.0
        } else {
            0.5 * (1.0 + libm::erf(z))
        }
    };
    let mut left = cdf(edges[0]);
    out.clear();
    for &e in &edges[1..] {
        let right = cdf(e);
        out.push(right - left);
        left = right;
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

pub(crate) fn points(flat: &[f32]) -> impl Iterator<Item = [f64; 2]> + '_ {
    flat.chunks_exact(2).map(|p| [p[0] as f64, p[1] as f64])
}

/// Grid masses of P_r and P_g (smoothed as the module docs say), each with an outside cell.
pub fn grid_masses(data: &PlaneDistribution, grid: &Grid, fake: &[f32]) -> (Vec<f64>, Vec<f64>) {
    let std = data.std() as f64;
    let h = std.max(grid.cell_width());
    let support = data.support();
    let p_r = grid.gaussian_masses(support.nodes.iter().copied(), (std * std + h * h).sqrt());
    let p_g = grid.gaussian_masses(points(fake), h);
    (floored(p_r), floored(p_g))
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

/// Where the mixture M = (P_r + P_g)/2 has mass: each cell's share of M against a uniform
/// law's share of the view (1 = as much as if M were spread evenly; the outside cell
/// dropped). D* is a ratio of two near-zeros where this is small, and a few stray samples of G
/// decide it; the page fades D* and D out there. `[grid_cells²]`
pub fn mass_grid(p_r: &[f64], p_g: &[f64], cells: usize) -> Vec<f32> {
    let uniform = 1.0 / (cells * cells) as f64;
    p_r.iter()
        .zip(p_g)
        .take(cells * cells)
        .map(|(&r, &g)| (0.5 * (r + g) / uniform) as f32)
        .collect()
}

/// Below this [`mass_grid`] value a cell has too little mass for D* to mean anything: the
/// page fades D* and D out toward it (full colour from here up, none at 0).
pub const MASS_SHOWN: f32 = 0.5;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::eval::plane::EVAL_SAMPLES;
    use crate::rng::{SeededRng, Stream};

    fn ring8() -> PlaneDistribution {
        crate::Preset::Ring8.config().data.plane().cloned().unwrap()
    }

    /// The masses as first written: the CDF at both edges of every cell, every cell visited.
    fn masses_by_definition(grid: &Grid, centres: &[[f64; 2]], s: f64) -> Vec<f64> {
        let n = grid.cells;
        let edges = grid.edges();
        let mut mass = vec![0.0; n * n + 1];
        let cdf = |x: f64| 0.5 * (1.0 + libm::erf(x / (s * std::f64::consts::SQRT_2)));
        for c in centres {
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
        let count = centres.len() as f64;
        let inside: f64 = mass[..n * n].iter().sum::<f64>() / count;
        for m in &mut mass[..n * n] {
            *m /= count;
        }
        mass[n * n] = (1.0 - inside).max(0.0);
        mass
    }

    /// The shortcuts change no bit: narrow and wide kernels, centres inside, on an edge and
    /// far outside the view.
    #[test]
    fn masses_match_their_definition_to_the_bit() {
        let grid = Grid::for_distribution(&ring8());
        let mut rng = SeededRng::new(7, Stream::Data);
        let mut centres: Vec<[f64; 2]> = rng
            .normal_vec(2 * 500)
            .chunks(2)
            .map(|p| [p[0] as f64 * 2.0, p[1] as f64 * 2.0])
            .collect();
        centres.extend([
            [0.0, 0.0],
            [grid.half_width, 0.0],
            [40.0, -40.0],
            [-3.0, 100.0],
        ]);
        for s in [0.01, grid.cell_width(), 0.3, 5.0] {
            let fast = grid.gaussian_masses(centres.iter().copied(), s);
            let slow = masses_by_definition(&grid, &centres, s);
            assert!(
                fast.iter()
                    .zip(&slow)
                    .all(|(a, b)| a.to_bits() == b.to_bits()),
                "s = {s}"
            );
        }
    }

    #[test]
    fn d_star_is_one_half_where_g_matches_and_one_where_g_is_absent() {
        let d = ring8();
        let grid = Grid::for_distribution(&d);
        // G = P_r (G's samples drawn from P_r itself, as many as a frame has): D* = 1/2
        // wherever the mixture has mass, i.e. wherever the page shows D* unfaded.
        let fake = d.sample(&mut SeededRng::new(3, Stream::Eval), EVAL_SAMPLES);
        let (p_r, p_g) = grid_masses(&d, &grid, &fake);
        let star = d_star_grid(&p_r, &p_g, grid.cells);
        let mass = mass_grid(&p_r, &p_g, grid.cells);
        assert_eq!(star.len(), grid.cells * grid.cells);
        assert_eq!(mass.len(), star.len());
        let shown: Vec<f32> = (0..star.len())
            .filter(|&k| mass[k] >= MASS_SHOWN)
            .map(|k| (star[k] - 0.5).abs())
            .collect();
        let mean = shown.iter().sum::<f32>() / shown.len() as f32;
        let worst = shown.iter().fold(0.0f32, |a, &b| a.max(b));
        eprintln!(
            "D* with P_g = P_r ({EVAL_SAMPLES} samples): {} of {} cells shown, mean |D* - 1/2| = {mean:.4}, max {worst:.4}",
            shown.len(),
            star.len()
        );
        assert!(shown.len() > 100, "{} cells shown", shown.len());
        assert!(mean < 0.02 && worst < 0.1, "mean {mean}, max {worst}");
        // Outside the shown cells are the tails, which hold almost none of the mixture.
        let hidden: f64 = (0..star.len())
            .filter(|&k| mass[k] < MASS_SHOWN)
            .map(|k| 0.5 * (p_r[k] + p_g[k]))
            .sum();
        assert!(hidden < 0.05, "{hidden} of the mass faded out");
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
