//! The golden runs (see `tests/golden.rs`), shared by `tests/golden.rs` and `tests/fusion.rs`.

use burn::prelude::Device;
use gan_lab::frame::Frame;
use gan_lab::readback::block_on;
use gan_lab::session::DigitAssets;
use gan_lab::{GanConfig, Preset, Session};
use serde_json::{Value, json};

pub const RING8: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/ring8-seed0.json");
pub const DIGITS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/golden/digits-small-seed0.json"
);
/// Steps in the golden runs; few, since SwiftShader takes seconds per step.
const STEPS: usize = 3;
const DIGIT_STEPS: usize = 2;
/// Leading generated coordinates kept in the ring8 file.
const HEAD: usize = 16;

/// ring8 on `device`: the page's path, a session, `train`, then one frame.
pub fn ring8(device: &Device) -> Value {
    let mut session = Session::new(Preset::Ring8.config(), device, None).unwrap();
    session.train(STEPS as u32);
    let Frame::Plane(s) = block_on(session.frame()).unwrap() else {
        panic!("ring8 draws the plane")
    };
    json!({
        "preset": "ring8",
        "seed": 0,
        "steps": STEPS,
        "d_losses": s.losses.d,
        "g_losses": s.losses.g,
        "fake_head": &s.fake[..HEAD],
        "d_grid_head": &s.d_grid[..HEAD],
    })
}

/// DCGAN on digits, narrowed to 8 channels so SwiftShader runs a step in seconds: the same
/// conv, transposed-conv and batch-norm kernels as the preset, fewer of them.
pub fn small_dcgan() -> GanConfig {
    let mut c = Preset::DigitsDcgan.config();
    c.generator.width = 8;
    c.discriminator.width = 8;
    c.batch_size = 16;
    c
}

/// The held-out 1,000 digits (the browser tests embed the same files).
fn test_digits() -> DigitAssets {
    let read =
        |p: &str| std::fs::read(format!("{}/assets/{p}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    DigitAssets::parse(
        &read("mnist/test-images-idx3-ubyte.gz"),
        &read("mnist/test-labels-idx1-ubyte.gz"),
        &read("classifier/digits-mlp.safetensors"),
    )
    .unwrap()
}

/// The small DCGAN on `device`: G's weights after two updates show in its digits, so a wrong
/// G gradient (burn's fusion bug, `tests/fusion.rs`) shows here.
pub fn digits(device: &Device) -> Value {
    let config = small_dcgan();
    let mut session = Session::new(config.clone(), device, Some(&test_digits())).unwrap();
    session.train(DIGIT_STEPS as u32);
    let Frame::Digits(f) = block_on(session.frame()).unwrap() else {
        panic!("a digits run draws digits")
    };
    // The middle row of the first two digits: strokes, not background.
    let px = gan_lab::data::mnist::PIXELS;
    let row: Vec<f32> = (0..2)
        .flat_map(|k| f.samples[k * px + 14 * 28..k * px + 15 * 28].to_vec())
        .collect();
    json!({
        "config": config,
        "steps": DIGIT_STEPS,
        "d_losses": f.losses.d,
        "g_losses": f.losses.g,
        "samples_row": row,
        "d_scores": [f.scores.d_real, f.scores.d_fake],
    })
}

/// The largest relative difference `|a − b| / (1 + |b|)` over the numeric arrays `keys`.
pub fn worst_difference(now: &Value, file: &Value, keys: &[&str]) -> (f64, String) {
    let mut worst = (0.0, String::new());
    for key in keys {
        let (a, b) = (now[key].as_array().unwrap(), file[key].as_array().unwrap());
        assert_eq!(a.len(), b.len(), "{key}");
        for (k, (x, y)) in a.iter().zip(b).enumerate() {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            let d = (x - y).abs() / (1.0 + y.abs());
            if !(d <= worst.0) {
                worst = (d, format!("{key}[{k}]: {x} vs golden {y}"));
            }
        }
    }
    worst
}

pub const RING8_KEYS: &[&str] = &["d_losses", "g_losses", "fake_head", "d_grid_head"];
pub const DIGIT_KEYS: &[&str] = &["d_losses", "g_losses", "samples_row", "d_scores"];

pub fn read_golden(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}
