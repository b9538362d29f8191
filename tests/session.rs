#![cfg(not(target_arch = "wasm32"))]
//! The session as the page drives it, natively on the CPU (seconds): slow motion's half steps,
//! the last good state, reset with a seed, refusals that change nothing, a run that turns NaN,
//! and digits runs with and without their digits.

use std::sync::Arc;

use burn::prelude::Device;
use gan_lab::GanLoss;
use gan_lab::config::{GanConfig, OptimizerConfig, Preset};
use gan_lab::data::mnist::{MnistImages, PIXELS};
use gan_lab::error::Error;
use gan_lab::eval::classifier::DigitClassifier;
use gan_lab::frame::Frame;
use gan_lab::readback::block_on;
use gan_lab::session::{DigitAssets, Phase, Session};

fn ring8() -> Session {
    Session::new(Preset::Ring8.config(), &Device::flex(), None).unwrap()
}

fn frame(s: &mut Session) -> Frame {
    block_on(s.frame()).unwrap()
}

fn plane(f: Frame) -> gan_lab::frame::PlaneFrame {
    match f {
        Frame::Plane(p) => p,
        Frame::Digits(_) => panic!("a plane run gave a digits frame"),
    }
}

#[test]
fn half_steps_pair_up_and_training_finishes_a_half_done_step() {
    let mut s = ring8();
    assert_eq!(s.half_step(), Phase::D);
    assert_eq!(s.step(), 0, "D's half does not count as a step");
    let after_d = plane(frame(&mut s));
    assert!(after_d.losses.d.is_empty(), "no step has ended yet");
    assert_eq!(s.half_step(), Phase::G);
    assert_eq!(s.step(), 1);
    let after_g = plane(frame(&mut s));
    assert_eq!(after_g.losses.d.len(), 1, "the paired halves log one step");
    assert_ne!(after_g.fake, after_d.fake, "G's half moved G's points");

    // A D half, then train(2): the half-done step ends first, so three steps are logged and
    // D is never updated twice in a row.
    assert_eq!(s.half_step(), Phase::D);
    s.train(2);
    assert_eq!(s.step(), 4);
    assert_eq!(plane(frame(&mut s)).losses.g.len(), 3);
    assert_eq!(s.half_step(), Phase::D, "a new pair starts after train");
}

#[test]
fn restore_goes_back_to_the_last_finite_frame() {
    let mut s = ring8();
    assert_eq!(s.restore_last_good().unwrap_err().kind(), "state");
    s.train(3);
    let good = plane(frame(&mut s));
    s.train(5);
    assert_eq!(s.restore_last_good().unwrap(), 3);
    assert_eq!(s.step(), 3);
    let back = plane(frame(&mut s));
    assert_eq!(back.fake, good.fake, "G is as it was at step 3");
    assert!(
        back.losses.d.is_empty(),
        "the undone steps' losses are dropped"
    );
}

#[test]
fn a_nan_run_says_so_and_restores_to_finite() {
    // LSGAN's squared error under SGD at lr 1000 overflows within a few steps (the page's NaN
    // test does the same through the controls).
    let mut c = Preset::Ring8.config();
    c.loss = GanLoss::LeastSquares;
    for net in [&mut c.generator, &mut c.discriminator] {
        net.optimizer = OptimizerConfig::Sgd {
            lr: 1000.0,
            momentum: 0.0,
        };
    }
    let mut s = Session::new(c, &Device::flex(), None).unwrap();
    // The page reads a frame as soon as a run starts: the fresh state is a good one.
    let first = frame(&mut s);
    assert!(!first.diverged());
    let mut diverged_at = None;
    for _ in 0..20 {
        s.train(1);
        let f = frame(&mut s);
        if f.diverged() {
            diverged_at = Some(f.step());
            break;
        }
    }
    let at = diverged_at.expect("the run turns NaN within 20 steps");
    let good = s.restore_last_good().unwrap();
    assert!(good < at, "restored to step {good}, before the NaN at {at}");
    assert!(good >= first.step());
    let f = frame(&mut s);
    assert!(!f.diverged());
    assert!(plane(f).fake.iter().all(|v| v.is_finite()));
}

#[test]
fn reset_replays_by_seed_and_a_refusal_keeps_the_run() {
    let mut s = ring8();
    s.train(2);
    let seed0 = plane(frame(&mut s));
    s.reset(None, Some(1), None).unwrap();
    assert_eq!((s.step(), s.config().seed), (0, 1));
    s.train(2);
    let seed1 = plane(frame(&mut s));
    assert_ne!(seed1.fake, seed0.fake, "another seed, another run");
    s.reset(None, Some(0), None).unwrap();
    s.train(2);
    let again = plane(frame(&mut s));
    assert_eq!(
        (again.fake, again.losses),
        (seed0.fake, seed0.losses),
        "the same seed replays"
    );

    // A refused config names the field and leaves the run as it was.
    let mut bad = Preset::Ring8.config();
    bad.batch_size = 0;
    let e = s.reset(Some(bad), None, None).unwrap_err();
    assert_eq!((e.kind(), e.field()), ("config", Some("batch_size")));
    assert_eq!((s.step(), s.config().seed), (2, 0));
    s.train(1);
    assert_eq!(s.step(), 3);
}

#[test]
fn live_settings_refuse_by_name_and_change_nothing() {
    let mut s = ring8();
    let mut live = s.config().live();
    live.loss = GanLoss::LeastSquares;
    s.set_live(live).unwrap();
    assert_eq!(s.config().loss, GanLoss::LeastSquares);
    let before = s.config().clone();
    live.discriminator_lr = -1.0;
    let e = s.set_live(live).unwrap_err();
    assert_eq!(e.field(), Some("discriminator.optimizer.lr"));
    assert_eq!(s.config(), &before);
}

#[test]
fn bad_configs_are_refused_with_the_field_named() {
    let mut c: GanConfig = Preset::Ring8.config();
    c.generator.width = 0;
    let e = Session::new(c, &Device::flex(), None).err().unwrap();
    assert_eq!(
        e,
        Error::Config(gan_lab::ConfigError::new(
            "generator.width",
            "must be between 1 and 4096, got 0"
        ))
    );
    assert_eq!(
        e.to_string(),
        "invalid config: `generator.width` must be between 1 and 4096, got 0"
    );
}

/// 20 made-up digits and an untrained classifier: a digits run needs bytes of the right shape.
fn assets() -> DigitAssets {
    let images = MnistImages {
        images: (0..20 * PIXELS).map(|k| (k * 7 % 256) as u8).collect(),
        labels: (0..20).map(|k| (k % 10) as u8).collect(),
    };
    DigitAssets::new(Arc::new(images), &DigitClassifier::new(0, &Device::flex()))
}

fn small_digits() -> GanConfig {
    let mut c = Preset::DigitsDcgan.config();
    c.generator.width = 4;
    c.discriminator.width = 4;
    c.batch_size = 8;
    c
}

#[test]
fn a_digits_run_without_digits_is_refused_and_with_them_draws_digits() {
    let e = Session::new(small_digits(), &Device::flex(), None)
        .err()
        .unwrap();
    assert_eq!((e.kind(), e.field()), ("config", Some("data")));

    // From a plane run, a reset to digits without digits keeps the plane run.
    let mut s = ring8();
    let e = s.reset(Some(small_digits()), None, None).unwrap_err();
    assert_eq!(e.field(), Some("data"));
    assert!(!s.is_digits());

    let assets = assets();
    s.reset(Some(small_digits()), None, Some(&assets)).unwrap();
    assert!(s.is_digits());
    s.train(2);
    match frame(&mut s) {
        Frame::Digits(d) => {
            assert_eq!(d.step, 2);
            assert_eq!(d.samples.len(), 64 * PIXELS);
            assert_eq!(d.losses.d.len(), 2);
        }
        Frame::Plane(_) => panic!("a digits run gave a plane frame"),
    }
}

#[test]
fn a_conditional_run_walks_the_digit_asked_for_and_refuses_a_non_digit() {
    let mut c = small_digits();
    c.conditional = true;
    let mut s = Session::new(c, &Device::flex(), Some(&assets())).unwrap();
    s.train(1);
    let strip = |s: &mut Session| match frame(s) {
        Frame::Digits(d) => {
            assert_eq!(d.samples.len(), 80 * PIXELS, "a row of 8 per digit");
            assert!(d.quality.class_agreement.is_some());
            d.strip
        }
        Frame::Plane(_) => panic!("a digits run gave a plane frame"),
    };
    let zero = strip(&mut s);
    let e = s.set_walk_class(10).unwrap_err();
    assert_eq!((e.kind(), e.field()), ("config", Some("walk_class")));
    assert_eq!(strip(&mut s), zero, "a refused digit changes nothing");
    s.set_walk_class(7).unwrap();
    let seven = strip(&mut s);
    assert_ne!(seven, zero);
    // A view setting: a reset keeps it.
    s.reset(None, None, Some(&assets())).unwrap();
    s.train(1);
    assert_eq!(strip(&mut s), seven);
}

#[test]
fn corrupt_digit_files_are_refused_as_data() {
    let e = DigitAssets::parse(&[1, 2, 3], &[4, 5], &[]).err().unwrap();
    assert_eq!(e.kind(), "data");
    assert_eq!(e.field(), None);
}

#[test]
fn plane_questions_to_a_digits_run_are_refused_not_panics() {
    let images = Arc::new(MnistImages {
        images: vec![0; 2 * PIXELS],
        labels: vec![0, 1],
    });
    let t = gan_lab::Trainer::with_images(small_digits(), images, &Device::flex()).unwrap();
    let e = block_on(gan_lab::eval::plane::evaluate(&t)).unwrap_err();
    assert_eq!(e.kind(), "state");
}
