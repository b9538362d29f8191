// A <gan-lab> figure's compare mode: two runs of the same data from the same seed, the second
// with the `compare` attribute's overrides, stepping in lockstep. Each run has its own worker,
// store and painter, drawing into its own column (a nested shadow root, so the lab's views and
// their element ids work unchanged); the charts overlay both runs in two colours.
// Two workers, not one holding both: on 2 cores they train side by side, 1.74× as fast as one
// after the other, each run at 94% of a lone run's steps/s (scripts/bench/compare.mjs; the
// docs/lab.md, "Two runs side by side").
import { INITIAL, createStore } from '../store.js';
import { createPainter } from '../paint.js';
import { Charts } from '../views/charts.js';
import { RunController, Lockstep } from '../controller.js';
import { COMPARED } from './attributes.js';

/** The run's setting a compared attribute names, as the legend gives it. */
function describe(name, config, catalog, t) {
  switch (COMPARED[name].key) {
    case 'loss': { // the catalog's label is the lab's, in English only
      const key = `loss.${config.loss.kind}`;
      return t(key) !== key ? t(key) : catalog.loss(config.loss.kind)?.label ?? config.loss.kind;
    }
    case 'd_steps': return `${t('k.d-steps')} ${config.d_steps}`;
    case 'batch_size': return `${t('k.batch')} ${config.batch_size}`;
    case 'generator_lr': return `${t('k.g-lr')} ${catalog.setting(config, 'generator_lr')}`;
    case 'r1': return config.r1 ? `${t('k.r1')} ${config.r1}` : t('k.r1.off');
    case 'g_ema': return config.g_ema ? `${t('k.g-ema')} ${config.g_ema}` : t('k.g-ema.off');
    case 'pack': return config.pack > 1 ? `${t('k.pack')} ${config.pack}` : t('k.pack.off');
    case 'conditional': return t(config.conditional ? 'k.conditional' : 'k.conditional.off');
    default: return `${t('k.d-lr')} ${catalog.setting(config, 'discriminator_lr')}`;
  }
}

export class Pair {
  /**
   * `views`: the two runs' shadow roots; `chartsRoot`: where the overlaid charts' boxes are;
   * `names`: the two elements that name the runs; `spawn()`: a new training worker; `store`:
   * the figure's (its transport's state, and the first run's config, backend and frames).
   * A figure drives a pair as it would one run's controller (start, play, step, reset, pace,
   * stop) and hears it through `on(handlers)` the same way: ready (with `names`) once both runs
   * have their first frame, a frame (the first run's) once both answered a chunk, and either
   * run's diverged (with `run`, its name), fallback and error (a refusal of the second run's
   * own settings names the `compare` attribute). `serial`: see Lockstep.
   */
  constructor({ views, chartsRoot, names, spawn, store, t, compared, layers, slow, raced, race, serial = false }) {
    Object.assign(this, { chartsRoot, names, t, compared, store });
    this.handlers = {};
    this.charts = null;
    this.stopped = false;
    this.runs = [];
    try {
      for (const root of views) {
        const run = new RunController({ spawn, store: createStore({ ...INITIAL, layers, slow }), raced, race });
        run.root = root;
        run.primed = false; // its first frame since the last start or reset came in
        run.on({
          ready: () => { run.primed = false; },
          frame: (msg) => this.frame(run, msg),
          diverged: (msg) => {
            this.lockstep.play(false);
            this.store.set({ playing: false });
            this.handlers.diverged?.({ ...msg, run: this.names[this.runs.indexOf(run)].textContent });
          },
          fallback: (msg) => this.handlers.fallback?.(msg),
          error: (msg) => this.fail(run, msg),
          crash: (message) => this.fail(run, { kind: 'panic', field: null, message }),
        });
        this.runs.push(run);
      }
    } catch (e) {
      this.stop();
      throw e;
    }
    this.lockstep = new Lockstep(this.runs, { serial });
    this.lockstep.onChunk = async (chunk) => {
      const frames = await chunk;
      if (frames && !this.stopped) this.handlers.frame?.(frames[0]);
    };
  }

  on(handlers) {
    Object.assign(this.handlers, handlers);
    return this;
  }

  get catalog() {
    return this.runs[0].catalog;
  }

  start(options) {
    this.runs.forEach((run, r) => {
      run.primed = false;
      run.start(r ? { ...options, overrides: { ...options.overrides, ...this.compared } } : options);
    });
  }

  play(on) {
    this.store.set({ playing: on });
    this.lockstep.play(on);
  }

  async step() {
    this.play(false);
    const frames = await this.lockstep.step(1);
    if (frames && !this.stopped) this.handlers.frame?.(frames[0]);
  }

  reset() {
    for (const run of this.runs) {
      run.primed = false;
      run.reset();
    }
  }

  pace(patch) {
    this.store.set(patch);
    for (const run of this.runs) run.pace(patch);
  }

  /** A run's frame: painted in its column; a start's or reset's first frame (answering no
   *  request) primes it, and once both are primed the pair is ready. */
  frame(run, msg) {
    if (msg.request != null || run.primed || !run.state.config) return;
    run.primed = true;
    if (!run.painter) {
      run.painter = run.attach(createPainter(run.root, run.store, (kind) => this.catalog.isCritic(kind),
        { host: run.root.querySelector('.parts'), t: this.t, charts: false }));
      run.painter.record(msg); // attached after this frame came in
    }
    if (this.runs.every((r) => r.primed)) this.ready();
  }

  /** Both runs are ready: name them (by what `compare` changes) and say so. */
  ready() {
    const [a, b] = this.runs.map((r) => r.state);
    if (JSON.stringify(a.config) === JSON.stringify(b.config)) {
      this.fail(this.runs[1], { kind: 'config', field: 'compare', message: this.t('why.same.config') });
      return;
    }
    const names = [a, b].map((s) => Object.keys(this.attributes())
      .map((name) => describe(name, s.config, this.catalog, this.t)).join(', '));
    names.forEach((name, r) => { this.names[r].textContent = name; });
    if (!this.charts) {
      this.charts = new Charts(this.chartsRoot, this.t, names);
      const paint = () => {
        if (this.stopped) return;
        const games = this.runs.map((r) => ({ critic: this.catalog.isCritic(r.state.config.loss.kind) }));
        this.charts.update(this.runs.map((r) => r.painter.history), games);
        requestAnimationFrame(paint);
      };
      requestAnimationFrame(paint);
    }
    const { catalog, backend, adapter, config, frame } = a;
    this.store.set({ catalog, backend, adapter, config });
    this.handlers.ready?.({ catalog, backend, adapter, config, names, continued: false, step: frame.step });
    this.handlers.frame?.(frame);
  }

  /** The compared attributes by name (`loss`, `d-steps`, ...), from the override keys. */
  attributes() {
    return Object.fromEntries(Object.entries(COMPARED).filter(([, spec]) => spec.key in this.compared));
  }

  /** A run failed or refused something: both stop. The second run's refusal of a setting
   *  that `compare` gave it is that attribute's fault. */
  fail(run, msg) {
    this.lockstep.play(false);
    this.store.set({ playing: false });
    for (const r of this.runs) r.answerAll();
    const setting = msg.setting ?? run.catalog?.settingOf(msg.field);
    const own = run === this.runs[1] && msg.kind === 'config' && setting != null && setting in this.compared;
    this.handlers.error?.(own ? { ...msg, field: 'compare' } : msg);
  }

  /** The runs' workers and painters, gone (the figure was rebuilt or taken off the page). */
  stop() {
    this.stopped = true;
    this.lockstep?.play(false);
    for (const run of this.runs) run.stop();
  }
}
