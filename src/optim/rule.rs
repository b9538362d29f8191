//! An update's arithmetic, written once for both of its forms: a whole flat vector as tensor
//! ops (each op a kernel on WebGPU), or a few `f32`s at a time in a single pass over host memory
//! (the CPU backend, where each tensor op would be a pass, and an allocation, of its own).
//! The two forms do the same IEEE operations in the same order, so they agree bit for bit.

use burn::prelude::*;

use super::Slot;
use crate::config::OptimizerConfig;

/// burn's default ε for Adam and RMSProp, kept so runs match the ones before this module.
const EPSILON: f32 = 1e-5;
/// RMSProp's smoothing constant (burn's default).
const ALPHA: f32 = 0.99;

/// What an update does to each element: implemented by whole vectors and by single floats.
pub(super) trait Lanes: Clone {
    /// A number that changes from update to update (Adam's bias corrections): a plain `f32`
    /// on the host; on the device a `[1]` tensor, so that a captured step reads it from the
    /// feed instead of baking it into a kernel (the `feed` module).
    type Knob: Clone;
    fn scale_knob(self, k: Self::Knob) -> Self;
    fn shift_knob(self, k: Self::Knob) -> Self;
    fn scale(self, k: f32) -> Self;
    fn shift(self, k: f32) -> Self;
    fn plus(self, rhs: Self) -> Self;
    fn minus(self, rhs: Self) -> Self;
    fn over(self, rhs: Self) -> Self;
    fn root(self) -> Self;
    fn squared(self) -> Self;
}

impl Lanes for Tensor<1> {
    type Knob = Tensor<1>;
    fn scale_knob(self, k: Tensor<1>) -> Self {
        self.mul(k)
    }
    fn shift_knob(self, k: Tensor<1>) -> Self {
        self.add(k)
    }
    fn scale(self, k: f32) -> Self {
        self.mul_scalar(k)
    }
    fn shift(self, k: f32) -> Self {
        self.add_scalar(k)
    }
    fn plus(self, rhs: Self) -> Self {
        self.add(rhs)
    }
    fn minus(self, rhs: Self) -> Self {
        self.sub(rhs)
    }
    fn over(self, rhs: Self) -> Self {
        self.div(rhs)
    }
    fn root(self) -> Self {
        self.sqrt()
    }
    fn squared(self) -> Self {
        self.square()
    }
}

/// `L` floats side by side: the host pass takes them in blocks, which the compiler turns into
/// SIMD instructions (the same IEEE operations, lane by lane).
impl<const L: usize> Lanes for [f32; L] {
    type Knob = f32;
    #[inline(always)]
    fn scale_knob(self, k: f32) -> Self {
        self.scale(k)
    }
    #[inline(always)]
    fn shift_knob(self, k: f32) -> Self {
        self.shift(k)
    }
    #[inline(always)]
    fn scale(self, k: f32) -> Self {
        self.map(|x| x * k)
    }
    #[inline(always)]
    fn shift(self, k: f32) -> Self {
        self.map(|x| x + k)
    }
    #[inline(always)]
    fn plus(self, rhs: Self) -> Self {
        std::array::from_fn(|i| self[i] + rhs[i])
    }
    #[inline(always)]
    fn minus(self, rhs: Self) -> Self {
        std::array::from_fn(|i| self[i] - rhs[i])
    }
    #[inline(always)]
    fn over(self, rhs: Self) -> Self {
        std::array::from_fn(|i| self[i] / rhs[i])
    }
    #[inline(always)]
    fn root(self) -> Self {
        self.map(f32::sqrt)
    }
    #[inline(always)]
    fn squared(self) -> Self {
        self.map(|x| x * x)
    }
}

/// One update's constants, fixed before any element is touched (burn 0.22's formulas).
#[derive(Clone, Copy, Debug)]
pub(super) enum Rule {
    Adam {
        /// This update's step count (1 on a first update).
        time: u32,
        beta1: f32,
        beta2: f32,
        /// Both bias corrections folded into one factor on the first moment.
        factor: f32,
        epsilon: f32,
    },
    RmsProp,
    Sgd,
    Momentum {
        momentum: f32,
    },
}

impl Rule {
    /// The rule for `config` after `slot`, and `slot`'s vectors (the order `apply` takes
    /// them) when they are this rule's state; none on a first update or when the config
    /// changed kind.
    pub fn new(config: &OptimizerConfig, slot: Option<Slot>) -> (Self, Option<Vec<Tensor<1>>>) {
        match (*config, slot) {
            (OptimizerConfig::Adam { beta1, beta2, .. }, slot) => {
                let (time, state) = match slot {
                    Some(Slot::Adam {
                        time,
                        moment_1,
                        moment_2,
                    }) => (time + 1, Some(vec![moment_1, moment_2])),
                    _ => (1, None),
                };
                let [factor, epsilon] = adam_knobs(beta1, beta2, time);
                let rule = Self::Adam {
                    time,
                    beta1,
                    beta2,
                    factor,
                    epsilon,
                };
                (rule, state)
            }
            (OptimizerConfig::RmsProp { .. }, Some(Slot::RmsProp { square_avg })) => {
                (Self::RmsProp, Some(vec![square_avg]))
            }
            (OptimizerConfig::RmsProp { .. }, _) => (Self::RmsProp, None),
            (OptimizerConfig::Sgd { momentum, .. }, _) if momentum <= 0.0 => (Self::Sgd, None),
            (OptimizerConfig::Sgd { momentum, .. }, slot) => {
                let momentum = momentum as f32;
                match slot {
                    Some(Slot::Momentum { velocity }) => {
                        (Self::Momentum { momentum }, Some(vec![velocity]))
                    }
                    _ => (Self::Momentum { momentum }, None),
                }
            }
        }
    }

    /// The numbers of this update that change from update to update, in the order `apply`
    /// takes them: Adam's factor and ε (both 0 for the other rules, which have none).
    pub fn knobs(self) -> [f32; 2] {
        match self {
            Self::Adam {
                factor, epsilon, ..
            } => [factor, epsilon],
            _ => [0.0; 2],
        }
    }

    /// How many vectors of state the rule keeps.
    pub fn moments(self) -> usize {
        match self {
            Self::Adam { .. } => 2,
            Self::RmsProp | Self::Momentum { .. } => 1,
            Self::Sgd => 0,
        }
    }

    /// The state after this update, from its vectors in `apply`'s order.
    pub fn slot(self, mut vectors: Vec<Tensor<1>>) -> Option<Slot> {
        let mut next = || vectors.remove(0);
        Some(match self {
            Self::Adam { time, .. } => Slot::Adam {
                time,
                moment_1: next(),
                moment_2: next(),
            },
            Self::RmsProp => Slot::RmsProp { square_avg: next() },
            Self::Momentum { .. } => Slot::Momentum { velocity: next() },
            Self::Sgd => return None,
        })
    }
}

/// Adam's factor (both bias corrections, folded onto the first moment) and ε at step count
/// `time` (1 on a first update): burn 0.22's formulas.
pub(super) fn adam_knobs(beta1: f32, beta2: f32, time: u32) -> [f32; 2] {
    let t = time as i32;
    let correction2 = (1.0 - beta2.powi(t)).sqrt();
    [correction2 / (1.0 - beta1.powi(t)), EPSILON * correction2]
}

/// The direction for `grad` (the update is `p − lr·direction`) and the new state, given the
/// old (`None`s on a first update). State in `Rule::slot`'s order: Adam's two moments,
/// RMSProp's mean square, the velocity. `knobs`: `Rule::knobs`, as `T` takes them.
#[inline(always)]
pub(super) fn apply<T: Lanes>(
    rule: Rule,
    [factor, epsilon]: [T::Knob; 2],
    grad: T,
    first: Option<T>,
    second: Option<T>,
) -> (T, Option<T>, Option<T>) {
    match rule {
        Rule::Adam { beta1, beta2, .. } => {
            let (moment_1, moment_2) = match (first, second) {
                (Some(m), Some(v)) => (
                    m.scale(beta1).plus(grad.clone().scale(1.0 - beta1)),
                    v.scale(beta2).plus(grad.squared().scale(1.0 - beta2)),
                ),
                _ => (
                    grad.clone().scale(1.0 - beta1),
                    grad.squared().scale(1.0 - beta2),
                ),
            };
            let direction = moment_1
                .clone()
                .scale_knob(factor)
                .over(moment_2.clone().root().shift_knob(epsilon));
            (direction, Some(moment_1), Some(moment_2))
        }
        Rule::RmsProp => {
            let square_avg = match first {
                Some(s) => s
                    .scale(ALPHA)
                    .plus(grad.clone().squared().scale(1.0 - ALPHA)),
                None => grad.clone().squared().scale(1.0 - ALPHA),
            };
            let direction = grad.over(square_avg.clone().root().shift(EPSILON));
            (direction, Some(square_avg), None)
        }
        Rule::Sgd => (grad, None, None),
        Rule::Momentum { momentum } => {
            let velocity = match first {
                // dampening 0: burn's (1 − dampening) factor is exactly 1.
                Some(v) => grad.scale(1.0).plus(v.scale(momentum)),
                None => grad,
            };
            (velocity.clone(), Some(velocity), None)
        }
    }
}
