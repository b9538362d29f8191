//! What the digits view draws, and the quality numbers of generated digits.
//!
//! Everything comes from one fixed evaluation batch (the same z every snapshot, so the reader
//! watches the same digits form): its first [`GRID`] images are the grid, all
//! [`QUALITY_SAMPLES`] are judged by the digit classifier, and an interpolation strip between
//! two of its latent vectors rides in the same batch (G's batch norm sees the same batch every
//! time, so a digit never changes because its neighbours did).

use serde::Serialize;

use crate::classifier::{DigitClassifier, DigitQuality, digit_quality};
use crate::config::LatentDistribution;
use crate::readback::{ReadError, flat, read_many};
use crate::rng::{SeededRng, Stream};
use crate::snapshot::LossLog;
use crate::train::{Trainer, sample_latent};

/// Generated digits shown in the grid (8 × 8).
pub const GRID: usize = 64;
/// Generated digits the quality numbers are computed on (the grid is their first 64).
pub const QUALITY_SAMPLES: usize = 500;
/// Images in the latent interpolation strip, both ends included.
pub const STRIP: usize = 10;
/// Real digits shown beside the generated ones.
pub const REAL_SHOWN: usize = 16;

/// One frame of the digits view.
#[derive(Debug, Clone)]
pub struct DigitsSnapshot {
    pub step: u64,
    /// G's digits from the fixed noise, pixels in [−1, 1], row-major 28×28 each. `[GRID * 784]`
    pub samples: Vec<f32>,
    /// G along a great circle between two fixed latent vectors. `[STRIP * 784]`
    pub strip: Vec<f32>,
    /// Real digits from the training set, the same ones every snapshot. `[REAL_SHOWN * 784]`
    pub real: Vec<f32>,
    /// D's and G's loss at each step since the previous snapshot.
    pub d_losses: Vec<f32>,
    pub g_losses: Vec<f32>,
    pub quality: DigitQuality,
    /// Mean of D's raw score on 64 real digits and on G's 64 grid digits.
    pub scores: Scores,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scores {
    pub d_real: f64,
    pub d_fake: f64,
}

impl DigitsSnapshot {
    /// Whether any loss since the last snapshot is NaN or infinite.
    pub fn diverged(&self) -> bool {
        self.d_losses
            .iter()
            .chain(&self.g_losses)
            .any(|v| !v.is_finite())
    }
}

/// Spherical interpolation, the path White (2016, "Sampling Generative Networks") recommends
/// for Gaussian z: a straight line would pass through low-norm z that G never sees.
fn slerp(a: &[f32], b: &[f32], t: f32) -> Vec<f32> {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norms =
        a.iter().map(|x| x * x).sum::<f32>().sqrt() * b.iter().map(|x| x * x).sum::<f32>().sqrt();
    let omega = (dot / norms).clamp(-1.0, 1.0).acos();
    let (wa, wb) = if omega.abs() < 1e-4 {
        (1.0 - t, t)
    } else {
        let s = omega.sin();
        (((1.0 - t) * omega).sin() / s, (t * omega).sin() / s)
    };
    a.iter().zip(b).map(|(x, y)| wa * x + wb * y).collect()
}

/// The fixed latent batch: `QUALITY_SAMPLES` vectors, then the strip's `STRIP`.
fn eval_latents(trainer: &Trainer) -> Vec<f32> {
    let config = trainer.config();
    let dim = config.latent.dim;
    let mut rng = SeededRng::new(config.seed, Stream::Eval);
    let mut z = sample_latent(config, &mut rng, QUALITY_SAMPLES);
    let (a, b) = (z[..dim].to_vec(), z[dim..2 * dim].to_vec());
    for k in 0..STRIP {
        let t = k as f32 / (STRIP - 1) as f32;
        z.extend(match config.latent.distribution {
            LatentDistribution::Gaussian => slerp(&a, &b, t),
            // Uniform z lives in a cube: the straight line stays inside it.
            LatentDistribution::Uniform => a.iter().zip(&b).map(|(x, y)| x + t * (y - x)).collect(),
        });
    }
    z
}

impl Trainer {
    /// Reads the digits view's state back in one device read; drains `log`.
    pub async fn digits_snapshot(
        &self,
        log: &mut LossLog,
        classifier: &DigitClassifier,
    ) -> Result<DigitsSnapshot, ReadError> {
        let pixels = crate::data::mnist::PIXELS;
        let fake = self.generate(eval_latents(self)); // [QUALITY_SAMPLES + STRIP, 784]
        let judged = fake.clone().narrow(0, 0, QUALITY_SAMPLES);
        let probabilities = classifier.probabilities_of(judged.clone()); // [QUALITY_SAMPLES, 10]
        let mut rng = SeededRng::new(self.config().seed, Stream::Eval);
        // 64 of each is plenty for a mean shown to two decimals; more would cost a snapshot
        // ~1,000 D passes (and a 1.5 MB upload of real digits) for nothing.
        let real = self.sample_real(&mut rng, GRID);
        let d_real = self.discriminate(real.clone()).mean(); // [1]
        let d_fake = self.discriminate_tensor(judged.narrow(0, 0, GRID)).mean(); // [1]
        let mut parts = vec![flat(fake), flat(probabilities), d_real, d_fake];
        if let Some((d, g)) = log.take() {
            parts.extend([d, g]);
        }
        let mut read = read_many(parts).await?.into_iter();
        let mut next = || read.next().expect("one part per tensor read");
        let (mut fake, probabilities, d_real, d_fake) = (next(), next(), next(), next());
        let (d_losses, g_losses) = (
            read.next().unwrap_or_default(),
            read.next().unwrap_or_default(),
        );
        let strip = fake.split_off(QUALITY_SAMPLES * pixels);
        fake.truncate(GRID * pixels);
        Ok(DigitsSnapshot {
            step: self.steps(),
            samples: fake,
            strip,
            real: real[..REAL_SHOWN * pixels].to_vec(),
            d_losses,
            g_losses,
            quality: digit_quality(&probabilities),
            scores: Scores {
                d_real: d_real[0] as f64,
                d_fake: d_fake[0] as f64,
            },
        })
    }

    /// The quality numbers alone, on the fixed evaluation batch (for the CLI).
    pub async fn digit_quality(
        &self,
        classifier: &DigitClassifier,
    ) -> Result<DigitQuality, ReadError> {
        let z = eval_latents(self);
        let fake = self.generate(z).narrow(0, 0, QUALITY_SAMPLES);
        let probabilities = crate::readback::read_floats(classifier.probabilities_of(fake)).await?;
        Ok(digit_quality(&probabilities))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Preset;
    use crate::data::mnist::{Digits, PIXELS};
    use std::sync::Arc;

    #[cfg(not(target_arch = "wasm32"))]
    fn small_run(seed: u64) -> Trainer {
        use burn::prelude::Device;
        // 20 made-up digits: the trainer only needs bytes of the right shape.
        let mut rng = SeededRng::new(9, Stream::Data);
        let digits = Digits {
            images: (0..20 * PIXELS).map(|_| rng.index(256) as u8).collect(),
            labels: (0..20).map(|k| (k % 10) as u8).collect(),
        };
        let mut c = Preset::DigitsDcgan.config();
        c.generator.hidden = 4;
        c.discriminator.hidden = 4;
        c.batch_size = 8;
        c.seed = seed;
        Trainer::with_digits(c, Arc::new(digits), &Device::flex()).unwrap()
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn digits_snapshots_have_their_shapes_and_replay_by_seed() {
        use crate::classifier::DigitClassifier;
        use crate::readback::block_on;
        let judge = DigitClassifier::new(0, &burn::prelude::Device::flex());
        let snap = |seed| {
            let mut t = small_run(seed);
            let mut log = LossLog::default();
            for _ in 0..2 {
                log.push(t.step());
            }
            block_on(t.digits_snapshot(&mut log, &judge)).unwrap()
        };
        let a = snap(0);
        assert_eq!(a.step, 2);
        assert_eq!(a.samples.len(), GRID * PIXELS);
        assert_eq!(a.strip.len(), STRIP * PIXELS);
        assert_eq!(a.real.len(), REAL_SHOWN * PIXELS);
        assert_eq!((a.d_losses.len(), a.g_losses.len()), (2, 2));
        assert!(!a.diverged());
        let b = snap(0);
        assert_eq!(
            (a.samples.clone(), a.d_losses.clone()),
            (b.samples, b.d_losses)
        );
        assert_ne!(a.samples, snap(1).samples, "another seed, another run");
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn a_digits_config_without_digits_is_refused() {
        let e = Trainer::new(Preset::DigitsMlp.config(), &burn::prelude::Device::flex())
            .err()
            .expect("refused");
        assert_eq!(e.field, "data");
    }

    #[test]
    fn slerp_keeps_the_ends_and_the_norm() {
        let a = [1.0f32, 0.0, 0.0];
        let b = [0.0f32, 2.0, 0.0];
        assert_eq!(slerp(&a, &b, 0.0), a.to_vec());
        let end = slerp(&a, &b, 1.0);
        assert!((end[1] - 2.0).abs() < 1e-5 && end[0].abs() < 1e-5);
        // Between two unit vectors the path stays on the unit sphere.
        let mid = slerp(&a, &[0.0, 1.0, 0.0], 0.5);
        let norm: f32 = mid.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5, "{norm}");
    }
}
