//! Everything the page lists, labels or bounds, in one serialisable value. The page receives it
//! once (in the worker's READY message) and builds its menus, lessons, input bounds and the
//! loss-dependent views from it, so no list is typed twice.

use serde::Serialize;

use super::limits::{NumberField, number_fields};
use super::presets::{Lesson, PresetGroup};
use super::{
    Activation, Architecture, GanConfig, LatentDistribution, LiveSettings, OptimizerConfig, Preset,
};
use crate::loss::{GanLoss, Scale};

#[derive(Debug, Clone, Serialize)]
pub struct Catalog {
    /// Every preset, lessons included, in the order the page lists them.
    pub presets: Vec<PresetEntry>,
    pub losses: Vec<LossEntry>,
    /// Each optimizer with default hyperparameters (the page keeps the reader's learning rate).
    pub optimizers: Vec<Choice<OptimizerConfig>>,
    pub activations: Vec<Choice<Activation>>,
    pub architectures: Vec<Choice<Architecture>>,
    pub latent_distributions: Vec<Choice<LatentDistribution>>,
    /// Whether G and D are given each digit's class (`GanConfig::conditional`).
    pub conditionings: Vec<Choice<bool>>,
    /// The bounds of every numeric setting (as `validate()` enforces them).
    pub numbers: Vec<NumberField>,
    /// The JSON paths that change a running game; every other setting needs a reset.
    pub live: [&'static str; 5],
    /// The settings a live change, a figure's attributes or a compared run name by key, each
    /// with the config's JSON path it stands for: the page maps keys to paths only through this.
    pub settings: Vec<Setting>,
    /// The preset a page or figure opens on when none is named.
    pub default_preset: &'static str,
    /// The largest save file a run writes or a page loads (`save::MAX_BYTES`).
    pub save_max_bytes: usize,
}

/// A named setting: `key` as `LiveSettings` and a figure's overrides spell it, `path` in the
/// config's JSON, `live` whether it changes a running game.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Setting {
    pub key: &'static str,
    pub path: &'static str,
    pub live: bool,
}

const fn setting(key: &'static str, path: &'static str, live: bool) -> Setting {
    Setting { key, path, live }
}

/// Every named setting; the live ones are `LiveSettings`'s fields, in its order.
pub const SETTINGS: [Setting; 10] = [
    setting("generator_lr", LiveSettings::PATHS[0], true),
    setting("discriminator_lr", LiveSettings::PATHS[1], true),
    setting("loss", LiveSettings::PATHS[2], true),
    setting("d_steps", LiveSettings::PATHS[3], true),
    setting("batch_size", LiveSettings::PATHS[4], true),
    setting("seed", "seed", false),
    setting("r1", "r1", false),
    setting("g_ema", "g_ema", false),
    setting("pack", "pack", false),
    setting("conditional", "conditional", false),
];

#[derive(Debug, Clone, Serialize)]
pub struct PresetEntry {
    pub name: &'static str,
    pub label: &'static str,
    pub group: PresetGroup,
    pub lesson: Option<Lesson>,
    pub config: GanConfig,
}

#[derive(Debug, Clone, Serialize)]
pub struct LossEntry {
    /// The loss with its papers' parameters.
    pub value: GanLoss,
    pub label: &'static str,
    /// How D's score under this loss reads (see [`Scale`]).
    pub scale: Scale,
}

/// One option of a menu: the value the config takes, and its label.
#[derive(Debug, Clone, Serialize)]
pub struct Choice<T> {
    pub value: T,
    pub label: &'static str,
}

const fn choice<T>(value: T, label: &'static str) -> Choice<T> {
    Choice { value, label }
}

/// The catalog of this build.
pub fn catalog() -> Catalog {
    // Placeholder learning rate: an optimizer switch keeps the one the reader has.
    let lr = 1e-3;
    Catalog {
        presets: Preset::ALL
            .iter()
            .map(|&p| PresetEntry {
                name: p.name(),
                label: p.label(),
                group: p.group(),
                lesson: p.lesson(),
                config: p.config(),
            })
            .collect(),
        losses: GanLoss::ALL
            .iter()
            .map(|&l| LossEntry {
                value: l,
                label: l.label(),
                scale: l.scale(),
            })
            .collect(),
        optimizers: vec![
            choice(
                OptimizerConfig::Adam {
                    lr,
                    beta1: 0.5,
                    beta2: 0.999,
                },
                "Adam (β1 0.5)",
            ),
            choice(OptimizerConfig::RmsProp { lr }, "RMSProp"),
            choice(
                OptimizerConfig::Sgd { lr, momentum: 0.9 },
                "SGD, momentum 0.9",
            ),
        ],
        activations: vec![
            choice(Activation::Relu, "ReLU"),
            choice(Activation::LeakyRelu, "leaky ReLU (0.2)"),
            choice(Activation::Tanh, "tanh"),
        ],
        architectures: vec![
            choice(Architecture::Mlp, "MLP (fully connected)"),
            choice(Architecture::Dcgan, "DCGAN (convolutional; digits)"),
        ],
        latent_distributions: vec![
            choice(LatentDistribution::Gaussian, "Gaussian N(0, 1)"),
            choice(LatentDistribution::Uniform, "uniform [−1, 1]"),
        ],
        conditionings: vec![
            choice(false, "unconditional (the plain game)"),
            choice(true, "class-conditional (cGAN; digits)"),
        ],
        numbers: number_fields(),
        live: LiveSettings::PATHS,
        settings: SETTINGS.to_vec(),
        default_preset: Preset::DEFAULT.name(),
        save_max_bytes: super::limits::MAX_SAVE_BYTES,
    }
}

impl Catalog {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("the catalog serialises")
    }
}
