//! Which device a page's session runs on: WebGPU when the browser gives an adapter (and the
//! page did not ask for the CPU), else burn's flex backend compiled to wasm.

use burn::prelude::*;

use crate::check::ConfigError;
use crate::error::Error;

/// Which device the page asked for.
#[derive(Clone, Copy, PartialEq)]
pub enum BackendRequest {
    /// WebGPU when the browser gives an adapter, else the CPU.
    Auto,
    /// WebGPU or an error (for tests).
    WebGpu,
    Cpu,
}

impl BackendRequest {
    pub fn parse(s: &str) -> Result<Self, Error> {
        match s {
            "auto" => Ok(Self::Auto),
            "webgpu" => Ok(Self::WebGpu),
            "cpu" => Ok(Self::Cpu),
            other => Err(ConfigError::new(
                "backend",
                format!("`{other}` is unknown: use \"auto\", \"webgpu\" or \"cpu\""),
            )
            .into()),
        }
    }
}

/// The device a session got, and what the page says about it.
pub struct Backend {
    pub device: Device,
    pub webgpu: bool,
    /// The WebGPU adapter's description, or the CPU backend's name.
    pub adapter: String,
    /// Why "auto" fell back to the CPU, if it did.
    pub fallback_reason: Option<String>,
}

impl Backend {
    pub fn cpu(fallback_reason: Option<String>) -> Self {
        Self {
            device: Device::flex(),
            webgpu: false,
            adapter: "burn's flex backend in wasm".into(),
            fallback_reason,
        }
    }

    /// The device for `request`. "auto" falls back to the CPU when WebGPU is missing or fails,
    /// and says why.
    pub async fn start(request: BackendRequest) -> Result<Self, Error> {
        if request == BackendRequest::Cpu {
            return Ok(Self::cpu(None));
        }
        let started = webgpu().await;
        match started {
            Ok((device, adapter)) => Ok(Self {
                device,
                webgpu: true,
                adapter,
                fallback_reason: None,
            }),
            Err(reason) if request == BackendRequest::Auto => Ok(Self::cpu(Some(reason))),
            Err(reason) => Err(Error::Device(reason)),
        }
    }
}

/// burn's WebGPU device and the adapter's description, or why there is none.
#[cfg(feature = "webgpu")]
async fn webgpu() -> Result<(Device, String), String> {
    let adapter = gpu::adapter().await?;
    Ok((gpu::device().await?, adapter))
}

/// A CPU-only module (built without the `webgpu` feature) has no WebGPU to offer.
#[cfg(not(feature = "webgpu"))]
async fn webgpu() -> Result<(Device, String), String> {
    Err("this is the CPU-only module: WebGPU is in the other one (gan_lab_webgpu)".into())
}

/// What only the WebGPU module compiles.
#[cfg(feature = "webgpu")]
mod gpu {
    use burn::prelude::*;
    use js_sys::{Function, Promise, Reflect};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::JsFuture;

    use std::cell::RefCell;

    /// The adapter's description from `navigator.gpu.requestAdapter()`, or why there is none.
    pub async fn adapter() -> Result<String, String> {
        let get = |o: &JsValue, k: &str| {
            Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
        };
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
    pub async fn device() -> Result<Device, String> {
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
}
