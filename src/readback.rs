//! The one way the core reads a tensor back to the host.
//!
//! Reads are asynchronous everywhere: in a browser a synchronous read panics ("Failed to read
//! tensor data synchronously"), so the core only ever awaits [`read_floats`]. Native callers
//! (the CLI, tests) drive that future to completion with [`block_on`]. Reading back stalls the
//! device pipeline, so callers read rarely: at snapshots and log lines, never per step.

use burn::prelude::*;

use crate::error::Error;

fn failed(e: impl std::fmt::Debug) -> Error {
    Error::Device(format!("could not read a tensor back: {e:?}"))
}

/// Reads a float tensor's values, row-major, as `f32`.
pub async fn read_floats<const D: usize>(tensor: Tensor<D>) -> Result<Vec<f32>, Error> {
    let data = tensor.into_data_async().await.map_err(failed)?;
    data.convert::<f32>().try_into_vec::<f32>().map_err(failed)
}

/// Reads several tensors with one device read: they are flattened and concatenated on the
/// device, read once, and split again. Each read waits for the device (on WebGPU a map of a
/// staging buffer), so one read instead of many is much cheaper.
pub async fn read_many(parts: Vec<Tensor<1>>) -> Result<Vec<Vec<f32>>, Error> {
    let lengths: Vec<usize> = parts.iter().map(|t| t.dims()[0]).collect();
    let mut all = read_floats(Tensor::cat(parts, 0)).await?;
    // Split from the end, handing each tail's memory back as soon as it is copied out: a read
    // the size of a DCGAN run (a few MB, every few seconds) then holds about one copy of it in
    // memory at a time, not two.
    let mut split: Vec<Vec<f32>> = lengths
        .iter()
        .rev()
        .map(|&n| {
            let tail = all.split_off(all.len() - n);
            all.shrink_to_fit();
            tail
        })
        .collect();
    split.reverse();
    Ok(split)
}

/// Flattens a tensor to one dimension (for [`read_many`]).
pub fn flat<const D: usize>(t: Tensor<D>) -> Tensor<1> {
    let n = t.dims().iter().product::<usize>();
    t.reshape([n])
}

/// Drives a future to completion on this thread (native only: a browser cannot block).
#[cfg(not(target_arch = "wasm32"))]
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    pollster::block_on(future)
}

/// Reads a one-element tensor natively; for tests and the CLI's log lines.
#[cfg(not(target_arch = "wasm32"))]
pub fn read_scalar_blocking(tensor: Tensor<1>) -> f64 {
    block_on(read_floats(tensor)).expect("read back a scalar")[0] as f64
}
