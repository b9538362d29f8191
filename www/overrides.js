// A figure's overrides ({loss: kind, seed, generator_lr, discriminator_lr, d_steps, batch_size,
// r1, g_ema, pack, conditional: 0 | 1}, each optional; the catalog's setting keys) applied to a
// preset's config, for the training worker.
import { failure } from './protocol.js';

/** `configJson` with `overrides` applied through `catalog` (a Catalog: it maps each key to its
 *  config path, and names a loss's full value by its kind). Rust validates the result, naming
 *  a bad field. */
export function withOverrides(configJson, overrides = {}, catalog) {
  const values = {};
  for (const [key, value] of Object.entries(overrides)) {
    if (value == null) continue;
    if (key === 'loss') {
      const loss = catalog.loss(value);
      if (!loss) {
        const kinds = catalog.raw.losses.map((l) => l.value.kind);
        throw failure('config', `"${value}" is not a loss; use one of ${kinds.join(', ')}`, 'loss', kinds);
      }
      values.loss = loss.value;
    } else {
      values[key] = key === 'conditional' ? Boolean(value) : value;
    }
  }
  return JSON.stringify(catalog.with(JSON.parse(configJson), values));
}
