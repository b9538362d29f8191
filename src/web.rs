//! The browser entry: one `#[wasm_bindgen]` session handle with a few coarse methods.
//!
//! The Web Worker (`www/worker.js`) owns it. Bulk data leaves as typed arrays (copies: views
//! into wasm memory would detach when it grows); only the small config, live settings and
//! metrics travel as JSON. Errors reach JS as `JsError` with the core's readable message.

use burn::prelude::*;
use js_sys::{Float32Array, Function, Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use std::cell::RefCell;
use std::sync::Arc;

use crate::classifier::DigitClassifier;
use crate::config::GanConfig;
use crate::data::mnist::Digits;
use crate::digits::DigitsSnapshot;
use crate::snapshot::{LossLog, Snapshot};
use crate::train::{Checkpoint, LiveSettings, Trainer};

thread_local! {
    /// The digits and the classifier's weights, given once by `loadDigits` (the page fetches
    /// the bytes once; every later digits run reuses them).
    static DIGITS: RefCell<Option<(Arc<Digits>, Vec<u8>)>> = const { RefCell::new(None) };
}

/// Parses the packed MNIST files (IDX, gzip) and keeps them, with the digit classifier's
/// SafeTensors weights, for digits runs. A corrupt file is refused with the reason; the
/// previous digits (if any) stay. Returns the number of digits.
#[wasm_bindgen(js_name = loadDigits)]
pub fn load_digits(images: &[u8], labels: &[u8], classifier: &[u8]) -> Result<u32, JsError> {
    let digits = Digits::from_idx(images, labels).map_err(js_error)?;
    // Checked now, so a bad file fails here and not at the first digits run.
    DigitClassifier::from_safetensors(classifier.to_vec(), &Device::flex()).map_err(js_error)?;
    let n = digits.len() as u32;
    DIGITS.with(|d| *d.borrow_mut() = Some((Arc::new(digits), classifier.to_vec())));
    Ok(n)
}

/// A trainer for `config` on `device`, with the digit classifier when the data is digits.
fn new_run(
    config: GanConfig,
    device: &Device,
) -> Result<(Trainer, Option<DigitClassifier>), JsError> {
    if !config.data.is_images() {
        return Ok((Trainer::new(config, device).map_err(js_error)?, None));
    }
    let (digits, weights) = DIGITS
        .with(|d| d.borrow().clone())
        .ok_or_else(|| JsError::new("the digits are not loaded yet: call loadDigits first"))?;
    let judge = DigitClassifier::from_safetensors(weights, device).map_err(js_error)?;
    let trainer = Trainer::with_digits(config, digits, device).map_err(js_error)?;
    Ok((trainer, Some(judge)))
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
/// (`scripts/profile-browser.mjs`; inventory's docs describe the linkage heuristic).
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

/// Which device the page asked for.
#[derive(Clone, Copy, PartialEq)]
enum BackendRequest {
    /// WebGPU when the browser gives an adapter, else the CPU.
    Auto,
    /// WebGPU or an error (for tests).
    WebGpu,
    Cpu,
}

impl BackendRequest {
    fn parse(s: &str) -> Result<Self, JsError> {
        match s {
            "auto" => Ok(Self::Auto),
            "webgpu" => Ok(Self::WebGpu),
            "cpu" => Ok(Self::Cpu),
            other => Err(JsError::new(&format!(
                "unknown backend `{other}`: use \"auto\", \"webgpu\" or \"cpu\""
            ))),
        }
    }
}

/// The adapter's description from `navigator.gpu.requestAdapter()`, or why there is none.
async fn webgpu_adapter() -> Result<String, String> {
    let get =
        |o: &JsValue, k: &str| Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    let navigator = get(&js_sys::global(), "navigator");
    let gpu = get(&navigator, "gpu");
    if gpu.is_undefined() || gpu.is_null() {
        return Err("this browser exposes no WebGPU (navigator.gpu is missing)".into());
    }
    let request: Function = get(&gpu, "requestAdapter")
        .dyn_into()
        .map_err(|_| "navigator.gpu.requestAdapter is not a function".to_string())?;
    let promise: Promise = request
        .call0(&gpu)
        .map_err(|e| format!("requestAdapter failed: {e:?}"))?
        .dyn_into()
        .map_err(|_| "requestAdapter returned no promise".to_string())?;
    let adapter = JsFuture::from(promise)
        .await
        .map_err(|e| format!("requestAdapter failed: {e:?}"))?;
    if adapter.is_null() || adapter.is_undefined() {
        return Err("WebGPU gave no adapter".into());
    }
    let info = get(&adapter, "info");
    let parts: Vec<String> = ["vendor", "architecture", "device", "description"]
        .iter()
        .filter_map(|k| get(&info, k).as_string())
        .filter(|s| !s.is_empty())
        .collect();
    Ok(if parts.is_empty() {
        "unnamed adapter".into()
    } else {
        parts.join(" / ")
    })
}

thread_local! {
    /// The WebGPU device, once started: burn registers one server per device and refuses a
    /// second start ("A server is still registered"), so later sessions share it.
    static WEBGPU: RefCell<Option<Device>> = const { RefCell::new(None) };
}

/// burn's WebGPU device; must be created asynchronously before any tensor.
async fn webgpu_device() -> Result<Device, String> {
    if let Some(device) = WEBGPU.with(|d| d.borrow().clone()) {
        return Ok(device);
    }
    let device = Device::wgpu_options()
        .graphics_api(burn::tensor::wgpu::WgpuBackend::WebGpu)
        .init_async()
        .await
        .map_err(|e| format!("burn could not start WebGPU: {e:?}"))?;
    WEBGPU.with(|d| *d.borrow_mut() = Some(device.clone()));
    Ok(device)
}

fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// A training run in the browser.
#[wasm_bindgen]
pub struct Session {
    trainer: Trainer,
    /// Judges generated digits (digits runs only).
    judge: Option<DigitClassifier>,
    device: Device,
    webgpu: bool,
    adapter: String,
    fallback_reason: Option<String>,
    log: LossLog,
    last_good: Option<Checkpoint>,
    /// D's loss from a slow-motion D phase whose G phase has not run yet.
    pending_d: Option<Tensor<1>>,
}

#[wasm_bindgen]
impl Session {
    /// Starts a run from a JSON config on `backend` ("auto", "webgpu" or "cpu"). "auto" falls
    /// back to the CPU when WebGPU is missing or fails, and says why in `fallbackReason`.
    pub async fn create(config_json: String, backend: String) -> Result<Session, JsError> {
        console_error_panic_hook::set_once();
        // Also here: a test harness may not call the start function.
        run_constructors_once();
        let config = GanConfig::from_json(&config_json).map_err(js_error)?;
        let request = BackendRequest::parse(&backend)?;
        let mut fallback_reason = None;
        let mut gpu = None;
        if request != BackendRequest::Cpu {
            let started = match webgpu_adapter().await {
                Ok(adapter) => webgpu_device().await.map(|d| (d, adapter)),
                Err(e) => Err(e),
            };
            match started {
                Ok(found) => gpu = Some(found),
                Err(reason) if request == BackendRequest::Auto => fallback_reason = Some(reason),
                Err(reason) => return Err(JsError::new(&reason)),
            }
        }
        let webgpu = gpu.is_some();
        let (device, adapter) =
            gpu.unwrap_or_else(|| (Device::flex(), "burn's flex backend in wasm".into()));
        let (trainer, judge) = new_run(config, &device)?;
        Ok(Session {
            trainer,
            judge,
            device,
            webgpu,
            adapter,
            fallback_reason,
            log: LossLog::default(),
            last_good: None,
            pending_d: None,
        })
    }

    /// "webgpu" or "cpu".
    #[wasm_bindgen(getter)]
    pub fn backend(&self) -> String {
        if self.webgpu { "webgpu" } else { "cpu" }.into()
    }

    /// The WebGPU adapter's description, or the CPU backend's name.
    #[wasm_bindgen(getter)]
    pub fn adapter(&self) -> String {
        self.adapter.clone()
    }

    /// Why "auto" fell back to the CPU, if it did.
    #[wasm_bindgen(getter, js_name = fallbackReason)]
    pub fn fallback_reason(&self) -> Option<String> {
        self.fallback_reason.clone()
    }

    /// Completed steps.
    #[wasm_bindgen(getter)]
    pub fn step(&self) -> f64 {
        self.trainer.steps() as f64
    }

    /// Runs `steps` steps. On WebGPU this only queues work; nothing is read back.
    pub fn train(&mut self, steps: u32) {
        // A step half-done in slow motion ends first, so D is never updated twice in a row.
        if let Some(d_loss) = self.pending_d.take() {
            let losses = self.trainer.generator_phase(d_loss);
            self.log.push(losses);
        }
        for _ in 0..steps {
            let losses = self.trainer.step();
            self.log.push(losses);
        }
    }

    /// Slow motion: runs half a step, D's `d_steps` updates or else G's update, alternately.
    /// Returns "d" or "g", the half that just ran.
    #[wasm_bindgen(js_name = halfStep)]
    pub fn half_step(&mut self) -> String {
        match self.pending_d.take() {
            None => {
                self.pending_d = Some(self.trainer.discriminator_phase());
                "d".into()
            }
            Some(d_loss) => {
                let losses = self.trainer.generator_phase(d_loss);
                self.log.push(losses);
                "g".into()
            }
        }
    }

    /// Whether this run trains on digits (read `digitsSnapshot`) or on the plane (`snapshot`).
    #[wasm_bindgen(getter, js_name = isDigits)]
    pub fn is_digits(&self) -> bool {
        self.trainer.is_digits()
    }

    /// The digits view's state (asynchronously), as `snapshot` is the plane's.
    #[wasm_bindgen(js_name = digitsSnapshot)]
    pub async fn digits_snapshot(&mut self) -> Result<WebDigitsSnapshot, JsError> {
        let judge = self
            .judge
            .as_ref()
            .ok_or_else(|| JsError::new("this run is not a digits run: use snapshot()"))?;
        let snapshot = self
            .trainer
            .digits_snapshot(&mut self.log, judge)
            .await
            .map_err(js_error)?;
        if !snapshot.diverged() {
            self.last_good = Some(self.trainer.checkpoint());
        }
        Ok(WebDigitsSnapshot(snapshot))
    }

    /// Reads the current state back (asynchronously). A snapshot whose losses are all finite
    /// becomes the state `restoreLastGood` returns to.
    pub async fn snapshot(&mut self) -> Result<WebSnapshot, JsError> {
        if self.trainer.is_digits() {
            return Err(JsError::new("this is a digits run: use digitsSnapshot()"));
        }
        let snapshot = self
            .trainer
            .snapshot(&mut self.log)
            .await
            .map_err(js_error)?;
        if !snapshot.diverged() {
            self.last_good = Some(self.trainer.checkpoint());
        }
        Ok(WebSnapshot(snapshot))
    }

    /// Returns to the last snapshot with finite losses; gives its step.
    #[wasm_bindgen(js_name = restoreLastGood)]
    pub fn restore_last_good(&mut self) -> Result<f64, JsError> {
        let cp = self
            .last_good
            .as_ref()
            .ok_or_else(|| JsError::new("no good state was saved yet"))?;
        self.trainer.restore(cp);
        self.log = LossLog::default();
        self.pending_d = None;
        Ok(cp.steps() as f64)
    }

    /// Changes learning rates, loss and D steps in flight, from JSON
    /// `{"generator_lr", "discriminator_lr", "loss", "d_steps"}`. A bad value changes nothing.
    #[wasm_bindgen(js_name = setLive)]
    pub fn set_live(&mut self, live_json: &str) -> Result<(), JsError> {
        let live: LiveSettings = serde_json::from_str(live_json)
            .map_err(|e| JsError::new(&format!("invalid live settings: {e}")))?;
        self.trainer.set_live(live).map_err(js_error)
    }

    /// The current live settings as JSON.
    pub fn live(&self) -> String {
        serde_json::to_string(&self.trainer.live()).expect("live settings serialise")
    }

    /// The run's whole config as JSON.
    pub fn config(&self) -> String {
        self.trainer.config().to_json_pretty()
    }

    /// Starts over on the same device from a JSON config (the current one if `None`), with
    /// `seed` overriding its seed when given.
    pub fn reset(&mut self, config_json: Option<String>, seed: Option<f64>) -> Result<(), JsError> {
        let mut config = match config_json {
            Some(json) => GanConfig::from_json(&json).map_err(js_error)?,
            None => self.trainer.config().clone(),
        };
        if let Some(seed) = seed {
            if !(seed >= 0.0 && seed.fract() == 0.0 && seed <= 2f64.powi(53)) {
                return Err(JsError::new(&format!(
                    "invalid config: `seed` must be a whole number ≥ 0, got {seed}"
                )));
            }
            config.seed = seed as u64;
        }
        (self.trainer, self.judge) = new_run(config, &self.device)?;
        self.log = LossLog::default();
        self.pending_d = None;
        self.last_good = None;
        Ok(())
    }
}

/// A snapshot for JS: getters copy each array out as a `Float32Array`.
#[wasm_bindgen]
pub struct WebSnapshot(Snapshot);

fn f32s(v: &[f32]) -> Float32Array {
    Float32Array::from(v)
}

#[wasm_bindgen]
impl WebSnapshot {
    #[wasm_bindgen(getter)]
    pub fn step(&self) -> f64 {
        self.0.step as f64
    }
    #[wasm_bindgen(getter, js_name = halfWidth)]
    pub fn half_width(&self) -> f32 {
        self.0.half_width
    }
    #[wasm_bindgen(getter, js_name = gridCells)]
    pub fn grid_cells(&self) -> u32 {
        self.0.grid_cells as u32
    }
    #[wasm_bindgen(getter, js_name = manifoldSide)]
    pub fn manifold_side(&self) -> u32 {
        self.0.manifold_side as u32
    }
    #[wasm_bindgen(getter)]
    pub fn real(&self) -> Float32Array {
        f32s(&self.0.real)
    }
    #[wasm_bindgen(getter)]
    pub fn fake(&self) -> Float32Array {
        f32s(&self.0.fake)
    }
    #[wasm_bindgen(getter, js_name = gGrad)]
    pub fn g_grad(&self) -> Float32Array {
        f32s(&self.0.g_grad)
    }
    #[wasm_bindgen(getter, js_name = dGrid)]
    pub fn d_grid(&self) -> Float32Array {
        f32s(&self.0.d_grid)
    }
    /// D* = P_r / (P_r + P_g) on the same cells as `dGrid`, P_g estimated from `fake`.
    #[wasm_bindgen(getter, js_name = dStarGrid)]
    pub fn d_star_grid(&self) -> Float32Array {
        f32s(&self.0.d_star_grid)
    }
    #[wasm_bindgen(getter)]
    pub fn manifold(&self) -> Float32Array {
        f32s(&self.0.manifold)
    }
    #[wasm_bindgen(getter, js_name = dLosses)]
    pub fn d_losses(&self) -> Float32Array {
        f32s(&self.0.d_losses)
    }
    #[wasm_bindgen(getter, js_name = gLosses)]
    pub fn g_losses(&self) -> Float32Array {
        f32s(&self.0.g_losses)
    }
    /// The metrics as JSON (a dozen numbers; see `Metrics`).
    #[wasm_bindgen(getter)]
    pub fn metrics(&self) -> String {
        serde_json::to_string(&self.0.metrics).expect("metrics serialise")
    }
    /// Whether a loss since the previous snapshot was NaN or infinite.
    #[wasm_bindgen(getter)]
    pub fn diverged(&self) -> bool {
        self.0.diverged()
    }
}

/// One frame of the digits view. Images are 28×28, row-major, pixels in [−1, 1].
#[wasm_bindgen]
pub struct WebDigitsSnapshot(DigitsSnapshot);

#[wasm_bindgen]
impl WebDigitsSnapshot {
    #[wasm_bindgen(getter)]
    pub fn step(&self) -> f64 {
        self.0.step as f64
    }
    /// G's digits from the fixed noise batch. `[64 * 784]`
    #[wasm_bindgen(getter)]
    pub fn samples(&self) -> Float32Array {
        f32s(&self.0.samples)
    }
    /// G along a path between two fixed latent vectors. `[10 * 784]`
    #[wasm_bindgen(getter)]
    pub fn strip(&self) -> Float32Array {
        f32s(&self.0.strip)
    }
    /// Real digits for comparison. `[16 * 784]`
    #[wasm_bindgen(getter)]
    pub fn real(&self) -> Float32Array {
        f32s(&self.0.real)
    }
    #[wasm_bindgen(getter, js_name = dLosses)]
    pub fn d_losses(&self) -> Float32Array {
        f32s(&self.0.d_losses)
    }
    #[wasm_bindgen(getter, js_name = gLosses)]
    pub fn g_losses(&self) -> Float32Array {
        f32s(&self.0.g_losses)
    }
    /// `{classes_present, class_kl, confident_fraction, d_real, d_fake}` as JSON.
    #[wasm_bindgen(getter)]
    pub fn quality(&self) -> String {
        let mut v = serde_json::to_value(&self.0.quality).expect("quality serialises");
        let scores = serde_json::to_value(self.0.scores).expect("scores serialise");
        v.as_object_mut()
            .expect("an object")
            .extend(scores.as_object().expect("an object").clone());
        v.to_string()
    }
    /// Whether a loss since the previous snapshot was NaN or infinite.
    #[wasm_bindgen(getter)]
    pub fn diverged(&self) -> bool {
        self.0.diverged()
    }
}

/// A preset's full config as JSON, e.g. `presetConfig("ring8")`.
#[wasm_bindgen(js_name = presetConfig)]
pub fn preset_config(name: &str) -> Result<String, JsError> {
    let preset: crate::Preset = name.parse().map_err(js_error)?;
    Ok(preset.config().to_json_pretty())
}

/// The presets' names.
#[wasm_bindgen(js_name = presetNames)]
pub fn preset_names() -> Vec<String> {
    crate::Preset::ALL
        .iter()
        .map(|p| p.name().to_string())
        .collect()
}
