#![cfg(not(target_arch = "wasm32"))]
//! The save file: a run saved after N steps and resumed continues with exactly the losses of
//! the unbroken run (flex is deterministic, so bit for bit), for each optimizer, the penalty's
//! stream and the DCGAN; and every kind of wrong file is refused with a reason, never a panic.

use std::sync::Arc;

use burn::prelude::Device;
use gan_lab::GanLoss;
use gan_lab::config::{GanConfig, Preset};
use gan_lab::data::mnist::{MnistImages, PIXELS};
use gan_lab::eval::classifier::DigitClassifier;
use gan_lab::readback::block_on;
use gan_lab::save::SavedRun;
use gan_lab::session::{DigitAssets, Session};

fn assets() -> DigitAssets {
    let images = MnistImages {
        images: (0..20 * PIXELS).map(|k| (k * 7 % 256) as u8).collect(),
        labels: (0..20).map(|k| (k % 10) as u8).collect(),
    };
    DigitAssets::new(Arc::new(images), &DigitClassifier::new(0, &Device::flex()))
}

/// Losses of `steps` more steps, and the step count after them.
fn losses(s: &mut Session, steps: u32) -> (Vec<f32>, Vec<f32>, u64) {
    s.train(steps);
    let f = block_on(s.frame()).unwrap();
    (f.losses().d.clone(), f.losses().g.clone(), f.step())
}

fn resumes_exactly(config: GanConfig, first: u32, then: u32) {
    let assets = assets();
    let dev = Device::flex();
    let mut whole = Session::new(config.clone(), &dev, Some(&assets)).unwrap();
    losses(&mut whole, first);
    let expected = losses(&mut whole, then);

    let mut a = Session::new(config, &dev, Some(&assets)).unwrap();
    losses(&mut a, first);
    let bytes = block_on(a.save()).unwrap().into_bytes();
    let mut b = Session::load(&bytes, &dev, Some(&assets)).unwrap();
    assert_eq!(b.step(), first as u64);
    assert_eq!(losses(&mut b, then), expected);
    // Saving did not disturb the saved run either.
    assert_eq!(losses(&mut a, then), expected);
}

#[test]
fn ring8_adam_100_then_100_is_200_unbroken() {
    resumes_exactly(Preset::Ring8.config(), 100, 100);
}

#[test]
fn rmsprop_clipping_and_penalty_streams_resume_exactly() {
    let mut wgan = Preset::Ring8.config();
    wgan.loss = "wasserstein".parse::<GanLoss>().unwrap();
    wgan.generator.optimizer = gan_lab::config::OptimizerConfig::RmsProp { lr: 5e-5 };
    wgan.discriminator.optimizer = gan_lab::config::OptimizerConfig::RmsProp { lr: 5e-5 };
    resumes_exactly(wgan, 20, 10);
    let mut gp = Preset::Ring8.config();
    gp.loss = "wasserstein-gp".parse::<GanLoss>().unwrap();
    gp.generator.optimizer = gan_lab::config::OptimizerConfig::Sgd {
        lr: 1e-3,
        momentum: 0.9,
    };
    resumes_exactly(gp, 20, 10);
}

#[test]
fn the_average_of_gs_weights_is_saved_and_resumes_exactly() {
    let mut c = Preset::Ring8.config();
    c.g_ema = 0.99;
    resumes_exactly(c.clone(), 30, 10);
    // The shown G is the average: its points, not only the losses, must survive the file.
    let dev = Device::flex();
    let points = |s: &mut Session| match block_on(s.frame()).unwrap() {
        gan_lab::frame::Frame::Plane(f) => f.fake,
        gan_lab::frame::Frame::Digits(_) => unreachable!("ring8 is a plane run"),
    };
    let mut a = Session::new(c.clone(), &dev, None).unwrap();
    a.train(30);
    let bytes = block_on(a.save()).unwrap().into_bytes();
    let shown = points(&mut a);
    let mut b = Session::load(&bytes, &dev, None).unwrap();
    assert_eq!(points(&mut b), shown);
    // A file whose config asks for the average but lacks it is refused, naming what is missing.
    let mut saved = SavedRun::from_bytes(&bytes).unwrap();
    saved.generator_average = None;
    assert!(refusal(&saved.into_file().into_bytes(), "data").contains("generator_average"));
}

/// The DCGAN digits presets, narrowed. A conditional run's classes for G come from the noise
/// stream and its learning-rate decay from the step count, both of which the file keeps.
#[test]
fn dcgan_digits_runs_resume_exactly() {
    for preset in [Preset::DigitsDcgan, Preset::DigitsCgan] {
        let mut c = preset.config();
        (c.generator.width, c.discriminator.width, c.batch_size) = (4, 4, 8);
        resumes_exactly(c, 3, 3);
    }
}

#[test]
fn a_half_done_slow_motion_step_is_finished_before_saving() {
    let dev = Device::flex();
    let mut s = Session::new(Preset::Ring8.config(), &dev, None).unwrap();
    s.half_step();
    let bytes = block_on(s.save()).unwrap().into_bytes();
    assert_eq!(Session::load(&bytes, &dev, None).unwrap().step(), 1);
}

/// The file written piece by piece (as the page writes it into a JS buffer): the pieces tile it
/// in order, and it is byte for byte what SafeTensors' own writer makes of the same tensors.
#[test]
fn the_file_written_in_pieces_is_a_safetensors_file() {
    let mut c = Preset::Ring8.config();
    c.g_ema = 0.99; // the average of G's weights is saved too
    let mut s = Session::new(c, &Device::flex(), None).unwrap();
    s.train(3);
    let file = block_on(s.save()).unwrap();
    let len = file.len();
    let mut bytes = vec![0xAA; len];
    let mut next = 0;
    file.write(|at, piece| {
        assert_eq!(at, next, "pieces come in order, without gaps");
        bytes[at..at + piece.len()].copy_from_slice(piece);
        next = at + piece.len();
    });
    assert_eq!(next, len, "the pieces fill the file");

    let parsed = safetensors::SafeTensors::deserialize(&bytes).unwrap();
    let (_, metadata) = safetensors::SafeTensors::read_metadata(&bytes).unwrap();
    assert!(
        parsed
            .names()
            .iter()
            .any(|n| n.starts_with("generator_average."))
    );
    let reference = safetensors::serialize(parsed.tensors(), metadata.metadata().clone()).unwrap();
    assert!(
        reference == bytes,
        "the same bytes as safetensors::serialize"
    );
    assert_eq!(
        Session::load(&bytes, &Device::flex(), None).unwrap().step(),
        3
    );
}

fn saved() -> Vec<u8> {
    let mut s = Session::new(Preset::Ring8.config(), &Device::flex(), None).unwrap();
    s.train(3);
    block_on(s.save()).unwrap().into_bytes()
}

/// What loading `bytes` says; it must be a refusal of kind `kind`.
fn refusal(bytes: &[u8], kind: &str) -> String {
    match Session::load(bytes, &Device::flex(), None) {
        Ok(_) => panic!("a wrong file was loaded"),
        Err(e) => {
            assert_eq!(e.kind(), kind, "{e}");
            e.to_string()
        }
    }
}

#[test]
fn wrong_files_are_refused_with_a_reason() {
    let good = saved();
    assert!(refusal(b"", "data").contains("not a SafeTensors file"));
    assert!(refusal(b"hello, this is not a save file", "data").contains("not a gan-lab save"));
    assert!(refusal(&good[..good.len() - 10], "data").contains("truncated or corrupt"));
    let png = [0x89, b'P', b'N', b'G', 13, 10, 26, 10, 0, 0, 0, 13];
    assert!(refusal(&png, "data").contains("not a gan-lab save"));

    // Another SafeTensors file (the classifier's weights): no gan-lab header.
    let other = DigitClassifier::new(0, &Device::flex()).to_safetensors();
    assert!(refusal(&other, "data").contains("no gan-lab header"));

    // Tampered headers: another format, a newer version, another config's shapes, an
    // out-of-range field.
    let mut run = SavedRun::from_bytes(&good).unwrap();
    let header_edit = |from: &str, to: &str| {
        // The header is a JSON string inside SafeTensors' JSON header: its quotes are escaped.
        let (from, to) = (from.replace('"', "\\\""), to.replace('"', "\\\""));
        // Same length keeps SafeTensors' offsets valid, so only our checks can refuse it.
        assert_eq!(from.len(), to.len());
        let at = good
            .windows(from.len())
            .position(|w| w == from.as_bytes())
            .unwrap_or_else(|| panic!("{from} is in the header"));
        let mut bytes = good.clone();
        bytes[at..at + to.len()].copy_from_slice(to.as_bytes());
        bytes
    };
    assert!(refusal(&header_edit("gan-lab-run", "gan-lab-xyz"), "data").contains("its format is"));
    assert!(refusal(&header_edit("\"version\":1", "\"version\":9"), "data").contains("version 9"));
    let w = run.config.generator.width;
    let width = format!("\"width\":{w}");
    let wider = format!("\"width\":{}", w + 1);
    let e = refusal(&header_edit(&width, &wider), "data");
    assert!(e.contains("does not fit its config"), "{e}");
    let zero = format!("\"width\":{:>1$}", 0, width.len() - 8);
    let e = refusal(&header_edit(&width, &zero), "config");
    assert!(e.contains("width` must be between"), "{e}");

    // A NaN in a weight.
    run.discriminator.params[0].values[0] = f32::NAN;
    assert!(refusal(&run.into_file().into_bytes(), "data").contains("holds NaN"));
}

#[test]
fn the_file_is_plain_safetensors_with_named_tensors() {
    let bytes = saved();
    let file = safetensors::SafeTensors::deserialize(&bytes).unwrap();
    let mut names = file.names();
    names.sort();
    assert!(
        names.contains(&"generator.Mlp.hidden.0.weight"),
        "{names:?}"
    );
    assert!(
        names.contains(&"optimizer.discriminator.Mlp.output.bias.moment_2"),
        "{names:?}"
    );
}
