//! The update on the CPU backend: one pass over host memory per parameter, instead of the
//! ~13 tensor ops (each a pass and an allocation) plus the joins and cuts of the flat form.
//! burn-flex hands a tensor's buffer over without a copy when nothing else holds it, so the
//! state and the gradients are read and written in place; only the weights, which the caller's
//! copy of the module still holds, are copied out.

use burn::module::{Module, ModuleMapper, Param};
use burn::optim::GradientsParams;
use burn::prelude::*;

use super::rule::{Lanes, Rule, apply};

/// `data`'s floats, in place (`TensorData`, not a `Vec`: turning burn-flex's buffers into a
/// `Vec` copies most of them, as their allocation's alignment is not an `f32`'s).
fn floats(data: &mut TensorData) -> &mut [f32] {
    data.as_mut_slice().expect("optimizer tensors are f32")
}

/// Updates each parameter in place; the state vectors run end to end over all of them.
struct HostUpdate<'a> {
    grads: &'a mut GradientsParams,
    rule: Rule,
    lr: f32,
    /// The state's vectors (`rule.moments()` of them, `[Σ numel]` each).
    state: Vec<TensorData>,
    /// Whether `state` holds the last update's values (else: a first update).
    resumed: bool,
    offset: usize,
}

/// Floats per block of the pass (two SSE or one AVX register's worth).
const LANES: usize = 8;

impl HostUpdate<'_> {
    /// The next `n` elements: their moments always (a parameter without a gradient sees a
    /// zero one, as in the tensor form), their weights, `Some` with `grad` only, moved.
    fn update(&mut self, n: usize, weights: Option<&mut [f32]>, grad: Option<&[f32]>) {
        let (rule, lr, resumed) = (self.rule, self.lr, self.resumed);
        let range = self.offset..self.offset + n;
        self.offset = range.end;
        let (first, second) = match self.state.as_mut_slice() {
            [a, b] => (
                Some(&mut floats(a)[range.clone()]),
                Some(&mut floats(b)[range]),
            ),
            [a] => (Some(&mut floats(a)[range]), None),
            _ => (None, None),
        };
        let mut block = Block {
            rule,
            lr,
            resumed,
            weights,
            grad,
            first,
            second,
        };
        let body = n / LANES * LANES;
        for i in (0..body).step_by(LANES) {
            block.run::<LANES>(i);
        }
        for i in body..n {
            block.run::<1>(i);
        }
    }
}

/// One parameter's slices, taken `L` elements at a time.
struct Block<'a> {
    rule: Rule,
    lr: f32,
    resumed: bool,
    weights: Option<&'a mut [f32]>,
    grad: Option<&'a [f32]>,
    first: Option<&'a mut [f32]>,
    second: Option<&'a mut [f32]>,
}

impl Block<'_> {
    #[inline(always)]
    fn run<const L: usize>(&mut self, i: usize) {
        let load = |s: &[f32]| -> [f32; L] { s[i..i + L].try_into().expect("L elements") };
        let g = self.grad.map_or([0.0; L], load);
        let old = |s: &Option<&mut [f32]>| s.as_deref().filter(|_| self.resumed).map(load);
        let (direction, a, b) = apply(
            self.rule,
            self.rule.knobs(),
            g,
            old(&self.first),
            old(&self.second),
        );
        if let (Some(s), Some(a)) = (self.first.as_deref_mut(), a) {
            s[i..i + L].copy_from_slice(&a);
        }
        if let (Some(s), Some(b)) = (self.second.as_deref_mut(), b) {
            s[i..i + L].copy_from_slice(&b);
        }
        if let Some(w) = self.weights.as_deref_mut() {
            let w: &mut [f32; L] = (&mut w[i..i + L]).try_into().expect("L elements");
            *w = w.minus(direction.scale(self.lr));
        }
    }
}

impl ModuleMapper for HostUpdate<'_> {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let (id, tensor, mapper) = param.consume();
        let shape = tensor.shape();
        let n = shape.num_elements();
        let Some(grad) = self.grads.remove::<D>(id) else {
            self.update(n, None, None);
            return Param::from_mapped_value(id, tensor, mapper);
        };
        let require_grad = tensor.is_require_grad();
        let value = tensor.inner();
        let device = value.device();
        let mut grad = grad.reshape([n]).into_data();
        let mut weights = value.reshape([n]).into_data();
        self.update(n, Some(floats(&mut weights)), Some(floats(&mut grad)));
        let mut updated =
            Tensor::from_inner(Tensor::<1>::from_data(weights, &device).reshape(shape));
        if require_grad {
            updated = updated.require_grad();
        }
        Param::from_mapped_value(id, updated, mapper)
    }
}

/// `module` updated on the host under `rule` with `grads`; `state` is the last update's
/// vectors (`None` on a first update) and `total` the parameters' element count. Returns the
/// module and the new state's vectors.
pub(super) fn step<M: Module>(
    rule: Rule,
    lr: f32,
    module: M,
    grads: &mut GradientsParams,
    state: Option<Vec<Tensor<1>>>,
    total: usize,
) -> (M, Vec<TensorData>) {
    let resumed = state.is_some();
    let state = match state {
        Some(vectors) => vectors.into_iter().map(Tensor::into_data).collect(),
        None => (0..rule.moments())
            .map(|_| TensorData::new(vec![0.0f32; total], [total]))
            .collect(),
    };
    let mut pass = HostUpdate {
        grads,
        rule,
        lr,
        state,
        resumed,
        offset: 0,
    };
    let module = module.map(&mut pass);
    (module, pass.state)
}
