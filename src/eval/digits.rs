//! How good G's digits are, judged by the digit classifier on a fixed evaluation batch: how
//! many of the 10 classes appear among confidently classified samples, the KL divergence of the
//! predicted-class histogram from uniform (mode collapse shows as a high value: all on one
//! class gives ln 10 ≈ 2.303), and the fraction of samples classified confidently (blurry or
//! malformed digits are not).
//!
//! The fixed batch is the same z every time (so the reader watches the same digits form); an
//! interpolation strip between two of its latent vectors rides in the same batch, so G's batch
//! norm always sees the same batch and a digit never changes because its neighbours did.

use serde::Serialize;

use crate::config::{GanConfig, LatentDistribution};
use crate::error::Error;
use crate::eval::classifier::DigitClassifier;
use crate::probe;
use crate::readback::read_floats;
use crate::rng::{SeededRng, Stream};
use crate::train::{Trainer, sample_latent};

/// Generated digits the quality numbers are computed on.
pub const QUALITY_SAMPLES: usize = 500;
/// Images in the latent interpolation strip, both ends included.
pub const STRIP: usize = 10;

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
pub fn eval_latents(config: &GanConfig) -> Vec<f32> {
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

/// The quality numbers alone, on the fixed evaluation batch (for the CLI).
pub async fn evaluate(t: &Trainer, classifier: &DigitClassifier) -> Result<DigitQuality, Error> {
    let fake = probe::generate(t, eval_latents(t.config())).narrow(0, 0, QUALITY_SAMPLES);
    let probabilities = read_floats(classifier.probabilities_of(fake)).await?;
    Ok(digit_quality(&probabilities))
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
