// A link that replays a run: the preset it starts from, and only the config fields that differ
// from that preset (a JSON merge patch, RFC 7386), the backend and the layers that differ from
// the page's defaults, all in the fragment (never sent to a server). The worker validates the
// config the link makes, like any other, and names a bad field.

/** Fields of `config` that differ from `base`: nested objects recurse, anything else (numbers,
 *  strings, arrays) is taken whole; `undefined` when nothing differs. */
export function diff(base, config) {
  if (isObject(base) && isObject(config)) {
    const out = {};
    for (const key of new Set([...Object.keys(base), ...Object.keys(config)])) {
      if (!(key in config)) out[key] = null;
      else {
        const d = diff(base[key], config[key]);
        if (d !== undefined) out[key] = d;
      }
    }
    return Object.keys(out).length ? out : undefined;
  }
  return JSON.stringify(base) === JSON.stringify(config) ? undefined : structuredClone(config);
}

/** `base` with `patch` applied (RFC 7386: null removes a key); neither is changed. */
export function merge(base, patch) {
  if (!isObject(patch)) return structuredClone(patch);
  const out = isObject(base) ? structuredClone(base) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = merge(out[key], value);
  }
  return out;
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The number of leaf values a patch sets (to pick the nearest preset). */
const size = (patch) => (patch === undefined ? 0 : isObject(patch)
  ? Object.values(patch).reduce((n, v) => n + size(v), 0) : 1);

/**
 * The fragment for a run: `#preset=NAME&config=PATCH[&backend=B][&layers=a,b]`. `presets`:
 * [{name, config}]; the one nearest the run is the base. `layers`: the views shown, when they
 * differ from `defaultLayers`.
 */
export function linkFragment(config, presets, { backend = 'auto', layers = null, defaultLayers = null } = {}) {
  let best = null;
  for (const p of presets) {
    const patch = diff(p.config, config);
    if (!best || size(patch) < best.size) best = { name: p.name, patch, size: size(patch) };
  }
  const params = new URLSearchParams({ preset: best.name });
  if (best.patch !== undefined) params.set('config', JSON.stringify(best.patch));
  if (backend !== 'auto') params.set('backend', backend);
  if (layers && defaultLayers && JSON.stringify(layers) !== JSON.stringify(defaultLayers)) {
    params.set('layers', Object.keys(layers).filter((k) => layers[k]).join(','));
  }
  return `#${params}`;
}

/**
 * What a fragment asks for: {preset, patch, backend, layers, problems}; `problems` says what
 * could not be read (and was ignored). `null` when the fragment is no run link at all.
 */
export function readFragment(hash, layerNames) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  if (!params.has('preset') && !params.has('config')) return null;
  const out = { preset: params.get('preset') ?? 'ring8', patch: null, backend: params.get('backend'), layers: null, problems: [] };
  if (params.has('config')) {
    try {
      const patch = JSON.parse(params.get('config'));
      if (!isObject(patch)) throw new Error('not an object');
      out.patch = patch;
    } catch (e) {
      out.problems.push(`the link's settings could not be read (${e.message})`);
    }
  }
  if (params.has('layers')) {
    const names = params.get('layers').split(',').filter(Boolean);
    const unknown = names.filter((n) => !layerNames.includes(n));
    if (unknown.length) out.problems.push(`unknown views ${unknown.join(', ')}`);
    out.layers = Object.fromEntries(layerNames.map((n) => [n, names.includes(n)]));
  }
  return out;
}
