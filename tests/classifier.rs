#![cfg(not(target_arch = "wasm32"))]
//! The shipped digit classifier (assets/classifier/, written by `gan classifier`): it loads,
//! and classifies the held-out digits as well as docs/metrics.md says.

use burn::prelude::Device;
use gan_lab::data::mnist::MnistImages;
use gan_lab::eval::classifier::DigitClassifier;
use gan_lab::eval::digits::digit_quality;
use gan_lab::readback::{block_on, read_floats};

fn asset(path: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

#[test]
fn shipped_classifier_meets_its_stated_held_out_accuracy() {
    let model = DigitClassifier::from_safetensors(
        asset("assets/classifier/digits-mlp.safetensors"),
        &Device::flex(),
    )
    .unwrap();
    let test = MnistImages::from_idx(
        &asset("assets/mnist/test-images-idx3-ubyte.gz"),
        &asset("assets/mnist/test-labels-idx1-ubyte.gz"),
    )
    .unwrap();
    let accuracy = block_on(model.accuracy(&test)).unwrap();
    println!("held-out accuracy {accuracy}");
    assert!(accuracy >= 0.955, "held-out accuracy {accuracy}");

    // Real digits are what a perfect generator would produce: all 10 classes, near-uniform,
    // mostly confident. These are the numbers the digits view compares generated ones with.
    let pixels: Vec<f32> = (0..test.len()).flat_map(|k| test.pixels(k)).collect();
    let q = digit_quality(
        &block_on(read_floats(model.probabilities(pixels))).unwrap(),
        &[],
    );
    println!("real held-out digits: {q:?}");
    assert_eq!(q.classes_present, 10);
    assert!(q.class_kl < 0.05, "{q:?}");
    assert!(q.confident_fraction > 0.8, "{q:?}");
}

#[test]
fn corrupt_weights_are_refused_with_a_message() {
    let err = DigitClassifier::from_safetensors(b"not safetensors".to_vec(), &Device::flex())
        .err()
        .expect("refused");
    assert_eq!(err.kind(), "data");
    assert!(err.to_string().contains("classifier weights"), "{err}");
}
