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
use gan_lab::bench::{Bench, Workload};
use gan_lab::classifier::{DigitClassifier, DigitQuality};
use gan_lab::data::mnist::Digits;
use gan_lab::readback::{block_on, read_scalar_blocking};
use gan_lab::{GanConfig, GanLoss, Metrics, Preset, Trainer};
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
    Bench(BenchArgs),
    /// Train the digit classifier on the shipped MNIST subset, report its held-out accuracy
    /// and write its weights (the digits view judges generated digits with it).
    Classifier(ClassifierArgs),
}

#[derive(clap::Args)]
struct ClassifierArgs {
    /// The packed MNIST files (see scripts/pack-mnist.py).
    #[arg(long, default_value = "assets/mnist")]
    mnist: PathBuf,
    /// Where to write the weights (SafeTensors).
    #[arg(long, default_value = "assets/classifier/digits-mlp.safetensors")]
    out: PathBuf,
    /// Passes over the 10,000 training digits (10: 93.9%, 20: 94.8%, 40: 95.9% held out).
    #[arg(long, default_value_t = 40)]
    epochs: usize,
    /// Seeds the initial weights and the batch order.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Only evaluate the weights at --out, without training.
    #[arg(long)]
    check: bool,
}

#[derive(clap::Args)]
struct BenchArgs {
    /// Devices to time (repeat the flag or list them: --device flex,wgpu).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "flex")]
    device: Vec<DeviceChoice>,
    /// Workloads: ring8 (the page's preset), mnist-mlp (an MLP GAN sized for MNIST) and
    /// digits-dcgan (the DCGAN digits preset).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "ring8,mnist-mlp,digits-dcgan"
    )]
    workload: Vec<String>,
    /// Steps per timed run.
    #[arg(long, default_value_t = 200)]
    steps: u32,
    /// Timed runs per device and workload, after 10 untimed warm-up steps.
    #[arg(long, default_value_t = 5)]
    repeats: u32,
}

#[derive(clap::Args)]
struct TrainArgs {
    /// A named config (see `gan presets`). Ignored when --config is given.
    #[arg(long, default_value = "ring8")]
    preset: String,
    /// A JSON config file (see `gan config`), instead of a preset.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Override the loss: minimax, non-saturating, least-squares (lsgan), wasserstein (wgan),
    /// wasserstein-gp (wgan-gp).
    #[arg(long)]
    loss: Option<String>,
    /// Training steps (each is d_steps D updates and one G update).
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
    /// Digits only: the packed MNIST files (see scripts/pack-mnist.py).
    #[arg(long, default_value = "assets/mnist")]
    mnist: PathBuf,
    /// Digits only: the classifier weights that judge generated digits (see `gan classifier`).
    #[arg(long, default_value = "assets/classifier/digits-mlp.safetensors")]
    classifier: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
enum DeviceChoice {
    /// burn's pure-Rust CPU backend.
    Flex,
    /// burn's wgpu backend (Vulkan, Metal or DX12; needs `--features wgpu`).
    Wgpu,
}

impl DeviceChoice {
    fn device(self) -> Result<Device, String> {
        match self {
            Self::Flex => Ok(Device::flex()),
            #[cfg(feature = "wgpu")]
            Self::Wgpu => Ok(Device::wgpu(Default::default())),
            #[cfg(not(feature = "wgpu"))]
            Self::Wgpu => {
                Err("this build has no wgpu device: rebuild with `--features wgpu`".into())
            }
        }
    }

    fn name(self) -> &'static str {
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

fn load_config(args: &TrainArgs) -> Result<(GanConfig, Option<String>), String> {
    let (mut config, preset) = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?;
            (
                GanConfig::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))?,
                None,
            )
        }
        None => {
            let preset: Preset = args.preset.parse().map_err(|e| format!("{e}"))?;
            (preset.config(), Some(preset.name().to_string()))
        }
    };
    if let Some(loss) = &args.loss {
        config.loss = loss.parse::<GanLoss>().map_err(|e| e.to_string())?;
    }
    if let Some(seed) = args.seed {
        config.seed = seed;
    }
    config.validate().map_err(|e| e.to_string())?;
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

fn evaluate(trainer: &Trainer, judge: Option<&DigitClassifier>) -> Result<Quality, String> {
    match judge {
        None => block_on(trainer.evaluate()).map(Quality::Plane),
        Some(c) => block_on(trainer.digit_quality(c)).map(Quality::Digits),
    }
    .map_err(|e| e.to_string())
}

fn train(args: TrainArgs) -> Result<(), (ExitCode, String)> {
    let usage = |e: String| (ExitCode::from(2), e);
    let (config, preset) = load_config(&args).map_err(usage)?;
    let device = args.device.device().map_err(usage)?;
    let (trainer, judge) = if config.data.is_images() {
        let digits = load_digits(&args.mnist, "train").map_err(usage)?;
        let bytes = std::fs::read(&args.classifier)
            .map_err(|e| usage(format!("cannot read {}: {e}", args.classifier.display())))?;
        let judge = DigitClassifier::from_safetensors(bytes, &device).map_err(usage)?;
        let trainer = Trainer::with_digits(config.clone(), Arc::new(digits), &device);
        (trainer, Some(judge))
    } else {
        (Trainer::new(config.clone(), &device), None)
    };
    let mut trainer = trainer.map_err(|e| usage(e.to_string()))?;
    let failed = |e: String| (ExitCode::from(1), e);

    let start = Instant::now();
    let mut train_seconds = 0.0;
    let mut losses = (f64::NAN, f64::NAN);
    let mut metrics = None;
    for step in 1..=args.steps {
        let t = Instant::now();
        let out = trainer.step();
        let last = step == args.steps;
        if last || (args.log_every > 0 && step % args.log_every == 0) {
            // Reading back is the only sync point; it waits for the step to finish.
            losses = (
                read_scalar_blocking(out.d_loss),
                read_scalar_blocking(out.g_loss),
            );
            train_seconds += t.elapsed().as_secs_f64();
            if !losses.0.is_finite() || !losses.1.is_finite() {
                return Err(failed(format!(
                    "training diverged at step {step}: d_loss = {}, g_loss = {} \
                     (try a lower learning rate or another loss)",
                    losses.0, losses.1
                )));
            }
            let m = evaluate(&trainer, judge.as_ref()).map_err(failed)?;
            eprintln!(
                "step {step:>6}/{}  d_loss {:>8.4}  g_loss {:>8.4}  {}  {:.1} steps/s  {:.0} s",
                args.steps,
                losses.0,
                losses.1,
                m.line(),
                step as f64 / train_seconds,
                start.elapsed().as_secs_f64(),
            );
            metrics = Some(m);
        } else {
            train_seconds += t.elapsed().as_secs_f64();
        }
    }
    let metrics = match metrics {
        Some(m) => m,
        None => evaluate(&trainer, judge.as_ref()).map_err(failed)?, // --steps 0
    };
    let report = Report {
        preset,
        loss: config.loss.name(),
        steps: args.steps,
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
    writeln!(out, "{line}").map_err(|e| failed(e.to_string()))?;
    Ok(())
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Train(args) => train(args),
        Command::Bench(args) => bench(args),
        Command::Classifier(args) => classifier(args),
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
            Err(e) => Err((ExitCode::from(2), e.to_string())),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err((code, message)) => {
            eprintln!("error: {message}");
            code
        }
    }
}

/// One row of `gan bench`.
#[derive(Serialize)]
struct BenchRow {
    workload: &'static str,
    device: &'static str,
    steps: u32,
    repeats: u32,
    steps_per_second_min: f64,
    steps_per_second_median: f64,
    steps_per_second_max: f64,
}

fn bench(args: BenchArgs) -> Result<(), (ExitCode, String)> {
    let usage = |e: String| (ExitCode::from(2), e);
    let workloads = args
        .workload
        .iter()
        .map(|name| {
            Workload::ALL
                .into_iter()
                .find(|w| w.name() == name)
                .ok_or_else(|| {
                    usage(format!(
                        "unknown workload `{name}`: use ring8, mnist-mlp or digits-dcgan"
                    ))
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if args.steps == 0 || args.repeats == 0 {
        return Err(usage("--steps and --repeats must be at least 1".into()));
    }
    eprintln!(
        "workload  | device | steps/s min / median / max ({} runs of {} steps)",
        args.repeats, args.steps
    );
    for &choice in &args.device {
        let device = choice.device().map_err(usage)?;
        for &workload in &workloads {
            let mut b = Bench::new(workload, &device);
            for _ in 0..10 {
                b.step();
            }
            b.sync();
            let mut rates: Vec<f64> = (0..args.repeats)
                .map(|_| {
                    let t = Instant::now();
                    for _ in 0..args.steps {
                        b.step();
                    }
                    b.sync();
                    args.steps as f64 / t.elapsed().as_secs_f64()
                })
                .collect();
            rates.sort_by(f64::total_cmp);
            let row = BenchRow {
                workload: workload.name(),
                device: choice.name(),
                steps: args.steps,
                repeats: args.repeats,
                steps_per_second_min: rates[0],
                steps_per_second_median: rates[rates.len() / 2],
                steps_per_second_max: rates[rates.len() - 1],
            };
            eprintln!(
                "{:<9} | {:<6} | {:.1} / {:.1} / {:.1}",
                row.workload,
                row.device,
                row.steps_per_second_min,
                row.steps_per_second_median,
                row.steps_per_second_max
            );
            println!("{}", serde_json::to_string(&row).expect("row serialises"));
        }
    }
    Ok(())
}

fn load_digits(dir: &std::path::Path, split: &str) -> Result<Digits, String> {
    let read = |kind: &str| {
        let path = dir.join(format!("{split}-{kind}-ubyte.gz"));
        std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    Digits::from_idx(&read("images-idx3")?, &read("labels-idx1")?)
        .map_err(|e| format!("{}: {e}", dir.display()))
}

fn classifier(args: ClassifierArgs) -> Result<(), (ExitCode, String)> {
    let usage = |e: String| (ExitCode::from(2), e);
    let failed = |e: String| (ExitCode::from(1), e);
    let test = load_digits(&args.mnist, "test").map_err(usage)?;
    let device = Device::flex();
    let start = Instant::now();
    let model = if args.check {
        let bytes = std::fs::read(&args.out)
            .map_err(|e| usage(format!("cannot read {}: {e}", args.out.display())))?;
        DigitClassifier::from_safetensors(bytes, &device).map_err(failed)?
    } else {
        let train = load_digits(&args.mnist, "train").map_err(usage)?;
        let mut model = DigitClassifier::new(args.seed, &device);
        model.train(&train, args.epochs, 128, args.seed);
        if let Some(dir) = args.out.parent() {
            std::fs::create_dir_all(dir).map_err(|e| failed(e.to_string()))?;
        }
        std::fs::write(&args.out, model.to_safetensors())
            .map_err(|e| failed(format!("cannot write {}: {e}", args.out.display())))?;
        model
    };
    let accuracy = block_on(model.accuracy(&test)).map_err(|e| failed(e.to_string()))?;
    let line = serde_json::json!({
        "weights": args.out.display().to_string(),
        "trained": !args.check,
        "epochs": (!args.check).then_some(args.epochs),
        "seed": args.seed,
        "held_out_digits": test.len(),
        "held_out_accuracy": accuracy,
        "seconds": start.elapsed().as_secs_f64(),
    });
    println!("{line}");
    Ok(())
}
