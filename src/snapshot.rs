//! What the page draws: everything read back from the device at once, asynchronously.
//!
//! A snapshot is taken every few steps, never every step: each read waits for the device.
//! Points are flat `[x0, y0, x1, y1, ...]` arrays so they cross to JS as typed arrays.

use burn::prelude::*;

use crate::metrics::EvalBatch;
use crate::metrics::{EVAL_SAMPLES, Grid, Metrics, d_star_grid, grid_masses};
use crate::readback::{ReadError, flat, read_many};
use crate::train::{StepLosses, Trainer};

/// Side of the latent grid drawn as G's manifold.
pub const MANIFOLD_SIDE: usize = 24;

/// Losses of the steps since the last snapshot, still on the device.
#[derive(Default)]
pub struct LossLog {
    d: Vec<Tensor<1>>,
    g: Vec<Tensor<1>>,
}

/// Above this many pending scalars the log concatenates them (a lazy op, no read) so a long
/// run between snapshots does not hold thousands of handles.
const MERGE_AT: usize = 256;

impl LossLog {
    pub fn push(&mut self, losses: StepLosses) {
        // Off the autodiff context, so they can join plain tensors in one read.
        self.d.push(losses.d_loss.without_autodiff());
        self.g.push(losses.g_loss.without_autodiff());
        if self.d.len() >= MERGE_AT {
            self.d = vec![Tensor::cat(std::mem::take(&mut self.d), 0)];
            self.g = vec![Tensor::cat(std::mem::take(&mut self.g), 0)];
        }
    }

    pub fn is_empty(&self) -> bool {
        self.d.is_empty()
    }

    /// Takes the pending losses, unread: (D's, G's), one value per step, or `None` if no step
    /// ran since the last snapshot (zero-length tensors are best kept off GPU backends). `[k]`
    pub(crate) fn take(&mut self) -> Option<(Tensor<1>, Tensor<1>)> {
        if self.d.is_empty() {
            return None;
        }
        Some((
            Tensor::cat(std::mem::take(&mut self.d), 0),
            Tensor::cat(std::mem::take(&mut self.g), 0),
        ))
    }
}

/// One frame of the lab.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub step: u64,
    /// The view is [−half_width, half_width]².
    pub half_width: f32,
    /// D's grid is `grid_cells` × `grid_cells`, row-major with y outer (see `Grid::centres`).
    pub grid_cells: usize,
    /// The fixed evaluation batch of real points. `[n * 2]`
    pub real: Vec<f32>,
    /// G's points from the fixed noise batch (the same z every snapshot). `[n * 2]`
    pub fake: Vec<f32>,
    /// Where G's loss pushes each of `fake`: −∂ℓ/∂x. `[n * 2]`
    pub g_grad: Vec<f32>,
    /// D's raw scores on the grid's cell centres. `[grid_cells²]`
    pub d_grid: Vec<f32>,
    /// The optimal D* = P_r / (P_r + P_g) on the same cells, P_g estimated from `fake`.
    /// `[grid_cells²]`
    pub d_star_grid: Vec<f32>,
    /// G's image of a latent grid, `manifold_side`² points. `[manifold_side² * 2]`
    pub manifold: Vec<f32>,
    pub manifold_side: usize,
    /// D's and G's loss at each step since the previous snapshot.
    pub d_losses: Vec<f32>,
    pub g_losses: Vec<f32>,
    pub metrics: Metrics,
}

impl Snapshot {
    /// Whether any loss since the last snapshot is NaN or infinite.
    pub fn diverged(&self) -> bool {
        self.d_losses
            .iter()
            .chain(&self.g_losses)
            .any(|v| !v.is_finite())
    }
}

impl Trainer {
    /// Reads the current state back for drawing, in one device read; drains `log`.
    pub async fn snapshot(&self, log: &mut LossLog) -> Result<Snapshot, ReadError> {
        let grid = Grid::for_distribution(self.plane());
        let t = self.eval_tensors(EVAL_SAMPLES, &grid);
        let g_grad = self.generator_gradients_at(t.fake.clone());
        let manifold = self.manifold(MANIFOLD_SIDE);
        let losses = log.take();
        let mut parts = vec![
            flat(t.fake),
            flat(t.d_fake),
            flat(t.d_real),
            flat(t.d_grid),
            flat(g_grad),
            flat(manifold),
        ];
        if let Some((d, g)) = losses {
            parts.extend([d, g]);
        }
        let mut read = read_many(parts).await?.into_iter();
        let mut next = || read.next().expect("one part per tensor read");
        let batch = EvalBatch {
            real: t.real,
            fake: next(),
            d_fake: next(),
            d_real: next(),
            d_grid: next(),
        };
        let (g_grad, manifold) = (next(), next());
        // Absent when no step ran since the last snapshot.
        let (d_losses, g_losses) = (
            read.next().unwrap_or_default(),
            read.next().unwrap_or_default(),
        );
        let (p_r, p_g) = grid_masses(self.plane(), &grid, &batch.fake);
        let metrics = Metrics::from_masses(self.config(), &batch, &p_r, &p_g);
        Ok(Snapshot {
            step: self.steps(),
            half_width: grid.half_width as f32,
            grid_cells: grid.cells,
            real: batch.real,
            fake: batch.fake,
            g_grad,
            d_grid: batch.d_grid,
            d_star_grid: d_star_grid(&p_r, &p_g, grid.cells),
            manifold,
            manifold_side: MANIFOLD_SIDE,
            d_losses,
            g_losses,
            metrics,
        })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::Preset;
    use crate::readback::{block_on, read_floats};

    #[test]
    fn snapshot_has_the_documented_shapes() {
        let mut t = Trainer::new(Preset::Ring8.config(), &Device::flex()).unwrap();
        let mut log = LossLog::default();
        for _ in 0..3 {
            log.push(t.step());
        }
        let s = block_on(t.snapshot(&mut log)).unwrap();
        assert_eq!(s.step, 3);
        assert_eq!(s.real.len(), 2 * EVAL_SAMPLES);
        assert_eq!(s.fake.len(), 2 * EVAL_SAMPLES);
        assert_eq!(s.g_grad.len(), 2 * EVAL_SAMPLES);
        assert_eq!(s.d_grid.len(), s.grid_cells * s.grid_cells);
        assert_eq!(s.manifold.len(), 2 * MANIFOLD_SIDE * MANIFOLD_SIDE);
        assert_eq!((s.d_losses.len(), s.g_losses.len()), (3, 3));
        assert!(!s.diverged());
        assert!(log.is_empty());
        // The same z every time: a second snapshot without training gives the same points.
        let again = block_on(t.snapshot(&mut log)).unwrap();
        assert_eq!(again.fake, s.fake);
        assert!(again.d_losses.is_empty());
    }

    #[test]
    fn generator_gradients_point_where_the_loss_falls() {
        // Moving each point a little along −∂ℓ/∂x must lower G's loss.
        let mut t = Trainer::new(Preset::Ring8.config(), &Device::flex()).unwrap();
        for _ in 0..20 {
            t.step();
        }
        let pts: Vec<f32> = vec![0.5, 0.5, -1.0, 0.2, 1.5, -1.5];
        let grad = block_on(read_floats(t.generator_gradients(pts.clone()))).unwrap();
        let loss = |p: &[f32]| {
            let scores = block_on(read_floats(t.discriminate(p.to_vec()))).unwrap();
            let col = Tensor::<1>::from_floats(scores.as_slice(), &Device::flex())
                .reshape([scores.len(), 1]);
            crate::readback::read_scalar_blocking(t.config().loss.generator_loss(col))
        };
        let moved: Vec<f32> = pts.iter().zip(&grad).map(|(p, g)| p + 1e-3 * g).collect();
        assert!(
            loss(&moved) < loss(&pts),
            "{} !< {}",
            loss(&moved),
            loss(&pts)
        );
    }

    #[test]
    fn live_settings_apply_or_refuse_without_change() {
        let mut t = Trainer::new(Preset::Ring8.config(), &Device::flex()).unwrap();
        let mut live = t.live();
        live.discriminator_lr = 5e-4;
        live.loss = crate::GanLoss::LeastSquares;
        live.d_steps = 3;
        t.set_live(live).unwrap();
        assert_eq!(t.live(), live);
        t.step();
        let before = t.live();
        let bad = crate::train::LiveSettings {
            generator_lr: f64::NAN,
            ..before
        };
        assert_eq!(t.set_live(bad).unwrap_err().field, "generator.optimizer.lr");
        assert_eq!(t.live(), before);
    }

    #[test]
    fn half_steps_move_d_then_g() {
        let mut t = Trainer::new(Preset::Ring8.config(), &Device::flex()).unwrap();
        let read = |t: &Trainer| {
            let g = block_on(read_floats(t.manifold(4))).unwrap();
            let d = block_on(read_floats(t.discriminate(vec![0.5, 0.5]))).unwrap();
            (g, d)
        };
        let (g0, d0) = read(&t);
        let d_loss = t.discriminator_phase();
        let (g1, d1) = read(&t);
        assert_eq!(
            (g1.clone(), t.steps()),
            (g0, 0),
            "D's half leaves G and the count alone"
        );
        assert_ne!(d1, d0);
        t.generator_phase(d_loss);
        let (g2, d2) = read(&t);
        assert_eq!(
            (d2, t.steps()),
            (d1, 1),
            "G's half leaves D alone and ends the step"
        );
        assert_ne!(g2, g1);
    }

    #[test]
    fn restore_returns_to_the_checkpoint() {
        let mut t = Trainer::new(Preset::Ring8.config(), &Device::flex()).unwrap();
        t.step();
        let cp = t.checkpoint();
        let at = block_on(read_floats(t.manifold(4))).unwrap();
        for _ in 0..5 {
            t.step();
        }
        assert_ne!(block_on(read_floats(t.manifold(4))).unwrap(), at);
        t.restore(&cp);
        assert_eq!(t.steps(), 1);
        assert_eq!(block_on(read_floats(t.manifold(4))).unwrap(), at);
    }
}
