//! The session in real browsers (`wasm-pack test --headless --chrome --firefox`), on WebGPU
//! (SwiftShader in Chromium, lavapipe in Firefox) and on the wasm CPU backend. Few steps:
//! SwiftShader takes seconds per step. Values are compared with the native CPU run in
//! `tests/golden/ring8-seed0.json` (kept true by `tests/golden.rs`).
#![cfg(target_arch = "wasm32")]

use gan_lab::web::{Session, WebSnapshot};
use gan_lab::{GanConfig, Preset};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const GOLDEN: &str = include_str!("golden/ring8-seed0.json");

fn ring8() -> String {
    Preset::Ring8.config().to_json_pretty()
}

fn message(e: wasm_bindgen::JsError) -> String {
    let v: JsValue = e.into();
    js_sys::Reflect::get(&v, &"message".into())
        .unwrap()
        .as_string()
        .unwrap()
}

async fn golden_run(backend: &str) -> (Session, WebSnapshot) {
    let mut s = Session::create(ring8(), backend.into())
        .await
        .unwrap_or_else(|e| panic!("{backend}: {}", message(e)));
    assert_eq!(
        s.backend(),
        backend,
        "asked for {backend}, got {} ({})",
        s.backend(),
        s.adapter()
    );
    let golden: serde_json::Value = serde_json::from_str(GOLDEN).unwrap();
    let steps = golden["steps"].as_u64().unwrap() as u32;
    s.train(steps);
    let snap = s
        .snapshot()
        .await
        .unwrap_or_else(|e| panic!("{}", message(e)));
    (s, snap)
}

/// Shapes as documented, finite values, and the native run's numbers within `tol` (relative).
fn check(snap: &WebSnapshot, tol: f64) {
    let golden: serde_json::Value = serde_json::from_str(GOLDEN).unwrap();
    let steps = golden["steps"].as_u64().unwrap();
    assert_eq!(snap.step() as u64, steps);
    let n = snap.fake().length() as usize;
    assert_eq!(n, 2 * gan_lab::metrics::EVAL_SAMPLES);
    assert_eq!(snap.real().length() as usize, n);
    assert_eq!(snap.g_grad().length() as usize, n);
    let cells = snap.grid_cells() as usize;
    assert_eq!(snap.d_grid().length() as usize, cells * cells);
    let side = snap.manifold_side() as usize;
    assert_eq!(snap.manifold().length() as usize, 2 * side * side);
    assert!(!snap.diverged());
    for (name, got) in [
        ("d_losses", snap.d_losses().to_vec()),
        ("g_losses", snap.g_losses().to_vec()),
        ("fake_head", snap.fake().to_vec()),
        ("d_grid_head", snap.d_grid().to_vec()),
    ] {
        let want = golden[name].as_array().unwrap();
        for (k, w) in want.iter().enumerate() {
            let (g, w) = (got[k] as f64, w.as_f64().unwrap());
            assert!(g.is_finite(), "{name}[{k}] = {g}");
            assert!(
                (g - w).abs() <= tol * (1.0 + w.abs()),
                "{name}[{k}]: browser {g} vs native {w}"
            );
        }
    }
    let m: serde_json::Value = serde_json::from_str(&snap.metrics()).unwrap();
    assert_eq!(m["modes_total"], 8);
}

#[wasm_bindgen_test]
async fn cpu_backend_trains_and_matches_native() {
    // Same flex code compiled to wasm: identical up to float reassociation.
    let (_, snap) = golden_run("cpu").await;
    check(&snap, 1e-4);
}

#[wasm_bindgen_test]
async fn webgpu_trains_and_matches_native() {
    // Different kernels and summation order on the GPU: agreement to ~1e-3 in the first steps.
    let (mut s, snap) = golden_run("webgpu").await;
    check(&snap, 2e-3);
    // Live settings apply without a reset, and a bad one is refused by name.
    s.set_live(r#"{"generator_lr":0.0005,"discriminator_lr":0.001,"loss":{"kind":"least-squares"},"d_steps":2,"batch_size":128}"#)
        .unwrap();
    assert!(s.live().contains("least-squares"));
    let e = s
        .set_live(
            r#"{"generator_lr":-1,"discriminator_lr":0.001,"loss":{"kind":"minimax"},"d_steps":1,"batch_size":256}"#,
        )
        .unwrap_err();
    assert!(message(e).contains("generator.optimizer.lr"));
    s.train(1);
    let snap = s.snapshot().await.unwrap();
    assert_eq!(snap.d_losses().length(), 1);
    assert!(snap.d_losses().to_vec()[0].is_finite());
}

#[wasm_bindgen_test]
async fn bad_config_is_refused_with_the_field_named() {
    let mut c: GanConfig = Preset::Ring8.config();
    c.batch_size = 0;
    let e = Session::create(c.to_json_pretty(), "cpu".into())
        .await
        .err()
        .expect("refused");
    assert!(message(e).contains("batch_size"));
    let e = Session::create(ring8(), "tpu".into())
        .await
        .err()
        .expect("refused");
    assert!(message(e).contains("tpu"));
}

#[wasm_bindgen_test]
async fn reset_restarts_the_same_run() {
    let mut s = Session::create(ring8(), "cpu".into()).await.unwrap();
    s.train(2);
    let first = s.snapshot().await.unwrap().fake().to_vec();
    s.reset(None, Some(0.0)).unwrap();
    assert_eq!(s.step(), 0.0);
    s.train(2);
    assert_eq!(s.snapshot().await.unwrap().fake().to_vec(), first);
    let e = s.reset(None, Some(-1.0)).unwrap_err();
    assert!(message(e).contains("seed"));
}

const TEST_IMAGES: &[u8] = include_bytes!("../assets/mnist/test-images-idx3-ubyte.gz");
const TEST_LABELS: &[u8] = include_bytes!("../assets/mnist/test-labels-idx1-ubyte.gz");
const CLASSIFIER: &[u8] = include_bytes!("../assets/classifier/digits-mlp.safetensors");

/// DCGAN on digits, narrowed to 8 channels so SwiftShader runs a step in seconds: the same
/// conv and transposed-conv kernels as the preset, fewer of them.
fn small_dcgan() -> String {
    let mut c = Preset::DigitsDcgan.config();
    c.generator.hidden = 8;
    c.discriminator.hidden = 8;
    c.batch_size = 16;
    c.to_json_pretty()
}

async fn digits_steps(backend: &str) {
    // The held-out 1,000 digits: the same format as the page's 10,000, smaller to embed.
    let n = gan_lab::web::load_digits(TEST_IMAGES, TEST_LABELS, CLASSIFIER)
        .unwrap_or_else(|e| panic!("{}", message(e)));
    assert_eq!(n, 1000);
    let mut s = Session::create(small_dcgan(), backend.into())
        .await
        .unwrap_or_else(|e| panic!("{backend}: {}", message(e)));
    assert_eq!(s.backend(), backend);
    assert!(s.is_digits());
    s.train(2);
    let snap = s
        .digits_snapshot()
        .await
        .unwrap_or_else(|e| panic!("{}", message(e)));
    assert_eq!(snap.step(), 2.0);
    let px = gan_lab::data::mnist::PIXELS;
    assert_eq!(snap.samples().length() as usize, gan_lab::digits::GRID * px);
    assert_eq!(snap.strip().length() as usize, gan_lab::digits::STRIP * px);
    assert_eq!(
        snap.real().length() as usize,
        gan_lab::digits::REAL_SHOWN * px
    );
    let samples = snap.samples().to_vec();
    assert!(
        samples.iter().all(|p| p.abs() <= 1.0),
        "tanh bounds G's pixels"
    );
    assert!(
        samples.iter().any(|&p| p != samples[0]),
        "G's digits are not blank"
    );
    let losses: Vec<f32> = snap
        .d_losses()
        .to_vec()
        .into_iter()
        .chain(snap.g_losses().to_vec())
        .collect();
    assert_eq!(losses.len(), 4);
    assert!(losses.iter().all(|l| l.is_finite()), "{losses:?}");
    let q: serde_json::Value = serde_json::from_str(&snap.quality()).unwrap();
    for key in ["classes_present", "confident_fraction", "d_real", "d_fake"] {
        assert!(q[key].is_number(), "{key} in {q}");
    }
    // A plane snapshot is refused for a digits run, by name.
    assert!(message(s.snapshot().await.err().expect("refused")).contains("digitsSnapshot"));
}

#[wasm_bindgen_test]
async fn dcgan_trains_on_digits_on_the_cpu() {
    digits_steps("cpu").await;
}

#[wasm_bindgen_test]
async fn dcgan_trains_on_digits_on_webgpu() {
    digits_steps("webgpu").await;
}

#[wasm_bindgen_test]
fn corrupt_digits_are_refused_with_a_reason() {
    let e = gan_lab::web::load_digits(&TEST_IMAGES[..1000], TEST_LABELS, CLASSIFIER).unwrap_err();
    let m = message(e);
    assert!(m.contains("images"), "{m}");
    let e = gan_lab::web::load_digits(TEST_IMAGES, TEST_LABELS, &CLASSIFIER[..100]).unwrap_err();
    assert!(message(e).contains("classifier"));
}
