//! The settings that change a run in flight, without a reset: the page's "live" controls.

use serde::{Deserialize, Serialize};

use super::{ConfigError, GanConfig};
use crate::loss::GanLoss;

/// Settings that change a run in flight.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiveSettings {
    pub generator_lr: f64,
    pub discriminator_lr: f64,
    pub loss: GanLoss,
    pub d_steps: usize,
    pub batch_size: usize,
}

impl LiveSettings {
    /// The JSON paths of the config fields these settings change (the page badges them "live").
    pub const PATHS: [&'static str; 5] = [
        "generator.optimizer.lr",
        "discriminator.optimizer.lr",
        "loss",
        "d_steps",
        "batch_size",
    ];
}

impl GanConfig {
    /// The live settings as they stand.
    pub fn live(&self) -> LiveSettings {
        LiveSettings {
            generator_lr: self.generator.optimizer.lr(),
            discriminator_lr: self.discriminator.optimizer.lr(),
            loss: self.loss,
            d_steps: self.d_steps,
            batch_size: self.batch_size,
        }
    }

    /// This config with `live` applied, validated whole: a bad value is refused by name.
    pub fn with_live(&self, live: LiveSettings) -> Result<GanConfig, ConfigError> {
        let mut config = self.clone();
        config.generator.optimizer.set_lr(live.generator_lr);
        config.discriminator.optimizer.set_lr(live.discriminator_lr);
        config.loss = live.loss;
        config.d_steps = live.d_steps;
        config.batch_size = live.batch_size;
        config.validate()?;
        Ok(config)
    }
}
