//! Writing the save file piece by piece.
//!
//! A DCGAN run is a few MB, and the page copies it every few seconds (for a lost GPU). Built
//! whole, the file is a second copy of the run beside the one read back, and in a browser the
//! wasm memory's high-water mark never comes down. [`SaveFile`] lays the
//! file out first, then hands it over in pieces, dropping each tensor once written, so the
//! page can write it straight into a JS buffer. The bytes are exactly what
//! `safetensors::serialize` writes for the same tensors (a test in `tests/save.rs` holds this).

use std::borrow::Cow;
use std::collections::HashMap;

use safetensors::tensor::{Dtype, Metadata, TensorInfo};

use super::{HEADER_KEY, SavedRun};

/// A save file laid out: its header (length prefix and JSON), then the tensors in file order.
pub struct SaveFile {
    header: Vec<u8>,
    /// In file order (by name, as SafeTensors sorts them). `[numel]` each.
    tensors: Vec<Vec<f32>>,
}

impl SavedRun {
    /// The run as a file to write; consumes the run, so each tensor is freed once written.
    pub fn into_file(self) -> SaveFile {
        let meta = HashMap::from([(HEADER_KEY.to_string(), self.header())]);
        let mut named = self.into_named();
        // SafeTensors orders tensors by dtype, then name; ours are all f32.
        named.sort_by(|(a, _), (b, _)| a.cmp(b));
        let mut offset = 0;
        let infos = named
            .iter()
            .map(|(name, t)| {
                let n = 4 * t.values.len();
                let info = TensorInfo {
                    dtype: Dtype::F32,
                    shape: t.shape.clone(),
                    data_offsets: (offset, offset + n),
                };
                offset += n;
                (name.clone(), info)
            })
            .collect();
        let metadata = Metadata::new(Some(meta), infos).expect("offsets follow each other");
        let mut json = serde_json::to_string(&metadata)
            .expect("the header serialises")
            .into_bytes();
        // SafeTensors pads the header with spaces to a multiple of 8 bytes.
        json.resize(json.len().next_multiple_of(8), b' ');
        let mut header = (json.len() as u64).to_le_bytes().to_vec();
        header.extend(json);
        SaveFile {
            header,
            tensors: named.into_iter().map(|(_, t)| t.values).collect(),
        }
    }
}

impl SaveFile {
    /// The file's size in bytes.
    pub fn len(&self) -> usize {
        self.header.len() + 4 * self.tensors.iter().map(Vec::len).sum::<usize>()
    }

    /// Never: a file always has its header.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Hands the file to `sink` in order, as (offset, bytes) pieces that tile it.
    pub fn write(self, mut sink: impl FnMut(usize, &[u8])) {
        sink(0, &self.header);
        let mut at = self.header.len();
        for values in self.tensors {
            let bytes = le_bytes(&values);
            sink(at, &bytes);
            at += bytes.len();
        }
    }

    /// The whole file in one buffer.
    pub fn into_bytes(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len());
        self.write(|_, bytes| out.extend_from_slice(bytes));
        out
    }
}

/// Floats as little-endian bytes: on a little-endian machine (wasm, x86, ARM) their own memory,
/// uncopied.
fn le_bytes(values: &[f32]) -> Cow<'_, [u8]> {
    if cfg!(target_endian = "little") {
        Cow::Borrowed(bytemuck::cast_slice(values))
    } else {
        Cow::Owned(values.iter().flat_map(|v| v.to_le_bytes()).collect())
    }
}
