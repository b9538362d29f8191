//! `gan`: train the GAN natively and report the metrics as JSON (native only).
//!
//! `gan train --preset ring8 --steps 5000 --seed 0` prints progress lines on stderr and, as the
//! last line on stdout, one JSON object with the final metrics. `gan presets` lists the presets;
//! `gan config --preset NAME` prints one as a JSON config to edit and pass back with `--config`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use burn::prelude::Device;
use clap::{Parser, Subcommand, ValueEnum};

use crate::{bench, classifier, sweep};
use gan_lab::data::mnist::MnistImages;
use gan_lab::eval::classifier::DigitClassifier;
use gan_lab::eval::digits::DigitQuality;
use gan_lab::readback::{block_on, read_scalar_blocking};
use gan_lab::save::SavedRun;
use gan_lab::{ConfigError, Error, GanConfig, GanLoss, Metrics, Preset, Trainer};
use serde::Serialize;

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
    Train(TrainArgs),
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

#[derive(clap::Args)]
struct TrainArgs {
    /// A named config (see `gan presets`). Ignored when --config is given.
    #[arg(long, default_value = "ring8")]
    preset: String,
    /// A JSON config file (see `gan config`), instead of a preset.
    #[arg(long)]
    config: Option<PathBuf>,
    #[command(flatten)]
    changes: Changes,
    /// Training steps (each is d_steps D updates and one G update); with --resume, steps more.
    #[arg(long, default_value_t = 5000)]
    steps: u64,
    /// Override the config's seed.
    #[arg(long)]
    seed: Option<u64>,
    /// The device to train on.
    #[arg(long, value_enum, default_value_t = DeviceChoice::Flex)]
    device: DeviceChoice,
    /// Evaluate and print a progress line every this many steps (0: only at the end).
    #[arg(long, default_value_t = 1000)]
    log_every: u64,
    /// Write the whole run (both nets, their optimizers, the config, step and random streams)
    /// to this file at the end: a SafeTensors file that `--resume` and the page's Load read.
    #[arg(long)]
    save: Option<PathBuf>,
    /// Continue the run saved in this file (by `--save` or the page's Save) for --steps more
    /// steps, with its own config and seed.
    #[arg(long, conflicts_with_all = ["config", "loss", "r1", "g_ema", "pack", "seed"])]
    resume: Option<PathBuf>,
    /// Digits only: the packed MNIST files (see scripts/pack-mnist.py).
    #[arg(long, default_value = "assets/mnist")]
    mnist: PathBuf,
    /// Digits only: the classifier weights that judge generated digits (see `gan classifier`).
    #[arg(long, default_value = "assets/classifier/digits-mlp.safetensors")]
    classifier: PathBuf,
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

/// The last line of `gan train`.
#[derive(Serialize)]
struct Report {
    preset: Option<String>,
    loss: &'static str,
    steps: u64,
    seed: u64,
    device: &'static str,
    #[serde(flatten)]
    quality: Quality,
    d_loss: f64,
    g_loss: f64,
    /// Training steps per second, evaluation excluded.
    steps_per_second: f64,
    wall_seconds: f64,
}

fn load_config(args: &TrainArgs) -> Result<(GanConfig, Option<String>), Error> {
    config_from(
        &args.preset,
        args.config.as_deref(),
        &args.changes,
        args.seed,
    )
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

/// The numbers a run is judged by: the plane's metrics, or the generated digits' quality.
#[derive(Serialize)]
#[serde(untagged)]
enum Quality {
    Plane(Metrics),
    Digits(DigitQuality),
}

impl Quality {
    fn line(&self) -> String {
        match self {
            Self::Plane(m) => format!(
                "modes {}/{}  hq {:>5.1}%  js {:.4}  D acc {:>5.1}%",
                m.modes_covered,
                m.modes_total,
                100.0 * m.high_quality,
                m.js_divergence,
                100.0 * m.d_accuracy,
            ),
            Self::Digits(q) => format!(
                "classes {}/10  confident {:>5.1}%  class KL {:.3}",
                q.classes_present,
                100.0 * q.confident_fraction,
                q.class_kl,
            ),
        }
    }
}

fn evaluate(trainer: &Trainer, judge: Option<&DigitClassifier>) -> Result<Quality, Error> {
    Ok(match judge {
        None => Quality::Plane(block_on(gan_lab::eval::plane::evaluate(trainer))?),
        Some(c) => Quality::Digits(block_on(gan_lab::eval::digits::evaluate(trainer, c))?),
    })
}

fn train(args: TrainArgs) -> Result<(), Error> {
    let saved = match &args.resume {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| file(path, e))?;
            Some(SavedRun::from_bytes(&bytes).map_err(|e| file(path, e))?)
        }
        None => None,
    };
    let (config, preset) = match &saved {
        Some(s) => (s.config.clone(), None),
        None => load_config(&args)?,
    };
    let device = args.device.device()?;
    let (images, judge) = if config.data.is_images() {
        let digits = load_digits(&args.mnist, "train")?;
        let bytes = std::fs::read(&args.classifier).map_err(|e| file(&args.classifier, e))?;
        let judge = DigitClassifier::from_safetensors(bytes, &device)?;
        (Some(Arc::new(digits)), Some(judge))
    } else {
        (None, None)
    };
    let mut trainer = match saved {
        Some(s) => Trainer::from_saved(s, images, &device)?,
        None => match images {
            Some(images) => Trainer::with_images(config.clone(), images, &device)?,
            None => Trainer::new(config.clone(), &device)?,
        },
    };
    let first = trainer.steps();

    let start = Instant::now();
    let mut train_seconds = 0.0;
    let mut losses = (f64::NAN, f64::NAN);
    let mut metrics = None;
    for done in 1..=args.steps {
        let step = first + done;
        let t = Instant::now();
        let out = trainer.step();
        let last = done == args.steps;
        if last || (args.log_every > 0 && step % args.log_every == 0) {
            // Reading back is the only sync point; it waits for the step to finish.
            losses = (
                read_scalar_blocking(out.d_loss),
                read_scalar_blocking(out.g_loss),
            );
            train_seconds += t.elapsed().as_secs_f64();
            if !losses.0.is_finite() || !losses.1.is_finite() {
                return Err(Error::State(format!(
                    "training diverged at step {step}: d_loss = {}, g_loss = {} \
                     (try a lower learning rate or another loss)",
                    losses.0, losses.1
                )));
            }
            let m = evaluate(&trainer, judge.as_ref())?;
            eprintln!(
                "step {step:>6}/{}  d_loss {:>8.4}  g_loss {:>8.4}  {}  {:.1} steps/s  {:.0} s",
                first + args.steps,
                losses.0,
                losses.1,
                m.line(),
                done as f64 / train_seconds,
                start.elapsed().as_secs_f64(),
            );
            metrics = Some(m);
        } else {
            train_seconds += t.elapsed().as_secs_f64();
        }
    }
    let metrics = match metrics {
        Some(m) => m,
        None => evaluate(&trainer, judge.as_ref())?, // --steps 0
    };
    if let Some(path) = &args.save {
        let bytes = block_on(trainer.save())?.into_file().into_bytes();
        std::fs::write(path, bytes).map_err(|e| file(path, e))?;
        eprintln!("saved step {} to {}", trainer.steps(), path.display());
    }
    let report = Report {
        preset,
        loss: config.loss.name(),
        steps: trainer.steps(),
        seed: config.seed,
        device: args.device.name(),
        quality: metrics,
        d_loss: losses.0,
        g_loss: losses.1,
        steps_per_second: if train_seconds > 0.0 {
            args.steps as f64 / train_seconds
        } else {
            0.0
        },
        wall_seconds: start.elapsed().as_secs_f64(),
    };
    let line = serde_json::to_string(&report).expect("report serialises");
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}").map_err(|e| Error::State(format!("cannot write: {e}")))?;
    Ok(())
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Train(args) => train(args),
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
