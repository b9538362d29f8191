// A <gan-lab> figure's compare mode: two runs of the same data from the same seed, the second
// with the `compare` attribute's overrides, stepping in lockstep. Each run has its own worker,
// store and painter, drawing into its own column (a nested shadow root, so the lab's views and
// their element ids work unchanged); the charts overlay both runs in two colours.
// Two workers, not one holding both: on 2 cores they train side by side, 1.74× as fast as one
// after the other, each run at 94% of a lone run's steps/s (scripts/bench/compare.mjs; the
// README's "Two runs side by side").
import { ToWorker, FromWorker } from '../protocol.js';
import { INITIAL, createStore } from '../store.js';
import { createPainter } from '../paint.js';
import { Charts } from '../views/charts.js';
import { Catalog } from '../catalog.js';
import { COMPARED } from './attributes.js';

/** Slow motion's pause between half steps (as a single run's, in the worker). */
const SLOW_PAUSE_MS = 700;

/** The run's setting a compared attribute names, as the legend gives it. */
function describe(name, config, catalog, t) {
  switch (COMPARED[name].key) {
    case 'loss': { // the catalog's label is the lab's, in English only
      const key = `loss.${config.loss.kind}`;
      return t(key) !== key ? t(key) : catalog.loss(config.loss.kind)?.label ?? config.loss.kind;
    }
    case 'd_steps': return `${t('k.d-steps')} ${config.d_steps}`;
    case 'batch_size': return `${t('k.batch')} ${config.batch_size}`;
    case 'generator_lr': return `${t('k.g-lr')} ${config.generator.optimizer.lr}`;
    case 'r1': return config.r1 ? `${t('k.r1')} ${config.r1}` : t('k.r1.off');
    case 'g_ema': return config.g_ema ? `${t('k.g-ema')} ${config.g_ema}` : t('k.g-ema.off');
    case 'pack': return config.pack > 1 ? `${t('k.pack')} ${config.pack}` : t('k.pack.off');
    case 'conditional': return t(config.conditional ? 'k.conditional' : 'k.conditional.off');
    default: return `${t('k.d-lr')} ${config.discriminator.optimizer.lr}`;
  }
}

export class Pair {
  /**
   * `views`: the two runs' shadow roots; `chartsRoot`: where the overlaid charts' boxes are;
   * `names`: the two elements that name the runs; `spawn()`: a new training worker.
   * `heard(msg)`: the figure hears the pair as it would one worker: READY (with `names`) and
   * a FRAME once both runs are ready, a FRAME (the first run's) once both answered a chunk
   * (so both are at its step), and either
   * run's DIVERGED (with `run`, its name), FALLBACK and ERROR (a refusal of the second run's
   * own settings names the `compare` attribute). `serial`: the runs step one after the other,
   * as one worker holding both would (for scripts/bench/compare.mjs only).
   */
  constructor({ views, chartsRoot, names, spawn, heard, t, compared, layers, slow, serial = false }) {
    Object.assign(this, { chartsRoot, names, heard, t, compared, serial, slow });
    this.playing = false;
    this.stepsPerFrame = 1;
    this.catalog = null;
    this.charts = null;
    this.stopped = false;
    this.requests = 0;
    this.runs = [];
    try {
      for (const root of views) {
        const run = {
          root, worker: spawn(), store: createStore({ ...INITIAL, layers, slow }), painter: null,
          ready: null, // its READY, until the next start or reset
          primed: false, // its first frame after that READY came in
          waiting: new Map(), // request id → what runs when the frame answering it comes in
        };
        run.worker.onmessage = ({ data }) => this.from(run, data);
        run.worker.onerror = (e) => {
          e.preventDefault?.();
          this.fail(run, { type: FromWorker.ERROR, kind: 'panic', field: null, message: e.message || 'the worker failed' });
        };
        this.runs.push(run);
      }
    } catch (e) {
      this.stop();
      throw e;
    }
  }

  /** A figure's message to its worker, for both runs. Play and Pause drive the lockstep loop
   *  here; a run's worker only ever trains a chunk at a time. */
  send(msg) {
    switch (msg.type) {
      case ToWorker.START:
        this.pace(msg);
        this.runs.forEach((run, r) => {
          Object.assign(run, { ready: null, primed: false });
          run.worker.postMessage({ ...msg, overrides: r ? { ...msg.overrides, ...this.compared } : msg.overrides });
        });
        break;
      case ToWorker.PLAY:
        this.playing = true;
        this.loop();
        break;
      case ToWorker.PAUSE:
        this.playing = false;
        break;
      case ToWorker.STEP:
      case ToWorker.HALF_STEP:
        this.playing = false;
        this.all(msg);
        break;
      case ToWorker.PACE:
        this.pace(msg);
        break;
      default: // RESET
        for (const run of this.runs) {
          Object.assign(run, { ready: null, primed: false });
          run.worker.postMessage(msg);
        }
    }
  }

  pace({ stepsPerFrame, slow }) {
    if (stepsPerFrame != null) this.stepsPerFrame = Math.max(1, Math.floor(stepsPerFrame));
    this.slow = Boolean(slow);
  }

  /** Sends `msg` (a STEP or HALF_STEP) to both runs; once each has answered it with a frame
   *  (frames that answer no request, after a start or reset, do not count), the figure hears
   *  the first run's. A failure answers every request. */
  async all(msg) {
    const request = ++this.requests;
    const ask = (run) => new Promise((resolve) => {
      run.waiting.set(request, resolve);
      run.worker.postMessage({ ...msg, request });
    });
    if (this.serial) {
      for (const run of this.runs) await ask(run);
    } else {
      await Promise.all(this.runs.map(ask));
    }
    const frames = this.runs.map((r) => r.store.state.frame);
    if (!this.stopped && frames.every((f) => f?.request === request)) this.heard(frames[0]);
  }

  /** Plays: a chunk for both, then the next once both are done, so neither gets ahead. */
  async loop() {
    if (this.looping) return;
    this.looping = true;
    while (this.playing && !this.stopped) {
      await this.all(this.slow ? { type: ToWorker.HALF_STEP } : { type: ToWorker.STEP, steps: this.stepsPerFrame });
      await new Promise((ok) => setTimeout(ok, this.slow ? SLOW_PAUSE_MS : 0));
    }
    this.looping = false;
  }

  from(run, msg) {
    if (this.stopped) return;
    switch (msg.type) {
      case FromWorker.READY:
        if (msg.continued) run.painter?.truncate(msg.step);
        else run.painter?.clear();
        this.catalog ??= new Catalog(msg.catalog);
        run.store.set({ catalog: msg.catalog, backend: msg.backend, adapter: msg.adapter, config: msg.config, frames: 0 });
        run.painter ??= createPainter(run.root, run.store, (kind) => this.catalog.isCritic(kind),
          { host: run.root.querySelector('.parts'), t: this.t, charts: false });
        run.ready = msg;
        run.primed = false;
        break;
      case FromWorker.FRAME:
        run.painter.record(msg);
        run.store.set({ frame: msg, frames: run.store.state.frames + 1 });
        if (msg.request != null) {
          run.waiting.get(msg.request)?.();
          run.waiting.delete(msg.request);
        } else if (run.ready && !run.primed) {
          // A start's or reset's first frame: once both runs have theirs, the pair is ready.
          run.primed = true;
          if (this.runs.every((r) => r.primed)) this.ready();
        }
        break;
      case FromWorker.DIVERGED:
        this.playing = false;
        this.heard({ ...msg, run: this.names[this.runs.indexOf(run)].textContent });
        break;
      case FromWorker.FALLBACK:
        this.heard(msg);
        break;
      case FromWorker.ERROR:
        this.fail(run, msg);
        break;
      default: // checkpoints and the like: a figure keeps none
    }
  }

  /** Both runs are ready: name them (by what `compare` changes) and say so. */
  ready() {
    const [a, b] = this.runs.map((r) => r.ready);
    if (JSON.stringify(a.config) === JSON.stringify(b.config)) {
      this.fail(this.runs[1], { type: FromWorker.ERROR, kind: 'config', field: 'compare', message: this.t('why.same.config') });
      return;
    }
    const names = [a, b].map((r) => Object.keys(this.attributes())
      .map((name) => describe(name, r.config, this.catalog, this.t)).join(', '));
    names.forEach((name, r) => { this.names[r].textContent = name; });
    if (!this.charts) {
      this.charts = new Charts(this.chartsRoot, this.t, names);
      const paint = () => {
        if (this.stopped) return;
        const games = this.runs.map((r) => ({ critic: this.catalog.isCritic(r.store.state.config.loss.kind) }));
        this.charts.update(this.runs.map((r) => r.painter.history), games);
        requestAnimationFrame(paint);
      };
      requestAnimationFrame(paint);
    }
    this.heard({ ...a, names });
    this.heard(this.runs[0].store.state.frame);
  }

  /** The compared attributes by name (`loss`, `d-steps`, ...), from the override keys. */
  attributes() {
    return Object.fromEntries(Object.entries(COMPARED).filter(([, spec]) => spec.key in this.compared));
  }

  /** A run failed or refused something: both stop. The second run's refusal of a setting
   *  that `compare` gave it is that attribute's fault. */
  fail(run, msg) {
    this.playing = false;
    for (const r of this.runs) {
      r.waiting.forEach((resolve) => resolve());
      r.waiting.clear();
    }
    const own = run === this.runs[1] && msg.kind === 'config' && Object.values(COMPARED).some((spec) =>
      spec.key in this.compared && (msg.field === spec.field || msg.field?.startsWith(`${spec.field}.`)));
    this.heard(own ? { ...msg, field: 'compare' } : msg);
  }

  /** The runs' workers and painters, gone (the figure was rebuilt or taken off the page). */
  stop() {
    this.stopped = true;
    this.playing = false;
    for (const run of this.runs) {
      run.painter?.stop();
      run.worker.terminate();
    }
  }
}
