//! What a step (or an evaluation) feeds the nets, drawn on the host from the run's seeded
//! streams: real samples with their labels, latent noise, and a conditional run's classes.

use crate::config::{Data, GanConfig, LatentDistribution};
use crate::data::mnist::MnistImages;
use crate::rng::SeededRng;

/// Latent vectors for `n` samples, flattened `[n * dim]`.
pub fn sample_latent(config: &GanConfig, rng: &mut SeededRng, n: usize) -> Vec<f32> {
    let len = n * config.latent.dim;
    match config.latent.distribution {
        LatentDistribution::Gaussian => rng.normal_vec(len),
        LatentDistribution::Uniform => rng.uniform_vec(len, -1.0, 1.0),
    }
}

/// `n` real samples: points of the plane distribution, or images drawn uniformly with
/// replacement (`images` is `Some` exactly for image data, as `Trainer::build` ensures), with
/// each image's label (none for points). `[n * data_dim]`, `[n]` or `[]`
pub fn sample_real(
    data: &Data,
    images: Option<&MnistImages>,
    rng: &mut SeededRng,
    n: usize,
) -> (Vec<f32>, Vec<u8>) {
    match (data, images) {
        (Data::Plane(d), _) => (d.sample(rng, n), Vec::new()),
        (Data::Images(_), Some(images)) => {
            let picked: Vec<usize> = (0..n).map(|_| rng.index(images.len())).collect();
            let pixels = picked.iter().flat_map(|&k| images.pixels(k)).collect();
            (pixels, picked.iter().map(|&k| images.labels[k]).collect())
        }
        (Data::Images(_), None) => unreachable!("an image run is built with its images"),
    }
}

/// Classes for `n` generated samples of a conditional run, uniform over the data's classes;
/// none (and no draws) otherwise.
pub fn sample_classes(config: &GanConfig, rng: &mut SeededRng, n: usize) -> Vec<u8> {
    let classes = config.label_dim();
    if classes == 0 {
        return Vec::new();
    }
    (0..n).map(|_| rng.index(classes) as u8).collect()
}
