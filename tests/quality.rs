#![cfg(not(target_arch = "wasm32"))]
//! Training-quality checks on the CPU device. Not timed: they assert what training reaches.

use burn::prelude::Device;
use gan_lab::readback::block_on;
use gan_lab::readback::read_scalar_blocking;
use gan_lab::{GanLoss, Preset, Trainer};

/// The ring8 preset with `loss`. A Wasserstein loss takes the plain recipe's learning rate,
/// 1e-3: the preset's 2e-3 leans on R1, which a Wasserstein critic does not take, and at 2e-3
/// WGAN-GP's G leaves the data for good (JS stays at log 2 through 5,000 steps).
fn ring8_with(loss: GanLoss) -> gan_lab::GanConfig {
    let mut config = Preset::Ring8.config();
    config.loss = loss;
    if loss.is_wasserstein() {
        config.generator.optimizer.set_lr(1e-3);
        config.discriminator.optimizer.set_lr(1e-3);
    }
    config
}

fn train(loss: GanLoss, seed: u64, steps: u64) -> Trainer {
    let mut config = ring8_with(loss);
    config.seed = seed;
    let mut trainer = Trainer::new(config, &Device::flex()).unwrap();
    for step in 1..=steps {
        let out = trainer.step();
        if step % 250 == 0 || step == steps {
            let last = (
                read_scalar_blocking(out.d_loss),
                read_scalar_blocking(out.g_loss),
            );
            assert!(
                last.0.is_finite() && last.1.is_finite(),
                "{loss}: non-finite loss at step {step}: {last:?}"
            );
        }
    }
    trainer
}

/// The bar: ring8 with the non-saturating loss covers ≥ 7 of 8 modes with ≥ 80% of
/// samples high-quality, under a fixed seed.
#[test]
fn ring8_non_saturating_meets_the_quality_bar() {
    let trainer = train(GanLoss::NonSaturating, 0, 6000);
    let m = block_on(gan_lab::eval::plane::evaluate(&trainer)).unwrap();
    println!("ring8 non-saturating, seed 0, 6000 steps: {m:?}");
    assert!(
        m.modes_covered >= 7,
        "modes covered {} of {}",
        m.modes_covered,
        m.modes_total
    );
    assert!(
        m.high_quality >= 0.8,
        "high-quality fraction {}",
        m.high_quality
    );
    // Near equilibrium D is close to a coin flip and V near its floor −2·log 2.
    assert!(m.d_accuracy < 0.7, "D accuracy {}", m.d_accuracy);
    let v = m.value.unwrap();
    assert!(
        (v + 2.0 * std::f64::consts::LN_2).abs() < 0.15,
        "V(D,G) = {v}"
    );
}

/// Issue #17's bar, on the seeds where the plain recipe (no R1, no average of G) collapsed to
/// 3 and 2 modes: the ring8 preset covers all 8 within 5,000 steps with ≥ 90% of its samples
/// high-quality. The full 10-seed table is a benchmark (`gan sweep --preset ring8`), too slow
/// for CI; these two are its hardest cases for coverage.
#[test]
fn the_ring8_preset_covers_every_mode_where_the_plain_recipe_collapsed() {
    for seed in [1, 2] {
        let mut config = Preset::Ring8.config();
        config.seed = seed;
        let mut trainer = Trainer::new(config, &Device::flex()).unwrap();
        for _ in 0..5000 {
            trainer.step();
        }
        let m = block_on(gan_lab::eval::plane::evaluate(&trainer)).unwrap();
        println!("ring8 preset, seed {seed}, 5000 steps: {m:?}");
        assert_eq!(m.modes_covered, 8, "seed {seed}");
        assert!(m.high_quality >= 0.9, "seed {seed}: {}", m.high_quality);
        let gap = m.d_star_gap.expect("the non-saturating D is a probability");
        assert!(gap < 0.1, "seed {seed}: mean |D − D*| {gap}");
    }
}

/// Issue #17's grid25 bar (≥ 24 of 25 modes, ≥ 80% high quality within 10,000 steps) on seed
/// 8, where the preset at the plain recipe's learning rate missed both (23/25, 74.8%). The
/// 10-seed table is `gan sweep --preset grid25 --steps 10000`.
#[test]
fn the_grid25_preset_covers_the_grid_on_its_hardest_seed() {
    let mut config = Preset::Grid25.config();
    config.seed = 8;
    let mut trainer = Trainer::new(config, &Device::flex()).unwrap();
    for _ in 0..10_000 {
        trainer.step();
    }
    let m = block_on(gan_lab::eval::plane::evaluate(&trainer)).unwrap();
    println!("grid25 preset, seed 8, 10000 steps: {m:?}");
    assert!(m.modes_covered >= 24, "modes covered {}", m.modes_covered);
    assert!(m.high_quality >= 0.8, "high quality {}", m.high_quality);
}

/// The example post's failure-modes figure (`www/post/index.html`): on seed 9 the ring8 preset
/// covers all 8 modes within 5,000 steps, and the same preset with R1 and the average of G
/// turned off (`compare="r1:0,g-ema:0"`) covers only a few.
#[test]
fn the_posts_r1_figure_shows_coverage_beside_collapse() {
    let modes = |remedies: bool| {
        let mut config = Preset::Ring8.config();
        config.seed = 9;
        if !remedies {
            (config.r1, config.g_ema) = (0.0, 0.0);
        }
        let mut trainer = Trainer::new(config, &Device::flex()).unwrap();
        for _ in 0..5000 {
            trainer.step();
        }
        block_on(gan_lab::eval::plane::evaluate(&trainer))
            .unwrap()
            .modes_covered
    };
    let (with, without) = (modes(true), modes(false));
    println!(
        "ring8 seed 9, 5000 steps: {with}/8 modes with R1 and the average, {without}/8 without"
    );
    assert_eq!(with, 8);
    assert!(without <= 5, "without R1: {without} of 8 modes");
}

/// Every loss trains on ring8 without NaN and moves the JS divergence down. The Wasserstein
/// losses share the preset's Adam settings (not their papers' RMSProp / 5 critic steps) and
/// start slower: JS barely moves in their first 2,000 steps, so they get 5,000 (and the plain
/// recipe's learning rate, see `ring8_with`).
#[test]
fn every_loss_trains_and_lowers_js() {
    for loss in GanLoss::ALL {
        let config = ring8_with(loss);
        let fresh = Trainer::new(config, &Device::flex()).unwrap();
        let before = block_on(gan_lab::eval::plane::evaluate(&fresh)).unwrap();
        let steps = if loss.is_wasserstein() { 5000 } else { 1500 };
        let trainer = train(loss, 0, steps);
        let after = block_on(gan_lab::eval::plane::evaluate(&trainer)).unwrap();
        println!(
            "{loss}: JS {:.4} -> {:.4}, modes {}/8, hq {:.3}",
            before.js_divergence, after.js_divergence, after.modes_covered, after.high_quality
        );
        // A drop well beyond evaluation noise (the evaluation batch is fixed).
        assert!(
            after.js_divergence < before.js_divergence - 0.05,
            "{loss}: JS {} -> {}",
            before.js_divergence,
            after.js_divergence
        );
        assert_eq!(after.value.is_some(), loss.plays_value_game());
        assert_eq!(after.wasserstein_estimate.is_some(), loss.is_wasserstein());
    }
}

/// Same seed, same run; another seed, another run.
#[test]
fn runs_are_reproducible_by_seed() {
    let losses = |seed: u64| {
        let mut config = Preset::Grid25.config();
        config.seed = seed;
        let mut t = Trainer::new(config, &Device::flex()).unwrap();
        (0..5)
            .map(|_| {
                let out = t.step();
                (
                    read_scalar_blocking(out.d_loss),
                    read_scalar_blocking(out.g_loss),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(losses(3), losses(3));
    assert_ne!(losses(3), losses(4));
}

/// A bad config is refused before any tensor exists, with the field named.
#[test]
fn trainer_refuses_a_bad_config() {
    let mut config = Preset::Ring8.config();
    config.generator.width = 0;
    let err = Trainer::new(config, &Device::flex())
        .err()
        .expect("refused");
    assert_eq!(err.field, "generator.width");
}

/// Trains a preset unchanged (a lesson, as the page's button starts it) and evaluates it.
fn lesson(preset: Preset, steps: u64) -> (gan_lab::Metrics, f64) {
    let mut trainer = Trainer::new(preset.config(), &Device::flex()).unwrap();
    let mut g_loss = f64::NAN;
    for step in 1..=steps {
        let out = trainer.step();
        if step == steps {
            g_loss = read_scalar_blocking(out.g_loss);
        }
    }
    let m = block_on(gan_lab::eval::plane::evaluate(&trainer)).unwrap();
    println!("{preset}, {steps} steps: {m:?}, last G loss {g_loss}");
    (m, g_loss)
}

/// The page's lessons show what their buttons say, on seed 0 (their preset's seed).
#[test]
fn lesson_wgan_gp_covers_the_modes_the_vanilla_gan_misses() {
    let (vanilla, _) = lesson(Preset::VanillaGrid25, 5000);
    let (gp, _) = lesson(Preset::WganGpGrid25, 5000);
    assert!(
        vanilla.modes_covered <= 15,
        "vanilla covered {}",
        vanilla.modes_covered
    );
    assert!(
        gp.modes_covered >= 20,
        "WGAN-GP covered {}",
        gp.modes_covered
    );
    assert!(gp.js_divergence < vanilla.js_divergence);
}

#[test]
fn lesson_strong_d_collapses_and_saturating_stalls() {
    let (strong, _) = lesson(Preset::StrongD, 1000);
    assert!(strong.d_accuracy > 0.85, "D accuracy {}", strong.d_accuracy);
    assert!(strong.modes_covered <= 2, "modes {}", strong.modes_covered);
    // Same D, minimax loss: D wins outright and G's loss log(1 − D(G(z))) goes flat at 0.
    let (saturating, g_loss) = lesson(Preset::Saturating, 1000);
    assert!(
        saturating.d_accuracy > 0.95,
        "D accuracy {}",
        saturating.d_accuracy
    );
    assert_eq!(saturating.modes_covered, 0);
    assert!(g_loss.abs() < 0.05, "G loss {g_loss}");
}

/// Ring8 without R1 and the average of G collapses on the lesson's seed; G deeper than D never
/// reaches the ring. The ring8 preset's own test above is the other half of the first lesson.
#[test]
fn lesson_no_r1_collapses_and_deep_g_misses_the_ring() {
    let (no_r1, _) = lesson(Preset::NoR1, 5000);
    assert!(no_r1.modes_covered <= 4, "modes {}", no_r1.modes_covered);
    let (deep_g, _) = lesson(Preset::DeepG, 5000);
    assert_eq!(deep_g.modes_covered, 0);
}

/// The digits issue's bar: the DCGAN preset, seed 0, generates digits of ≥ 9 of the 10
/// classes with ≥ 70% of them confidently classified by the shipped classifier. Measured with
/// `gan train --preset digits-dcgan --steps 3000 --log-every 250`: 9/10 and 73.0% at step 250,
/// then 9–10 classes with 64–73% confident up to step 3,000 (10/10, 73.6%, class KL 0.09),
/// which this test replays (~4.5 min on 2 cores).
#[test]
fn dcgan_digits_meet_the_quality_bar() {
    let q = digits_after(Preset::DigitsDcgan, 0, 3000);
    println!("digits-dcgan, seed 0, 3000 steps: {q:?}");
    assert!(q.classes_present >= 9, "{q:?}");
    assert!(q.confident_fraction >= 0.7, "{q:?}");
}

/// The conditional preset's bar at step 1,000 (the digits issue's targets: ≥ 85% confident,
/// ≥ 90% of G's digits read as the digit asked for, all 10 classes), on seed 0, one of the
/// seeds it was tuned on; docs/digits.md has the per-seed table, held-out seeds included.
#[test]
fn conditional_digits_read_as_asked_by_step_1000() {
    let q = digits_after(Preset::DigitsCgan, 0, 1000);
    println!("digits-cgan, seed 0, 1000 steps: {q:?}");
    assert_eq!(q.classes_present, 10, "{q:?}");
    assert!(q.confident_fraction >= 0.85, "{q:?}");
    assert!(
        q.class_agreement.expect("a conditional run") >= 0.9,
        "{q:?}"
    );
}

/// A digits preset trained `steps` steps on the shipped digits, judged by the shipped classifier.
fn digits_after(preset: Preset, seed: u64, steps: u64) -> gan_lab::eval::digits::DigitQuality {
    use gan_lab::data::mnist::MnistImages;
    use gan_lab::eval::classifier::DigitClassifier;
    use std::sync::Arc;

    let read =
        |p: &str| std::fs::read(format!("{}/assets/{p}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let digits = MnistImages::from_idx(
        &read("mnist/train-images-idx3-ubyte.gz"),
        &read("mnist/train-labels-idx1-ubyte.gz"),
    )
    .unwrap();
    let device = Device::flex();
    let judge =
        DigitClassifier::from_safetensors(read("classifier/digits-mlp.safetensors"), &device)
            .unwrap();
    let mut config = preset.config();
    config.seed = seed;
    let mut trainer = Trainer::with_images(config, Arc::new(digits), &device).unwrap();
    for step in 1..=steps {
        let out = trainer.step();
        if step % 500 == 0 {
            let d = read_scalar_blocking(out.d_loss);
            assert!(d.is_finite(), "non-finite D loss at step {step}");
        }
    }
    block_on(gan_lab::eval::digits::evaluate(&trainer, &judge)).unwrap()
}
