// Lookups over the catalog the worker sends in READY (built by Rust's `config::catalog`): the
// presets and lessons, the losses and how D's score reads under each, the menus' options and
// every number's bounds, and which config path each named setting (a live change, a figure's
// override) stands for. The page keeps no copy of any of these lists: a setting's key is mapped
// to its path here and nowhere else (tests/layout.test.mjs holds www/ to that).

/** The value at a JSON path ("generator.optimizer.lr") of a config. */
export const get = (obj, path) => path.split('.').reduce((o, k) => o?.[k], obj);

/** A copy of `obj` with `value` at `path` (the original is left alone). */
export function setIn(obj, path, value) {
  const out = structuredClone(obj);
  const keys = path.split('.');
  const last = keys.pop();
  keys.reduce((o, k) => o[k], out)[last] = value;
  return out;
}

export class Catalog {
  constructor(raw) {
    this.raw = raw;
    this.presets = new Map(raw.presets.map((p) => [p.name, p]));
    this.numbers = new Map(raw.numbers.map((n) => [n.path, n]));
    this.live = new Set(raw.live);
    this.settings = new Map(raw.settings.map((s) => [s.key, s]));
  }

  /** The preset a page or figure opens on when none is named. */
  get defaultPreset() {
    return this.raw.default_preset;
  }

  /** The largest save file a page loads, in bytes. */
  get saveMaxBytes() {
    return this.raw.save_max_bytes;
  }

  /** Whether a config trains on digits (else on the plane). */
  static isDigits(config) {
    return config?.data.kind === 'mnist';
  }

  /** A named setting's value in `config` ("generator_lr" → its generator's learning rate). */
  setting(config, key) {
    return get(config, this.settings.get(key).path);
  }

  /** The run's live settings ({generator_lr, ...}, as `LIVE` sends them) read from `config`. */
  liveOf(config) {
    return Object.fromEntries([...this.settings.values()].filter((s) => s.live).map((s) => [s.key, get(config, s.path)]));
  }

  /** A copy of `config` with named settings applied: `values` by key ({generator_lr: 1e-3,
   *  loss: {kind, ...}}). An unknown key is refused by name. */
  with(config, values) {
    let out = structuredClone(config);
    for (const [key, value] of Object.entries(values)) {
      const s = this.settings.get(key);
      if (!s) throw new Error(`"${key}" is not a setting (${[...this.settings.keys()].join(', ')})`);
      out = setIn(out, s.path, value);
    }
    return out;
  }

  /** The key of the setting a refused config field belongs to ("loss.gp_weight" → "loss"). */
  settingOf(field) {
    if (field == null) return null;
    for (const s of this.settings.values()) if (field === s.path || field.startsWith(`${s.path}.`)) return s.key;
    return null;
  }

  /** The presets of the distribution menu (the plane's and the digits'), in order. */
  get distributions() {
    return this.raw.presets.filter((p) => p.group !== 'lesson');
  }

  get lessons() {
    return this.raw.presets.filter((p) => p.group === 'lesson');
  }

  config(name) {
    return structuredClone(this.presets.get(name).config);
  }

  /** A loss's entry by its kind ("wasserstein", ...): {value, label, scale}. */
  loss(kind) {
    return this.raw.losses.find((l) => l.value.kind === kind);
  }

  /** Whether D is a critic (no probability scale) under the loss of this kind. */
  isCritic(kind) {
    return this.loss(kind)?.scale === 'critic';
  }

  /** The options of the menu for a choice: [value, label] pairs. */
  options(choice) {
    switch (choice) {
      case 'loss': return this.raw.losses.map((l) => [l.value.kind, l.label]);
      case 'optimizer': return this.raw.optimizers.map((o) => [o.value.kind, o.label]);
      case 'activation': return this.raw.activations.map((a) => [a.value, a.label]);
      case 'architecture': return this.raw.architectures.map((a) => [a.value, a.label]);
      case 'latent': return this.raw.latent_distributions.map((d) => [d.value, d.label]);
      case 'conditioning': return this.raw.conditionings.map((c) => [String(c.value), c.label]);
      default: throw new Error(`no menu for ${choice}`);
    }
  }

  /** The config value a menu option stands for (a loss or optimizer carries its parameters). */
  value(choice, option, current) {
    if (choice === 'loss') return structuredClone(this.loss(option).value);
    if (choice === 'conditioning') return option === 'true'; // a menu option is a string
    if (choice === 'optimizer') {
      const o = this.raw.optimizers.find((x) => x.value.kind === option);
      return { ...structuredClone(o.value), lr: current.lr };
    }
    return option;
  }

  /**
   * An input's bounds for a numeric field: {min, max, step} as the attributes take them.
   * `above_min` bounds (learning rates) have no exact attribute; the smallest positive
   * double stands in, and Rust still refuses 0 by name.
   */
  bounds(path, model) {
    const n = this.numbers.get(path);
    const max = model === 'dcgan' && n.max_dcgan != null ? n.max_dcgan : n.max;
    return {
      min: n.above_min ? Number.MIN_VALUE : n.min,
      max: max ?? '',
      step: n.integer ? 1 : 'any',
    };
  }
}
