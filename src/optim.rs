//! The optimizers (Adam, RMSProp, SGD with momentum), with their state as plain tensors.
//!
//! burn's `ModuleOptimizer` keeps its state private and can only hand it over through a
//! synchronous read-back, which the browser's WebGPU cannot do. A run's state must be read
//! back asynchronously (to save it, to keep a host copy for a lost GPU) and moved between
//! backends, so the update is ours: the same arithmetic as burn 0.22's optimizers, op for op
//! (a unit test checks it against them bit for bit), on each parameter flattened to `[numel]`.
//! The state is one slot per float parameter, in the module's visiting order, which a given
//! config always gives the same way.

use burn::module::{Module, ModuleMapper, Param};
use burn::optim::GradientsParams;
use burn::prelude::*;

use crate::config::OptimizerConfig;

/// burn's default ε for Adam and RMSProp, kept so runs match the ones before this module.
const EPSILON: f32 = 1e-5;
/// RMSProp's smoothing constant (burn's default).
const ALPHA: f32 = 0.99;

/// One parameter's optimizer state. `[numel]` each.
// Tensors are handles: the variants differ by a handle or two, not by data.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum Slot {
    /// Adam's moments and its step count (bias correction).
    Adam {
        time: u32,
        moment_1: Tensor<1>,
        moment_2: Tensor<1>,
    },
    /// RMSProp's running mean of squared gradients.
    RmsProp { square_avg: Tensor<1> },
    /// SGD's velocity (momentum > 0 only).
    Momentum { velocity: Tensor<1> },
}

impl Slot {
    /// The slot's tensors with their names, for saving.
    pub fn tensors(&self) -> Vec<(&'static str, &Tensor<1>)> {
        match self {
            Self::Adam {
                moment_1, moment_2, ..
            } => vec![("moment_1", moment_1), ("moment_2", moment_2)],
            Self::RmsProp { square_avg } => vec![("square_avg", square_avg)],
            Self::Momentum { velocity } => vec![("velocity", velocity)],
        }
    }

    /// The slot `kind` ("adam", "rms-prop", "momentum") rebuilt from named tensors; `None` when
    /// one is missing.
    pub fn from_parts(
        kind: &str,
        time: u32,
        mut get: impl FnMut(&str) -> Option<Tensor<1>>,
    ) -> Option<Self> {
        Some(match kind {
            "adam" => Self::Adam {
                time,
                moment_1: get("moment_1")?,
                moment_2: get("moment_2")?,
            },
            "rms-prop" => Self::RmsProp {
                square_avg: get("square_avg")?,
            },
            "momentum" => Self::Momentum {
                velocity: get("velocity")?,
            },
            _ => return None,
        })
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Self::Adam { .. } => "adam",
            Self::RmsProp { .. } => "rms-prop",
            Self::Momentum { .. } => "momentum",
        }
    }

    /// Adam's step count (0 for the others).
    pub fn time(&self) -> u32 {
        match self {
            Self::Adam { time, .. } => *time,
            _ => 0,
        }
    }
}

/// An optimizer for one module: a slot per float parameter, `None` until its first update.
#[derive(Clone, Debug, Default)]
pub struct Optimizer {
    pub slots: Vec<Option<Slot>>,
}

/// `p − lr·u` for one flattened parameter, and its new state (burn 0.22's formulas).
fn update(
    config: &OptimizerConfig,
    param: Tensor<1>,
    grad: Tensor<1>,
    slot: Option<Slot>,
) -> (Tensor<1>, Option<Slot>) {
    let (direction, slot) = match (*config, slot) {
        (OptimizerConfig::Adam { beta1, beta2, .. }, slot) => {
            let (time, moment_1, moment_2) = match slot {
                Some(Slot::Adam {
                    time,
                    moment_1,
                    moment_2,
                }) => (
                    time + 1,
                    moment_1
                        .mul_scalar(beta1)
                        .add(grad.clone().mul_scalar(1.0 - beta1)),
                    moment_2
                        .mul_scalar(beta2)
                        .add(grad.square().mul_scalar(1.0 - beta2)),
                ),
                // A first update, or state of another optimizer (the config changed kind).
                _ => (
                    1,
                    grad.clone().mul_scalar(1.0 - beta1),
                    grad.square().mul_scalar(1.0 - beta2),
                ),
            };
            let t = time as i32;
            let correction2 = (1.0 - beta2.powi(t)).sqrt();
            let factor = correction2 / (1.0 - beta1.powi(t));
            let direction = moment_1
                .clone()
                .mul_scalar(factor)
                .div(moment_2.clone().sqrt().add_scalar(EPSILON * correction2));
            let slot = Slot::Adam {
                time,
                moment_1,
                moment_2,
            };
            (direction, Some(slot))
        }
        (OptimizerConfig::RmsProp { .. }, slot) => {
            let square_avg = match slot {
                Some(Slot::RmsProp { square_avg }) => square_avg
                    .mul_scalar(ALPHA)
                    .add(grad.clone().square().mul_scalar(1.0 - ALPHA)),
                _ => grad.clone().square().mul_scalar(1.0 - ALPHA),
            };
            let direction = grad.div(square_avg.clone().sqrt().add_scalar(EPSILON));
            (direction, Some(Slot::RmsProp { square_avg }))
        }
        (OptimizerConfig::Sgd { momentum, .. }, _) if momentum <= 0.0 => (grad, None),
        (OptimizerConfig::Sgd { momentum, .. }, slot) => {
            let velocity = match slot {
                // dampening 0: burn's (1 − dampening) factor is exactly 1.
                Some(Slot::Momentum { velocity }) => grad
                    .mul_scalar(1.0)
                    .add(velocity.mul_scalar(momentum as f32)),
                _ => grad,
            };
            (velocity.clone(), Some(Slot::Momentum { velocity }))
        }
    };
    (param - direction.mul_scalar(config.lr()), slot)
}

struct Stepper<'a> {
    config: &'a OptimizerConfig,
    slots: &'a mut Vec<Option<Slot>>,
    grads: &'a mut GradientsParams,
    index: usize,
}

impl ModuleMapper for Stepper<'_> {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let i = self.index;
        self.index += 1;
        if self.slots.len() <= i {
            self.slots.resize(i + 1, None);
        }
        let (id, tensor, mapper) = param.consume();
        let Some(grad) = self.grads.remove::<D>(id) else {
            return Param::from_mapped_value(id, tensor, mapper);
        };
        let require_grad = tensor.is_require_grad();
        let inner = tensor.inner(); // the backend without autodiff
        let shape = inner.shape();
        let n = shape.num_elements();
        let (updated, slot) = update(
            self.config,
            inner.reshape([n]),
            grad.reshape([n]),
            self.slots[i].take(),
        );
        self.slots[i] = slot;
        let mut updated = Tensor::from_inner(updated.reshape(shape));
        if require_grad {
            updated = updated.require_grad();
        }
        Param::from_mapped_value(id, updated, mapper)
    }
}

impl Optimizer {
    /// Updates `module` with `grads` under `config` (its kind, hyperparameters and rate).
    pub fn step<M: Module>(
        &mut self,
        config: &OptimizerConfig,
        module: M,
        mut grads: GradientsParams,
    ) -> M {
        module.map(&mut Stepper {
            config,
            slots: &mut self.slots,
            grads: &mut grads,
            index: 0,
        })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::config::Preset;
    use crate::model::Discriminator;
    use crate::readback::{block_on, read_floats};
    use crate::rng::{SeededRng, Stream};
    use crate::tensor::matrix;
    use burn::module::ModuleVisitor;

    /// burn's optimizer for a config, as the trainer used before this module.
    fn burns(config: &OptimizerConfig) -> burn::optim::ModuleOptimizer {
        use burn::optim::{AdamConfig, RmsPropConfig, SgdConfig, momentum::MomentumConfig};
        match *config {
            OptimizerConfig::Adam { beta1, beta2, .. } => AdamConfig::new()
                .with_beta_1(beta1)
                .with_beta_2(beta2)
                .init(),
            OptimizerConfig::RmsProp { .. } => RmsPropConfig::new().with_momentum(0.0).init(),
            OptimizerConfig::Sgd { momentum, .. } => SgdConfig::new()
                .with_momentum((momentum > 0.0).then_some(MomentumConfig {
                    momentum,
                    dampening: 0.0,
                    nesterov: false,
                }))
                .init(),
        }
    }

    fn weights(d: &Discriminator) -> Vec<f32> {
        let mut out = Vec::new();
        struct All<'a>(&'a mut Vec<f32>);
        impl ModuleVisitor for All<'_> {
            fn visit_float<const D: usize>(&mut self, p: &Param<Tensor<D>>) {
                self.0
                    .extend(block_on(read_floats(p.val())).expect("flex reads back"));
            }
        }
        d.visit(&mut All(&mut out));
        out
    }

    #[test]
    fn matches_burns_optimizers_bit_for_bit() {
        let device = Device::flex().autodiff();
        let configs = [
            OptimizerConfig::Adam {
                lr: 1e-3,
                beta1: 0.5,
                beta2: 0.999,
            },
            OptimizerConfig::RmsProp { lr: 5e-4 },
            OptimizerConfig::Sgd {
                lr: 1e-2,
                momentum: 0.9,
            },
            OptimizerConfig::Sgd {
                lr: 1e-2,
                momentum: 0.0,
            },
        ];
        for config in configs {
            let gan = Preset::Ring8.config();
            let d0 = Discriminator::new(&gan, &mut SeededRng::new(3, Stream::Noise), &device);
            let (mut ours, mut theirs) = (d0.clone(), d0);
            let mut opt = Optimizer::default();
            let mut burn_opt = burns(&config);
            let mut rng = SeededRng::new(3, Stream::Data);
            for _ in 0..5 {
                let x = matrix(rng.normal_vec(64), 2, &device);
                let grads = |d: &Discriminator| {
                    let loss = d.forward(x.clone()).powi_scalar(2).mean();
                    GradientsParams::from_grads(loss.backward(), d)
                };
                let g = grads(&ours);
                ours = opt.step(&config, ours.clone(), g);
                let g = grads(&theirs);
                theirs = burn_opt.step(config.lr(), theirs.clone(), g);
            }
            assert_eq!(weights(&ours), weights(&theirs), "{config:?}");
        }
    }
}
