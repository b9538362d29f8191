//! `gan sweep`: one config over many seeds, on every core, with a per-seed table and a summary,
//! since a GAN recipe holds only if it holds across seeds (the plane's presets; flex).

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use burn::prelude::Device;
use gan_lab::readback::{block_on, read_scalar_blocking};
use gan_lab::{Error, GanConfig, Metrics, Trainer};
use serde::Serialize;

use crate::cli::{Changes, config_from, flag};

#[derive(clap::Args)]
pub(crate) struct SweepArgs {
    /// A named plane config (see `gan presets`). Ignored when --config is given.
    #[arg(long, default_value = "ring8")]
    preset: String,
    /// A JSON config file (see `gan config`), instead of a preset.
    #[arg(long)]
    config: Option<std::path::PathBuf>,
    #[command(flatten)]
    changes: Changes,
    /// Seeds, as a half-open range `A..B` (0..10 is seeds 0 to 9) or a list `0,3,7`.
    #[arg(long, default_value = "0..10")]
    seeds: String,
    /// Training steps per seed.
    #[arg(long, default_value_t = 5000)]
    steps: u64,
    /// Runs at once (default: one per core).
    #[arg(long)]
    jobs: Option<usize>,
}

/// One seed's result (a JSON line each, then the summary).
#[derive(Serialize)]
struct SeedRow {
    seed: u64,
    #[serde(flatten)]
    metrics: Metrics,
    d_loss: f64,
    g_loss: f64,
}

#[derive(Serialize)]
struct Summary {
    preset: Option<String>,
    loss: &'static str,
    steps: u64,
    seeds: usize,
    /// Seeds whose every mode is covered.
    full_coverage: usize,
    mean_modes: f64,
    mean_high_quality: f64,
    /// The mean |D − D*| where the data are, for the losses whose D is a probability.
    mean_d_star_gap: Option<f64>,
    wall_seconds: f64,
}

fn parse_seeds(text: &str) -> Result<Vec<u64>, Error> {
    let bad = || {
        flag(
            "--seeds",
            format!("must be A..B or a list like 0,3,7, got {text:?}"),
        )
    };
    let seeds: Vec<u64> = match text.split_once("..") {
        Some((a, b)) => {
            let (a, b) = (
                a.trim().parse().map_err(|_| bad())?,
                b.trim().parse().map_err(|_| bad())?,
            );
            (a..b).collect()
        }
        None => text
            .split(',')
            .map(|s| s.trim().parse().map_err(|_| bad()))
            .collect::<Result<_, _>>()?,
    };
    if seeds.is_empty() {
        return Err(bad());
    }
    Ok(seeds)
}

fn run_seed(config: &GanConfig, seed: u64, steps: u64) -> Result<SeedRow, Error> {
    let mut config = config.clone();
    config.seed = seed;
    let mut trainer = Trainer::new(config, &Device::flex())?;
    let mut losses = (f64::NAN, f64::NAN);
    for step in 1..=steps {
        let out = trainer.step();
        if step == steps {
            losses = (
                read_scalar_blocking(out.d_loss),
                read_scalar_blocking(out.g_loss),
            );
        }
    }
    let metrics = block_on(gan_lab::eval::plane::evaluate(&trainer))?;
    Ok(SeedRow {
        seed,
        metrics,
        d_loss: losses.0,
        g_loss: losses.1,
    })
}

pub(crate) fn run(args: SweepArgs) -> Result<(), Error> {
    let (config, preset) = config_from(&args.preset, args.config.as_deref(), &args.changes, None)?;
    if config.data.is_images() {
        return Err(flag(
            "--preset",
            "sweep scores the plane's modes; for digits, run `gan train` per seed",
        ));
    }
    let seeds = parse_seeds(&args.seeds)?;
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, seeds.len());
    let start = Instant::now();
    let next = AtomicUsize::new(0);
    let rows = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| {
                while let Some(&seed) = seeds.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let row = run_seed(&config, seed, args.steps);
                    if let Ok(r) = &row {
                        eprintln!(
                            "seed {seed}: modes {}/{}  hq {:.1}%  ({:.0} s)",
                            r.metrics.modes_covered,
                            r.metrics.modes_total,
                            100.0 * r.metrics.high_quality,
                            start.elapsed().as_secs_f64()
                        );
                    }
                    rows.lock().expect("no thread panicked").push(row);
                }
            });
        }
    });
    let mut rows = rows
        .into_inner()
        .expect("no thread panicked")
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    rows.sort_by_key(|r| r.seed);

    println!("seed | modes | high quality | JS | D accuracy | D* gap | d_loss | g_loss");
    println!("---|---|---|---|---|---|---|---");
    for r in &rows {
        let m = &r.metrics;
        println!(
            "{} | {}/{} | {:.1}% | {:.3} | {:.1}% | {} | {:.3} | {:.3}",
            r.seed,
            m.modes_covered,
            m.modes_total,
            100.0 * m.high_quality,
            m.js_divergence,
            100.0 * m.d_accuracy,
            m.d_star_gap.map_or("–".into(), |g| format!("{g:.3}")),
            r.d_loss,
            r.g_loss
        );
    }
    let n = rows.len() as f64;
    let summary = Summary {
        preset,
        loss: config.loss.name(),
        steps: args.steps,
        seeds: rows.len(),
        full_coverage: rows
            .iter()
            .filter(|r| r.metrics.modes_covered == r.metrics.modes_total)
            .count(),
        mean_modes: rows
            .iter()
            .map(|r| r.metrics.modes_covered as f64)
            .sum::<f64>()
            / n,
        mean_high_quality: rows.iter().map(|r| r.metrics.high_quality).sum::<f64>() / n,
        mean_d_star_gap: rows
            .iter()
            .map(|r| r.metrics.d_star_gap)
            .sum::<Option<f64>>()
            .map(|g| g / n),
        wall_seconds: start.elapsed().as_secs_f64(),
    };
    println!(
        "{} of {} seeds cover every mode; mean modes {:.2}/{}, mean high quality {:.1}%",
        summary.full_coverage,
        summary.seeds,
        summary.mean_modes,
        rows[0].metrics.modes_total,
        100.0 * summary.mean_high_quality
    );
    println!(
        "{}",
        serde_json::to_string(&summary).expect("the summary serialises")
    );
    Ok(())
}
