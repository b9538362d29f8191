//! What a config asks of a browser tab's memory, estimated from its numbers before anything is
//! allocated, so a run too large for the tab is refused by name instead of crashing it.
//!
//! Two limits hold in every browser: one WebGPU buffer may be at most
//! `maxStorageBufferBindingSize`, 128 MiB by default (a page gets no more unless it asks, and we
//! do not), and a wasm32 module's memory is at most 4 GiB, of which we budget half for a run
//! (the allocator's slack, frames and the page's own copies need the rest). The estimate counts
//! each net's weights with their gradients and Adam's two moments, and the activations the
//! autodiff graphs hold for the largest batch a step or a frame runs (the batch, or the
//! evaluation's samples and grid). `tests` in this module hold the presets well inside both, and
//! docs/lab.md gives the largest configs measured to run.

use super::{Architecture, GanConfig, NetConfig};
use crate::check::ConfigError;

/// WebGPU's default `maxStorageBufferBindingSize`.
pub const MAX_BUFFER: u64 = 128 << 20;
/// The share of wasm32's 4 GiB a run may take.
pub const MAX_TOTAL: u64 = 2 << 30;
/// Rows a frame evaluates at once: the plane's D grid (64² cells), the digits' quality batch.
const PLANE_EVAL_ROWS: usize = 64 * 64;
const DIGITS_EVAL_ROWS: usize = 500;
/// What a conditional run's frame adds per class (`eval::digits::eval_inputs`): a latent walk
/// of 10 and a row of 8 in the class grid.
const DIGITS_EVAL_ROWS_PER_CLASS: usize = 18;
/// DCGAN's base side (7×7, doubled twice to 28×28).
const CELLS: usize = 7 * 7;

/// One net's share: parameters, activation floats per sample (kept for the backward pass), and
/// its widest layer (floats per sample) and largest weight (floats).
struct Net {
    params: u64,
    per_sample: u64,
    widest: u64,
    largest_weight: u64,
}

fn mlp(d_in: usize, d_out: usize, net: &NetConfig) -> Net {
    let w = net.width as u64;
    let mut dims = vec![d_in as u64];
    dims.extend(std::iter::repeat_n(w, net.depth));
    dims.push(d_out as u64);
    Net {
        params: dims.windows(2).map(|p| p[0] * p[1] + p[1]).sum(),
        // Each hidden layer keeps its pre- and post-activation values.
        per_sample: 2 * w * net.depth as u64 + d_out as u64,
        widest: w.max(d_in as u64).max(d_out as u64),
        largest_weight: dims.windows(2).map(|p| p[0] * p[1]).max().unwrap_or(0),
    }
}

fn dcgan_g(latent: usize, c: usize) -> Net {
    let (c, l) = (c as u64, latent as u64);
    let project = l * 2 * c * CELLS as u64;
    Net {
        params: project + 2 * c * c * 16 + c * 16 + 6 * c,
        // 2c×7×7 (projected, normalised, activated), c×14×14 (the same), 1×28×28 (and tanh).
        per_sample: 3 * 2 * c * 49 + 3 * c * 196 + 2 * 784,
        widest: (2 * c * 49).max(c * 196),
        largest_weight: project.max(2 * c * c * 16),
    }
}

fn dcgan_d(c: usize, classes: usize) -> Net {
    let c = c as u64;
    Net {
        // The convs, the score, and a conditional D's class embedding.
        params: 16 * c + 32 * c * c + 2 * c * 49 + 3 * c + classes as u64 * 2 * c * 49,
        // c×14×14 and 2c×7×7, each with its activation, and the score.
        per_sample: 2 * c * 196 + 3 * 2 * c * 49 + 1,
        widest: (c * 196).max(2 * c * 49),
        largest_weight: 32 * c * c,
    }
}

fn mib(bytes: u64) -> String {
    format!("{} MiB", bytes.div_ceil(1 << 20))
}

/// Refuses a config whose run would not fit a browser tab, naming the field to lower.
pub fn check(config: &GanConfig) -> Result<(), ConfigError> {
    let (g, d) = match config.model {
        Architecture::Mlp => (
            mlp(
                config.generator_input_dim(),
                config.data.dim(),
                &config.generator,
            ),
            // Packing widens D's input; counting every row at full width over-counts the
            // training batch (batch / pack rows) but not the page's probes (one tuple a point).
            mlp(
                config.discriminator_input_dim() * config.pack,
                1,
                &config.discriminator,
            ),
        ),
        Architecture::Dcgan => (
            dcgan_g(config.generator_input_dim(), config.generator.width),
            dcgan_d(config.discriminator.width, config.label_dim()),
        ),
    };
    let eval = if config.data.is_images() {
        DIGITS_EVAL_ROWS + config.label_dim() * DIGITS_EVAL_ROWS_PER_CLASS
    } else {
        PLANE_EVAL_ROWS
    };
    let rows = config.batch_size.max(eval) as u64;
    // The batch is to blame when it, not a frame's evaluation, sets the rows.
    let batch_field = |net: &str| {
        if config.batch_size >= eval {
            "batch_size".to_string()
        } else {
            format!("{net}.width")
        }
    };
    // The largest single buffer: a layer's activations for all rows, or a weight.
    for (name, net) in [("generator", &g), ("discriminator", &d)] {
        let activations = 4 * rows * net.widest;
        if activations > MAX_BUFFER {
            return Err(ConfigError::new(
                batch_field(name),
                format!(
                    "is too large for a browser: {rows} samples through {name} layers {} wide \
                     need a {} buffer, and WebGPU allows {} per buffer (lower batch_size or \
                     {name}.width)",
                    net.widest,
                    mib(activations),
                    mib(MAX_BUFFER)
                ),
            ));
        }
        let weight = 4 * net.largest_weight;
        if weight > MAX_BUFFER {
            return Err(ConfigError::new(
                format!("{name}.width"),
                format!(
                    "is too large for a browser: it makes a {} weight, and WebGPU allows {} per \
                     buffer",
                    mib(weight),
                    mib(MAX_BUFFER)
                ),
            ));
        }
    }
    // Weights, gradients and two moments each; a step's activations and their gradients, for
    // G's pass and D's passes on real and generated samples (twice for WGAN-GP's mixed ones);
    // a frame's, without gradients, for its evaluation rows through G and D.
    let d_passes = if config.loss.penalty_weight().is_some() {
        4
    } else {
        2
    };
    let weights = 4 * 4 * (g.params + d.params);
    let batch = config.batch_size as u64;
    let activations = 4 * 2 * batch * (g.per_sample + d_passes * d.per_sample)
        + 4 * eval as u64 * (g.per_sample + d.per_sample);
    let total = weights + activations + 4 * rows * config.data.dim() as u64;
    if total > MAX_TOTAL {
        let field = if activations >= weights {
            batch_field(if g.per_sample >= d.per_sample {
                "generator"
            } else {
                "discriminator"
            })
        } else if g.params >= d.params {
            "generator.width".into()
        } else {
            "discriminator.width".into()
        };
        return Err(ConfigError::new(
            field,
            format!(
                "is too large for a browser: this run would need about {} of memory ({} of \
                 weights and optimizer state, {} of activations), and a tab gives a run at most {}",
                mib(total),
                mib(weights),
                mib(activations),
                mib(MAX_TOTAL)
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Preset;

    #[test]
    fn every_preset_fits_with_room_to_spare() {
        for p in Preset::ALL {
            check(&p.config()).unwrap_or_else(|e| panic!("{}: {e}", p.name()));
        }
    }

    #[test]
    fn too_large_is_refused_by_the_field_to_lower() {
        let mut c = Preset::Ring8.config();
        c.batch_size = 65_536;
        c.generator.width = 4096;
        let e = check(&c).unwrap_err();
        assert_eq!(e.field, "batch_size", "{e}");
        assert!(e.reason.contains("WebGPU allows 128 MiB"), "{e}");

        let mut c = Preset::Ring8.config();
        c.discriminator.width = 4096;
        c.discriminator.depth = 16;
        let e = check(&c).unwrap_err();
        assert_eq!(e.field, "discriminator.width", "{e}");
        assert!(
            e.reason.contains("a tab gives a run at most 2048 MiB"),
            "{e}"
        );

        let mut c = Preset::DigitsDcgan.config();
        c.batch_size = 8192;
        assert_eq!(check(&c).unwrap_err().field, "batch_size");
        let mut c = Preset::DigitsDcgan.config();
        c.generator.width = 256;
        c.discriminator.width = 256;
        check(&c).unwrap(); // the widest DCGAN at the preset's batch fits
    }
}
