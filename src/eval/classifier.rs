//! The digit classifier behind the digits' quality numbers (see `eval::digits`): an MLP
//! trained on real digits with this crate's own code (`gan classifier`), whose weights ship in
//! `assets/classifier/`.

use burn::optim::GradientsParams;
use burn::prelude::*;
use burn::store::{ModuleSnapshot, SafetensorsStore};
use burn::tensor::activation::{log_softmax, softmax};

use crate::config::{Activation, NetConfig, OptimizerConfig};
use crate::data::mnist::{MnistImages, PIXELS};
use crate::error::Error;
use crate::model::Mlp;
use crate::optim::Optimizer;
use crate::rng::{SeededRng, Stream};
use crate::tensor::matrix;

/// The classifier's shape: 784 → 256 → 256 → 10, ReLU.
fn net() -> NetConfig {
    NetConfig {
        width: 256,
        depth: 2,
        activation: Activation::Relu,
        optimizer: OptimizerConfig::Adam {
            lr: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
        },
    }
}

/// An MLP over 28×28 digits with pixels in [−1, 1].
pub struct DigitClassifier {
    /// On the autodiff device (for training); inference goes through `valid()`.
    mlp: Mlp,
    device: Device,
    plain_device: Device,
}

impl DigitClassifier {
    /// Fresh weights from `seed`.
    pub fn new(seed: u64, device: &Device) -> Self {
        let plain_device = device.clone().without_autodiff();
        let device = device.clone().autodiff();
        let mlp = Mlp::new(
            PIXELS,
            10,
            &net(),
            &mut SeededRng::new(seed, Stream::DiscriminatorInit),
            &device,
        );
        Self {
            mlp,
            device,
            plain_device,
        }
    }

    /// The weights from SafeTensors bytes (as `to_safetensors` writes them).
    pub fn from_safetensors(bytes: Vec<u8>, device: &Device) -> Result<Self, Error> {
        let mut c = Self::new(0, device);
        let mut store = SafetensorsStore::from_bytes(Some(bytes));
        c.mlp
            .load_from(&mut store)
            .map_err(|e| Error::Data(format!("the classifier weights could not be loaded: {e}")))?;
        Ok(c)
    }

    /// The weights as SafeTensors bytes.
    pub fn to_safetensors(&self) -> Vec<u8> {
        let mut store = SafetensorsStore::from_bytes(None);
        self.mlp
            .save_into(&mut store)
            .expect("writing to memory cannot fail");
        store.get_bytes().expect("the store was just written")
    }

    /// Class probabilities for digits given as pixels in [−1, 1], `[n * 784]`. `[n, 10]`
    pub fn probabilities(&self, pixels: Vec<f32>) -> Tensor<2> {
        self.probabilities_of(matrix(pixels, PIXELS, &self.plain_device))
    }

    /// As [`Self::probabilities`], for digits already on the (non-autodiff) device. `[n, 784]`
    /// → `[n, 10]`
    pub fn probabilities_of(&self, pixels: Tensor<2>) -> Tensor<2> {
        softmax(self.mlp.valid().forward(pixels), 1)
    }

    /// Trains on `digits` with Adam and cross-entropy, in batches shuffled by `seed`.
    pub fn train(&mut self, digits: &MnistImages, epochs: usize, batch: usize, seed: u64) {
        let config = net().optimizer;
        let mut optim = Optimizer::default();
        let mut rng = SeededRng::new(seed, Stream::Data);
        let mut order: Vec<usize> = (0..digits.len()).collect();
        for _ in 0..epochs {
            // Fisher–Yates with the seeded stream.
            for k in (1..order.len()).rev() {
                order.swap(k, rng.index(k + 1));
            }
            for chunk in order.chunks(batch) {
                let pixels: Vec<f32> = chunk.iter().flat_map(|&k| digits.pixels(k)).collect();
                let one_hot: Vec<f32> = chunk
                    .iter()
                    .flat_map(|&k| {
                        let label = digits.labels[k] as usize;
                        (0..10).map(move |c| if c == label { 1.0 } else { 0.0 })
                    })
                    .collect();
                let x = matrix(pixels, PIXELS, &self.device); // [b, 784]
                let y = matrix(one_hot, 10, &self.device); // [b, 10]
                let loss = -(log_softmax(self.mlp.forward(x), 1) * y).sum_dim(1).mean();
                let grads = GradientsParams::from_grads(loss.backward(), &self.mlp);
                self.mlp = optim.step(&config, self.mlp.clone(), grads);
            }
        }
    }

    /// Fraction of `digits` whose top class is their label.
    pub async fn accuracy(&self, digits: &MnistImages) -> Result<f64, Error> {
        let pixels: Vec<f32> = (0..digits.len()).flat_map(|k| digits.pixels(k)).collect();
        let p = crate::readback::read_floats(self.probabilities(pixels)).await?;
        let right = p
            .chunks_exact(10)
            .zip(&digits.labels)
            .filter(|(row, label)| {
                let top = row
                    .iter()
                    .enumerate()
                    .max_by(|a, b| a.1.total_cmp(b.1))
                    .map(|(c, _)| c);
                top == Some(**label as usize)
            })
            .count();
        Ok(right as f64 / digits.len().max(1) as f64)
    }
}
