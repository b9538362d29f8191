//! The digits view's frame: G's digits from the fixed evaluation batch (see `eval::digits`),
//! the latent walk, real digits beside them, the quality numbers and D's mean scores.

use burn::tensor::Tensor;
use serde::Serialize;

use crate::data::mnist::PIXELS;
use crate::error::Error;
use crate::eval::classifier::DigitClassifier;
use crate::eval::digits::{
    DigitQuality, QUALITY_SAMPLES, class_grid_rows, digit_quality, eval_classes, eval_inputs,
    walk_rows, walk_start,
};
use crate::frame::{LossLog, Losses};
use crate::model::with_classes;
use crate::probe;
use crate::readback::{flat, read_many};
use crate::rng::{SeededRng, Stream};
use crate::tensor::matrix;
use crate::train::Trainer;

pub use crate::eval::digits::STRIP;

/// Generated digits shown in the grid (8 × 8) of an unconditional run: the first of the
/// evaluation batch. A conditional run shows its class grid instead (10 rows of 8, see
/// `eval::digits::class_grid_rows`).
pub const GRID: usize = 64;
/// Real digits shown beside the generated ones.
pub const REAL_SHOWN: usize = 16;

/// One frame of the digits view. Images are row-major 28×28, pixels in [−1, 1].
#[derive(Debug, Clone)]
pub struct DigitsFrame {
    pub step: u64,
    /// G's digits from the fixed noise, 8 a row. `[GRID * 784]`, or a conditional run's
    /// class grid, row `r` asked for digit `r`: `[10 * 8 * 784]`
    pub samples: Vec<f32>,
    /// G along a great circle between two fixed latent vectors (a conditional run's asked
    /// for the walk's class). `[STRIP * 784]`
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

/// Reads the digits view's state back in one device read; drains `log`. A conditional run's
/// latent walk draws `walk_class` (ignored otherwise).
pub async fn read(
    t: &Trainer,
    log: &mut LossLog,
    classifier: &DigitClassifier,
    walk_class: u8,
) -> Result<DigitsFrame, Error> {
    let config = t.config();
    let classes = config.label_dim();
    // [QUALITY_SAMPLES + walks + class grid, 784]
    let fake = probe::generate(t, eval_inputs(config));
    let judged = fake.clone().narrow(0, 0, QUALITY_SAMPLES);
    let asked = eval_classes(config);
    let probabilities = classifier.probabilities_of(judged.clone()); // [QUALITY_SAMPLES, 10]
    let mut rng = SeededRng::new(config.seed, Stream::Eval);
    // 64 of each is plenty for a mean shown to two decimals; more would cost a frame ~1,000
    // D passes (and a 1.5 MB upload of real digits) for nothing. A conditional D judges each
    // digit as the class it is (real) or was asked to be (G's).
    let (real, real_labels) = t.sample_real_labelled(&mut rng, GRID);
    let real_rows = with_classes(
        matrix(real.clone(), PIXELS, t.plain_device()),
        &real_labels,
        classes,
    );
    let d_real = probe::discriminate_tensor(t, real_rows).mean(); // [1]
    let fake_rows = with_classes(
        judged.narrow(0, 0, GRID),
        &asked[..asked.len().min(GRID)],
        classes,
    );
    let d_fake = probe::discriminate_tensor(t, fake_rows).mean(); // [1]
    // Only the grid and the strip come back, not all QUALITY_SAMPLES digits (1.6 MB, and a copy
    // of it per part): the rest are judged on the device and never shown.
    let grid = match class_grid_rows(config) {
        0 => fake.clone().narrow(0, 0, GRID),
        rows => fake
            .clone()
            .narrow(0, QUALITY_SAMPLES + walk_rows(config), rows),
    };
    let grid_len = grid.dims()[0] * PIXELS;
    let walk = fake.narrow(0, walk_start(config, walk_class), STRIP);
    let shown = Tensor::cat(vec![grid, walk], 0); // [grid + STRIP, 784]
    let mut parts = vec![flat(shown), flat(probabilities), d_real, d_fake];
    log.drain_into(&mut parts);
    let mut read = read_many(parts).await?.into_iter();
    let mut next = || read.next().expect("one part per tensor read");
    let (mut shown, probabilities, d_real, d_fake) = (next(), next(), next(), next());
    let losses = Losses::from_rest(read);
    let strip = shown.split_off(grid_len);
    Ok(DigitsFrame {
        step: t.steps(),
        samples: shown,
        strip,
        real: real[..REAL_SHOWN * PIXELS].to_vec(),
        losses,
        quality: digit_quality(&probabilities, &asked),
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
            block_on(read(&t, &mut log, &judge, 0)).unwrap()
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
    fn a_conditional_frame_shows_a_row_per_class_and_its_agreement() {
        let judge = DigitClassifier::new(0, &Device::flex());
        let mut c = Preset::DigitsDcgan.config();
        (c.generator.width, c.discriminator.width, c.batch_size) = (4, 4, 8);
        c.conditional = true;
        let mut t = Trainer::with_images(c, made_up_digits(), &Device::flex()).unwrap();
        let mut log = LossLog::default();
        log.push(t.step());
        let a = block_on(read(&t, &mut log, &judge, 3)).unwrap();
        assert_eq!(a.samples.len(), 10 * 8 * PIXELS);
        assert_eq!(a.strip.len(), STRIP * PIXELS);
        let agreement = a
            .quality
            .class_agreement
            .expect("a conditional run asks for classes");
        assert!((0.0..=1.0).contains(&agreement));
        assert!(!a.diverged());
        // The walk's class changes the walk and nothing else.
        let b = block_on(read(&t, &mut LossLog::default(), &judge, 8)).unwrap();
        assert_eq!(a.samples, b.samples);
        assert_eq!(a.quality.class_agreement, b.quality.class_agreement);
        assert_ne!(a.strip, b.strip);
    }

    #[test]
    fn a_digits_config_without_digits_is_refused() {
        let e = Trainer::new(Preset::DigitsMlp.config(), &Device::flex())
            .err()
            .expect("refused");
        assert_eq!(e.field, "data");
    }
}
