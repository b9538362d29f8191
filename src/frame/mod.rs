//! What a view draws: one frame of the plane or of the digits, read back from the device in
//! one asynchronous pass every few steps (never every step: each read waits for the device).
//! Bulk numbers are flat `f32` arrays, so they cross to JS as typed arrays.

pub mod digits;
pub mod plane;

use burn::prelude::*;

pub use digits::DigitsFrame;
pub use plane::PlaneFrame;

use crate::train::StepLosses;

/// One frame of either view.
#[derive(Debug, Clone)]
pub enum Frame {
    Plane(PlaneFrame),
    Digits(DigitsFrame),
}

impl Frame {
    pub fn step(&self) -> u64 {
        match self {
            Self::Plane(f) => f.step,
            Self::Digits(f) => f.step,
        }
    }

    pub fn losses(&self) -> &Losses {
        match self {
            Self::Plane(f) => &f.losses,
            Self::Digits(f) => &f.losses,
        }
    }

    /// Whether the run has blown up: see [`PlaneFrame::diverged`], [`DigitsFrame::diverged`].
    pub fn diverged(&self) -> bool {
        match self {
            Self::Plane(f) => f.diverged(),
            Self::Digits(f) => f.diverged(),
        }
    }
}

/// Whether any value is NaN or infinite.
fn any_non_finite<'a>(values: impl IntoIterator<Item = &'a f32>) -> bool {
    values.into_iter().any(|v| !v.is_finite())
}

/// D's and G's loss at each step since the previous frame, read back.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Losses {
    pub d: Vec<f32>,
    pub g: Vec<f32>,
}

impl Losses {
    /// Whether any of them is NaN or infinite.
    pub fn diverged(&self) -> bool {
        any_non_finite(self.d.iter().chain(&self.g))
    }

    /// The last two parts of a read that appended [`LossLog::take`]'s tensors (absent when no
    /// step ran since the last frame).
    pub(crate) fn from_rest(mut rest: impl Iterator<Item = Vec<f32>>) -> Self {
        Self {
            d: rest.next().unwrap_or_default(),
            g: rest.next().unwrap_or_default(),
        }
    }
}

/// Losses of the steps since the last frame, still on the device.
#[derive(Default)]
pub struct LossLog {
    d: Vec<Tensor<1>>,
    g: Vec<Tensor<1>>,
}

/// Above this many pending scalars the log concatenates them (a lazy op, no read) so a long
/// run between frames does not hold thousands of handles.
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

    /// Appends the pending losses (D's, then G's: one value per step) to `parts`, to be read
    /// in the same pass, and empties the log. Nothing is appended when no step ran since the
    /// last frame (zero-length tensors are best kept off GPU backends).
    pub(crate) fn drain_into(&mut self, parts: &mut Vec<Tensor<1>>) {
        if self.d.is_empty() {
            return;
        }
        parts.push(Tensor::cat(std::mem::take(&mut self.d), 0));
        parts.push(Tensor::cat(std::mem::take(&mut self.g), 0));
    }
}
