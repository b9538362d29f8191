//! `gan bench`: steps per second of the benchmark workloads, per device.

use burn::prelude::Device;
use std::time::Instant;

use gan_lab::Error;
use gan_lab::bench::{Bench, Workload};
use serde::Serialize;

use crate::cli::{DeviceChoice, flag};

#[derive(clap::Args)]
pub(crate) struct BenchArgs {
    /// Devices to time (repeat the flag or list them: --device flex,wgpu).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "flex")]
    device: Vec<DeviceChoice>,
    /// Workloads: ring8 (the page's preset without R1 and the average of G, as PyTorch's
    /// script), mnist-mlp (an MLP GAN sized for MNIST) and digits-dcgan (the DCGAN digits preset).
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
    /// Record a step once and replay it (on, where the device can record: wgpu), or step as
    /// it is (off); both to compare: --replay off,on.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "on")]
    replay: Vec<Switch>,
}

#[derive(Clone, Copy, PartialEq, clap::ValueEnum)]
enum Switch {
    On,
    Off,
}

/// One row of `gan bench`.
#[derive(Serialize)]
struct BenchRow {
    workload: &'static str,
    device: &'static str,
    /// Whether the timed steps replayed a recorded step.
    replay: bool,
    steps: u32,
    repeats: u32,
    /// Host time spent queueing a step (the sync at the end of each run aside), median.
    queue_ms_per_step: f64,
    steps_per_second_min: f64,
    steps_per_second_median: f64,
    steps_per_second_max: f64,
}

pub(crate) fn run(args: BenchArgs) -> Result<(), Error> {
    let workloads = args
        .workload
        .iter()
        .map(|name| {
            Workload::ALL
                .into_iter()
                .find(|w| w.name() == name)
                .ok_or_else(|| {
                    flag(
                        "--workload",
                        format!("`{name}` is unknown: use ring8, mnist-mlp or digits-dcgan"),
                    )
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if args.steps == 0 || args.repeats == 0 {
        return Err(flag("--steps", "and --repeats must be at least 1"));
    }
    eprintln!(
        "workload  | device | replay | steps/s min / median / max | queue ms/step ({} runs of {} steps)",
        args.repeats, args.steps
    );
    for &choice in &args.device {
        let device = choice.device()?;
        for &workload in &workloads {
            // The CPU backend never records: one row for it.
            let replays = match choice {
                DeviceChoice::Flex => &args.replay[..1],
                _ => &args.replay[..],
            };
            for &replay in replays {
                let row = time(workload, choice, &device, replay == Switch::On, &args);
                eprintln!(
                    "{:<9} | {:<6} | {:<6} | {:.1} / {:.1} / {:.1} | {:.2}",
                    row.workload,
                    row.device,
                    if row.replay { "on" } else { "off" },
                    row.steps_per_second_min,
                    row.steps_per_second_median,
                    row.steps_per_second_max,
                    row.queue_ms_per_step,
                );
                println!("{}", serde_json::to_string(&row).expect("row serialises"));
            }
        }
    }
    Ok(())
}

fn time(
    workload: Workload,
    choice: DeviceChoice,
    device: &Device,
    replay: bool,
    args: &BenchArgs,
) -> BenchRow {
    let mut b = Bench::new(workload, device, replay);
    for _ in 0..10 {
        b.step();
    }
    b.sync();
    let (mut rates, mut queue): (Vec<f64>, Vec<f64>) = (0..args.repeats)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..args.steps {
                b.step();
            }
            let queued = t.elapsed().as_secs_f64();
            b.sync();
            let rate = args.steps as f64 / t.elapsed().as_secs_f64();
            (rate, queued * 1e3 / args.steps as f64)
        })
        .unzip();
    rates.sort_by(f64::total_cmp);
    queue.sort_by(f64::total_cmp);
    BenchRow {
        workload: workload.name(),
        device: choice.name(),
        replay: b.replaying(),
        steps: args.steps,
        repeats: args.repeats,
        queue_ms_per_step: queue[queue.len() / 2],
        steps_per_second_min: rates[0],
        steps_per_second_median: rates[rates.len() / 2],
        steps_per_second_max: rates[rates.len() - 1],
    }
}
