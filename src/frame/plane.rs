//! The plane view's frame: real and generated points, D and D* over the view, where G's loss
//! pushes each point, G's manifold, and the metrics. Points are flat `[x0, y0, x1, y1, ...]`.

use crate::data::PlaneDistribution;
use crate::error::Error;
use crate::eval::plane::eval_tensors;
use crate::eval::plane::{
    EVAL_SAMPLES, EvalBatch, Grid, Metrics, d_star_grid, grid_masses, mass_grid,
};
use crate::frame::{LossLog, Losses};
use crate::probe;
use crate::readback::{flat, read_many};
use crate::train::Trainer;

/// Side of the latent grid drawn as G's manifold.
pub const MANIFOLD_SIDE: usize = 24;

/// One frame of the plane view.
#[derive(Debug, Clone)]
pub struct PlaneFrame {
    pub step: u64,
    /// The view is [−half_width, half_width]².
    pub half_width: f32,
    /// D's grid is `grid_cells` × `grid_cells`, row-major with y outer (see `Grid::centres`).
    pub grid_cells: usize,
    /// The fixed evaluation batch of real points. `[n * 2]`
    pub real: Vec<f32>,
    /// G's points from the fixed noise batch (the same z every frame). `[n * 2]`
    pub fake: Vec<f32>,
    /// Where G's loss pushes each of `fake`: −∂ℓ/∂x. `[n * 2]`
    pub g_grad: Vec<f32>,
    /// D's raw scores on the grid's cell centres. `[grid_cells²]`
    pub d_grid: Vec<f32>,
    /// `d_grid` on the page's colour scale, in [0, 1] (see `GanLoss::verdict`). `[grid_cells²]`
    pub d_verdict: Vec<f32>,
    /// For a critic, the lowest and highest score that the verdict's ends stand for.
    pub critic_range: Option<(f32, f32)>,
    /// The optimal D* = P_r / (P_r + P_g) on the same cells, P_g estimated from `fake`.
    /// `[grid_cells²]`
    pub d_star_grid: Vec<f32>,
    /// How much of the mixture (P_r + P_g)/2 each cell holds, against a uniform law's share
    /// (see `mass_grid`): where D* and D mean something. `[grid_cells²]`
    pub mass_grid: Vec<f32>,
    /// G's image of a latent grid, `manifold_side`² points. `[manifold_side² * 2]`
    pub manifold: Vec<f32>,
    pub manifold_side: usize,
    pub losses: Losses,
    pub metrics: Metrics,
}

impl PlaneFrame {
    /// Whether the run has blown up: a loss since the previous frame, G's points or D's
    /// scores are NaN or infinite. (A step's loss is computed before its update, so finite
    /// losses alone do not clear the weights that update wrote.)
    pub fn diverged(&self) -> bool {
        self.losses.diverged() || super::any_non_finite(self.fake.iter().chain(&self.d_grid))
    }
}

/// Reads the plane view's state back in one device read; drains `log`.
pub async fn read(
    t: &Trainer,
    data: &PlaneDistribution,
    log: &mut LossLog,
) -> Result<PlaneFrame, Error> {
    let grid = Grid::for_distribution(data);
    let e = eval_tensors(t, data, EVAL_SAMPLES, &grid);
    let g_grad = probe::generator_gradients(t, e.fake.clone());
    let manifold = probe::manifold(t, MANIFOLD_SIDE);
    let mut parts = vec![
        flat(e.fake),
        flat(e.d_fake),
        flat(e.d_real),
        flat(e.d_grid),
        flat(g_grad),
        flat(manifold),
    ];
    log.drain_into(&mut parts);
    let mut read = read_many(parts).await?.into_iter();
    let mut next = || read.next().expect("one part per tensor read");
    let batch = EvalBatch {
        real: e.real,
        fake: next(),
        d_fake: next(),
        d_real: next(),
        d_grid: next(),
    };
    let (g_grad, manifold) = (next(), next());
    let losses = Losses::from_rest(read);
    let (p_r, p_g) = grid_masses(data, &grid, &batch.fake);
    let loss = t.config().loss;
    let metrics = Metrics::from_masses(data, &loss, t.config().pack, &batch, &p_r, &p_g);
    let verdict = loss.verdict(&batch.d_grid);
    Ok(PlaneFrame {
        step: t.steps(),
        half_width: grid.half_width as f32,
        grid_cells: grid.cells,
        real: batch.real,
        fake: batch.fake,
        g_grad,
        d_grid: batch.d_grid,
        d_verdict: verdict.values,
        critic_range: verdict.critic_range,
        d_star_grid: d_star_grid(&p_r, &p_g, grid.cells),
        mass_grid: mass_grid(&p_r, &p_g, grid.cells),
        manifold,
        manifold_side: MANIFOLD_SIDE,
        losses,
        metrics,
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::config::Preset;
    use crate::readback::block_on;
    use burn::prelude::Device;

    #[test]
    fn a_plane_frame_has_the_documented_shapes() {
        let config = Preset::Ring8.config();
        let data = config.data.plane().unwrap().clone();
        let mut t = Trainer::new(config, &Device::flex()).unwrap();
        let mut log = LossLog::default();
        for _ in 0..3 {
            log.push(t.step());
        }
        let s = block_on(read(&t, &data, &mut log)).unwrap();
        assert_eq!(s.step, 3);
        assert_eq!(s.real.len(), 2 * EVAL_SAMPLES);
        assert_eq!(s.fake.len(), 2 * EVAL_SAMPLES);
        assert_eq!(s.g_grad.len(), 2 * EVAL_SAMPLES);
        assert_eq!(s.d_grid.len(), s.grid_cells * s.grid_cells);
        assert_eq!(s.d_verdict.len(), s.d_grid.len());
        assert!(s.d_verdict.iter().all(|v| (0.0..=1.0).contains(v)));
        assert_eq!(s.manifold.len(), 2 * MANIFOLD_SIDE * MANIFOLD_SIDE);
        assert_eq!((s.losses.d.len(), s.losses.g.len()), (3, 3));
        assert!(!s.diverged());
        assert!(log.is_empty());
        // The same z every time: a second frame without training gives the same points.
        let again = block_on(read(&t, &data, &mut log)).unwrap();
        assert_eq!(again.fake, s.fake);
        assert!(again.losses.d.is_empty());
    }
}
