// A figure's overrides ({loss: kind, seed, generator_lr, discriminator_lr, d_steps, batch_size,
// r1, g_ema, pack, conditional: 0 | 1}, each optional) applied to a preset's config, for the training worker.
import { failure } from './protocol.js';

/** `configJson` with `overrides` applied; `losses` is the catalog's list, which names a loss's
 *  full value by its kind. Rust validates the result, naming a bad field. */
export function withOverrides(configJson, overrides = {}, losses = []) {
  const config = JSON.parse(configJson);
  if (overrides.loss != null) {
    const loss = losses.find((l) => l.value.kind === overrides.loss);
    if (!loss) {
      const kinds = losses.map((l) => l.value.kind);
      throw failure('config', `"${overrides.loss}" is not a loss; use one of ${kinds.join(', ')}`, 'loss', kinds);
    }
    config.loss = loss.value;
  }
  if (overrides.seed != null) config.seed = overrides.seed;
  if (overrides.generator_lr != null) config.generator.optimizer.lr = overrides.generator_lr;
  if (overrides.discriminator_lr != null) config.discriminator.optimizer.lr = overrides.discriminator_lr;
  for (const key of ['d_steps', 'batch_size', 'r1', 'g_ema', 'pack']) if (overrides[key] != null) config[key] = overrides[key];
  if (overrides.conditional != null) config.conditional = Boolean(overrides.conditional);
  return JSON.stringify(config);
}
