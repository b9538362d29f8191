//! Small tensor helpers shared by the trainer, the classifier and the benchmarks: matrices
//! from host values, and a module's parameters by path (to save and restore a run).

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::prelude::*;

/// Row-major `values` as a matrix of `cols` columns. `[values.len() / cols, cols]`
pub fn matrix(values: Vec<f32>, cols: usize, device: &Device) -> Tensor<2> {
    let rows = values.len() / cols;
    Tensor::from_data(TensorData::new(values, [rows, cols]), device)
}

/// A module's float parameters, in visiting order: each one's path (`Mlp.hidden.0.weight`),
/// shape and values flattened to `[numel]` on the backend without autodiff.
pub fn named_params<M: Module>(module: &M) -> Vec<(String, Vec<usize>, Tensor<1>)> {
    struct Named {
        path: Vec<String>,
        out: Vec<(String, Vec<usize>, Tensor<1>)>,
    }
    impl ModuleVisitor for Named {
        fn enter_module(&mut self, name: &str, _: &str) {
            self.path.push(name.to_string());
        }
        fn exit_module(&mut self, _: &str, _: &str) {
            self.path.pop();
        }
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            let value = param.val().inner();
            let shape = value.shape().to_vec();
            let n = shape.iter().product::<usize>();
            self.out
                .push((self.path.join("."), shape, value.reshape([n])));
        }
    }
    let mut v = Named {
        path: Vec::new(),
        out: Vec::new(),
    };
    module.visit(&mut v);
    v.out
}

/// `module` with its float parameters, in visiting order, set to `values` (row-major, each
/// of the parameter's own size: callers check shapes first) on `device`. Ids stay.
pub fn load_params<M: Module>(module: M, values: Vec<Vec<f32>>, device: &Device) -> M {
    struct Load<'a> {
        values: std::vec::IntoIter<Vec<f32>>,
        device: &'a Device,
    }
    impl ModuleMapper for Load<'_> {
        fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
            let (id, tensor, mapper) = param.consume();
            let values = self.values.next().expect("one value list per parameter");
            let require_grad = tensor.is_require_grad();
            let mut t = Tensor::from_data(TensorData::new(values, tensor.shape()), self.device);
            if require_grad {
                t = t.require_grad();
            }
            Param::from_mapped_value(id, t, mapper)
        }
    }
    module.map(&mut Load {
        values: values.into_iter(),
        device,
    })
}

/// `module` with its float parameters, in visiting order, set to `values` (`[numel]` each,
/// as [`named_params`] gives them) without a copy: each parameter becomes a view of its value,
/// on the module's side of autodiff, tracking gradients as it did. Ids stay.
pub fn put_params<M: Module>(module: M, values: Vec<Tensor<1>>) -> M {
    struct Put(std::vec::IntoIter<Tensor<1>>);
    impl ModuleMapper for Put {
        fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
            let (id, tensor, mapper) = param.consume();
            let value = self.0.next().expect("one value per parameter");
            let value: Tensor<D> = value.inner().reshape(tensor.shape());
            let mut t = if tensor.device().is_autodiff() {
                Tensor::from_inner(value)
            } else {
                value
            };
            if tensor.is_require_grad() {
                t = t.require_grad();
            }
            Param::from_mapped_value(id, t, mapper)
        }
    }
    module.map(&mut Put(values.into_iter()))
}

/// `module` with each float parameter copied into a buffer of its own: a state that stays
/// put while a replayed step overwrites the module's own buffers in place.
pub fn copy_params<M: Module>(module: &M) -> M {
    let copies = named_params(module)
        .into_iter()
        .map(|(_, _, t)| t.mul_scalar(1.0))
        .collect();
    put_params(module.clone(), copies)
}

/// `average` moved toward `current` (the same architecture): each parameter becomes
/// `β · average + (1 − β) · current`, on `average`'s device (`current`'s values are taken
/// without autodiff). The step of an exponential moving average of weights. `blend`: `[2]`,
/// β then 1 − β, on the device (β changes from step to step, and a captured step reads it
/// from its feed).
pub fn blend_params<M: Module>(average: M, current: &M, blend: Tensor<1>) -> M {
    struct Blend {
        current: std::vec::IntoIter<(String, Vec<usize>, Tensor<1>)>,
        beta: Tensor<1>,
        rest: Tensor<1>,
    }
    impl ModuleMapper for Blend {
        fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
            let (id, average, mapper) = param.consume();
            let (_, _, current) = self.current.next().expect("the same architecture");
            let current: Tensor<D> = current.reshape(average.shape());
            let k = |t: &Tensor<1>| t.clone().reshape([1; D]);
            let blended = average * k(&self.beta) + current * k(&self.rest);
            Param::from_mapped_value(id, blended, mapper)
        }
    }
    average.map(&mut Blend {
        current: named_params(current).into_iter(),
        beta: blend.clone().narrow(0, 0, 1),
        rest: blend.narrow(0, 1, 1),
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use burn::nn::{Linear, LinearConfig};

    #[test]
    fn blending_moves_each_parameter_a_fraction_toward_the_current_one() {
        let device = Device::flex();
        let net = |v: f32| {
            let l: Linear = LinearConfig::new(2, 3).init(&device);
            let n = named_params(&l).len();
            load_params(l, vec![vec![v; 6], vec![v; 3]][..n].to_vec(), &device)
        };
        let blend = Tensor::from_floats([0.75, 0.25], &device);
        let blended = blend_params(net(1.0), &net(3.0), blend);
        for (_, _, t) in named_params(&blended) {
            let values: Vec<f32> = t.into_data().try_to_vec::<f32>().unwrap();
            assert!(values.iter().all(|v| (v - 1.5).abs() < 1e-6), "{values:?}");
        }
    }
}
