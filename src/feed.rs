//! What one half-step reads from the host, as one upload: the real batch, the noise, the
//! classes' one-hots, the penalty's mixing weights and the numbers that change from step to
//! step (the optimizers' bias corrections and rates, the average's weight), drawn on the host
//! and joined end to end into one `[len]` vector.
//!
//! One upload instead of one per input, and, what a recorded step needs (`train::Replay`):
//! everything that changes between steps reaches the device through this one buffer, never as
//! a constant baked into a kernel. A replay refreshes the buffer in place and reads the same
//! views out of it.

use burn::prelude::*;

/// Where one input sits in the feed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Part {
    offset: usize,
    len: usize,
}

/// A feed being drawn on the host.
#[derive(Default)]
pub struct HostFeed {
    values: Vec<f32>,
}

impl HostFeed {
    pub fn push(&mut self, values: &[f32]) -> Part {
        let offset = self.values.len();
        self.values.extend_from_slice(values);
        Part {
            offset,
            len: values.len(),
        }
    }

    /// `values` as rows of `dim`, each followed by the one-hot of its label among `classes`
    /// (none when `classes` is 0): the rows a conditional net reads. `[n * (dim + classes)]`
    pub fn push_rows(&mut self, values: &[f32], dim: usize, labels: &[u8], classes: usize) -> Part {
        if classes == 0 {
            return self.push(values);
        }
        let offset = self.values.len();
        for (row, &label) in values.chunks(dim).zip(labels) {
            self.values.extend_from_slice(row);
            let at = self.values.len();
            self.values.resize(at + classes, 0.0);
            self.values[at + label as usize] = 1.0;
        }
        Part {
            offset,
            len: self.values.len() - offset,
        }
    }

    /// The one-hots of `labels` alone. `[n * classes]`
    pub fn push_one_hot(&mut self, labels: &[u8], classes: usize) -> Part {
        let offset = self.values.len();
        self.values.resize(offset + labels.len() * classes, 0.0);
        for (row, &label) in labels.iter().enumerate() {
            self.values[offset + row * classes + label as usize] = 1.0;
        }
        Part {
            offset,
            len: labels.len() * classes,
        }
    }

    pub fn into_values(self) -> Vec<f32> {
        self.values
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The feed on `device`, in one upload.
    pub fn upload(self, device: &Device) -> Feed {
        let n = self.values.len();
        Feed(Tensor::from_data(TensorData::new(self.values, [n]), device))
    }
}

/// A feed on the device. Its parts are views (no copy).
#[derive(Clone)]
pub struct Feed(pub Tensor<1>);

impl Feed {
    /// `[part.len]`
    pub fn vector(&self, part: Part) -> Tensor<1> {
        self.0.clone().narrow(0, part.offset, part.len)
    }

    /// `[part.len / cols, cols]`
    pub fn matrix(&self, part: Part, cols: usize) -> Tensor<2> {
        self.vector(part).reshape([part.len / cols, cols])
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::readback::{block_on, read_floats};

    #[test]
    fn parts_come_back_as_pushed_with_one_hots_after_each_row() {
        let mut host = HostFeed::default();
        let a = host.push(&[1.0, 2.0]);
        let rows = host.push_rows(&[3.0, 4.0, 5.0, 6.0], 2, &[2, 0], 3);
        let hot = host.push_one_hot(&[1], 2);
        let feed = host.upload(&Device::flex());
        let read = |t: Tensor<1>| block_on(read_floats(t)).unwrap();
        assert_eq!(read(feed.vector(a)), [1.0, 2.0]);
        assert_eq!(feed.matrix(rows, 5).dims(), [2, 5]);
        assert_eq!(
            read(feed.vector(rows)),
            [3.0, 4.0, 0.0, 0.0, 1.0, 5.0, 6.0, 1.0, 0.0, 0.0]
        );
        assert_eq!(read(feed.vector(hot)), [0.0, 1.0]);
    }
}
