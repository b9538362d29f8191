//! The networks: MLPs for the 2-D game (convolutional models for digits come later).

pub mod mlp;

pub use mlp::Mlp;
