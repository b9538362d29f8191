//! Data the GAN learns: toy 2-D distributions, and MNIST digits.

pub mod mnist;
pub mod toy;

pub use toy::ToyDistribution;
