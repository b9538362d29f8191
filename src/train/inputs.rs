//! The host's half of a step: what each update reads, drawn from the run's seeded streams into
//! one feed per half-step (`crate::feed`), and where each input sits in it.

use super::Trainer;
use crate::batch::{sample_classes, sample_latent, sample_real};
use crate::feed::{HostFeed, Part};

/// Where one D update's inputs sit in its phase's feed.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct DInputs {
    /// `[batch, data_dim (+ classes)]`
    pub(super) real: Part,
    /// `[batch, latent (+ classes)]`
    pub(super) z: Part,
    /// `[batch, classes]`, a conditional run's.
    pub(super) fake_classes: Option<Part>,
    /// `[batch / pack, 1]`, the gradient penalty's.
    pub(super) eps: Option<Part>,
    /// `[3]`: `Optimizer::knobs`.
    pub(super) knobs: Part,
}

/// Where G's update's inputs sit in its feed.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct GInputs {
    pub(super) z: Part,
    pub(super) fake_classes: Option<Part>,
    pub(super) knobs: Part,
    /// `[2]`: the average's β and 1 − β, when G's weights are averaged.
    pub(super) blend: Option<Part>,
}

impl Trainer {
    /// Draws one D update's inputs into `host`: the real batch (with its classes), G's noise
    /// (with the classes asked for), the penalty's mixing weights and the optimizer's numbers.
    /// `ahead`: how many D updates of this phase come before it.
    fn draw_d(&mut self, host: &mut HostFeed, ahead: u32) -> DInputs {
        let (n, classes) = (self.config.batch_size, self.config.label_dim());
        let (values, labels) = sample_real(
            &self.config.data,
            self.images.as_deref(),
            &mut self.data_rng,
            n,
        );
        let real = host.push_rows(&values, self.data_dim, &labels, classes);
        let (z, fake_classes) = self.draw_noise(host);
        let eps = self.config.loss.penalty_weight().map(|_| {
            // One ε per D input row: a packed tuple moves along one line.
            let rows = n / self.config.pack;
            host.push(&self.penalty_rng.uniform_vec(rows, 0.0, 1.0))
        });
        let optimizer = self
            .config
            .optimizer_at(&self.config.discriminator, self.steps);
        let knobs = host.push(&self.d_optimizer.knobs(&optimizer, ahead));
        DInputs {
            real,
            z,
            fake_classes,
            eps,
            knobs,
        }
    }

    /// G's noise for one update, with the classes asked for appended to each row, and those
    /// classes alone (to append to G's samples); a conditional run draws them after z from the
    /// same stream.
    fn draw_noise(&mut self, host: &mut HostFeed) -> (Part, Option<Part>) {
        let (n, classes) = (self.config.batch_size, self.config.label_dim());
        let z = sample_latent(&self.config, &mut self.noise_rng, n);
        let labels = sample_classes(&self.config, &mut self.noise_rng, n);
        let z = host.push_rows(&z, self.config.latent.dim, &labels, classes);
        let fake_classes = (classes > 0).then(|| host.push_one_hot(&labels, classes));
        (z, fake_classes)
    }

    /// D's `d_steps` updates' inputs, in one feed.
    pub(crate) fn draw_discriminator_phase(&mut self) -> (HostFeed, Vec<DInputs>) {
        let mut host = HostFeed::default();
        let inputs = (0..self.config.d_steps as u32)
            .map(|k| self.draw_d(&mut host, k))
            .collect();
        (host, inputs)
    }

    /// G's update's inputs, in one feed: its noise, its optimizer's numbers and the weight of
    /// the average of G's weights.
    pub(crate) fn draw_generator_phase(&mut self) -> (HostFeed, GInputs) {
        let mut host = HostFeed::default();
        let (z, fake_classes) = self.draw_noise(&mut host);
        let optimizer = self.config.optimizer_at(&self.config.generator, self.steps);
        let knobs = host.push(&self.g_optimizer.knobs(&optimizer, 0));
        let blend = self.average.is_some().then(|| {
            // A shorter memory early on, so the average is not stuck near the initial weights
            // for the first ~1/(1 − β) steps.
            let t = self.steps as f64;
            let beta = self.config.g_ema.min((1.0 + t) / (10.0 + t)) as f32;
            host.push(&[beta, 1.0 - beta])
        });
        (
            host,
            GInputs {
                z,
                fake_classes,
                knobs,
                blend,
            },
        )
    }
}
