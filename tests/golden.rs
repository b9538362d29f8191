#![cfg(not(target_arch = "wasm32"))]
//! The native CPU runs that the browser tests compare against (`tests/web.rs`), and that
//! `tests/fusion.rs` compares burn's fused wgpu backend against.
//!
//! `tests/golden/ring8-seed0.json` holds the first steps of ring8, seed 0, on flex (an MLP);
//! `tests/golden/digits-small-seed0.json` the first steps of a small DCGAN on the 1,000
//! held-out digits, with its config. This test recomputes them, so the files cannot go stale:
//! if the core's numbers change on purpose, regenerate them with
//! `GOLDEN_UPDATE=1 cargo test --release --test golden`.

#[allow(dead_code)]
#[path = "golden/runs.rs"]
mod runs;

use burn::prelude::Device;
use gan_lab::GanConfig;
use runs::*;
use serde_json::Value;

fn check(path: &str, now: Value, keys: &[&str]) {
    if std::env::var_os("GOLDEN_UPDATE").is_some() {
        std::fs::write(path, serde_json::to_string_pretty(&now).unwrap() + "\n").unwrap();
    }
    let file = read_golden(path);
    let (worst, at) = worst_difference(&now, &file, keys);
    assert!(worst <= 1e-6, "{path}: {at}");
}

#[test]
fn golden_files_match_the_native_runs() {
    check(RING8, ring8(&Device::flex()), RING8_KEYS);
    check(DIGITS, digits(&Device::flex()), DIGIT_KEYS);
    let config: GanConfig = serde_json::from_value(read_golden(DIGITS)["config"].clone()).unwrap();
    assert_eq!(config, small_dcgan(), "the file's config is the test's");
}
