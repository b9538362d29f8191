//! Data the GAN learns: toy 2-D distributions (and, later, MNIST).

pub mod toy;

pub use toy::ToyDistribution;
