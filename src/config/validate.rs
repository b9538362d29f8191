//! [`GanConfig::validate`]: every field checked against the [`limits`](super::limits), the
//! first bad one refused by its JSON path.

use super::{Architecture, Data, GanConfig, NetConfig, OptimizerConfig, footprint, limits};
use crate::check::{ConfigError, count, in_unit_interval, off_or_up_to, positive};

impl NetConfig {
    pub(super) fn validate(&self, field: &str, model: Architecture) -> Result<(), ConfigError> {
        let width = match model {
            Architecture::Mlp => limits::WIDTH,
            Architecture::Dcgan => limits::CHANNELS,
        };
        count(&format!("{field}.width"), self.width, width.0, width.1)?;
        match model {
            Architecture::Mlp => count(
                &format!("{field}.depth"),
                self.depth,
                limits::DEPTH.0,
                limits::DEPTH.1,
            )?,
            Architecture::Dcgan if self.depth != 2 => {
                return Err(ConfigError::new(
                    format!("{field}.depth"),
                    format!(
                        "must be 2 for dcgan (two conv layers take 7×7 to 28×28), got {}",
                        self.depth
                    ),
                ));
            }
            Architecture::Dcgan => {}
        }
        let opt = format!("{field}.optimizer");
        positive(&format!("{opt}.lr"), self.optimizer.lr())?;
        match self.optimizer {
            OptimizerConfig::Adam { beta1, beta2, .. } => {
                in_unit_interval(&format!("{opt}.beta1"), beta1 as f64)?;
                in_unit_interval(&format!("{opt}.beta2"), beta2 as f64)
            }
            OptimizerConfig::RmsProp { .. } => Ok(()),
            OptimizerConfig::Sgd { momentum, .. } => {
                in_unit_interval(&format!("{opt}.momentum"), momentum)
            }
        }
    }
}

impl GanConfig {
    /// Checks every field; the first bad one is returned, named by its path.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Data::Plane(d) = &self.data {
            d.validate("data")?;
        }
        if self.model == Architecture::Dcgan && !self.data.is_images() {
            return Err(ConfigError::new(
                "model",
                "dcgan is convolutional and needs images: use data kind \"mnist\", or model \"mlp\"",
            ));
        }
        let (lo, hi) = limits::LATENT;
        count("latent.dim", self.latent.dim, lo, hi)?;
        self.generator.validate("generator", self.model)?;
        self.discriminator.validate("discriminator", self.model)?;
        self.loss.validate("loss")?;
        if self.model == Architecture::Dcgan && self.loss.penalty_weight().is_some() {
            return Err(ConfigError::new(
                "loss",
                "wasserstein-gp needs D's input gradient, written by hand only for the MLP \
                 critic (burn has no double backward): use model \"mlp\" or another loss",
            ));
        }
        count(
            "d_steps",
            self.d_steps,
            limits::D_STEPS.0,
            limits::D_STEPS.1,
        )?;
        count(
            "batch_size",
            self.batch_size,
            limits::BATCH.0,
            limits::BATCH.1,
        )?;
        off_or_up_to("r1", self.r1, limits::R1_MAX)?;
        if self.r1 > 0.0 && self.model == Architecture::Dcgan {
            return Err(ConfigError::new(
                "r1",
                "needs D's input gradient, written by hand only for the MLP (burn has no \
                 double backward): use model \"mlp\" or set r1 to 0",
            ));
        }
        off_or_up_to("g_ema", self.g_ema, limits::G_EMA_MAX)?;
        if self.lr_decay_steps > limits::LR_DECAY_STEPS_MAX {
            return Err(ConfigError::new(
                "lr_decay_steps",
                format!(
                    "must be at most {} (0 turns the decay off), got {}",
                    limits::LR_DECAY_STEPS_MAX,
                    self.lr_decay_steps
                ),
            ));
        }
        count("pack", self.pack, limits::PACK.0, limits::PACK.1)?;
        if self.pack > 1 && self.model == Architecture::Dcgan {
            return Err(ConfigError::new(
                "pack",
                "packs samples into one input row, built only for the MLP's D: use model \
                 \"mlp\" or set pack to 1",
            ));
        }
        if self.conditional {
            let why = if !self.data.is_images() {
                Some("needs labelled data: use data kind \"mnist\", or set conditional to false")
            } else if self.pack > 1 {
                Some("gives D one class per sample, which packed tuples do not have: set pack to 1")
            } else if self.r1 > 0.0 || self.loss.penalty_weight().is_some() {
                Some(
                    "leaves D's input gradient to the image alone, which the hand-written \
                     penalties (r1, wasserstein-gp) do not: turn them off",
                )
            } else {
                None
            };
            if let Some(why) = why {
                return Err(ConfigError::new("conditional", why));
            }
        }
        if !self.batch_size.is_multiple_of(self.pack) {
            return Err(ConfigError::new(
                "pack",
                format!(
                    "must divide batch_size ({}) so every packed tuple is full, got {}",
                    self.batch_size, self.pack
                ),
            ));
        }
        if self.seed > limits::MAX_SEED {
            return Err(ConfigError::new(
                "seed",
                format!("must be at most 2^53 − 1, got {}", self.seed),
            ));
        }
        // Each number within its bounds may still add up to more than a tab holds.
        footprint::check(self)
    }
}
