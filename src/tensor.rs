//! Small tensor helpers shared by the trainer, the classifier and the benchmarks.

use burn::prelude::*;

/// Row-major `values` as a matrix of `cols` columns. `[values.len() / cols, cols]`
pub fn matrix(values: Vec<f32>, cols: usize, device: &Device) -> Tensor<2> {
    let rows = values.len() / cols;
    Tensor::from_data(TensorData::new(values, [rows, cols]), device)
}
