//! Faults in real browsers (`wasm-pack test --headless --chrome --firefox --release --features
//! webgpu,test-hooks`), in a file of their own: they break the instance they run in.
//! - A GPU that goes away mid-run: the device burn asked for is destroyed, as a driver reset
//!   would; the run then fails by kind ("device"), not by a panic, and its last host copy goes
//!   on on the CPU from its step.
//! - A panic: it reaches JS as a `WebAssembly.RuntimeError`, which is what the worker takes for
//!   a crash (and the page then restarts the worker from its last copy).
#![cfg(all(target_arch = "wasm32", feature = "webgpu"))]

use gan_lab::Preset;
use gan_lab::web::Session;
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn prop(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap()
}

#[wasm_bindgen_test]
async fn a_lost_device_then_a_panic() {
    // One test, in this order: after the panic nothing in this instance is to be trusted.
    a_destroyed_device_fails_by_kind_and_the_host_copy_goes_on_on_the_cpu().await;
    #[cfg(feature = "test-hooks")]
    a_panic_reaches_js_as_a_runtime_error();
}

#[cfg(feature = "test-hooks")]
fn a_panic_reaches_js_as_a_runtime_error() {
    // Called from JS, as the worker calls the module: the trap surfaces there as an exception.
    let exports = wasm_bindgen::exports();
    let panic: js_sys::Function = prop(&exports, "panicForTest").into();
    let e = panic.call0(&JsValue::NULL).expect_err("a panic throws");
    assert!(
        e.is_instance_of::<js_sys::WebAssembly::RuntimeError>(),
        "{e:?}"
    );
}

async fn a_destroyed_device_fails_by_kind_and_the_host_copy_goes_on_on_the_cpu() {
    // Keep the GPUDevice burn gets, to destroy it later.
    js_sys::eval(
        "(() => { const request = GPUAdapter.prototype.requestDevice; \
           GPUAdapter.prototype.requestDevice = async function (...args) { \
             const device = await request.apply(this, args); \
             globalThis.ganLabTestDevice = device; return device; }; })()",
    )
    .unwrap();
    let ring8 = Preset::Ring8.config().to_json_pretty();
    let mut gpu = Session::create(ring8, "webgpu".into()).await.unwrap();
    assert_eq!(gpu.backend(), "webgpu");
    gpu.train(2);
    gpu.frame().await.unwrap();
    let copy = gpu.save().await.unwrap().to_vec();

    js_sys::eval("globalThis.ganLabTestDevice.destroy()").unwrap();
    gpu.train(1);
    let e = gpu
        .frame()
        .await
        .err()
        .expect("a destroyed device reads nothing back");
    assert_eq!(prop(&e, "kind"), "device", "{:?}", prop(&e, "message"));

    let mut cpu = Session::load(copy, "cpu".into()).await.unwrap();
    assert_eq!((cpu.backend(), cpu.step()), ("cpu".to_string(), 2.0));
    cpu.train(1);
    let f = cpu.frame().await.unwrap();
    assert_eq!(prop(&f, "step"), 3.0);
    assert_eq!(prop(&f, "diverged"), false);
}
