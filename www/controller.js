// One training run seen from the page: its worker, the protocol spoken to it (protocol.js) and
// the run's state, kept in one store. The lab page, the <gan-lab> figure and compare mode's pair
// are views over controllers (the pair is two in lockstep); no other module in www/ posts to a
// worker or reads its messages (tests/layout.test.mjs holds that).
import { ToWorker, FromWorker } from './protocol.js';
import { Catalog } from './catalog.js';
import { INITIAL, createStore } from './store.js';
import { playLoop } from './pace.js';

/** What a view may hear, each called with the worker's message after the store is updated:
 *  ready, frame, liveApplied, raced, fallback, saved, loaded, restored, diverged, error (a
 *  refusal or failure; never a panic) and crash (the worker is gone: a wasm panic or an
 *  uncaught error; `restart()` starts a new one from the last good state). */
const EVENTS = {
  [FromWorker.READY]: 'ready', [FromWorker.FRAME]: 'frame', [FromWorker.LIVE_APPLIED]: 'liveApplied',
  [FromWorker.RACED]: 'raced', [FromWorker.FALLBACK]: 'fallback', [FromWorker.SAVED]: 'saved',
  [FromWorker.LOADED]: 'loaded', [FromWorker.RESTORED]: 'restored', [FromWorker.DIVERGED]: 'diverged',
  [FromWorker.ERROR]: 'error',
};

export class RunController {
  /**
   * `spawn()`: a new training worker. `store`: where the run's state lives (a view reads it and
   * subscribes to it). `raced`: auto's race verdicts by config signature, shared by every run on
   * the page so each config is raced once; `race`: when to race ("auto", "always", "off").
   */
  constructor({ spawn, store = createStore(INITIAL), raced = {}, race = 'auto' }) {
    Object.assign(this, { spawn, store, raced, race });
    this.handlers = {};
    this.painters = [];
    this.catalog = null;
    /** The run's last good state ({bytes, step}), what a crashed worker's successor resumes. */
    this.lastCopy = null;
    this.requests = 0;
    this.waiting = new Map(); // request id → resolve, for step()
    this.stopped = false;
    this.worker = null;
    this.connect();
  }

  /** A view's handlers by event name (see EVENTS); later calls add to or replace earlier ones. */
  on(handlers) {
    Object.assign(this.handlers, handlers);
    return this;
  }

  /** A painter whose history follows the run: cleared by a new run, cut back to the step the
   *  same run goes on from (a race's hand-over, a fallback, a restore), and fed every frame. */
  attach(painter) {
    this.painters.push(painter);
    return painter;
  }

  connect() {
    this.worker = this.spawn();
    this.worker.onmessage = ({ data }) => this.heard(data);
    this.worker.onerror = (e) => {
      e.preventDefault?.();
      this.crashed(e.message || 'an error in the worker');
    };
  }

  send(msg, transfer = []) {
    if (!this.stopped) this.worker.postMessage(msg, transfer);
  }

  get state() {
    return this.store.state;
  }

  // ---- intents ---------------------------------------------------------------------------------

  /** Creates the run: from `config`, or else the named preset (the catalog's default if none)
   *  with a run link's `patch` and a figure's `overrides`, on `backend`. */
  start({ preset = null, config = null, patch = null, overrides = null, backend = this.state.requested } = {}) {
    this.store.set({ requested: backend, error: null });
    const { stepsPerFrame, slow } = this.state;
    this.send({
      type: ToWorker.START, preset, config, patch, overrides, backend, stepsPerFrame, slow,
      race: this.race, raced: this.raced,
    });
  }

  /** Plays or pauses; `playing` in the store says what the reader asked for. */
  play(on) {
    this.store.set({ playing: on });
    this.send({ type: on ? ToWorker.PLAY : ToWorker.PAUSE });
  }

  /** Pauses the worker while the page is hidden, without changing what the reader asked for. */
  hold(hidden) {
    if (this.state.playing) this.send({ type: hidden ? ToWorker.PAUSE : ToWorker.PLAY });
  }

  /** One step (`steps` of them), or in slow motion one half step; resolves with the frame that
   *  answers it, or null if the run failed or stopped first. */
  step(steps = 1) {
    if (this.state.playing) this.store.set({ playing: false });
    const request = ++this.requests;
    return new Promise((resolve) => {
      this.waiting.set(request, resolve);
      this.send(this.state.slow ? { type: ToWorker.HALF_STEP, request } : { type: ToWorker.STEP, steps, request });
    });
  }

  /** Starts over on the same device from `config`, else the named preset, else the run's own
   *  config (with `seed`, if given). The old run goes on until READY (a refusal leaves it). */
  reset({ config = null, preset = null, seed = null } = {}) {
    this.store.set({ error: null });
    this.send({ type: ToWorker.RESET, config, preset, seed });
  }

  pace(patch) {
    this.store.set(patch);
    const { stepsPerFrame, slow } = this.state;
    this.send({ type: ToWorker.PACE, stepsPerFrame, slow });
  }

  /** Changes the running game's live settings ({generator_lr, ...}, the catalog's keys). */
  live(values) {
    this.send({ type: ToWorker.LIVE, live: values });
  }

  walk(digit) { this.send({ type: ToWorker.WALK, digit }); }
  restore() { this.send({ type: ToWorker.RESTORE }); }
  save() { this.send({ type: ToWorker.SAVE }); }

  /** Continues the run in a save file's bytes (an ArrayBuffer, transferred). */
  load(bytes) {
    this.play(false);
    this.send({ type: ToWorker.LOAD, bytes }, [bytes]);
  }

  /** Moves the running game to `name` ("auto", "webgpu", "cpu"), its state included. */
  backend(name) {
    this.store.set({ requested: name });
    this.send({ type: ToWorker.BACKEND, backend: name });
  }

  /** For tests and the curious: lose the GPU, trap as a wasm panic does, throw a JS bug. */
  debug(what) {
    const type = { lose: ToWorker.LOSE_DEVICE, crash: ToWorker.CRASH, throw: ToWorker.THROW }[what];
    this.send({ type });
  }

  /** A new worker for a crashed one: the same config and pace, from the last good state. */
  restart() {
    this.worker.terminate();
    this.connect();
    const { config, requested, stepsPerFrame, slow } = this.state;
    this.send({ type: ToWorker.START, config, backend: requested, stepsPerFrame, slow, race: this.race, raced: this.raced });
    if (this.lastCopy) {
      const bytes = this.lastCopy.bytes.slice().buffer;
      this.send({ type: ToWorker.LOAD, bytes }, [bytes]);
    }
  }

  /** The worker and every painter, gone (the view was taken off the page). */
  stop() {
    this.stopped = true;
    this.answerAll();
    for (const p of this.painters) p.stop();
    this.worker?.terminate();
  }

  answerAll() {
    this.waiting.forEach((resolve) => resolve(null));
    this.waiting.clear();
  }

  // ---- the worker's answers --------------------------------------------------------------------

  heard(msg) {
    if (this.stopped) return;
    const s = this.state;
    switch (msg.type) {
      case FromWorker.READY:
        this.catalog ??= new Catalog(msg.catalog);
        // A new run (a start, a reset, a loaded file) starts a fresh history; the same run going
        // on (on another backend, or from a host copy) keeps its history up to `step`.
        for (const p of this.painters) if (msg.continued) p.truncate(msg.step); else p.clear();
        if (!msg.continued) this.lastCopy = null; // another run's state is no way back for this one
        this.store.set({
          frames: msg.continued ? s.frames : 0, catalog: msg.catalog, backend: msg.backend,
          adapter: msg.adapter, choice: msg.choice, error: null, config: msg.config, live: this.catalog.liveOf(msg.config),
        });
        break;
      case FromWorker.FRAME:
        for (const p of this.painters) p.record(msg);
        this.store.set({ frame: msg, frames: s.frames + 1, wasmBytes: msg.wasmBytes, replay: msg.replay });
        if (msg.request != null) {
          this.waiting.get(msg.request)?.(msg);
          this.waiting.delete(msg.request);
        }
        break;
      case FromWorker.LIVE_APPLIED:
        this.store.set({ config: this.catalog.with(s.config, msg.live), live: msg.live, error: null });
        break;
      case FromWorker.RACED:
        this.raced[msg.signature] = msg.decision;
        this.store.set({ backend: msg.backend, adapter: msg.adapter, choice: msg.decision.text });
        break;
      case FromWorker.FALLBACK:
        this.store.set({ fallback: msg.reason, requested: 'cpu', backend: 'cpu', adapter: msg.adapter });
        break;
      case FromWorker.CHECKPOINT:
        this.lastCopy = { bytes: msg.bytes, step: msg.step };
        this.store.set({ wasmBytes: msg.wasmBytes });
        return; // nothing a view need hear
      case FromWorker.RESTORED:
        for (const p of this.painters) p.truncate(msg.step);
        break;
      case FromWorker.DIVERGED:
        this.store.set({ playing: false });
        break;
      case FromWorker.ERROR:
        if (msg.kind === 'panic') {
          this.crashed(msg.message);
          return;
        }
        this.answerAll();
        // No run yet: a request that overtook a start which failed (a Play sent with a link's
        // refused preset). The start's own error says what went wrong, and the next start
        // answers the request; stopping here keeps `playing` as the reader asked.
        if (msg.kind === 'state' && !s.config) return;
        // A refused value changes nothing and training goes on; any other error stops it.
        this.store.set({
          error: { kind: msg.kind, field: msg.field, setting: msg.setting ?? null, message: msg.message },
          playing: msg.kind === 'config' ? s.playing : false,
        });
        break;
      default:
    }
    this.handlers[EVENTS[msg.type]]?.(msg);
  }

  /** The worker is gone (a wasm panic, or an error nothing caught): the run stops; the view says
   *  so and may `restart()`. */
  crashed(reason) {
    this.answerAll();
    this.store.set({ playing: false, error: { kind: 'panic', field: null, setting: null, message: reason } });
    this.handlers.crash?.(reason);
  }
}

/**
 * Two runs stepping in lockstep (compare mode): a chunk for both, then the next once both are
 * done, so neither gets ahead. `serial`: the runs step one after the other, as one worker
 * holding both would (for scripts/bench/compare.mjs only).
 */
export class Lockstep {
  constructor(controllers, { serial = false } = {}) {
    Object.assign(this, { controllers, serial });
    this.playing = false;
    this.looping = false;
  }

  get slow() {
    return this.controllers[0].state.slow;
  }

  play(on) {
    this.playing = on;
    if (on) this.loop();
  }

  /** A chunk (or half step) for both; resolves with both frames, or null if either failed. */
  async step(steps = 1) {
    let frames;
    if (this.serial) {
      frames = [];
      for (const c of this.controllers) frames.push(await c.step(steps));
    } else {
      frames = await Promise.all(this.controllers.map((c) => c.step(steps)));
    }
    if (frames.some((f) => f == null)) this.playing = false;
    return frames.every((f) => f != null) ? frames : null;
  }

  async loop() {
    if (this.looping) return;
    this.looping = true;
    await playLoop(() => this.playing, () => this.slow, () => this.onChunk(this.step(this.controllers[0].state.stepsPerFrame)));
    this.looping = false;
  }

  /** Set by the pair: what happens with each chunk's frames (a promise of them). */
  onChunk(frames) {
    return frames;
  }
}
