//! `gan classifier`: trains (or checks) the digit classifier behind the digits' quality numbers.

use std::path::PathBuf;
use std::time::Instant;

use burn::prelude::Device;
use gan_lab::Error;
use gan_lab::eval::classifier::DigitClassifier;
use gan_lab::eval::digits::digit_quality;
use gan_lab::readback::{block_on, read_floats};

use crate::cli::{file, load_digits};

#[derive(clap::Args)]
pub(crate) struct ClassifierArgs {
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

pub(crate) fn run(args: ClassifierArgs) -> Result<(), Error> {
    let test = load_digits(&args.mnist, "test")?;
    let device = Device::flex();
    let start = Instant::now();
    let model = if args.check {
        let bytes = std::fs::read(&args.out).map_err(|e| file(&args.out, e))?;
        DigitClassifier::from_safetensors(bytes, &device)?
    } else {
        let train = load_digits(&args.mnist, "train")?;
        let mut model = DigitClassifier::new(args.seed, &device);
        model.train(&train, args.epochs, 128, args.seed);
        if let Some(dir) = args.out.parent() {
            std::fs::create_dir_all(dir).map_err(|e| file(dir, e))?;
        }
        std::fs::write(&args.out, model.to_safetensors()).map_err(|e| file(&args.out, e))?;
        model
    };
    let accuracy = block_on(model.accuracy(&test))?;
    // What real digits score on the digits view's quality numbers: the ceiling for G's.
    let pixels: Vec<f32> = (0..test.len()).flat_map(|k| test.pixels(k)).collect();
    let real = digit_quality(&block_on(read_floats(model.probabilities(pixels)))?, &[]);
    let line = serde_json::json!({
        "weights": args.out.display().to_string(),
        "trained": !args.check,
        "epochs": (!args.check).then_some(args.epochs),
        "seed": args.seed,
        "held_out_digits": test.len(),
        "held_out_accuracy": accuracy,
        "held_out_confident_fraction": real.confident_fraction,
        "held_out_classes_present": real.classes_present,
        "seconds": start.elapsed().as_secs_f64(),
    });
    println!("{line}");
    Ok(())
}
