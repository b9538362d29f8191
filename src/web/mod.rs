//! The browser entry: a thin `#[wasm_bindgen]` facade over [`crate::session::Session`]. It only
//! converts types: configs and settings arrive as JSON, frames leave as typed arrays (see
//! `frame`), and errors reach JS as `Error` objects with `kind` ("config", "data", "device",
//! "state") and, for a refused value, `field` (its JSON path), so the page switches on them
//! instead of parsing messages. The Web Worker (`www/worker.js`) owns the one session.

mod backend;
mod frame;

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use std::cell::RefCell;

use crate::check::{ConfigError, whole_number};
use crate::config::{GanConfig, LiveSettings, catalog::catalog as build_catalog, limits};
use crate::error::Error;
use crate::frame::Frame;
use crate::save::SavedRun;
use crate::session::{self, DigitAssets};
use backend::Backend;
pub use backend::BackendRequest;
pub use frame::{WebDigitsFrame, WebPlaneFrame};

/// `error` as a JS `Error` with `kind` and `field` (null unless a value was refused).
pub fn js_error(error: Error) -> JsValue {
    let e = js_sys::Error::new(&error.to_string());
    let set = |k: &str, v: JsValue| Reflect::set(&e, &k.into(), &v).expect("an Error is an object");
    set("kind", error.kind().into());
    set("field", error.field().map_or(JsValue::NULL, JsValue::from));
    e.into()
}

fn config_from_json(json: &str) -> Result<GanConfig, JsValue> {
    GanConfig::from_json(json).map_err(|e| js_error(e.into()))
}

thread_local! {
    /// The digits and the classifier's weights, given once by `loadDigits` (the page fetches
    /// the bytes once; every later digits run reuses them).
    static DIGITS: RefCell<Option<DigitAssets>> = const { RefCell::new(None) };
}

fn digit_assets() -> Option<DigitAssets> {
    DIGITS.with(|d| d.borrow().clone())
}

/// Parses the packed MNIST files (IDX, gzip) and keeps them, with the digit classifier's
/// SafeTensors weights, for digits runs. A corrupt file is refused (kind "data") with the
/// reason; the previous digits (if any) stay. Returns the number of digits.
#[wasm_bindgen(js_name = loadDigits)]
pub fn load_digits(images: &[u8], labels: &[u8], classifier: &[u8]) -> Result<u32, JsValue> {
    let assets = DigitAssets::parse(images, labels, classifier).map_err(js_error)?;
    let n = assets.len() as u32;
    DIGITS.with(|d| *d.borrow_mut() = Some(assets));
    Ok(n)
}

/// Everything the page lists, labels or bounds (presets, lessons, losses, menus, the numbers'
/// bounds), as JSON: see `config::catalog`.
#[wasm_bindgen]
pub fn catalog() -> String {
    build_catalog().to_json()
}

unsafe extern "C" {
    /// Synthesised by wasm-ld: runs the module's static constructors (cubecl registers its
    /// IR types through `inventory`, which uses them).
    fn __wasm_call_ctors();
}

/// Runs the static constructors once. Calling `__wasm_call_ctors` explicitly also tells
/// wasm-ld the module is a reactor: otherwise it treats the module as a command and wraps
/// every export (each JS→wasm call, wasm-bindgen's externref bookkeeping included) in a fresh
/// run of all constructors, which cost ~1 s of the worker's time per WebGPU training step
/// (`scripts/bench/profile-browser.mjs`; inventory's docs describe the linkage heuristic).
fn run_constructors_once() {
    static DONE: std::sync::Once = std::sync::Once::new();
    // SAFETY: the constructors are inventory's idempotent registrations; Once runs them once.
    DONE.call_once(|| unsafe { __wasm_call_ctors() });
}

/// Runs when the module is instantiated, before any other export is called.
#[wasm_bindgen(start)]
fn start() {
    run_constructors_once();
}

/// A training run in the browser.
#[wasm_bindgen]
pub struct Session {
    inner: session::Session,
    backend: Backend,
}

#[wasm_bindgen]
impl Session {
    /// Starts a run from a JSON config on `backend` ("auto", "webgpu" or "cpu"). "auto" falls
    /// back to the CPU when WebGPU is missing or fails, and says why in `fallbackReason`.
    pub async fn create(config_json: String, backend: String) -> Result<Session, JsValue> {
        console_error_panic_hook::set_once();
        // Also here: a test harness may not call the start function.
        run_constructors_once();
        let config = config_from_json(&config_json)?;
        let request = BackendRequest::parse(&backend).map_err(js_error)?;
        let backend = Backend::start(request).await.map_err(js_error)?;
        let inner = session::Session::new(config, &backend.device, digit_assets().as_ref())
            .map_err(js_error)?;
        Ok(Session { inner, backend })
    }

    /// Continues a run from a save file (`save`, or the CLI's `--save`) on `backend`, as
    /// `create` starts one. A file that is not ours or does not fit its config is refused
    /// (kind "data", or "config" for a bad config inside), and nothing else changes.
    pub async fn load(bytes: Vec<u8>, backend: String) -> Result<Session, JsValue> {
        console_error_panic_hook::set_once();
        run_constructors_once();
        // Checked before a device is asked for.
        SavedRun::from_bytes(&bytes).map_err(js_error)?;
        let request = BackendRequest::parse(&backend).map_err(js_error)?;
        let backend = Backend::start(request).await.map_err(js_error)?;
        let inner = session::Session::load(&bytes, &backend.device, digit_assets().as_ref())
            .map_err(js_error)?;
        Ok(Session { inner, backend })
    }

    /// The whole run as a save file (SafeTensors): both nets, their optimizers' state, the
    /// config, the step and the random streams, read back in one pass. A step half-done in
    /// slow motion ends first. Written tensor by tensor into a JS buffer, so the wasm memory
    /// holds the run once, not twice (its high-water mark never comes down).
    pub async fn save(&mut self) -> Result<js_sys::Uint8Array, JsValue> {
        let file = self.inner.save().await.map_err(js_error)?;
        let out = js_sys::Uint8Array::new_with_length(file.len() as u32);
        file.write(|at, bytes| {
            out.subarray(at as u32, (at + bytes.len()) as u32)
                .copy_from(bytes)
        });
        Ok(out)
    }

    /// "webgpu" or "cpu".
    #[wasm_bindgen(getter)]
    pub fn backend(&self) -> String {
        if self.backend.webgpu { "webgpu" } else { "cpu" }.into()
    }

    /// The WebGPU adapter's description, or the CPU backend's name.
    #[wasm_bindgen(getter)]
    pub fn adapter(&self) -> String {
        self.backend.adapter.clone()
    }

    /// Why "auto" fell back to the CPU, if it did.
    #[wasm_bindgen(getter, js_name = fallbackReason)]
    pub fn fallback_reason(&self) -> Option<String> {
        self.backend.fallback_reason.clone()
    }

    /// How steps run: "replaying" (on WebGPU each half-step is recorded once and replayed),
    /// "recording" (the first steps, before the recording), or "off: " and why (the CPU
    /// backend does not record; a recording failed).
    #[wasm_bindgen(getter)]
    pub fn replay(&self) -> String {
        match self.inner.replaying() {
            Ok(true) => "replaying".into(),
            Ok(false) => "recording".into(),
            Err(why) => format!("off: {why}"),
        }
    }

    /// Turns recording and replaying steps on (the default) or off; the benchmarks compare.
    #[wasm_bindgen(js_name = setReplay)]
    pub fn set_replay(&mut self, on: bool) {
        self.inner.set_replay(on);
    }

    /// Completed steps.
    #[wasm_bindgen(getter)]
    pub fn step(&self) -> f64 {
        self.inner.step() as f64
    }

    /// Whether this run trains on digits (its frames are digits frames).
    #[wasm_bindgen(getter, js_name = isDigits)]
    pub fn is_digits(&self) -> bool {
        self.inner.is_digits()
    }

    /// Runs `steps` steps. On WebGPU this only queues work; nothing is read back.
    pub fn train(&mut self, steps: u32) {
        self.inner.train(steps);
    }

    /// Slow motion: runs half a step, D's `d_steps` updates or else G's update, alternately.
    /// Returns "d" or "g", the half that just ran.
    #[wasm_bindgen(js_name = halfStep)]
    pub fn half_step(&mut self) -> String {
        self.inner.half_step().name().into()
    }

    /// Reads the current frame back (asynchronously): a `WebPlaneFrame` or a
    /// `WebDigitsFrame`, told apart by `kind`. A frame whose losses are all finite becomes the
    /// state `restoreLastGood` returns to.
    pub async fn frame(&mut self) -> Result<JsValue, JsValue> {
        Ok(match self.read_frame().await? {
            Frame::Plane(f) => WebPlaneFrame(f).into(),
            Frame::Digits(f) => WebDigitsFrame(f).into(),
        })
    }

    /// The digit (0 to 9) a conditional run's latent walk draws from the next frame on; a
    /// number out of range is refused (kind "config", field "walk_class").
    #[wasm_bindgen(js_name = setWalkClass)]
    pub fn set_walk_class(&mut self, digit: u32) -> Result<(), JsValue> {
        self.inner.set_walk_class(digit).map_err(js_error)
    }

    /// Returns to the last frame with finite losses; gives its step.
    #[wasm_bindgen(js_name = restoreLastGood)]
    pub fn restore_last_good(&mut self) -> Result<f64, JsValue> {
        Ok(self.inner.restore_last_good().map_err(js_error)? as f64)
    }

    /// Changes learning rates, loss, D steps and batch size in flight, from JSON
    /// `{"generator_lr", "discriminator_lr", "loss", "d_steps", "batch_size"}`. A bad value
    /// changes nothing.
    #[wasm_bindgen(js_name = setLive)]
    pub fn set_live(&mut self, live_json: &str) -> Result<(), JsValue> {
        let live: LiveSettings = serde_json::from_str(live_json).map_err(|e| {
            js_error(ConfigError::new("(live settings)", format!("could not be read: {e}")).into())
        })?;
        self.inner.set_live(live).map_err(js_error)
    }

    /// The current live settings as JSON.
    pub fn live(&self) -> String {
        serde_json::to_string(&self.inner.config().live()).expect("live settings serialise")
    }

    /// The run's whole config as JSON.
    pub fn config(&self) -> String {
        self.inner.config().to_json_pretty()
    }

    /// Starts over on the same device from a JSON config (the current one if `None`), with
    /// `seed` overriding its seed when given. A refused config leaves the run as it was.
    pub fn reset(&mut self, config_json: Option<String>, seed: Option<f64>) -> Result<(), JsValue> {
        let config = config_json.map(|j| config_from_json(&j)).transpose()?;
        let seed = seed
            .map(|s| whole_number("seed", s, limits::MAX_SEED))
            .transpose()
            .map_err(|e| js_error(e.into()))?;
        self.inner
            .reset(config, seed, digit_assets().as_ref())
            .map_err(js_error)
    }
}

/// For Rust callers (the browser tests): the frame as the core's type.
impl Session {
    pub async fn read_frame(&mut self) -> Result<Frame, JsValue> {
        self.inner.frame().await.map_err(js_error)
    }
}

/// The config inside a save file, as JSON (to pick the backend and fetch digits before
/// `Session.load`); refuses a file that is not ours, with the reason.
#[wasm_bindgen(js_name = savedConfig)]
pub fn saved_config(bytes: &[u8]) -> Result<String, JsValue> {
    let saved = SavedRun::from_bytes(bytes).map_err(js_error)?;
    Ok(saved.config.to_json_pretty())
}

/// Bytes of this module's wasm memory (it only grows): for the soak test (scripts/soak.mjs).
#[wasm_bindgen(js_name = memoryBytes)]
pub fn memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65536) as f64
}

/// For the browser tests only (the `test-hooks` feature): panics, as a bug in the core would.
#[cfg(feature = "test-hooks")]
#[wasm_bindgen(js_name = panicForTest)]
pub fn panic_for_test() {
    panic!("a deliberate panic (test-hooks)");
}

/// A preset's full config as JSON, e.g. `presetConfig("ring8")`.
#[wasm_bindgen(js_name = presetConfig)]
pub fn preset_config(name: &str) -> Result<String, JsValue> {
    let preset: crate::Preset = name.parse().map_err(|e: ConfigError| js_error(e.into()))?;
    Ok(preset.config().to_json_pretty())
}
