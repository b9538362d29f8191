//! The plane: 2-D distributions (the "toys" of the GAN literature), their seeded sampling and
//! the true density p_r(x).
//!
//! Every distribution here is a *support* (a finite set of points, or a curve) blurred by
//! isotropic Gaussian noise of standard deviation `std`. That one form gives each of them an
//! exact sampler, a density (the grid metrics and D* integrate its support's Gaussians exactly
//! per cell, see `eval::grid`; `density` itself checks them in tests), and a natural notion of
//! "modes" for the mode-coverage metric:
//! - point sets (rings and grids of Gaussians, two Gaussians, drawn points): one mode per point;
//! - curves (ring, spiral, moons): the curve's parameter range cut into equal segments.
//!
//! A curve's density is the integral of the Gaussian kernel along the curve; it is computed by the
//! midpoint rule on [`CURVE_NODES`] nodes, which are spaced far below `std` for every valid
//! config (validation enforces it), so the quadrature error is negligible.

use serde::{Deserialize, Serialize};
use std::f64::consts::{PI, TAU};

use crate::check::{ConfigError, positive};
use crate::rng::SeededRng;

/// Drawn points: each is a mode the metrics and D* visit every frame (a grid cell × mode
/// product), so thousands would slow every frame; far more than a hand draws.
pub const MAX_POINTS: usize = 1000;
/// Drawn points' coordinates: the view spans the data, so one far point would shrink the rest
/// to a dot.
pub const MAX_COORDINATE: f32 = 100.0;

/// Quadrature nodes along a curve (ring, spiral, moons) for its density and nearest-point search.
pub const CURVE_NODES: usize = 2048;

/// The real distribution P_r. One enum, matched here alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum PlaneDistribution {
    /// `modes` Gaussians evenly spaced on a circle (the first at angle 0).
    GaussianRing { modes: usize, radius: f32, std: f32 },
    /// A `side` × `side` grid of Gaussians centred on the origin.
    GaussianGrid { side: usize, spacing: f32, std: f32 },
    /// Two Gaussians at (−separation/2, 0) and (+separation/2, 0).
    TwoGaussians { separation: f32, std: f32 },
    /// A continuous circle: angle uniform, radius blurred by `std`.
    Ring { radius: f32, std: f32 },
    /// An Archimedean spiral from the origin out to `radius` over `turns` turns, the curve's
    /// parameter uniform (so the inner part is denser per unit length, as in the usual toy set).
    Spiral { turns: f32, radius: f32, std: f32 },
    /// Two interleaved half circles of radius `radius` (scikit-learn's `make_moons` shape,
    /// scaled), centred on the origin.
    Moons { radius: f32, std: f32 },
    /// A user-given point set (the page's "draw your own"): one Gaussian per point.
    Points { points: Vec<[f32; 2]>, std: f32 },
}

/// How many modes a curve's parameter range is cut into for the coverage metric.
const CURVE_SEGMENTS: usize = 8;

impl PlaneDistribution {
    /// Standard deviation of the Gaussian blur around the support.
    pub fn std(&self) -> f32 {
        match self {
            Self::GaussianRing { std, .. }
            | Self::GaussianGrid { std, .. }
            | Self::TwoGaussians { std, .. }
            | Self::Ring { std, .. }
            | Self::Spiral { std, .. }
            | Self::Moons { std, .. }
            | Self::Points { std, .. } => *std,
        }
    }

    /// The support's point set, or `None` for a curve.
    fn point_set(&self) -> Option<Vec<[f64; 2]>> {
        match self {
            Self::GaussianRing { modes, radius, .. } => Some(
                (0..*modes)
                    .map(|k| {
                        let a = TAU * k as f64 / *modes as f64;
                        [*radius as f64 * a.cos(), *radius as f64 * a.sin()]
                    })
                    .collect(),
            ),
            Self::GaussianGrid { side, spacing, .. } => {
                let half = (*side as f64 - 1.0) / 2.0;
                let s = *spacing as f64;
                Some(
                    (0..side * side)
                        .map(|k| {
                            [
                                ((k % side) as f64 - half) * s,
                                ((k / side) as f64 - half) * s,
                            ]
                        })
                        .collect(),
                )
            }
            Self::TwoGaussians { separation, .. } => {
                let h = *separation as f64 / 2.0;
                Some(vec![[-h, 0.0], [h, 0.0]])
            }
            Self::Points { points, .. } => {
                Some(points.iter().map(|p| [p[0] as f64, p[1] as f64]).collect())
            }
            Self::Ring { .. } | Self::Spiral { .. } | Self::Moons { .. } => None,
        }
    }

    /// The curve's point at parameter `t` in [0, 1); only called for curves.
    fn curve_at(&self, t: f64) -> [f64; 2] {
        match self {
            Self::Ring { radius, .. } => {
                let a = TAU * t;
                [*radius as f64 * a.cos(), *radius as f64 * a.sin()]
            }
            Self::Spiral { turns, radius, .. } => {
                let a = TAU * *turns as f64 * t;
                let r = *radius as f64 * t;
                [r * a.cos(), r * a.sin()]
            }
            Self::Moons { radius, .. } => {
                // make_moons: upper arc centred at (0, 0), lower arc at (1, 0.5), both radius 1;
                // shifted by (−0.5, −0.25) to centre the pair, then scaled.
                let r = *radius as f64;
                let (x, y) = if t < 0.5 {
                    let a = PI * (t * 2.0);
                    (a.cos() - 0.5, a.sin() - 0.25)
                } else {
                    let a = PI * ((t - 0.5) * 2.0);
                    (1.0 - a.cos() - 0.5, 0.5 - a.sin() - 0.25)
                };
                [r * x, r * y]
            }
            _ => unreachable!("curve_at is only called for curves"),
        }
    }

    /// The support as a finite node set, each node tagged with its mode, equal weights.
    pub fn support(&self) -> Support {
        match self.point_set() {
            Some(nodes) => Support {
                mode_of: (0..nodes.len()).collect(),
                modes: nodes.len(),
                nodes,
            },
            None => {
                let nodes = (0..CURVE_NODES)
                    .map(|k| self.curve_at((k as f64 + 0.5) / CURVE_NODES as f64))
                    .collect();
                Support {
                    nodes,
                    mode_of: (0..CURVE_NODES)
                        .map(|k| k * CURVE_SEGMENTS / CURVE_NODES)
                        .collect(),
                    modes: CURVE_SEGMENTS,
                }
            }
        }
    }

    /// `n` samples, flattened `[x0, y0, x1, y1, ...]`.
    pub fn sample(&self, rng: &mut SeededRng, n: usize) -> Vec<f32> {
        let std = self.std() as f64;
        let points = self.point_set();
        let mut out = Vec::with_capacity(2 * n);
        for _ in 0..n {
            let c = match &points {
                Some(p) => p[rng.index(p.len())],
                None => self.curve_at(rng.uniform()),
            };
            out.push((c[0] + std * rng.normal()) as f32);
            out.push((c[1] + std * rng.normal()) as f32);
        }
        out
    }

    /// The half-width L of the square view [−L, L]² that holds the support with a margin; the
    /// page draws, and the grid metrics integrate, over it.
    pub fn view_half_width(&self) -> f32 {
        let s = self.support();
        let reach = s
            .nodes
            .iter()
            .map(|p| p[0].abs().max(p[1].abs()))
            .fold(0.0, f64::max);
        // 25% margin (and at least 1) so generated points that overshoot stay in view.
        ((reach + 4.0 * self.std() as f64) * 1.25).max(1.0) as f32
    }
}

/// A distribution's support as nodes; the density is the mean Gaussian kernel over the nodes.
#[derive(Debug, Clone)]
pub struct Support {
    /// Support points (or quadrature nodes along a curve).
    pub nodes: Vec<[f64; 2]>,
    /// The mode each node belongs to.
    pub mode_of: Vec<usize>,
    /// Number of modes.
    pub modes: usize,
}

impl Support {
    /// The density of the Gaussian-blurred support at `x`, with blur `std`.
    pub fn density(&self, x: [f64; 2], std: f64) -> f64 {
        let inv = 1.0 / (2.0 * std * std);
        let norm = 1.0 / (2.0 * PI * std * std * self.nodes.len() as f64);
        self.nodes
            .iter()
            .map(|c| {
                let (dx, dy) = (x[0] - c[0], x[1] - c[1]);
                (-(dx * dx + dy * dy) * inv).exp()
            })
            .sum::<f64>()
            * norm
    }

    /// The nearest node to `x`: (node index, distance).
    pub fn nearest(&self, x: [f64; 2]) -> (usize, f64) {
        let mut best = (0, f64::INFINITY);
        for (i, c) in self.nodes.iter().enumerate() {
            let d = (x[0] - c[0]).powi(2) + (x[1] - c[1]).powi(2);
            if d < best.1 {
                best = (i, d);
            }
        }
        (best.0, best.1.sqrt())
    }
}

impl PlaneDistribution {
    /// The true density p_r(x).
    pub fn density(&self, x: [f64; 2]) -> f64 {
        self.support().density(x, self.std() as f64)
    }

    /// Checks the distribution's own numbers; `field` is the config path used in messages.
    pub(crate) fn validate(&self, field: &str) -> Result<(), ConfigError> {
        positive(&format!("{field}.std"), self.std() as f64)?;
        match self {
            Self::GaussianRing { modes, radius, .. } => {
                if *modes == 0 {
                    return Err(ConfigError::new(
                        format!("{field}.modes"),
                        "must be at least 1",
                    ));
                }
                positive(&format!("{field}.radius"), *radius as f64)
            }
            Self::GaussianGrid { side, spacing, .. } => {
                if *side == 0 {
                    return Err(ConfigError::new(
                        format!("{field}.side"),
                        "must be at least 1",
                    ));
                }
                positive(&format!("{field}.spacing"), *spacing as f64)
            }
            Self::TwoGaussians { separation, .. } => {
                positive(&format!("{field}.separation"), *separation as f64)
            }
            Self::Ring { radius, .. } | Self::Moons { radius, .. } => {
                positive(&format!("{field}.radius"), *radius as f64)?;
                self.check_quadrature(field)
            }
            Self::Spiral { turns, radius, .. } => {
                positive(&format!("{field}.turns"), *turns as f64)?;
                positive(&format!("{field}.radius"), *radius as f64)?;
                self.check_quadrature(field)
            }
            Self::Points { points, .. } => {
                if points.is_empty() {
                    return Err(ConfigError::new(
                        format!("{field}.points"),
                        "needs at least one point",
                    ));
                }
                if points.iter().flatten().any(|v| !v.is_finite()) {
                    return Err(ConfigError::new(
                        format!("{field}.points"),
                        "every coordinate must be a finite number",
                    ));
                }
                if points.len() > MAX_POINTS {
                    return Err(ConfigError::new(
                        format!("{field}.points"),
                        format!(
                            "{} points is too many: at most {}",
                            points.len(),
                            MAX_POINTS
                        ),
                    ));
                }
                if points.iter().flatten().any(|v| v.abs() > MAX_COORDINATE) {
                    return Err(ConfigError::new(
                        format!("{field}.points"),
                        format!("every coordinate must be within ±{}", MAX_COORDINATE),
                    ));
                }
                Ok(())
            }
        }
    }

    /// The midpoint rule is accurate only while each node's parameter interval spans well under
    /// one std of the plane (measured within intervals, so moons' jump between arcs is no gap).
    fn check_quadrature(&self, field: &str) -> Result<(), ConfigError> {
        let n = CURVE_NODES as f64;
        let gap = (0..CURVE_NODES)
            .map(|k| {
                let a = self.curve_at(k as f64 / n);
                let b = self.curve_at((k as f64 + 1.0) / n - 1e-12);
                ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
            })
            .fold(0.0, f64::max);
        if gap > 0.5 * self.std() as f64 {
            return Err(ConfigError::new(
                format!("{field}.std"),
                format!(
                    "is too small for this curve's length: std must be at least {:.4} \
                     (twice the density's quadrature spacing)",
                    2.0 * gap
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::rng::Stream;

    fn all() -> Vec<PlaneDistribution> {
        crate::config::Preset::ALL
            .iter()
            .filter_map(|p| p.config().data.plane().cloned())
            .chain([PlaneDistribution::Points {
                points: vec![[0.0, 0.0], [1.0, 2.0], [-1.5, 0.5]],
                std: 0.1,
            }])
            .collect()
    }

    #[test]
    fn drawn_points_are_refused_by_name_when_none_nan_too_many_or_too_far() {
        let check = |points: Vec<[f32; 2]>| {
            PlaneDistribution::Points { points, std: 0.1 }
                .validate("data")
                .map_err(|e| (e.field, e.reason))
        };
        assert!(check(vec![[0.5, -0.5]]).is_ok());
        assert!(check(vec![[0.0, 0.0]; MAX_POINTS]).is_ok());
        for (points, says) in [
            (vec![], "at least one"),
            (vec![[f32::NAN, 0.0]], "finite"),
            (vec![[0.0, 0.0]; MAX_POINTS + 1], "too many"),
            (vec![[0.0, 1e6]], "within"),
        ] {
            let (field, message) = check(points).unwrap_err();
            assert_eq!(field, "data.points");
            assert!(message.contains(says), "{message}");
        }
    }

    #[test]
    fn sampling_is_deterministic_per_seed() {
        for d in all() {
            let a = d.sample(&mut SeededRng::new(3, Stream::Data), 64);
            let b = d.sample(&mut SeededRng::new(3, Stream::Data), 64);
            let c = d.sample(&mut SeededRng::new(4, Stream::Data), 64);
            assert_eq!(a, b, "{d:?}");
            assert_ne!(a, c, "{d:?}");
        }
    }

    #[test]
    fn ring8_moments_match_theory() {
        // Centres on a circle of radius 2, so E[x] = 0 and E[x² + y²] = r² + 2σ².
        let d = PlaneDistribution::GaussianRing {
            modes: 8,
            radius: 2.0,
            std: 0.02,
        };
        let n = 40_000;
        let s = d.sample(&mut SeededRng::new(1, Stream::Data), n);
        let (mut mx, mut my, mut r2) = (0.0, 0.0, 0.0);
        for p in s.chunks(2) {
            mx += p[0] as f64;
            my += p[1] as f64;
            r2 += (p[0] as f64).powi(2) + (p[1] as f64).powi(2);
        }
        let n = n as f64;
        assert!(
            (mx / n).abs() < 0.03 && (my / n).abs() < 0.03,
            "mean {} {}",
            mx / n,
            my / n
        );
        assert!(
            (r2 / n - (4.0 + 2.0 * 0.0004)).abs() < 0.01,
            "E|x|² = {}",
            r2 / n
        );
    }

    #[test]
    fn grid_sample_std_matches_config() {
        // Around its own nearest centre, each coordinate's spread is the configured std.
        let d = PlaneDistribution::GaussianGrid {
            side: 5,
            spacing: 2.0,
            std: 0.05,
        };
        let s = d.sample(&mut SeededRng::new(2, Stream::Data), 20_000);
        let sup = d.support();
        let var: f64 = s
            .chunks(2)
            .map(|p| {
                let c = sup.nodes[sup.nearest([p[0] as f64, p[1] as f64]).0];
                (p[0] as f64 - c[0]).powi(2)
            })
            .sum::<f64>()
            / 20_000.0;
        assert!((var.sqrt() - 0.05).abs() < 0.002, "std {}", var.sqrt());
    }

    #[test]
    fn density_integrates_to_one() {
        for d in all() {
            let l = d.view_half_width() as f64;
            // A cell must resolve the blur: the grid is fine enough for each distribution's std.
            let n = ((2.0 * l / (d.std() as f64 / 2.0)).ceil() as usize).clamp(200, 1600);
            let h = 2.0 * l / n as f64;
            let sup = d.support();
            let std = d.std() as f64;
            let mut total = 0.0;
            for i in 0..n {
                for j in 0..n {
                    let x = [-l + (i as f64 + 0.5) * h, -l + (j as f64 + 0.5) * h];
                    total += sup.density(x, std) * h * h;
                }
            }
            assert!((total - 1.0).abs() < 0.01, "{d:?} integrates to {total}");
        }
    }

    #[test]
    fn samples_fall_where_the_density_is() {
        // Nearly all samples lie within 4σ of the support.
        for d in all() {
            let s = d.sample(&mut SeededRng::new(5, Stream::Data), 2000);
            let sup = d.support();
            let near = s
                .chunks(2)
                .filter(|p| sup.nearest([p[0] as f64, p[1] as f64]).1 < 4.0 * d.std() as f64)
                .count();
            assert!(near >= 1990, "{d:?}: {near} of 2000 within 4σ");
        }
    }

    #[test]
    fn curves_are_cut_into_segments() {
        let d = PlaneDistribution::Ring {
            radius: 2.0,
            std: 0.05,
        };
        let s = d.support();
        assert_eq!(s.modes, CURVE_SEGMENTS);
        assert_eq!(s.mode_of[0], 0);
        assert_eq!(s.mode_of[CURVE_NODES - 1], CURVE_SEGMENTS - 1);
    }
}
