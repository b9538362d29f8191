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

use crate::batch::sample_latent;
use crate::config::{GanConfig, LatentDistribution};
use crate::error::Error;
use crate::eval::classifier::DigitClassifier;
use crate::probe;
use crate::readback::read_floats;
use crate::rng::{SeededRng, Stream};
use crate::train::Trainer;

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
    /// A conditional run's: the fraction of samples the classifier assigns (its top class) to
    /// the class G was asked for. `None` for an unconditional run, which asks for none.
    pub class_agreement: Option<f64>,
}

/// The quality numbers from class probabilities, `[n * 10]` row-major, and the class each
/// sample was asked to be (a conditional run's; empty otherwise).
pub fn digit_quality(probabilities: &[f32], asked: &[u8]) -> DigitQuality {
    let mut counts = [0usize; 10];
    let mut agreed = 0usize;
    let n = probabilities.len() / 10;
    for (k, row) in probabilities.chunks_exact(10).enumerate() {
        let (class, &p) = row
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .expect("10 classes");
        if p > CONFIDENT {
            counts[class] += 1;
        }
        if asked.get(k) == Some(&(class as u8)) {
            agreed += 1;
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
        class_agreement: (!asked.is_empty() && n > 0).then(|| agreed as f64 / n as f64),
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

/// Columns of a conditional run's class grid: one row per class, the same z down a column,
/// so a column shows one style written as each digit.
pub const CLASS_GRID_COLUMNS: usize = 8;

/// The classes the judged batch asks a conditional G for: each class in turn, so every class
/// is judged equally often (50 of each). Empty for an unconditional run.
pub fn eval_classes(config: &GanConfig) -> Vec<u8> {
    let classes = config.label_dim();
    if classes == 0 {
        return Vec::new();
    }
    (0..QUALITY_SAMPLES).map(|k| (k % classes) as u8).collect()
}

/// Rows in a conditional run's class grid (`CLASSES × CLASS_GRID_COLUMNS`); 0 otherwise.
pub fn class_grid_rows(config: &GanConfig) -> usize {
    config.label_dim() * CLASS_GRID_COLUMNS
}

/// Rows of latent walks in the evaluation batch: one walk, or a conditional run's one per class.
pub fn walk_rows(config: &GanConfig) -> usize {
    STRIP * config.label_dim().max(1)
}

/// Where the walk asking for `walk_class` starts in the evaluation batch (an unconditional
/// run's one walk asks for none).
pub fn walk_start(config: &GanConfig, walk_class: u8) -> usize {
    let class = if config.label_dim() == 0 {
        0
    } else {
        walk_class as usize
    };
    QUALITY_SAMPLES + class * STRIP
}

/// G's fixed evaluation input, `[rows * generator_input_dim]`: the `QUALITY_SAMPLES` judged
/// rows, then the latent walk's `STRIP` rows (a conditional run's walk once per class, class
/// after class: see [`walk_start`]), then a conditional run's class grid ([`class_grid_rows`]:
/// row `r` asks for class `r`, column `j` takes the `j`-th judged z). A conditional run's rows
/// end in their one-hot class, the judged ones [`eval_classes`]. Every walk rides in the batch
/// so that G's batch norm sees the same batch whichever walk the page shows: picking another
/// changes no other digit.
pub fn eval_inputs(config: &GanConfig) -> Vec<f32> {
    let dim = config.latent.dim;
    let classes = config.label_dim();
    let mut rng = SeededRng::new(config.seed, Stream::Eval);
    let judged = sample_latent(config, &mut rng, QUALITY_SAMPLES);
    let (a, b) = (judged[..dim].to_vec(), judged[dim..2 * dim].to_vec());
    let walk: Vec<Vec<f32>> = (0..STRIP)
        .map(|k| {
            let t = k as f32 / (STRIP - 1) as f32;
            match config.latent.distribution {
                LatentDistribution::Gaussian => slerp(&a, &b, t),
                // Uniform z lives in a cube: the straight line stays inside it.
                LatentDistribution::Uniform => {
                    a.iter().zip(&b).map(|(x, y)| x + t * (y - x)).collect()
                }
            }
        })
        .collect();
    let mut rows: Vec<(&[f32], u8)> = judged
        .chunks_exact(dim)
        .zip(eval_classes(config).into_iter().chain(std::iter::repeat(0)))
        .collect();
    for class in 0..classes.max(1) {
        rows.extend(walk.iter().map(|z| (z.as_slice(), class as u8)));
    }
    for class in 0..classes {
        for z in judged.chunks_exact(dim).take(CLASS_GRID_COLUMNS) {
            rows.push((z, class as u8));
        }
    }
    let mut out = Vec::with_capacity(rows.len() * (dim + classes));
    for (z, class) in rows {
        out.extend_from_slice(z);
        out.extend((0..classes).map(|k| if k == class as usize { 1.0 } else { 0.0 }));
    }
    out
}

/// The quality numbers alone, on the fixed evaluation batch (for the CLI).
pub async fn evaluate(t: &Trainer, classifier: &DigitClassifier) -> Result<DigitQuality, Error> {
    let fake = probe::generate(t, eval_inputs(t.config())).narrow(0, 0, QUALITY_SAMPLES);
    let probabilities = read_floats(classifier.probabilities_of(fake)).await?;
    Ok(digit_quality(&probabilities, &eval_classes(t.config())))
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
        let q = digit_quality(&one_hot_rows(&balanced, 0.99), &[]);
        assert_eq!((q.classes_present, q.confident_fraction), (10, 1.0));
        assert_eq!(
            q.class_agreement, None,
            "an unconditional batch asks for no class"
        );
        assert!(q.class_kl.abs() < 1e-12);
        // Mode collapse: every sample a confident 3.
        let q = digit_quality(&one_hot_rows(&[3; 50], 0.99), &[]);
        assert_eq!(q.classes_present, 1);
        assert!((q.class_kl - 10f64.ln()).abs() < 1e-12);
        // Blurry digits: nothing confident.
        let q = digit_quality(&one_hot_rows(&balanced, 0.5), &[]);
        assert_eq!((q.classes_present, q.confident_fraction), (0, 0.0));
        assert!(q.class_kl.is_nan());
    }

    #[test]
    fn class_agreement_counts_top_classes_that_match_the_ask() {
        // Asked for 0..9 in turn; the classifier's top class matches on 7 of 10 rows, whether
        // it is confident or not.
        let asked: Vec<u8> = (0..10).collect();
        let mut top: Vec<usize> = (0..10).collect();
        (top[2], top[5], top[9]) = (3, 4, 1);
        let q = digit_quality(&one_hot_rows(&top, 0.5), &asked);
        assert_eq!(q.class_agreement, Some(0.7));
        assert_eq!(q.confident_fraction, 0.0);
    }

    #[test]
    fn a_conditional_eval_batch_asks_each_class_and_lays_the_grid_by_class() {
        let mut c = crate::config::Preset::DigitsDcgan.config();
        let plain = eval_inputs(&c);
        assert_eq!(plain.len(), (QUALITY_SAMPLES + STRIP) * c.latent.dim);
        c.conditional = true;
        let (dim, row) = (c.latent.dim, c.generator_input_dim());
        let rows = QUALITY_SAMPLES + 10 * STRIP + class_grid_rows(&c);
        let inputs = eval_inputs(&c);
        assert_eq!((inputs.len(), row), (rows * row, dim + 10));
        let class_of = |r: usize| {
            let onehot = &inputs[r * row + dim..(r + 1) * row];
            assert_eq!(onehot.iter().sum::<f32>(), 1.0);
            onehot.iter().position(|&v| v == 1.0).unwrap()
        };
        let z_of = |r: usize| &inputs[r * row..r * row + dim];
        // The same z as the unconditional batch, each judged row asking for k mod 10.
        for r in [0, 1, 13, QUALITY_SAMPLES - 1] {
            assert_eq!(z_of(r), &plain[r * dim..(r + 1) * dim]);
            assert_eq!(class_of(r), r % 10);
        }
        // Each class's walk: the unconditional walk's z, asking for that class.
        for (class, k) in [(0, 0), (7, 3), (9, STRIP - 1)] {
            let at = walk_start(&c, class) + k;
            assert_eq!(class_of(at), class as usize);
            let plain_walk = QUALITY_SAMPLES + k;
            assert_eq!(z_of(at), &plain[plain_walk * dim..(plain_walk + 1) * dim]);
        }
        // Grid row r is class r; column j reuses judged z number j.
        let grid = QUALITY_SAMPLES + walk_rows(&c);
        for (r, j) in [(0, 0), (4, 3), (9, 7)] {
            let at = grid + r * CLASS_GRID_COLUMNS + j;
            assert_eq!(class_of(at), r);
            assert_eq!(z_of(at), &plain[j * dim..(j + 1) * dim]);
        }
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
