//! A run's whole state on the host, and its file.
//!
//! [`SavedRun`] holds everything that decides a run's next steps: the config, the step count,
//! the positions of its random streams, both nets' parameters and both optimizers' state. A run
//! rebuilt from it continues with the same losses as if it had never stopped (on the same
//! backend), which is what saving, resuming in the CLI, handing a run from WebGPU to the CPU
//! and recovering from a lost GPU all rest on.
//!
//! The file is SafeTensors: one f32 tensor per parameter, named by its module path
//! (`generator.Mlp.hidden.0.weight`), one per optimizer state tensor
//! (`optimizer.generator.Mlp.hidden.0.weight.moment_1`), and a JSON header under the metadata
//! key `gan-lab` (format, version, config, step, streams, optimizer slot kinds). Any
//! SafeTensors reader opens it.
//!
//! [`nets`] moves one net and its optimizer between the device and the host (`net_parts` and
//! `saved_net` one way, `restore_net` back, checking every shape against the config first);
//! the trainer calls it.

mod file;
mod nets;

use safetensors::tensor::{Dtype, SafeTensorError, SafeTensors};
use serde::{Deserialize, Serialize};

use crate::config::GanConfig;
use crate::error::Error;
pub use file::SaveFile;
pub(crate) use nets::{net_parts, restore_average, restore_net, saved_net};

/// What the header's `format` says: a file that says anything else is not ours.
pub const FORMAT: &str = "gan-lab-run";
/// The file layout's version; a newer one is refused with a message.
pub const VERSION: u32 = 1;
/// The metadata key holding the JSON header.
const HEADER_KEY: &str = "gan-lab";
/// Larger files are refused before parsing (the largest config the page allows saves ~60 MB);
/// the catalog tells the page, which refuses them before reading them.
pub const MAX_BYTES: usize = crate::config::limits::MAX_SAVE_BYTES;

/// A tensor on the host: its name, shape and values (row-major).
#[derive(Debug, Clone, PartialEq)]
pub struct HostTensor {
    pub name: String,
    pub shape: Vec<usize>,
    pub values: Vec<f32>,
}

/// One parameter's optimizer state on the host (see `optim::Slot`).
#[derive(Debug, Clone, PartialEq)]
pub struct SavedSlot {
    /// "adam", "rms-prop" or "momentum".
    pub kind: String,
    /// Adam's step count (0 otherwise).
    pub time: u32,
    /// Named `moment_1`, `square_avg`… `[numel]` each.
    pub tensors: Vec<HostTensor>,
}

/// A net's parameters (named by module path, in visiting order) and its optimizer's slots
/// (one per parameter, `None` before its first update).
#[derive(Debug, Clone, PartialEq)]
pub struct SavedNet {
    pub params: Vec<HostTensor>,
    pub slots: Vec<Option<SavedSlot>>,
}

/// The positions of a run's training streams (`rng::SeededRng::position`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Streams {
    #[serde(with = "decimal")]
    pub data: u128,
    #[serde(with = "decimal")]
    pub noise: u128,
    #[serde(with = "decimal")]
    pub penalty: u128,
}

/// A run, whole, on the host.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedRun {
    pub config: GanConfig,
    pub steps: u64,
    pub streams: Streams,
    pub generator: SavedNet,
    pub discriminator: SavedNet,
    /// The moving average of G's weights (`g_ema` on), with G's parameter names and shapes.
    pub generator_average: Option<Vec<HostTensor>>,
}

/// u128 as a decimal string: JSON numbers lose precision past 2^53.
mod decimal {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    pub fn serialize<S: Serializer>(v: &u128, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
        String::deserialize(d)?.parse().map_err(D::Error::custom)
    }
}

#[derive(Serialize, Deserialize)]
struct SlotHeader {
    kind: String,
    time: u32,
}

/// One parameter in the header: its path (its tensor is `{net}.{path}`) and optimizer slot.
#[derive(Serialize, Deserialize)]
struct ParamHeader {
    path: String,
    slot: Option<SlotHeader>,
}

#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    /// The config as JSON (validated on load like any other).
    config: serde_json::Value,
    steps: u64,
    streams: Streams,
    /// Each net's parameters in visiting order.
    generator: Vec<ParamHeader>,
    discriminator: Vec<ParamHeader>,
}

fn refused(reason: impl std::fmt::Display) -> Error {
    Error::Data(format!("not a gan-lab save file: {reason}"))
}

const NETS: [&str; 2] = ["generator", "discriminator"];
/// The prefix of the average of G's weights' tensors.
const AVERAGE: &str = "generator_average";

impl SavedRun {
    /// The header as JSON: everything but the tensors.
    fn header(&self) -> String {
        let slots = |net: &SavedNet| {
            net.params
                .iter()
                .zip(&net.slots)
                .map(|(p, s)| ParamHeader {
                    path: p.name.clone(),
                    slot: s.as_ref().map(|s| SlotHeader {
                        kind: s.kind.clone(),
                        time: s.time,
                    }),
                })
                .collect()
        };
        let header = Header {
            format: FORMAT.into(),
            version: VERSION,
            config: serde_json::to_value(&self.config).expect("a config serialises"),
            steps: self.steps,
            streams: self.streams,
            generator: slots(&self.generator),
            discriminator: slots(&self.discriminator),
        };
        serde_json::to_string(&header).expect("the header serialises")
    }

    /// Every tensor under its name in the file, moved out of the run.
    fn into_named(self) -> Vec<(String, HostTensor)> {
        let mut named = Vec::new();
        for (net, saved) in NETS.iter().zip([self.generator, self.discriminator]) {
            for (param, slot) in saved.params.into_iter().zip(saved.slots) {
                let path = param.name.clone();
                named.push((format!("{net}.{path}"), param));
                for t in slot.into_iter().flat_map(|s| s.tensors) {
                    named.push((format!("optimizer.{net}.{path}.{}", t.name), t));
                }
            }
        }
        for t in self.generator_average.into_iter().flatten() {
            named.push((format!("{AVERAGE}.{}", t.name), t));
        }
        named
    }

    /// Reads a file [`Self::into_file`] wrote. Anything else (another format, a newer version,
    /// a truncated or corrupt file, a missing tensor, a non-finite value) is refused with the
    /// reason. Shapes are checked against the config when a trainer is built from it.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.len() > MAX_BYTES {
            return Err(refused(format!(
                "{} MB is more than any run of this lab saves ({} MB at most)",
                bytes.len() >> 20,
                MAX_BYTES >> 20
            )));
        }
        let unreadable = |e: SafeTensorError| match e {
            SafeTensorError::MetadataIncompleteBuffer
            | SafeTensorError::InvalidOffset(_)
            | SafeTensorError::TensorInvalidInfo
            | SafeTensorError::ValidationOverflow => {
                refused(format!("it is truncated or corrupt ({e})"))
            }
            e => refused(format!("it is not a SafeTensors file ({e})")),
        };
        let (_, meta) = SafeTensors::read_metadata(bytes).map_err(unreadable)?;
        let files = SafeTensors::deserialize(bytes).map_err(unreadable)?;
        let text = meta
            .metadata()
            .as_ref()
            .and_then(|m| m.get(HEADER_KEY))
            .ok_or_else(|| refused("it has no gan-lab header"))?;
        let header: Header = serde_json::from_str(text)
            .map_err(|e| refused(format!("its header is unreadable ({e})")))?;
        if header.format != FORMAT {
            return Err(refused(format!("its format is {:?}", header.format)));
        }
        if header.version > VERSION {
            return Err(Error::Data(format!(
                "this save file is version {}; this lab reads version {VERSION} and older: \
                 open it in a newer lab",
                header.version
            )));
        }
        let config = GanConfig::from_json(&header.config.to_string())?;
        let tensor = |name: &str| -> Result<HostTensor, Error> {
            let view = files
                .tensor(name)
                .map_err(|_| refused(format!("it lacks the tensor {name}")))?;
            if view.dtype() != Dtype::F32 {
                return Err(refused(format!("{name} is {:?}, not F32", view.dtype())));
            }
            let values: Vec<f32> = view
                .data()
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
            if let Some(bad) = values.iter().find(|v| !v.is_finite()) {
                return Err(refused(format!("{name} holds {bad}")));
            }
            Ok(HostTensor {
                name: name.into(),
                shape: view.shape().to_vec(),
                values,
            })
        };
        let mut nets = Vec::new();
        for (net, params) in NETS.iter().zip([&header.generator, &header.discriminator]) {
            let mut saved = SavedNet {
                params: Vec::new(),
                slots: Vec::new(),
            };
            for p in params {
                let mut param = tensor(&format!("{net}.{}", p.path))?;
                param.name = p.path.clone();
                let slot = match &p.slot {
                    None => None,
                    Some(s) => {
                        let names: &[&str] = match s.kind.as_str() {
                            "adam" => &["moment_1", "moment_2"],
                            "rms-prop" => &["square_avg"],
                            "momentum" => &["velocity"],
                            k => return Err(refused(format!("unknown optimizer state {k:?}"))),
                        };
                        let tensors = names
                            .iter()
                            .map(|n| {
                                let mut t = tensor(&format!("optimizer.{net}.{}.{n}", p.path))?;
                                t.name = n.to_string();
                                Ok(t)
                            })
                            .collect::<Result<Vec<_>, Error>>()?;
                        Some(SavedSlot {
                            kind: s.kind.clone(),
                            time: s.time,
                            tensors,
                        })
                    }
                };
                saved.params.push(param);
                saved.slots.push(slot);
            }
            nets.push(saved);
        }
        let discriminator = nets.pop().expect("two nets");
        let generator = nets.pop().expect("two nets");
        let generator_average = if config.g_ema > 0.0 {
            let average = header.generator.iter().map(|p| {
                let mut t = tensor(&format!("{AVERAGE}.{}", p.path))?;
                t.name = p.path.clone();
                Ok(t)
            });
            Some(average.collect::<Result<Vec<_>, Error>>()?)
        } else {
            None
        };
        let run = Self {
            config,
            steps: header.steps,
            streams: header.streams,
            generator,
            discriminator,
            generator_average,
        };
        Ok(run)
    }
}
