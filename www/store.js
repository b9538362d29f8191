// The one page state. Modules read `store.state` and change it only through `store.set(patch)`,
// which replaces the state (never mutates it) and tells the subscribers. `window.ganLab` is a
// read-only view of it, for the tests and for curious readers at the console.
import { DEFAULT_STEPS_PER_FRAME } from './pace.js';

/** The state a page starts with. */
export const INITIAL = Object.freeze({
  // From the worker.
  catalog: null, // the Rust catalog (presets, losses, menus, bounds), from READY
  backend: null, adapter: null,
  replay: null, // how WebGPU runs steps: "replaying", "recording" or "off: why" (from FRAME)
  choice: null, // why auto chose the backend it did (a rule's reason, or a race's verdict)
  fallback: null, // why WebGPU stopped working mid-run, if it did
  requested: 'auto', // the backend the reader asked for: auto, webgpu or cpu
  config: null, // the running game's config
  live: null, // its live settings, as the worker last applied them
  frame: null, // the latest frame (typed arrays), painted once per animation frame
  frames: 0, // frames received since the last start or reset
  wasmBytes: 0, // the worker's wasm memory, read at its latest frame or host copy
  error: null, // {kind, field, message} of the last refusal or failure, or null
  // The reader's.
  draft: null, // what the controls show: config plus edits not yet applied
  pending: Object.freeze([]), // JSON paths of edits that wait for a reset
  playing: false,
  stepsPerFrame: DEFAULT_STEPS_PER_FRAME,
  slow: false,
  lesson: null, // the lesson preset last started, or null
  drawing: false, // placing points for "draw your own"
  drawn: Object.freeze([]), // those points, [x, y]
  layers: Object.freeze({ heatmap: true, real: true, fake: true, gradients: true, manifold: false }),
});

export function createStore(initial = INITIAL) {
  let state = initial;
  const subscribers = new Set();
  return {
    get state() { return state; },
    /** Replaces the fields in `patch`; every subscriber hears `(state, previous)`. */
    set(patch) {
      const previous = state;
      state = Object.freeze({ ...state, ...patch });
      for (const f of subscribers) f(state, previous);
    },
    subscribe(f) {
      subscribers.add(f);
      return () => subscribers.delete(f);
    },
  };
}

/** What `window.ganLab` shows: the state's small fields, without the frame's arrays. */
export function publicView(s) {
  const f = s.frame;
  return Object.freeze({
    // After a restart, the old run's picture stays up but its numbers no longer count.
    step: s.frames ? f.step : 0, frames: s.frames, kind: f?.kind ?? null,
    phase: s.frames ? f.phase : null,
    metrics: s.frames ? f.metrics ?? null : null, quality: s.frames ? f.quality ?? null : null,
    stepsPerSecond: f?.stepsPerSecond ?? 0, wasmBytes: s.wasmBytes,
    // D's and G's loss at the frame's last step (none when no step ran since the last frame).
    losses: s.frames && f.dLosses?.length ? { d: f.dLosses.at(-1), g: f.gLosses.at(-1) } : null,
    backend: s.backend, adapter: s.adapter, fallback: s.fallback, error: s.error,
    playing: s.playing, lesson: s.lesson, config: s.config, live: s.live, draft: s.draft,
    presets: s.catalog?.presets.map((p) => p.name) ?? [], catalog: s.catalog,
  });
}
