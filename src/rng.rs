//! The one seeded random source behind every random number in a run.
//!
//! Weights, noise, real samples and evaluation batches are all drawn on the host from
//! [`SeededRng`] streams, never from a backend's own generator: backends' generators differ, and
//! host-made numbers make a run identical on CPU, native GPU and in the browser for its first
//! steps (`tests/golden.rs` pins the native run the browser tests compare with). Each use has
//! its own [`Stream`], so drawing more noise (say, a larger batch) does not change the initial
//! weights.

use chacha20::ChaCha12Rng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};

/// What a stream of random numbers is used for; mixed into the seed so streams are independent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    GeneratorInit = 1,
    DiscriminatorInit = 2,
    /// Real samples drawn for training batches.
    Data = 3,
    /// Latent noise for training batches.
    Noise = 4,
    /// Real and latent batches drawn for metrics, kept apart so evaluating does not shift training.
    Eval = 5,
    /// Interpolation points for WGAN-GP's penalty.
    Penalty = 6,
}

/// A seeded generator for one [`Stream`] of one run: rand's `StdRng` algorithm (ChaCha12),
/// named so its position can be saved and restored.
#[derive(Debug)]
pub struct SeededRng(ChaCha12Rng);

/// SplitMix64's finaliser: spreads nearby seeds (0, 1, 2...) over the whole state space.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl SeededRng {
    pub fn new(seed: u64, stream: Stream) -> Self {
        Self(ChaCha12Rng::seed_from_u64(mix(seed ^ mix(stream as u64))))
    }

    /// The stream `seed`/`stream` at `position` (a value [`Self::position`] gave).
    pub fn at(seed: u64, stream: Stream, position: u128) -> Self {
        let mut rng = Self::new(seed, stream);
        rng.0.set_word_pos(position);
        rng
    }

    /// How many 32-bit words the stream has used: with the seed, all its state.
    pub fn position(&self) -> u128 {
        self.0.get_word_pos()
    }

    /// A uniform sample in `[0, 1)`.
    pub fn uniform(&mut self) -> f64 {
        self.0.random::<f64>()
    }

    /// A uniform sample in `[lo, hi)`.
    pub fn uniform_in(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }

    /// A uniform index in `0..n`.
    pub fn index(&mut self, n: usize) -> usize {
        self.0.random_range(0..n)
    }

    /// A standard normal sample.
    pub fn normal(&mut self) -> f64 {
        StandardNormal.sample(&mut self.0)
    }

    /// `n` standard normal samples as `f32`.
    pub fn normal_vec(&mut self, n: usize) -> Vec<f32> {
        (0..n).map(|_| self.normal() as f32).collect()
    }

    /// `n` uniform samples in `[lo, hi)` as `f32`.
    pub fn uniform_vec(&mut self, n: usize, lo: f32, hi: f32) -> Vec<f32> {
        (0..n)
            .map(|_| self.uniform_in(lo as f64, hi as f64) as f32)
            .collect()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_numbers_different_streams_differ() {
        let a = SeededRng::new(7, Stream::Noise).normal_vec(16);
        let b = SeededRng::new(7, Stream::Noise).normal_vec(16);
        let c = SeededRng::new(7, Stream::Data).normal_vec(16);
        let d = SeededRng::new(8, Stream::Noise).normal_vec(16);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
    }

    #[test]
    fn same_numbers_as_rands_std_rng_and_resumable_at_a_position() {
        use rand::rngs::StdRng;
        let seed = mix(7 ^ mix(Stream::Noise as u64));
        let mut std = StdRng::seed_from_u64(seed);
        let theirs: Vec<f64> = (0..9).map(|_| StandardNormal.sample(&mut std)).collect();
        let mut ours = SeededRng::new(7, Stream::Noise);
        assert_eq!(
            (0..9).map(|_| ours.normal()).collect::<Vec<_>>(),
            theirs,
            "the runs before the switch from StdRng stay the same"
        );
        let at = ours.position();
        let next = ours.normal_vec(5);
        assert_eq!(SeededRng::at(7, Stream::Noise, at).normal_vec(5), next);
    }
}
