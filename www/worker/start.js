// START's config, assembled in the worker (which has the catalog before any session exists):
// a config as given, or a preset with a run link's changes and then a figure's overrides.
import { failure } from '../protocol.js';
import { merge } from '../share.js';
import { withOverrides } from '../overrides.js';

/** The config JSON a START message asks for; `wasm` is a module (its presets), `catalog` a
 *  Catalog. A preset that does not exist is refused by name (field "preset"). */
export function startConfig(msg, wasm, catalog) {
  if (msg.config) return JSON.stringify(msg.config);
  const presets = [...catalog.presets.keys()];
  const preset = msg.preset ?? catalog.defaultPreset;
  if (!presets.includes(preset)) {
    throw failure('config', `"${preset}" is not a preset; use one of ${presets.join(', ')}`, 'preset', presets);
  }
  let config = wasm.presetConfig(preset);
  // A run link: the preset with the link's changes (validated by Rust like any config); then a
  // figure's overrides (a compared run's included: they must win over the link).
  if (msg.patch) config = JSON.stringify(merge(JSON.parse(config), msg.patch));
  return withOverrides(config, msg.overrides ?? {}, catalog);
}
