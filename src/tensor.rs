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
