//! The session in real browsers (`wasm-pack test --headless --chrome --firefox --release
//! --features webgpu`), on WebGPU (SwiftShader in Chromium, lavapipe in Firefox) and on the wasm
//! CPU backend. Few steps: SwiftShader takes seconds per step. Values are compared with the
//! native CPU run in `tests/golden/ring8-seed0.json` (kept true by `tests/golden.rs`).
//! Without `--features webgpu` this is the page's CPU-only module: the CPU tests run as they
//! are, and the WebGPU ones are replaced by one that checks the module refuses WebGPU.
#![cfg(target_arch = "wasm32")]

use gan_lab::frame::{DigitsFrame, Frame, PlaneFrame};
use gan_lab::web::Session;
use gan_lab::{GanConfig, Preset};
use js_sys::Reflect;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const GOLDEN: &str = include_str!("golden/ring8-seed0.json");

fn ring8() -> String {
    Preset::Ring8.config().to_json_pretty()
}

fn prop(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap()
}

fn message(e: JsValue) -> String {
    prop(&e, "message").as_string().unwrap()
}

/// A JS error's `kind` and `field` (the page switches on them, never on the message).
fn kind_and_field(e: &JsValue) -> (String, Option<String>) {
    (
        prop(e, "kind").as_string().unwrap(),
        prop(e, "field").as_string(),
    )
}

async fn plane_frame(s: &mut Session) -> PlaneFrame {
    match s
        .read_frame()
        .await
        .unwrap_or_else(|e| panic!("{}", message(e)))
    {
        Frame::Plane(f) => f,
        Frame::Digits(_) => panic!("a plane run gave a digits frame"),
    }
}

async fn golden_run(backend: &str) -> (Session, PlaneFrame) {
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
    let frame = plane_frame(&mut s).await;
    (s, frame)
}

/// Shapes as documented, finite values, and the native run's numbers within `tol` (relative).
fn check(f: &PlaneFrame, tol: f64) {
    let golden: serde_json::Value = serde_json::from_str(GOLDEN).unwrap();
    let steps = golden["steps"].as_u64().unwrap();
    assert_eq!(f.step, steps);
    let n = f.fake.len();
    assert_eq!(n, 2 * gan_lab::eval::plane::EVAL_SAMPLES);
    assert_eq!(f.real.len(), n);
    assert_eq!(f.g_grad.len(), n);
    assert_eq!(f.d_grid.len(), f.grid_cells * f.grid_cells);
    assert_eq!(f.d_verdict.len(), f.d_grid.len());
    assert_eq!(f.manifold.len(), 2 * f.manifold_side * f.manifold_side);
    assert!(!f.diverged());
    for (name, got) in [
        ("d_losses", &f.losses.d[..]),
        ("g_losses", &f.losses.g[..]),
        ("fake_head", &f.fake[..]),
        ("d_grid_head", &f.d_grid[..]),
    ] {
        near_golden(&golden, name, got, tol);
    }
    assert_eq!(f.metrics.modes_total, 8);
}

/// `got`'s leading values are finite and the golden file's `name` within `tol` (relative).
fn near_golden(golden: &serde_json::Value, name: &str, got: &[f32], tol: f64) {
    let want = golden[name].as_array().unwrap();
    assert!(got.len() >= want.len(), "{name}: {} values", got.len());
    for (k, w) in want.iter().enumerate() {
        let (g, w) = (got[k] as f64, w.as_f64().unwrap());
        assert!(g.is_finite(), "{name}[{k}] = {g}");
        assert!(
            (g - w).abs() <= tol * (1.0 + w.abs()),
            "{name}[{k}]: browser {g} vs native {w}"
        );
    }
}

#[wasm_bindgen_test]
async fn cpu_backend_trains_and_matches_native() {
    // Same flex code compiled to wasm: identical up to float reassociation.
    let (mut s, frame) = golden_run("cpu").await;
    check(&frame, 1e-4);
    // What JS gets: a frame object that says its kind, its arrays as Float32Arrays.
    s.train(1);
    let js = s.frame().await.unwrap();
    assert_eq!(prop(&js, "kind"), "plane");
    assert_eq!(prop(&js, "step"), 4.0);
    let verdict: js_sys::Float32Array = prop(&js, "dVerdict").into();
    assert_eq!(verdict.length() as usize, frame.d_grid.len());
    // Slow motion's halves and the last good state, through the facade.
    assert_eq!(s.half_step(), "d");
    assert_eq!(s.half_step(), "g");
    assert_eq!(s.step(), 5.0);
    assert_eq!(s.restore_last_good().unwrap(), 4.0);
}

#[cfg(feature = "webgpu")]
#[wasm_bindgen_test]
async fn webgpu_trains_and_matches_native() {
    // Different kernels and summation order on the GPU: agreement to ~1e-3 in the first steps.
    let (mut s, frame) = golden_run("webgpu").await;
    check(&frame, 2e-3);
    // Live settings apply without a reset, and a bad one is refused by name.
    s.set_live(r#"{"generator_lr":0.0005,"discriminator_lr":0.001,"loss":{"kind":"least-squares"},"d_steps":2,"batch_size":128}"#)
        .unwrap();
    assert!(s.live().contains("least-squares"));
    let e = s
        .set_live(
            r#"{"generator_lr":-1,"discriminator_lr":0.001,"loss":{"kind":"minimax"},"d_steps":1,"batch_size":256}"#,
        )
        .unwrap_err();
    assert_eq!(
        kind_and_field(&e),
        ("config".into(), Some("generator.optimizer.lr".into()))
    );
    s.train(1);
    let f = plane_frame(&mut s).await;
    assert_eq!(f.losses.d.len(), 1);
    assert!(f.losses.d[0].is_finite());
}

#[cfg(feature = "webgpu")]
#[wasm_bindgen_test]
async fn webgpu_replays_a_recorded_step_with_the_unbroken_runs_losses() {
    // Each half-step recorded once and replayed (`train::Replay`), frames read between steps
    // as the page does: the same losses as the run stepped as it is.
    async fn run(replay: bool) -> (Vec<f32>, Vec<f32>, String) {
        let mut s = Session::create(ring8(), "webgpu".into())
            .await
            .unwrap_or_else(|e| panic!("{}", message(e)));
        s.set_replay(replay);
        let (mut d, mut g) = (Vec::new(), Vec::new());
        for _ in 0..6 {
            s.train(2);
            let f = plane_frame(&mut s).await;
            d.extend(f.losses.d);
            g.extend(f.losses.g);
        }
        (d, g, s.replay())
    }
    let (d, g, off) = run(false).await;
    let (d2, g2, on) = run(true).await;
    assert_eq!(
        (off.as_str(), on.as_str()),
        ("off: turned off", "replaying")
    );
    assert_eq!(d.len(), 12);
    for (k, (a, b)) in d.iter().chain(&g).zip(d2.iter().chain(&g2)).enumerate() {
        assert!(
            (a - b).abs() <= 1e-5,
            "loss {k}: {a} unbroken, {b} replayed"
        );
    }
}

#[wasm_bindgen_test]
async fn bad_config_is_refused_with_the_field_named() {
    let mut c: GanConfig = Preset::Ring8.config();
    c.batch_size = 0;
    let e = Session::create(c.to_json_pretty(), "cpu".into())
        .await
        .err()
        .expect("refused");
    assert_eq!(
        kind_and_field(&e),
        ("config".into(), Some("batch_size".into()))
    );
    assert!(message(e).contains("batch_size"));
    let e = Session::create(ring8(), "tpu".into())
        .await
        .err()
        .expect("refused");
    assert_eq!(
        kind_and_field(&e),
        ("config".into(), Some("backend".into()))
    );
    assert!(message(e).contains("tpu"));
}

#[wasm_bindgen_test]
async fn reset_restarts_the_same_run() {
    let mut s = Session::create(ring8(), "cpu".into()).await.unwrap();
    s.train(2);
    let first = plane_frame(&mut s).await.fake;
    s.reset(None, Some(0.0)).unwrap();
    assert_eq!(s.step(), 0.0);
    s.train(2);
    assert_eq!(plane_frame(&mut s).await.fake, first);
    let e = s.reset(None, Some(-1.0)).unwrap_err();
    assert_eq!(kind_and_field(&e), ("config".into(), Some("seed".into())));
    // A refused reset leaves the run as it was.
    assert_eq!(s.step(), 2.0);
}

const TEST_IMAGES: &[u8] = include_bytes!("../assets/mnist/test-images-idx3-ubyte.gz");
const TEST_LABELS: &[u8] = include_bytes!("../assets/mnist/test-labels-idx1-ubyte.gz");
const CLASSIFIER: &[u8] = include_bytes!("../assets/classifier/digits-mlp.safetensors");

const DIGITS_GOLDEN: &str = include_str!("golden/digits-small-seed0.json");

/// The small DCGAN of `tests/golden/digits-small-seed0.json` (the preset narrowed to 8
/// channels, so SwiftShader runs a step in seconds) for its steps: shapes, bounds, and the
/// native run's numbers within `tol` (relative). A wrong G gradient shows in G's digits after
/// two updates, so this guards a backend's (or fusion's) DCGAN as `check` guards ring8.
async fn digits_steps(backend: &str, tol: f64) {
    // The held-out 1,000 digits: the same format as the page's 10,000, smaller to embed.
    let n = gan_lab::web::load_digits(TEST_IMAGES, TEST_LABELS, CLASSIFIER)
        .unwrap_or_else(|e| panic!("{}", message(e)));
    assert_eq!(n, 1000);
    let golden: serde_json::Value = serde_json::from_str(DIGITS_GOLDEN).unwrap();
    let mut s = Session::create(golden["config"].to_string(), backend.into())
        .await
        .unwrap_or_else(|e| panic!("{backend}: {}", message(e)));
    assert_eq!(s.backend(), backend);
    assert!(s.is_digits());
    s.train(2);
    let f: DigitsFrame = match s
        .read_frame()
        .await
        .unwrap_or_else(|e| panic!("{}", message(e)))
    {
        Frame::Digits(f) => f,
        Frame::Plane(_) => panic!("a digits run gave a plane frame"),
    };
    assert_eq!(f.step, 2);
    let px = gan_lab::data::mnist::PIXELS;
    assert_eq!(f.samples.len(), gan_lab::frame::digits::GRID * px);
    assert_eq!(f.strip.len(), gan_lab::frame::digits::STRIP * px);
    assert_eq!(f.real.len(), gan_lab::frame::digits::REAL_SHOWN * px);
    assert!(
        f.samples.iter().all(|p| p.abs() <= 1.0),
        "tanh bounds G's pixels"
    );
    assert!(
        f.samples.iter().any(|&p| p != f.samples[0]),
        "G's digits are not blank"
    );
    let row: Vec<f32> = (0..2)
        .flat_map(|k| f.samples[k * px + 14 * 28..k * px + 15 * 28].to_vec())
        .collect();
    let scores = [f.scores.d_real as f32, f.scores.d_fake as f32];
    for (name, got) in [
        ("d_losses", &f.losses.d[..]),
        ("g_losses", &f.losses.g[..]),
        ("samples_row", &row[..]),
        ("d_scores", &scores[..]),
    ] {
        assert_eq!(got.len(), golden[name].as_array().unwrap().len(), "{name}");
        near_golden(&golden, name, got, tol);
    }
    // What JS gets: a digits frame with its quality numbers as JSON.
    let js = s.frame().await.unwrap();
    assert_eq!(prop(&js, "kind"), "digits");
    let q: serde_json::Value =
        serde_json::from_str(&prop(&js, "quality").as_string().unwrap()).unwrap();
    for key in ["classes_present", "confident_fraction", "d_real", "d_fake"] {
        assert!(q[key].is_number(), "{key} in {q}");
    }
}

#[wasm_bindgen_test]
async fn dcgan_trains_on_digits_on_the_cpu() {
    digits_steps("cpu", 1e-4).await;
}

#[cfg(feature = "webgpu")]
#[wasm_bindgen_test]
async fn dcgan_trains_on_digits_on_webgpu() {
    digits_steps("webgpu", 2e-3).await;
}

#[cfg(not(feature = "webgpu"))]
#[wasm_bindgen_test]
async fn the_cpu_only_module_refuses_webgpu_and_auto_runs_on_the_cpu() {
    let e = Session::create(ring8(), "webgpu".into())
        .await
        .err()
        .expect("no WebGPU in this module");
    assert_eq!(kind_and_field(&e), ("device".into(), None));
    assert!(message(e).contains("CPU-only"));
    let s = Session::create(ring8(), "auto".into()).await.unwrap();
    assert_eq!(s.backend(), "cpu");
    assert!(s.fallback_reason().unwrap().contains("CPU-only"));
}

#[wasm_bindgen_test]
fn corrupt_digits_are_refused_with_a_reason() {
    let e = gan_lab::web::load_digits(&TEST_IMAGES[..1000], TEST_LABELS, CLASSIFIER).unwrap_err();
    assert_eq!(kind_and_field(&e), ("data".into(), None));
    let m = message(e);
    assert!(m.contains("images"), "{m}");
    let e = gan_lab::web::load_digits(TEST_IMAGES, TEST_LABELS, &CLASSIFIER[..100]).unwrap_err();
    assert!(message(e).contains("classifier"));
}

/// A frame after a hand-over at step 2 and one more step: the native run's step 3 within
/// `tol` (its loss at step 3, and the picture at step 3).
fn check_third_step(f: &PlaneFrame, tol: f64) {
    let golden: serde_json::Value = serde_json::from_str(GOLDEN).unwrap();
    assert_eq!(f.step, 3);
    let pairs = [
        (f.losses.d[0], &golden["d_losses"][2]),
        (f.losses.g[0], &golden["g_losses"][2]),
    ];
    let heads = ["fake_head", "d_grid_head"].map(|k| golden[k].as_array().unwrap());
    let pairs = pairs
        .into_iter()
        .chain(f.fake.iter().copied().zip(heads[0]))
        .chain(f.d_grid.iter().copied().zip(heads[1]));
    for (got, want) in pairs {
        let (g, w) = (got as f64, want.as_f64().unwrap());
        assert!((g - w).abs() <= tol * (1.0 + w.abs()), "{g} vs native {w}");
    }
}

/// Two steps on `from`, the whole run saved and loaded on `to`, one more step there: the same
/// run as the native one (the page's backend menu and its lost-GPU fallback do this).
async fn hand_over(from: &str, to: &str) {
    let mut a = Session::create(ring8(), from.into()).await.unwrap();
    a.train(2);
    plane_frame(&mut a).await;
    let bytes = a
        .save()
        .await
        .unwrap_or_else(|e| panic!("{}", message(e)))
        .to_vec();
    let mut b = Session::load(bytes, to.into())
        .await
        .unwrap_or_else(|e| panic!("{}", message(e)));
    assert_eq!((b.backend(), b.step()), (to.to_string(), 2.0));
    b.train(1);
    check_third_step(&plane_frame(&mut b).await, 2e-3);
}

#[wasm_bindgen_test]
async fn a_run_saved_in_the_browser_loads_and_goes_on() {
    hand_over("cpu", "cpu").await;
    let e = Session::load(b"garbage".to_vec(), "cpu".into())
        .await
        .err()
        .unwrap();
    assert_eq!(kind_and_field(&e), ("data".into(), None));
    assert!(message(e).contains("not a gan-lab save file"));
}

#[cfg(feature = "webgpu")]
#[wasm_bindgen_test]
async fn a_run_moves_between_webgpu_and_the_cpu_mid_run() {
    hand_over("webgpu", "cpu").await;
    hand_over("cpu", "webgpu").await;
}
