//! The optimizers (Adam, RMSProp, SGD with momentum), with their state as plain tensors.
//!
//! burn's `ModuleOptimizer` keeps its state private and can only hand it over through a
//! synchronous read-back, which the browser's WebGPU cannot do. A run's state must be read
//! back asynchronously (to save it, to keep a host copy for a lost GPU) and moved between
//! backends, so the update is ours: the same arithmetic as burn 0.22's optimizers, op for op
//! (a unit test checks it against them bit for bit), on all of a module's parameters
//! flattened end to end into one `[Σ numel]` vector, in the module's visiting order (which a
//! given config always gives the same way). A save splits the state back per parameter.
//!
//! On the CPU backend the same arithmetic runs as one pass over host memory instead
//! (`host.rs`): there each tensor op is a pass of its own, and joining the parameters is a copy.

mod host;
mod rule;

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::optim::GradientsParams;
use burn::prelude::*;

use crate::config::OptimizerConfig;
use rule::{Lanes, Rule, apply};

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

    /// The slot with `f` applied to each of its tensors.
    fn map(self, mut f: impl FnMut(Tensor<1>) -> Tensor<1>) -> Self {
        match self {
            Self::Adam {
                time,
                moment_1,
                moment_2,
            } => Self::Adam {
                time,
                moment_1: f(moment_1),
                moment_2: f(moment_2),
            },
            Self::RmsProp { square_avg } => Self::RmsProp {
                square_avg: f(square_avg),
            },
            Self::Momentum { velocity } => Self::Momentum {
                velocity: f(velocity),
            },
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

/// An optimizer for one module: the state of all its float parameters as one flat slot (in
/// visiting order, `sizes[i]` elements each), `None` until its first update.
#[derive(Clone, Debug, Default)]
pub struct Optimizer {
    state: Option<Slot>,
    sizes: Vec<usize>,
}

/// Each float parameter of a module (without autodiff) and its gradient, flattened, in
/// visiting order. A parameter without a gradient (none of our nets has one) keeps its
/// weights; its moments see a zero gradient, where burn's optimizers would leave them.
struct Gather<'a> {
    grads: &'a mut GradientsParams,
    params: Vec<Tensor<1>>,
    grads_out: Vec<Tensor<1>>,
    has_grad: Vec<bool>,
}

impl ModuleVisitor for Gather<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let value = param.val().inner(); // the backend without autodiff
        let n = value.shape().num_elements();
        let grad = self.grads.remove::<D>(param.id);
        self.has_grad.push(grad.is_some());
        let grad = match grad {
            Some(g) => g.reshape([n]),
            None => Tensor::zeros([n], &value.device()),
        };
        self.params.push(value.reshape([n]));
        self.grads_out.push(grad);
    }
}

/// Each float parameter's element count, in visiting order, and the device of the first on the
/// backend without autodiff (where the state lives; none without parameters).
fn layout<M: Module>(module: &M) -> (Vec<usize>, Option<Device>) {
    #[derive(Default)]
    struct Layout(Vec<usize>, Option<Device>);
    impl ModuleVisitor for Layout {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            self.0.push(param.shape().num_elements());
            self.1.get_or_insert_with(|| param.val().inner().device());
        }
    }
    let mut v = Layout::default();
    module.visit(&mut v);
    (v.0, v.1)
}

/// Puts the updated flat values back into each parameter that had a gradient.
struct Scatter {
    updated: Tensor<1>,
    offset: usize,
    has_grad: std::vec::IntoIter<bool>,
}

impl ModuleMapper for Scatter {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let (id, tensor, mapper) = param.consume();
        let shape = tensor.shape();
        let n = shape.num_elements();
        let offset = self.offset;
        self.offset += n;
        if !self.has_grad.next().expect("one entry per parameter") {
            return Param::from_mapped_value(id, tensor, mapper);
        }
        let require_grad = tensor.is_require_grad();
        let value = self.updated.clone().narrow(0, offset, n).reshape(shape);
        let mut updated = Tensor::from_inner(value);
        if require_grad {
            updated = updated.require_grad();
        }
        Param::from_mapped_value(id, updated, mapper)
    }
}

/// `parts` end to end, without a copy when there is one. `[Σ numel]`
fn concat(mut parts: Vec<Tensor<1>>) -> Tensor<1> {
    if parts.len() == 1 {
        parts.pop().expect("one part")
    } else {
        Tensor::cat(parts, 0)
    }
}

impl Optimizer {
    /// Updates `module` with `grads` under `config` (its kind, hyperparameters and rate).
    ///
    /// All the module's parameters are updated as one flat vector: the update is ~13
    /// element-wise ops whatever the tensor's size, so one vector instead of one per parameter
    /// cuts a ring8 step's kernels on WebGPU by about a hundred. On the CPU backend it is one
    /// pass over host memory. Each element sees exactly the arithmetic it saw per parameter,
    /// so runs are unchanged.
    pub fn step<M: Module>(
        &mut self,
        config: &OptimizerConfig,
        module: M,
        grads: GradientsParams,
    ) -> M {
        self.step_by(None, config, module, grads, None)
    }

    /// `step`, with the numbers that change from update to update (`knobs`) read from the
    /// device: `[3]`, this update's [`Self::knobs`] (a part of the step's feed). Only the
    /// device's tensor ops read them; the host pass computes its own.
    pub fn step_fed<M: Module>(
        &mut self,
        config: &OptimizerConfig,
        module: M,
        grads: GradientsParams,
        knobs: Tensor<1>,
    ) -> M {
        self.step_by(None, config, module, grads, Some(knobs))
    }

    /// What [`Self::step_fed`] reads for the update `ahead` updates after the next one under
    /// `config`: Adam's factor and ε (0 for the others), then the rate.
    pub fn knobs(&self, config: &OptimizerConfig, ahead: u32) -> [f32; 3] {
        let lr = config.lr() as f32;
        match (config, &self.state) {
            (OptimizerConfig::Adam { beta1, beta2, .. }, state) => {
                let done = match state {
                    Some(Slot::Adam { time, .. }) => *time,
                    _ => 0,
                };
                let [factor, epsilon] = rule::adam_knobs(*beta1, *beta2, done + 1 + ahead);
                [factor, epsilon, lr]
            }
            _ => [0.0, 0.0, lr],
        }
    }

    /// `step`, on the host or as tensor ops: `on_host` forces one (the tests run both on the
    /// CPU), `None` takes the device's own (the host on flex).
    fn step_by<M: Module>(
        &mut self,
        on_host: Option<bool>,
        config: &OptimizerConfig,
        module: M,
        mut grads: GradientsParams,
        knobs: Option<Tensor<1>>,
    ) -> M {
        let (sizes, device) = layout(&module);
        let Some(device) = device else {
            return module;
        };
        let on_host = on_host.unwrap_or(device == Device::flex());
        // State for other sizes (another module) is no state: a first update.
        let state = self.state.take().filter(|_| self.sizes == sizes);
        let (rule, state) = Rule::new(config, state);
        let lr = config.lr() as f32;
        let total = sizes.iter().sum();
        self.sizes = sizes;
        if on_host {
            let (module, vectors) = host::step(rule, lr, module, &mut grads, state, total);
            let tensor = |data| Tensor::from_data(data, &device);
            self.state = rule.slot(vectors.into_iter().map(tensor).collect());
            return module;
        }
        let mut gather = Gather {
            grads: &mut grads,
            params: Vec::new(),
            grads_out: Vec::new(),
            has_grad: Vec::new(),
        };
        module.visit(&mut gather);
        let Gather {
            params,
            grads_out,
            has_grad,
            ..
        } = gather;
        let knobs = knobs.unwrap_or_else(|| {
            let [factor, epsilon] = rule.knobs();
            Tensor::from_floats([factor, epsilon, lr], &device)
        });
        let knob = |i| knobs.clone().narrow(0, i, 1); // [1]
        let mut state = state.unwrap_or_default().into_iter();
        let grads = concat(grads_out);
        let (direction, first, second) =
            apply(rule, [knob(0), knob(1)], grads, state.next(), state.next());
        self.state = rule.slot([first, second].into_iter().flatten().collect());
        module.map(&mut Scatter {
            updated: concat(params).minus(direction.scale_knob(knob(2))),
            offset: 0,
            has_grad: has_grad.into_iter(),
        })
    }

    /// The state's flat vectors (none before the first update), sharing their buffers: a
    /// replayed step (`train::Replay`) writes the next state into these in place.
    pub fn vectors(&self) -> Vec<Tensor<1>> {
        let Some(state) = &self.state else {
            return Vec::new();
        };
        state
            .tensors()
            .into_iter()
            .map(|(_, t)| t.clone())
            .collect()
    }

    /// The state with its flat vectors replaced by `vectors` (the same count and sizes, in
    /// [`Self::vectors`]' order).
    pub fn set_vectors(&mut self, vectors: Vec<Tensor<1>>) {
        let mut vectors = vectors.into_iter();
        if let Some(state) = self.state.take() {
            self.state = Some(state.map(|_| vectors.next().expect("one per vector")));
        }
    }

    /// Counts `updates` updates that ran without this optimizer (a replay of recorded ones):
    /// Adam's step count moves on, as their bias corrections did (they came from
    /// [`Self::knobs`]).
    pub fn advance(&mut self, updates: u32) {
        if let Some(Slot::Adam { time, .. }) = &mut self.state {
            *time += updates;
        }
    }

    /// The state split per parameter, in visiting order (`None` each before the first update).
    pub fn slots(&self) -> Vec<Option<Slot>> {
        let Some(state) = &self.state else {
            return vec![None; self.sizes.len()];
        };
        let mut offset = 0;
        self.sizes
            .iter()
            .map(|&n| {
                let at = offset;
                offset += n;
                Some(state.clone().map(|t| t.narrow(0, at, n)))
            })
            .collect()
    }

    /// An optimizer holding per-parameter `slots` (in visiting order, `sizes[i]` elements
    /// each), as a saved run has them. A parameter without a slot among ones with starts from
    /// zero moments; slots of different kinds are refused.
    pub fn from_slots(
        slots: Vec<Option<Slot>>,
        sizes: Vec<usize>,
        device: &Device,
    ) -> Result<Self, &'static str> {
        let Some(first) = slots.iter().flatten().next().cloned() else {
            return Ok(Self { state: None, sizes });
        };
        if slots.iter().flatten().any(|s| s.kind() != first.kind()) {
            return Err("slots of different optimizers");
        }
        let names: Vec<&str> = first.tensors().into_iter().map(|(n, _)| n).collect();
        let mut joined = Vec::new();
        for name in names {
            let parts = slots
                .iter()
                .zip(&sizes)
                .map(|(slot, &n)| match slot {
                    Some(s) => s
                        .tensors()
                        .into_iter()
                        .find(|(k, _)| *k == name)
                        .map(|(_, t)| t.clone())
                        .expect("slots of one kind have the same tensors"),
                    None => Tensor::zeros([n], device),
                })
                .collect();
            joined.push((name, concat(parts)));
        }
        let state = Slot::from_parts(first.kind(), first.time(), |name| {
            joined
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, t)| t.clone())
        })
        .expect("the first slot's own names");
        Ok(Self {
            state: Some(state),
            sizes,
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
    use crate::tensor::{matrix, named_params};

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
        for (config, on_host) in configs.into_iter().flat_map(|c| [(c, false), (c, true)]) {
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
                ours = opt.step_by(Some(on_host), &config, ours.clone(), g, None);
                let g = grads(&theirs);
                theirs = burn_opt.step(config.lr(), theirs.clone(), g);
            }
            assert_eq!(
                weights(&ours),
                weights(&theirs),
                "{config:?}, on host: {on_host}"
            );
        }
    }

    /// A parameter the loss does not reach keeps its weights; the others move as burn's
    /// optimizer moves them. And the state split per parameter (as a save has it) and joined
    /// again continues the run exactly.
    #[test]
    fn a_parameter_without_a_gradient_stays_and_split_state_resumes() {
        use burn::module::ParamId;
        let device = Device::flex().autodiff();
        let config = OptimizerConfig::Adam {
            lr: 1e-3,
            beta1: 0.5,
            beta2: 0.999,
        };
        let gan = Preset::Ring8.config();
        let d0 = Discriminator::new(&gan, &mut SeededRng::new(4, Stream::Noise), &device);
        let first_id = |d: &Discriminator| -> ParamId {
            struct First(Option<ParamId>);
            impl ModuleVisitor for First {
                fn visit_float<const D: usize>(&mut self, p: &Param<Tensor<D>>) {
                    self.0.get_or_insert(p.id);
                }
            }
            let mut f = First(None);
            d.visit(&mut f);
            f.0.expect("D has parameters")
        };
        let x = matrix(SeededRng::new(4, Stream::Data).normal_vec(64), 2, &device);
        let grads = |d: &Discriminator, drop_first: bool| {
            let loss = d.forward(x.clone()).powi_scalar(2).mean();
            let mut g = GradientsParams::from_grads(loss.backward(), d);
            if drop_first {
                g.remove::<2>(first_id(d))
                    .expect("the first weight has a gradient");
            }
            g
        };
        for on_host in [false, true] {
            let (mut ours, mut theirs) = (d0.clone(), d0.clone());
            let (mut opt, mut burn_opt) = (Optimizer::default(), burns(&config));
            for _ in 0..3 {
                let g = grads(&ours, true);
                ours = opt.step_by(Some(on_host), &config, ours.clone(), g, None);
                let g = grads(&theirs, true);
                theirs = burn_opt.step(config.lr(), theirs.clone(), g);
            }
            let (w0, w_ours, w_theirs) = (weights(&d0), weights(&ours), weights(&theirs));
            assert_eq!(w_ours, w_theirs);
            let first_len = named_params(&d0)[0].2.dims()[0];
            assert_eq!(w_ours[..first_len], w0[..first_len], "untouched");
            assert_ne!(w_ours[first_len..], w0[first_len..], "moved");

            // Split and joined: the next steps are the unbroken run's.
            let sizes: Vec<usize> = named_params(&ours).iter().map(|p| p.2.dims()[0]).collect();
            let mut rejoined = Optimizer::from_slots(opt.slots(), sizes, &Device::flex()).unwrap();
            let (mut a, mut b) = (ours.clone(), ours);
            for _ in 0..2 {
                let g = grads(&a, false);
                a = opt.step_by(Some(on_host), &config, a.clone(), g, None);
                let g = grads(&b, false);
                b = rejoined.step_by(Some(!on_host), &config, b.clone(), g, None);
            }
            assert_eq!(weights(&a), weights(&b));
        }
    }
}
