#![cfg(not(target_arch = "wasm32"))]
//! The native CPU run that the browser tests compare against (`tests/web.rs`).
//!
//! `tests/golden/ring8-seed0.json` holds the first steps of ring8, seed 0, on flex. This test
//! recomputes them, so the file cannot go stale: if the core's numbers change on purpose,
//! regenerate it with `GOLDEN_UPDATE=1 cargo test --release --test golden`.

use burn::prelude::Device;
use gan_lab::frame::Frame;
use gan_lab::readback::block_on;
use gan_lab::{Preset, Session};
use serde_json::{Value, json};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/ring8-seed0.json");
/// Steps in the golden run; few, since SwiftShader takes seconds per step.
const STEPS: usize = 3;
/// Leading generated coordinates kept in the file.
const HEAD: usize = 16;

fn compute() -> Value {
    // The page's path: a session, `train`, then one frame.
    let mut session = Session::new(Preset::Ring8.config(), &Device::flex(), None).unwrap();
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

#[test]
fn golden_file_matches_the_native_run() {
    let now = compute();
    if std::env::var_os("GOLDEN_UPDATE").is_some() {
        std::fs::write(PATH, serde_json::to_string_pretty(&now).unwrap() + "\n").unwrap();
    }
    let file: Value = serde_json::from_str(&std::fs::read_to_string(PATH).unwrap()).unwrap();
    for key in ["d_losses", "g_losses", "fake_head", "d_grid_head"] {
        let (a, b) = (now[key].as_array().unwrap(), file[key].as_array().unwrap());
        assert_eq!(a.len(), b.len(), "{key}");
        for (x, y) in a.iter().zip(b) {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!(
                (x - y).abs() <= 1e-6 * (1.0 + y.abs()),
                "{key}: native {x} vs golden {y}"
            );
        }
    }
}
