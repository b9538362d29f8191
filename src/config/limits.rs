//! The bounds [`GanConfig::validate`](super::GanConfig::validate) enforces on the numbers a
//! reader types. They keep a run inside a browser tab's memory and patience. The page's inputs
//! take their `min`/`max` from [`number_fields`] (through the catalog), and a test holds each
//! bound against `validate()`, so the two cannot drift apart.

use serde::Serialize;

/// Units per hidden layer of an MLP.
pub const WIDTH: (usize, usize) = (1, 4096);
/// DCGAN channels: 256 makes D's second layer 512 wide, already heavy for a browser.
pub const CHANNELS: (usize, usize) = (1, 256);
/// Hidden layers of an MLP (a DCGAN has exactly 2).
pub const DEPTH: (usize, usize) = (1, 16);
pub const BATCH: (usize, usize) = (1, 65_536);
pub const LATENT: (usize, usize) = (1, 1024);
pub const D_STEPS: (usize, usize) = (1, 100);
/// R1's γ: past ~100 the penalty flattens D everywhere on the plane's scale.
pub const R1_MAX: f64 = 1000.0;
/// The decay of the average of G's weights: 0 is off; 0.9999 already averages ~10,000 steps.
pub const G_EMA_MAX: f64 = 0.9999;
/// The learning-rate decay's T: a million steps is already no decay within any page visit.
pub const LR_DECAY_STEPS_MAX: u64 = 1_000_000;
/// PacGAN's packing: the paper's best runs pack 2–4; more only widens D's first layer.
pub const PACK: (usize, usize) = (1, 4);
/// The largest integer a JavaScript number holds exactly.
pub const MAX_SEED: u64 = (1 << 53) - 1;

/// A numeric setting's bounds, as the page needs them for an `<input type=number>`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumberField {
    /// The field's JSON path.
    pub path: &'static str,
    /// Smallest accepted value (excluded when `above_min`).
    pub min: f64,
    /// Largest accepted value; `None`: no bound.
    pub max: Option<f64>,
    /// The bound is `> min` rather than `≥ min` (learning rates).
    pub above_min: bool,
    /// Whole numbers only.
    pub integer: bool,
    /// The largest value with DCGAN, where it differs.
    pub max_dcgan: Option<f64>,
}

const fn whole(path: &'static str, (lo, hi): (usize, usize)) -> NumberField {
    NumberField {
        path,
        min: lo as f64,
        max: Some(hi as f64),
        above_min: false,
        integer: true,
        max_dcgan: None,
    }
}

const fn rate(path: &'static str) -> NumberField {
    NumberField {
        path,
        min: 0.0,
        max: None,
        above_min: true,
        integer: false,
        max_dcgan: None,
    }
}

const fn width(path: &'static str) -> NumberField {
    let mut f = whole(path, WIDTH);
    f.max_dcgan = Some(CHANNELS.1 as f64);
    f
}

/// Every numeric setting the page offers, with its bounds.
pub fn number_fields() -> Vec<NumberField> {
    vec![
        rate("generator.optimizer.lr"),
        rate("discriminator.optimizer.lr"),
        width("generator.width"),
        width("discriminator.width"),
        whole("generator.depth", DEPTH),
        whole("discriminator.depth", DEPTH),
        whole("d_steps", D_STEPS),
        whole("batch_size", BATCH),
        whole("latent.dim", LATENT),
        NumberField {
            max: Some(R1_MAX),
            integer: false,
            ..whole("r1", (0, 0))
        },
        NumberField {
            max: Some(G_EMA_MAX),
            integer: false,
            ..whole("g_ema", (0, 0))
        },
        whole("pack", PACK),
        NumberField {
            max: Some(LR_DECAY_STEPS_MAX as f64),
            ..whole("lr_decay_steps", (0, 0))
        },
        NumberField {
            min: 0.0,
            max: Some(MAX_SEED as f64),
            ..whole("seed", (0, 0))
        },
    ]
}

/// The largest save file a run writes or a page loads (`save::MAX_BYTES`; the largest config
/// the page allows saves ~60 MB).
pub const MAX_SAVE_BYTES: usize = 256 << 20;
