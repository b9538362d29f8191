//! # gan-lab
//!
//! The core of a live GAN lab: a GAN trained on 2-D toy distributions and on MNIST digits with
//! burn, the same code natively (CLI, tests) and in the browser (WebGPU or the CPU). Everything here is plain Rust over
//! burn's `Device`; the device is chosen only at the edges (the `gan` binary, tests, the web
//! entry).
//!
//! - `bench` (native only): the timed workloads behind `gan bench`;
//! - [`classifier`]: the digit classifier and the generated digits' quality numbers;
//! - [`config`]: the one serde config tree, its validation and the named presets;
//! - [`data`]: the real distributions (sampling and true density) and the MNIST parser;
//! - [`digits`]: the digits view's snapshot and the generated digits' quality numbers;
//! - [`model`]: the MLP and DCGAN generators and discriminators;
//! - [`loss`]: the five GAN objectives;
//! - [`train`]: the alternating D/G step;
//! - [`metrics`]: mode coverage, grid divergences, D's accuracy, V(D,G), the D* gap;
//! - [`readback`]: the one (async) way tensors come back to the host;
//! - [`rng`]: the seeded streams behind every random number;
//! - [`snapshot`]: what the page draws, read back in one async pass;
//! - `web` (wasm only): the `#[wasm_bindgen]` session the Web Worker drives.

#[cfg(not(target_arch = "wasm32"))]
pub mod bench;
pub mod classifier;
pub mod config;
pub mod data;
pub mod digits;
pub mod loss;
pub mod metrics;
pub mod model;
pub mod readback;
pub mod rng;
pub mod snapshot;
pub mod train;

pub use config::{ConfigError, GanConfig, Preset};
pub use loss::GanLoss;
pub use metrics::Metrics;
pub use train::Trainer;

#[cfg(target_arch = "wasm32")]
pub mod web;
