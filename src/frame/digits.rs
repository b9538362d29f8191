//! The digits view's frame: G's digits from the fixed evaluation batch (see `eval::digits`),
//! the latent walk, real digits beside them, the quality numbers and D's mean scores.

use burn::tensor::Tensor;
use serde::Serialize;

use crate::data::mnist::PIXELS;
use crate::error::Error;
use crate::eval::classifier::DigitClassifier;
use crate::eval::digits::{DigitQuality, QUALITY_SAMPLES, digit_quality, eval_latents};
use crate::frame::{LossLog, Losses};
use crate::probe;
use crate::readback::{flat, read_many};
use crate::rng::{SeededRng, Stream};
use crate::train::Trainer;

pub use crate::eval::digits::STRIP;

/// Generated digits shown in the grid (8 × 8): the first of the evaluation batch.
pub const GRID: usize = 64;
/// Real digits shown beside the generated ones.
pub const REAL_SHOWN: usize = 16;

/// One frame of the digits view. Images are row-major 28×28, pixels in [−1, 1].
#[derive(Debug, Clone)]
pub struct DigitsFrame {
    pub step: u64,
    /// G's digits from the fixed noise. `[GRID * 784]`
    pub samples: Vec<f32>,
    /// G along a great circle between two fixed latent vectors. `[STRIP * 784]`
    pub strip: Vec<f32>,
    /// Real digits from the training set, the same ones every frame. `[REAL_SHOWN * 784]`
    pub real: Vec<f32>,
    pub losses: Losses,
    pub quality: DigitQuality,
    /// Mean of D's raw score on 64 real digits and on G's 64 grid digits.
    pub scores: Scores,
}

impl DigitsFrame {
    /// Whether the run has blown up: a loss since the previous frame or G's pixels are NaN or
    /// infinite (see `PlaneFrame::diverged`).
    pub fn diverged(&self) -> bool {
        self.losses.diverged() || super::any_non_finite(&self.samples)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scores {
    pub d_real: f64,
    pub d_fake: f64,
}

/// Reads the digits view's state back in one device read; drains `log`.
pub async fn read(
    t: &Trainer,
    log: &mut LossLog,
    classifier: &DigitClassifier,
) -> Result<DigitsFrame, Error> {
    let fake = probe::generate(t, eval_latents(t.config())); // [QUALITY_SAMPLES + STRIP, 784]
    let judged = fake.clone().narrow(0, 0, QUALITY_SAMPLES);
    let probabilities = classifier.probabilities_of(judged.clone()); // [QUALITY_SAMPLES, 10]
    let mut rng = SeededRng::new(t.config().seed, Stream::Eval);
    // 64 of each is plenty for a mean shown to two decimals; more would cost a frame ~1,000
    // D passes (and a 1.5 MB upload of real digits) for nothing.
    let real = t.sample_real(&mut rng, GRID);
    let d_real = probe::discriminate(t, real.clone()).mean(); // [1]
    let d_fake = probe::discriminate_tensor(t, judged.narrow(0, 0, GRID)).mean(); // [1]
    // Only the grid and the strip come back, not all QUALITY_SAMPLES digits (1.6 MB, and a copy
    // of it per part): the rest are judged on the device and never shown.
    let shown = Tensor::cat(
        vec![
            fake.clone().narrow(0, 0, GRID),
            fake.narrow(0, QUALITY_SAMPLES, STRIP),
        ],
        0,
    ); // [GRID + STRIP, 784]
    let mut parts = vec![flat(shown), flat(probabilities), d_real, d_fake];
    log.drain_into(&mut parts);
    let mut read = read_many(parts).await?.into_iter();
    let mut next = || read.next().expect("one part per tensor read");
    let (mut shown, probabilities, d_real, d_fake) = (next(), next(), next(), next());
    let losses = Losses::from_rest(read);
    let strip = shown.split_off(GRID * PIXELS);
    Ok(DigitsFrame {
        step: t.steps(),
        samples: shown,
        strip,
        real: real[..REAL_SHOWN * PIXELS].to_vec(),
        losses,
        quality: digit_quality(&probabilities),
        scores: Scores {
            d_real: d_real[0] as f64,
            d_fake: d_fake[0] as f64,
        },
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::config::Preset;
    use crate::data::mnist::MnistImages;
    use crate::readback::block_on;
    use burn::prelude::Device;
    use std::sync::Arc;

    /// 20 made-up digits: the trainer only needs bytes of the right shape.
    pub(crate) fn made_up_digits() -> Arc<MnistImages> {
        let mut rng = SeededRng::new(9, Stream::Data);
        Arc::new(MnistImages {
            images: (0..20 * PIXELS).map(|_| rng.index(256) as u8).collect(),
            labels: (0..20).map(|k| (k % 10) as u8).collect(),
        })
    }

    fn small_run(seed: u64) -> Trainer {
        let mut c = Preset::DigitsDcgan.config();
        c.generator.width = 4;
        c.discriminator.width = 4;
        c.batch_size = 8;
        c.seed = seed;
        Trainer::with_images(c, made_up_digits(), &Device::flex()).unwrap()
    }

    #[test]
    fn digits_frames_have_their_shapes_and_replay_by_seed() {
        let judge = DigitClassifier::new(0, &Device::flex());
        let frame = |seed| {
            let mut t = small_run(seed);
            let mut log = LossLog::default();
            for _ in 0..2 {
                log.push(t.step());
            }
            block_on(read(&t, &mut log, &judge)).unwrap()
        };
        let a = frame(0);
        assert_eq!(a.step, 2);
        assert_eq!(a.samples.len(), GRID * PIXELS);
        assert_eq!(a.strip.len(), STRIP * PIXELS);
        assert_eq!(a.real.len(), REAL_SHOWN * PIXELS);
        assert_eq!((a.losses.d.len(), a.losses.g.len()), (2, 2));
        assert!(!a.diverged());
        let b = frame(0);
        assert_eq!((&a.samples, &a.losses), (&b.samples, &b.losses));
        assert_ne!(a.samples, frame(1).samples, "another seed, another run");
    }

    #[test]
    fn a_digits_config_without_digits_is_refused() {
        let e = Trainer::new(Preset::DigitsMlp.config(), &Device::flex())
            .err()
            .expect("refused");
        assert_eq!(e.field, "data");
    }
}
