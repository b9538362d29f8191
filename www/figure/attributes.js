// A <gan-lab> figure's attributes, read and checked in one place. A bad value becomes
// {name, value, why}, which the figure shows inside itself (nothing else on the page breaks).
// Presets and losses are checked against Rust's catalog when the worker has it (see worker.js).
import { language } from '../i18n/index.js';

/** The views a figure can show, in the order it lays them out. */
export const VIEWS = ['plane', 'dstar', 'value', 'js', 'losses', 'coverage', 'digits', 'walk', 'readout'];
/** The controls a figure can have ("transport" is play, step and reset). */
export const CONTROLS = ['play', 'step', 'reset', 'slow', 'speed'];
const TRANSPORT = ['play', 'step', 'reset'];
export const LAYERS = ['heatmap', 'real', 'fake', 'gradients', 'manifold'];

/** Every attribute the element reads, for `observedAttributes`. */
export const ATTRIBUTES = ['preset', 'loss', 'seed', 'g-lr', 'd-lr', 'show', 'layers', 'controls',
  'autoplay', 'steps', 'backend', 'height', 'lang', 'slow', 'compare'];

/** What `compare` may change, by its attribute name: the catalog's key of the setting it
 *  overrides in the second run (the worker's START overrides; the catalog maps it to a config
 *  path), and how its value reads. */
export const COMPARED = Object.freeze({
  'loss': { key: 'loss' },
  'd-steps': { key: 'd_steps', integer: true, min: 1 },
  'batch': { key: 'batch_size', integer: true, min: 1 },
  'g-lr': { key: 'generator_lr', above: true },
  'd-lr': { key: 'discriminator_lr', above: true },
  'r1': { key: 'r1' },
  'g-ema': { key: 'g_ema' },
  'pack': { key: 'pack', integer: true, min: 1 },
  // 1: G and D are given each digit's class (a cGAN); 0: the plain game.
  'conditional': { key: 'conditional', integer: true, min: 0, max: 1 },
});

/** The attribute that sets each of the first run's overridden settings, by the catalog's key. */
const OVERRIDDEN = Object.freeze({ loss: 'loss', seed: 'seed', generator_lr: 'g-lr', discriminator_lr: 'd-lr' });

/** A refused attribute; `why` is a string-catalog key with its `vars`, so the message is in the
 *  figure's language. */
class Bad extends Error {
  constructor(name, value, why, vars = {}) {
    super(why);
    Object.assign(this, { name, value, why, vars });
  }
}

/** A comma list whose every item is one of `allowed`. */
function list(name, value, allowed) {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = items.filter((i) => !allowed.includes(i));
  if (!items.length || unknown.length) {
    throw new Bad(name, value, 'why.list', { items: allowed.join(', ') });
  }
  return items;
}

function number(name, value, { integer = false, min = 0, above = false, max = null } = {}) {
  const n = Number(value);
  const ok = value.trim() !== '' && Number.isFinite(n) && (above ? n > min : n >= min) && (!integer || Number.isInteger(n));
  if (!ok) throw new Bad(name, value, integer ? 'why.whole' : above ? 'why.above' : 'why.least', { min });
  if (max != null && n > max) throw new Bad(name, value, integer ? 'why.range.whole' : 'why.range', { min, max });
  return n;
}

function oneOf(name, value, allowed) {
  if (!allowed.includes(value)) throw new Bad(name, value, 'why.oneof', { items: allowed.map((a) => `"${a}"`).join(', ') });
  return value;
}

/** An on/off attribute the HTML way (`<video autoplay>`): present bare (`autoplay`, or
 *  `autoplay=""`, or its own name as the value) means `on`, and so does "true", which JSX
 *  frameworks write for a bare attribute (Astro, MDX); otherwise one of `values`. */
function toggle(name, value, on, values) {
  const v = value.trim().toLowerCase();
  if (v === '' || v === name || v === 'true') return on;
  return oneOf(name, v, values.length ? values : [name]);
}

/**
 * The options `get(name)` (an attribute's value or null) describes, or throws {name, value,
 * why, vars}. `inheritedLang` is the nearest `lang` of the host page.
 */
export function readAttributes(get, inheritedLang) {
  const has = (name) => get(name) != null;
  const options = {
    preset: get('preset'), // null: the catalog's default preset
    overrides: {},
    show: has('show') ? list('show', get('show'), VIEWS) : ['plane', 'losses'],
    layers: has('layers') ? list('layers', get('layers'), LAYERS) : ['heatmap', 'real', 'fake', 'gradients'],
    controls: ['play', 'step', 'reset'],
    autoplay: has('autoplay') ? toggle('autoplay', get('autoplay'), 'visible', ['visible', 'never']) : 'visible',
    steps: has('steps') ? number('steps', get('steps'), { integer: true, min: 1 }) : null,
    backend: has('backend') ? oneOf('backend', get('backend'), ['auto', 'webgpu', 'cpu']) : 'auto',
    height: has('height') ? number('height', get('height'), { min: 120 }) : null,
    lang: 'en',
    // Start in slow motion (half steps with a pause between): on when present, as in HTML.
    slow: has('slow') && toggle('slow', get('slow'), true, []),
    compare: null, // the second run's overrides, in compare mode
  };
  if (options.preset != null && !/^[a-z0-9-]+$/.test(options.preset)) throw new Bad('preset', options.preset, 'why.preset');
  if (has('controls')) {
    const c = get('controls').trim();
    options.controls = c === 'none' ? [] : c === 'transport' ? TRANSPORT : c === 'all' ? CONTROLS
      : list('controls', c, ['none', 'transport', 'all', ...CONTROLS]);
  }
  if (has('loss')) options.overrides.loss = get('loss').trim();
  // Seeds are whole numbers JSON carries exactly (Rust's bound, config::limits::MAX_SEED).
  if (has('seed')) options.overrides.seed = number('seed', get('seed'), { integer: true, max: Number.MAX_SAFE_INTEGER });
  if (has('g-lr')) options.overrides.generator_lr = number('g-lr', get('g-lr'), { above: true });
  if (has('d-lr')) options.overrides.discriminator_lr = number('d-lr', get('d-lr'), { above: true });
  if (has('compare')) options.compare = compared(get('compare'), options.overrides);
  if (has('lang')) {
    options.lang = language(get('lang'));
    if (!options.lang) throw new Bad('lang', get('lang'), 'why.oneof', { items: '"en", "zh"' });
  } else {
    options.lang = language(inheritedLang) ?? 'en';
  }
  return options;
}

/**
 * `compare="loss:wasserstein-gp, d-steps:2"`: the second run's overrides, on top of the first
 * run's (`base`). A name compared twice, or to the first run's own value, is refused: the two
 * runs would differ in nothing, or in something the legend would not name.
 */
function compared(value, base) {
  const overrides = {};
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  const names = Object.keys(COMPARED);
  if (!items.length) throw new Bad('compare', value, 'why.compare', { items: names.join(', ') });
  for (const item of items) {
    const [name, raw, ...rest] = item.split(':').map((s) => s.trim());
    const spec = COMPARED[name];
    if (!spec || raw == null || raw === '' || rest.length || spec.key in overrides) {
      throw new Bad('compare', value, 'why.compare', { items: names.join(', ') });
    }
    try {
      overrides[spec.key] = spec.key === 'loss' ? raw : number('compare', raw, spec);
    } catch (bad) {
      throw Object.assign(bad, { value }); // the whole attribute, as every other message shows
    }
    if (base[spec.key] === overrides[spec.key]) throw new Bad('compare', value, 'why.same', { name });
  }
  return overrides;
}

/** The attribute a refused value came from: the worker's ERROR names the config `field` and
 *  the catalog's `setting` it belongs to. */
export function attributeOf({ field, setting }) {
  if (field === 'preset' || field === 'backend' || field === 'compare') return field;
  return OVERRIDDEN[setting] ?? null;
}
