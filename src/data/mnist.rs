//! MNIST digits from IDX bytes (MNIST's own format), gzip-compressed or not.
//!
//! The page fetches the packed subset (`assets/mnist/`, made by `scripts/pack-mnist.py`) once
//! and hands the bytes here; the CLI and tests read the same files. A truncated or foreign
//! file is an [`Error`] that says what is wrong, never a panic.

use std::fmt;

use crate::error::Error;
use std::io::Read;

/// Side of an MNIST digit, in pixels.
pub const SIDE: usize = 28;
/// Pixels per digit.
pub const PIXELS: usize = SIDE * SIDE;
/// Digit classes, 0 to 9.
pub const CLASSES: usize = 10;

const IMAGES_MAGIC: u32 = 0x0000_0803; // unsigned bytes, 3 dimensions
const LABELS_MAGIC: u32 = 0x0000_0801; // unsigned bytes, 1 dimension
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
/// More digits than any MNIST file holds: a header claiming more is corrupt, not big.
const MAX_ITEMS: usize = 1_000_000;

fn err(what: &str, msg: impl fmt::Display) -> Error {
    Error::Data(format!("{what}: {msg}"))
}

/// Inflates gzip bytes; passes anything else through.
fn inflate<'a>(what: &str, bytes: &'a [u8]) -> Result<std::borrow::Cow<'a, [u8]>, Error> {
    if !bytes.starts_with(&GZIP_MAGIC) {
        return Ok(bytes.into());
    }
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(|e| {
            err(
                what,
                format!("the gzip stream is corrupt or truncated ({e})"),
            )
        })?;
    Ok(out.into())
}

fn header(what: &str, bytes: &[u8], magic: u32, dims: usize) -> Result<Vec<usize>, Error> {
    let need = 4 * (1 + dims);
    if bytes.len() < need {
        return Err(err(
            what,
            format!(
                "{} bytes is shorter than an IDX header ({need})",
                bytes.len()
            ),
        ));
    }
    let word = |k: usize| u32::from_be_bytes(bytes[4 * k..4 * k + 4].try_into().unwrap());
    if word(0) != magic {
        return Err(err(
            what,
            format!(
                "magic number {:#010x} is not {magic:#010x}: not an MNIST {} file",
                word(0),
                if magic == IMAGES_MAGIC {
                    "image"
                } else {
                    "label"
                }
            ),
        ));
    }
    let shape: Vec<usize> = (1..=dims).map(|k| word(k) as usize).collect();
    if shape[0] > MAX_ITEMS {
        return Err(err(what, format!("claims {} items", shape[0])));
    }
    let body: usize = shape.iter().product();
    if bytes.len() != need + body {
        return Err(err(
            what,
            format!(
                "the header promises {body} bytes of data but {} follow (truncated or padded)",
                bytes.len() - need
            ),
        ));
    }
    Ok(shape)
}

/// Labelled digits: `images` holds `len()` digits of [`PIXELS`] bytes, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct MnistImages {
    pub images: Vec<u8>,
    pub labels: Vec<u8>,
}

impl MnistImages {
    /// Parses an IDX image file and its IDX label file (each may be gzip-compressed).
    pub fn from_idx(images: &[u8], labels: &[u8]) -> Result<Self, Error> {
        let images = inflate("images", images)?;
        let labels = inflate("labels", labels)?;
        let shape = header("images", &images, IMAGES_MAGIC, 3)?;
        if shape[1..] != [SIDE, SIDE] {
            return Err(err(
                "images",
                format!("digits are {}×{}, not 28×28", shape[1], shape[2]),
            ));
        }
        let n = header("labels", &labels, LABELS_MAGIC, 1)?[0];
        if n != shape[0] {
            return Err(Error::Data(format!(
                "{} images but {n} labels: the files do not belong together",
                shape[0]
            )));
        }
        let labels = labels[8..].to_vec();
        if let Some(bad) = labels.iter().find(|&&l| l > 9) {
            return Err(err("labels", format!("label {bad} is not a digit")));
        }
        Ok(Self {
            images: images[16..].to_vec(),
            labels,
        })
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Digit `k`'s pixels scaled to [−1, 1] (a tanh generator's range). `[PIXELS]`
    pub fn pixels(&self, k: usize) -> impl Iterator<Item = f32> + '_ {
        self.images[k * PIXELS..(k + 1) * PIXELS]
            .iter()
            .map(|&p| p as f32 / 127.5 - 1.0)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use std::io::Write;

    fn idx_images(n: u32, side: u32, fill: u8) -> Vec<u8> {
        let mut v = [IMAGES_MAGIC, n, side, side]
            .iter()
            .flat_map(|w| w.to_be_bytes())
            .collect::<Vec<_>>();
        v.extend(std::iter::repeat_n(fill, (n * side * side) as usize));
        v
    }

    fn idx_labels(labels: &[u8]) -> Vec<u8> {
        let mut v = [LABELS_MAGIC, labels.len() as u32]
            .iter()
            .flat_map(|w| w.to_be_bytes())
            .collect::<Vec<_>>();
        v.extend_from_slice(labels);
        v
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn good_files_parse_plain_and_gzipped() {
        let (images, labels) = (idx_images(3, 28, 255), idx_labels(&[7, 0, 9]));
        let plain = MnistImages::from_idx(&images, &labels).unwrap();
        assert_eq!(plain.len(), 3);
        assert_eq!(plain.labels, [7, 0, 9]);
        assert!(plain.pixels(2).all(|p| p == 1.0));
        assert_eq!(
            MnistImages::from_idx(&gzip(&images), &gzip(&labels)).unwrap(),
            plain
        );
    }

    #[test]
    fn bad_files_are_refused_with_a_reason() {
        let images = idx_images(2, 28, 0);
        let labels = idx_labels(&[1, 2]);
        let refused = |i: &[u8], l: &[u8]| MnistImages::from_idx(i, l).unwrap_err().to_string();
        // Truncated data, a truncated header, a truncated gzip stream.
        assert!(refused(&images[..images.len() - 1], &labels).contains("truncated"));
        assert!(refused(&images[..10], &labels).contains("shorter than an IDX header"));
        let gz = gzip(&images);
        assert!(refused(&gz[..gz.len() / 2], &labels).contains("gzip"));
        // Wrong magic: labels given as images, and a file of zeros.
        let many_labels = idx_labels(&[0; 16]);
        assert!(refused(&many_labels, &labels).contains("not an MNIST image file"));
        assert!(refused(&[0; 64], &labels).contains("magic number"));
        // Shapes that do not fit.
        assert!(refused(&idx_images(2, 32, 0), &labels).contains("not 28×28"));
        assert!(refused(&images, &idx_labels(&[1])).contains("do not belong together"));
        assert!(refused(&images, &idx_labels(&[1, 12])).contains("not a digit"));
    }

    /// The shipped subset: present, matching SHA256SUMS (as `pack-mnist.py --check` does),
    /// balanced, and parsed here.
    #[test]
    fn the_packed_subset_matches_its_checksums_parses_and_is_balanced() {
        use sha2::{Digest, Sha256};
        // The checkout's path as cargo runs the test, not as it was when compiled: a test
        // binary shared through CARGO_TARGET_DIR may come from another clone.
        let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or(env!("CARGO_MANIFEST_DIR").into());
        let dir = std::path::Path::new(&root).join("assets/mnist");
        let read = |name: &str| std::fs::read(dir.join(name)).unwrap();
        let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
        assert_eq!(sums.lines().count(), 4);
        for line in sums.lines() {
            let (want, name) = line.split_once("  ").unwrap();
            let file = read(name);
            let bytes = inflate(name, &file).unwrap();
            let got: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(got, want, "{name} does not match SHA256SUMS");
        }
        for (split, n) in [("train", 10_000), ("test", 1_000)] {
            let d = MnistImages::from_idx(
                &read(&format!("{split}-images-idx3-ubyte.gz")),
                &read(&format!("{split}-labels-idx1-ubyte.gz")),
            )
            .unwrap();
            assert_eq!(d.len(), n);
            for digit in 0..10 {
                let count = d.labels.iter().filter(|&&l| l == digit).count();
                assert_eq!(count, n / 10, "{split}: {count} of digit {digit}");
            }
        }
    }
}
