//! The digit classifier behind the digits view's quality numbers, and those numbers.
//!
//! A generated digit is judged by a classifier trained on real digits with this crate's own
//! code (`gan classifier`), whose weights ship in `assets/classifier/`. From its predictions on
//! a batch of generated digits: how many of the 10 classes appear among confidently classified
//! samples, the KL divergence of the predicted-class histogram from uniform (mode collapse
//! shows as a high value: all on one class gives ln 10 ≈ 2.303), and the fraction of samples
//! classified confidently (blurry or malformed digits are not).

use burn::optim::GradientsParams;
use burn::prelude::*;
use burn::store::{ModuleSnapshot, SafetensorsStore};
use burn::tensor::activation::{log_softmax, softmax};
use serde::Serialize;

use crate::config::{Activation, NetConfig, OptimizerConfig};
use crate::data::mnist::{Digits, PIXELS};
use crate::model::Mlp;
use crate::rng::{SeededRng, Stream};
use crate::train::{matrix, optimizer};

/// The classifier's shape: 784 → 256 → 256 → 10, ReLU.
fn net() -> NetConfig {
    NetConfig {
        hidden: 256,
        depth: 2,
        activation: Activation::Relu,
        optimizer: OptimizerConfig::Adam {
            lr: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
        },
    }
}

/// A sample counts as confidently classified above this top-class probability.
pub const CONFIDENT: f32 = 0.9;

/// What the digits view reports for a batch of generated digits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DigitQuality {
    /// Classes (of 10) that at least one confidently classified sample falls in.
    pub classes_present: usize,
    /// KL(histogram of confident predictions ‖ uniform over 10), nats; 0 when balanced.
    pub class_kl: f64,
    /// Fraction of samples whose top-class probability exceeds [`CONFIDENT`].
    pub confident_fraction: f64,
}

/// The quality numbers from class probabilities, `[n * 10]` row-major.
pub fn digit_quality(probabilities: &[f32]) -> DigitQuality {
    let mut counts = [0usize; 10];
    let n = probabilities.len() / 10;
    for row in probabilities.chunks_exact(10) {
        let (class, &p) = row
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .expect("10 classes");
        if p > CONFIDENT {
            counts[class] += 1;
        }
    }
    let confident: usize = counts.iter().sum();
    let class_kl = if confident == 0 {
        f64::NAN
    } else {
        counts
            .iter()
            .filter(|&&c| c > 0)
            .map(|&c| {
                let p = c as f64 / confident as f64;
                p * (p * 10.0).ln()
            })
            .sum()
    };
    DigitQuality {
        classes_present: counts.iter().filter(|&&c| c > 0).count(),
        class_kl,
        confident_fraction: if n == 0 {
            0.0
        } else {
            confident as f64 / n as f64
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
    pub fn from_safetensors(bytes: Vec<u8>, device: &Device) -> Result<Self, String> {
        let mut c = Self::new(0, device);
        let mut store = SafetensorsStore::from_bytes(Some(bytes));
        c.mlp
            .load_from(&mut store)
            .map_err(|e| format!("the classifier weights could not be loaded: {e}"))?;
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
    pub fn train(&mut self, digits: &Digits, epochs: usize, batch: usize, seed: u64) {
        let config = net().optimizer;
        let mut optim = optimizer(&config);
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
                self.mlp = optim.step(config.lr(), self.mlp.clone(), grads);
            }
        }
    }

    /// Fraction of `digits` whose top class is their label.
    pub async fn accuracy(&self, digits: &Digits) -> Result<f64, crate::readback::ReadError> {
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn one_hot_rows(classes: &[usize], p: f32) -> Vec<f32> {
        classes
            .iter()
            .flat_map(|&c| (0..10).map(move |k| if k == c { p } else { (1.0 - p) / 9.0 }))
            .collect()
    }

    #[test]
    fn quality_of_balanced_collapsed_and_unsure_batches() {
        let balanced: Vec<usize> = (0..100).map(|k| k % 10).collect();
        let q = digit_quality(&one_hot_rows(&balanced, 0.99));
        assert_eq!((q.classes_present, q.confident_fraction), (10, 1.0));
        assert!(q.class_kl.abs() < 1e-12);
        // Mode collapse: every sample a confident 3.
        let q = digit_quality(&one_hot_rows(&[3; 50], 0.99));
        assert_eq!(q.classes_present, 1);
        assert!((q.class_kl - 10f64.ln()).abs() < 1e-12);
        // Blurry digits: nothing confident.
        let q = digit_quality(&one_hot_rows(&balanced, 0.5));
        assert_eq!((q.classes_present, q.confident_fraction), (0, 0.0));
        assert!(q.class_kl.is_nan());
    }
}
