//! The crate's one error type. Each error has a kind, so the page can tell a refused value
//! (mark the field, change nothing) from bad data, a failed device (fall back to the CPU) and a
//! request the run cannot serve; the CLI maps the kinds to exit codes.

use std::fmt;

pub use crate::check::ConfigError;

#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A refused config value or setting; names the field.
    Config(ConfigError),
    /// Input bytes that are not what they claim (MNIST files, classifier weights, a file the
    /// page fetched or could not fetch).
    Data(String),
    /// The device failed: a read back, or the backend itself.
    Device(String),
    /// A request the run cannot serve in its state (no good state saved yet, a plane view of a
    /// digits run).
    State(String),
}

impl Error {
    /// `"config"`, `"data"`, `"device"` or `"state"`: what the page switches on.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Config(_) => "config",
            Self::Data(_) => "data",
            Self::Device(_) => "device",
            Self::State(_) => "state",
        }
    }

    /// The refused field's JSON path, for a config error.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Config(e) => Some(&e.field),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Config(e) => e.fmt(f),
            Self::Data(m) | Self::State(m) => f.write_str(m),
            Self::Device(m) => write!(f, "the device failed: {m}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Self::Config(e)
    }
}
