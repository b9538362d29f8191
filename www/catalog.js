// Lookups over the catalog the worker sends in READY (built by Rust's `config::catalog`): the
// presets and lessons, the losses and how D's score reads under each, the menus' options and
// every number's bounds. The page keeps no copy of any of these lists.

export class Catalog {
  constructor(raw) {
    this.raw = raw;
    this.presets = new Map(raw.presets.map((p) => [p.name, p]));
    this.numbers = new Map(raw.numbers.map((n) => [n.path, n]));
    this.live = new Set(raw.live);
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
