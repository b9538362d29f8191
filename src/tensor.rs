//! Small tensor helpers shared by the trainer, the classifier and the benchmarks.

use burn::optim::{
    AdamConfig, ModuleOptimizer, RmsPropConfig, SgdConfig, momentum::MomentumConfig,
};
use burn::prelude::*;

use crate::config::OptimizerConfig;

/// Row-major `values` as a matrix of `cols` columns. `[values.len() / cols, cols]`
pub fn matrix(values: Vec<f32>, cols: usize, device: &Device) -> Tensor<2> {
    let rows = values.len() / cols;
    Tensor::from_data(TensorData::new(values, [rows, cols]), device)
}

/// burn's optimizer for a config's choice (the one place [`OptimizerConfig`] becomes one).
pub fn optimizer(config: &OptimizerConfig) -> ModuleOptimizer {
    match *config {
        OptimizerConfig::Adam { beta1, beta2, .. } => AdamConfig::new()
            .with_beta_1(beta1)
            .with_beta_2(beta2)
            .init(),
        OptimizerConfig::RmsProp { .. } => RmsPropConfig::new().with_momentum(0.0).init(),
        OptimizerConfig::Sgd { momentum, .. } => SgdConfig::new()
            .with_momentum((momentum > 0.0).then(|| MomentumConfig {
                momentum,
                dampening: 0.0,
                nesterov: false,
            }))
            .init(),
    }
}
