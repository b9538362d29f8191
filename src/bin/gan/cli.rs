//! `gan`: train the GAN natively and report the metrics as JSON (native only).
//!
//! `gan train --preset ring8 --steps 5000 --seed 0` prints progress lines on stderr and, as the
//! last line on stdout, one JSON object with the final metrics. `gan presets` lists the presets;
//! `gan config --preset NAME` prints one as a JSON config to edit and pass back with `--config`.

use std::process::ExitCode;

use burn::prelude::Device;
use clap::{Parser, Subcommand, ValueEnum};

use crate::{bench, classifier, sweep, train};
use gan_lab::data::mnist::MnistImages;
use gan_lab::{ConfigError, Error, GanConfig, GanLoss, Preset};

#[derive(Parser)]
#[command(
    name = "gan",
    version,
    about = "Train a GAN on toy 2-D distributions or MNIST digits with burn"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Train and print the final metrics as JSON (last line of stdout).
    Train(train::TrainArgs),
    /// List the presets.
    Presets,
    /// Print a preset's full config as JSON (a starting point for --config).
    Config {
        #[arg(long, default_value = "ring8")]
        preset: String,
    },
    /// Time training steps: steps/s, min/median/max over repeated runs, per device and
    /// workload; a table on stderr and one JSON line per row on stdout.
    Bench(bench::BenchArgs),
    /// Train one config on many seeds, on every core; a per-seed table and a summary line
    /// (seeds at full coverage, mean modes, mean high quality), then the summary as JSON.
    Sweep(sweep::SweepArgs),
    /// Train the digit classifier on the shipped MNIST subset, report its held-out accuracy
    /// and write its weights (the digits view judges generated digits with it).
    Classifier(classifier::ClassifierArgs),
}

/// Changes to the preset's or file's config, shared by `train` and `sweep`.
#[derive(clap::Args)]
pub(crate) struct Changes {
    /// Override the loss: minimax, non-saturating, least-squares (lsgan), wasserstein (wgan),
    /// wasserstein-gp (wgan-gp).
    #[arg(long)]
    pub loss: Option<String>,
    /// Override the R1 penalty's γ (config field `r1`; 0 turns it off).
    #[arg(long)]
    pub r1: Option<f64>,
    /// Override the decay of the average of G's weights (config field `g_ema`; 0 turns it off).
    #[arg(long)]
    pub g_ema: Option<f64>,
    /// Override PacGAN's packing: D judges this many samples at once (config field `pack`;
    /// 1 is a plain D).
    #[arg(long)]
    pub pack: Option<usize>,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum DeviceChoice {
    /// burn's pure-Rust CPU backend.
    Flex,
    /// burn's wgpu backend (Vulkan, Metal or DX12; needs `--features wgpu`).
    Wgpu,
}

/// A refused flag, named like a config field.
pub(crate) fn flag(name: &str, reason: impl Into<String>) -> Error {
    ConfigError::new(name, reason).into()
}

/// A file that could not be read (or written).
pub(crate) fn file(path: &std::path::Path, e: impl std::fmt::Display) -> Error {
    Error::Data(format!("{}: {e}", path.display()))
}

/// Exit status by kind: 2 when the input is wrong (flags, config, files), 1 when the run
/// failed (the device, or a loss that turned NaN).
fn exit_code(e: &Error) -> ExitCode {
    match e {
        Error::Config(_) | Error::Data(_) => ExitCode::from(2),
        Error::Device(_) | Error::State(_) => ExitCode::from(1),
    }
}

impl DeviceChoice {
    pub(crate) fn device(self) -> Result<Device, Error> {
        match self {
            Self::Flex => Ok(Device::flex()),
            #[cfg(feature = "wgpu")]
            Self::Wgpu => Ok(Device::wgpu(Default::default())),
            #[cfg(not(feature = "wgpu"))]
            Self::Wgpu => Err(flag(
                "--device",
                "wgpu is not in this build: rebuild with `--features wgpu`",
            )),
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Flex => "flex",
            Self::Wgpu => "wgpu",
        }
    }
}

/// The config a command names: a JSON file, else a preset; then the changes and seed. Also
/// gives the preset's name, if it came from one.
pub(crate) fn config_from(
    preset: &str,
    file_path: Option<&std::path::Path>,
    changes: &Changes,
    seed: Option<u64>,
) -> Result<(GanConfig, Option<String>), Error> {
    let (mut config, preset) = match file_path {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| file(path, e))?;
            (GanConfig::from_json(&text)?, None)
        }
        None => {
            let preset: Preset = preset.parse()?;
            (preset.config(), Some(preset.name().to_string()))
        }
    };
    if let Some(loss) = &changes.loss {
        config.loss = loss.parse::<GanLoss>()?;
    }
    if let Some(r1) = changes.r1 {
        config.r1 = r1;
    }
    if let Some(g_ema) = changes.g_ema {
        config.g_ema = g_ema;
    }
    if let Some(pack) = changes.pack {
        config.pack = pack;
    }
    if let Some(seed) = seed {
        config.seed = seed;
    }
    config.validate()?;
    Ok((config, preset))
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Train(args) => train::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Sweep(args) => sweep::run(args),
        Command::Classifier(args) => classifier::run(args),
        Command::Presets => {
            for p in Preset::ALL {
                println!(
                    "{:<15} {}",
                    p.name(),
                    serde_json::to_string(&p.config().data).unwrap()
                );
            }
            Ok(())
        }
        Command::Config { preset } => match preset.parse::<Preset>() {
            Ok(p) => {
                println!("{}", p.config().to_json_pretty());
                Ok(())
            }
            Err(e) => Err(e.into()),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            exit_code(&e)
        }
    }
}

pub(crate) fn load_digits(dir: &std::path::Path, split: &str) -> Result<MnistImages, Error> {
    let read = |kind: &str| {
        let path = dir.join(format!("{split}-{kind}-ubyte.gz"));
        std::fs::read(&path).map_err(|e| file(&path, e))
    };
    MnistImages::from_idx(&read("images-idx3")?, &read("labels-idx1")?).map_err(|e| file(dir, e))
}
