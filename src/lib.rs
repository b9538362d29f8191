//! # gan-lab
//!
//! The core of a live GAN lab: a GAN trained on 2-D distributions in the plane and on MNIST
//! digits with burn, the same code natively (CLI, tests) and in the browser (WebGPU or the
//! CPU). Everything here is plain Rust over burn's `Device`; the device is chosen only at the
//! edges (the `gan` binary, tests, the web entry).
//!
//! Modules, leaves first (no module imports one listed after it; `tests/layout.rs` checks):
//! - [`check`]: a refused config value and the small validators;
//! - [`error`]: the crate's one error type, with a kind the page and the CLI switch on;
//! - [`rng`]: the seeded streams behind every random number;
//! - [`readback`]: the one (async) way tensors come back to the host;
//! - [`data`]: the real distributions (the plane's sampling and density, the MNIST parser);
//! - [`loss`]: the five GAN objectives, and how D's score reads under each;
//! - [`config`]: the one serde config tree, its bounds, presets, live settings and catalog;
//! - [`tensor`]: small tensor helpers (matrices);
//! - [`feed`]: what a half-step reads from the host (batches, noise, step numbers), one upload;
//! - [`optim`]: Adam, RMSProp and SGD with their state as plain tensors (movable, savable);
//! - [`model`]: the MLP and DCGAN generators and discriminators;
//! - [`save`]: a run's whole state on the host, and its SafeTensors file;
//! - [`train`]: the trainer, the alternating D/G step and checkpoints;
//! - [`probe`]: read-only questions to a trainer (generate, discriminate, gradients, manifold);
//! - [`eval`]: the plane's metrics and the digits' quality numbers;
//! - [`frame`]: what a view draws, read back in one async pass;
//! - [`batch`]: what a step feeds the nets (real samples and labels, noise, classes);
//! - [`session`]: a run as the page drives it (half steps, last good state, reset);
//! - `bench` (native only): the timed workloads behind `gan bench`;
//! - `web` (wasm only): the thin `#[wasm_bindgen]` facade the Web Worker drives.

pub mod batch;
#[cfg(not(target_arch = "wasm32"))]
pub mod bench;
pub mod check;
pub mod config;
pub mod data;
pub mod error;
pub mod eval;
pub mod feed;
pub mod frame;
pub mod loss;
pub mod model;
pub mod optim;
pub mod probe;
pub mod readback;
pub mod rng;
pub mod save;
pub mod session;
pub mod tensor;
pub mod train;
#[cfg(target_arch = "wasm32")]
pub mod web;

pub use check::ConfigError;
pub use config::{GanConfig, Preset};
pub use error::Error;
pub use eval::plane::Metrics;
pub use loss::GanLoss;
pub use session::Session;
pub use train::Trainer;
