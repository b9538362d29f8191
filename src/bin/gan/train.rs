//! `gan train`: train one run, print progress lines, and end with the metrics as JSON.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use gan_lab::eval::classifier::DigitClassifier;
use gan_lab::eval::digits::DigitQuality;
use gan_lab::readback::{block_on, read_scalar_blocking};
use gan_lab::save::SavedRun;
use gan_lab::{Error, GanConfig, Metrics, Trainer};
use serde::Serialize;

use crate::cli::{Changes, DeviceChoice, config_from, file, load_digits};

#[derive(clap::Args)]
pub(crate) struct TrainArgs {
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
    /// Digits only: at each progress line (see --log-every), write the digits view's grid (a
    /// conditional run's class grid, a row per digit) to DIR/NAME-seedS-stepN.png.
    #[arg(long, value_name = "DIR")]
    save_digits: Option<PathBuf>,
    /// Digits only: the packed MNIST files (see scripts/pack-mnist.py).
    #[arg(long, default_value = "assets/mnist")]
    mnist: PathBuf,
    /// Digits only: the classifier weights that judge generated digits (see `gan classifier`).
    #[arg(long, default_value = "assets/classifier/digits-mlp.safetensors")]
    classifier: PathBuf,
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
            Self::Digits(q) => {
                let agreement = q
                    .class_agreement
                    .map(|a| format!("  agreement {:>5.1}%", 100.0 * a))
                    .unwrap_or_default();
                format!(
                    "classes {}/10  confident {:>5.1}%  class KL {:.3}{agreement}",
                    q.classes_present,
                    100.0 * q.confident_fraction,
                    q.class_kl,
                )
            }
        }
    }
}

fn evaluate(trainer: &Trainer, judge: Option<&DigitClassifier>) -> Result<Quality, Error> {
    Ok(match judge {
        None => Quality::Plane(block_on(gan_lab::eval::plane::evaluate(trainer))?),
        Some(c) => Quality::Digits(block_on(gan_lab::eval::digits::evaluate(trainer, c))?),
    })
}

/// The digits view's grid at this step, as the page would show it, to `path`.
fn save_grid(
    trainer: &Trainer,
    judge: &DigitClassifier,
    path: &std::path::Path,
) -> Result<(), Error> {
    let mut log = gan_lab::frame::LossLog::default();
    let frame = block_on(gan_lab::frame::digits::read(trainer, &mut log, judge, 0))?;
    crate::grid_png::write(path, &frame.samples)
}

pub(crate) fn run(args: TrainArgs) -> Result<(), Error> {
    if let Some(dir) = &args.save_digits {
        std::fs::create_dir_all(dir).map_err(|e| file(dir, e))?;
    }
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
            if let (Some(dir), Some(judge)) = (&args.save_digits, &judge) {
                let name = preset.as_deref().unwrap_or("config");
                let path = dir.join(format!("{name}-seed{}-step{step}.png", config.seed));
                save_grid(&trainer, judge, &path)?;
            }
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
