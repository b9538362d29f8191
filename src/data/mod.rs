//! Data the GAN learns: toy 2-D distributions, and MNIST digits (parsed; training on them
//! is still to come).

pub mod mnist;
pub mod toy;

pub use toy::ToyDistribution;
