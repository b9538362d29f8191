//! Data the GAN learns: distributions in the plane, and MNIST digits.

pub mod mnist;
pub mod plane;

pub use plane::PlaneDistribution;
