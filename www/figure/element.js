// <gan-lab>: the lab as a figure in a blog post (dist/gan-lab.js, one ES module). Usage:
//   <script type="module" src="/assets/gan-lab/gan-lab.js"></script>
//   <gan-lab preset="vanilla-grid25" show="plane,losses" controls="transport" steps="3000"></gan-lab>
// docs/embedding.md lists the attributes. Each figure lives in a shadow root
// and is assembled from the lab page's own parts (store, run controller, painter, views,
// transport). Nothing loads until a figure nears the viewport; a figure trains only while on
// screen, one figure at a time (scheduler.js), and never by itself under reduced motion.
import uplotCss from 'uplot/dist/uPlot.min.css?raw';
import figureCss from './figure.css?raw';
import { isSoftwareAdapter } from '../adapters.js';
import { INITIAL, createStore } from '../store.js';
import { RunController } from '../controller.js';
import { createPainter, markKind } from '../paint.js';
import { mountTransport } from '../controls/transport.js';
import { language, translator } from '../i18n/index.js';
import { ATTRIBUTES, LAYERS, attributeOf, readAttributes } from './attributes.js';
import { errorHtml, figureHtml, runHtml } from './markup.js';
import { scheduler } from './scheduler.js';
import { Pair } from './pair.js';
// Which presets have a still, of which view, from which step (scripts/posters.mjs writes it).
import POSTERS from '../../assets/posters/index.json';

/** Auto's race verdicts on this page (see race.js), shared by its figures: a figure that starts
 *  after a verdict on its kind of config starts on the winner, without racing again. */
const raced = {};

let sheets = null;
/** One pair of constructed style sheets for every figure (no inline <style>: CSP-safe). */
function styleSheets() {
  if (!sheets) {
    sheets = [uplotCss, figureCss].map((css) => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      return sheet;
    });
  }
  return sheets;
}

/** Where gan-lab.js and its assets are served from (webpack's public path, which it finds from
 *  the script's own URL); the page's URL outside a bundle. */
/* global __webpack_public_path__ */
const assetBase = () => (typeof __webpack_public_path__ === 'string' && __webpack_public_path__) || document.baseURI;

const reducedMotion = () => globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;

export class GanLabElement extends HTMLElement {
  static observedAttributes = ATTRIBUTES;

  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).adoptedStyleSheets = styleSheets();
    this.visible = false;
    this.askedAt = 0;
    /** When auto races the backends (protocol.js's RACES): the iframe mode passes its page's
     *  `?race=`. */
    this.race = 'auto';
  }

  connectedCallback() {
    // Focusable, so its keys (Space, ".", "r") work once the reader is in it.
    if (!this.hasAttribute('tabindex')) this.tabIndex = 0;
    if (!this.hasAttribute('role')) this.setAttribute('role', 'figure');
    this.build();
  }

  disconnectedCallback() {
    this.teardown();
    scheduler.remove(this);
  }

  attributeChangedCallback() {
    if (this.isConnected && this.built) this.build();
  }

  /** (Re)builds the figure from its attributes: a new run, or a message naming a bad one. */
  build() {
    this.teardown();
    this.built = true;
    let options;
    try {
      options = readAttributes((n) => this.getAttribute(n), this.closest('[lang]')?.getAttribute('lang'));
    } catch (bad) {
      if (!bad.why) throw bad;
      const t = translator(language(this.getAttribute('lang')) ?? language(this.closest('[lang]')?.getAttribute('lang')) ?? 'en');
      this.showBad(bad.name, bad.value, t(bad.why, bad.vars), t);
      return;
    }
    this.options = options;
    this.t = translator(options.lang);
    if (options.height) this.style.setProperty('--gan-lab-height', `${options.height}px`);
    this.shadowRoot.innerHTML = figureHtml(options, this.t);
    // Compare mode: each run's views in their own shadow root (the same ids twice, apart).
    this.runViews = [...this.shadowRoot.querySelectorAll('.run-view')].map((host) => {
      const root = host.attachShadow({ mode: 'open' });
      root.adoptedStyleSheets = styleSheets();
      root.innerHTML = runHtml(options, this.t);
      return root;
    });
    this.$ = (id) => this.shadowRoot.getElementById(id);
    this.pose(options);
    this.userWants = false;
    this.done = false;
    this.started = false;
    this.setStatus(reducedMotion() && options.autoplay === 'visible' ? 'status.reduced' : 'status.waiting');
    this.$('replay').onclick = () => this.replay();
    this.watch();
    scheduler.add(this);
  }

  /** Until the run trains: the author's children (a poster <img>, which is also what a reader
   *  sees with JavaScript off or in a feed) in place of the views, or else over each picture a
   *  still of a finished run of this preset (scripts/posters.mjs made them; the build ships them
   *  in posters/ beside gan-lab.js). */
  pose(options) {
    const authored = [...this.childNodes].some((n) => n.nodeType === 1 || n.textContent.trim());
    this.shadowRoot.querySelector('.figure').classList.toggle('posed', authored);
    const preset = options.preset ?? POSTERS.default;
    const poster = POSTERS.presets[preset];
    const img = poster && this.shadowRoot.querySelector(`.still[data-view="${poster.view}"]`);
    // A still is of the preset's own run: a figure that changes it (compare, a loss, a seed, a
    // rate) would show something else, so it waits with its empty views instead.
    if (authored || options.compare || Object.keys(options.overrides).length || !img) return;
    img.onerror = () => { img.hidden = true; };
    img.src = new URL(`posters/${preset}-${poster.view}.webp`, assetBase()).href;
    img.hidden = false;
  }

  /** The run trains: the views instead of the posters. */
  unpose() {
    this.shadowRoot.querySelector('.figure')?.classList.remove('posed');
    for (const img of this.shadowRoot.querySelectorAll('.still')) img.remove();
  }

  showBad(name, value, why, t = this.t) {
    this.teardown();
    this.shadowRoot.innerHTML = errorHtml(t('attr.bad', { name, value, why }));
  }

  /** The status line (a live region: written only when its text changes, so scrolling, which
   *  re-decides who trains on every frame, does not make a screen reader repeat it). */
  setStatus(key, vars) {
    const el = this.$?.('status');
    const text = this.t(key, vars);
    if (el && el.textContent !== text) el.textContent = text;
  }

  /** The status of a run that is training: where. */
  setRunning() {
    const { backend, adapter } = this.store.state;
    const key = backend !== 'webgpu' ? 'status.cpu' : isSoftwareAdapter(adapter) ? 'status.software' : 'status.webgpu';
    if (this.pair) this.setStatus('status.pair', { where: this.t(key, { adapter }) });
    else this.setStatus(key, { adapter });
  }

  /** Loads when the figure nears the viewport; trains only while at least a third is visible. */
  watch() {
    this.near = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        this.near.disconnect();
        this.load();
      }
    }, { rootMargin: '300px 0px' });
    this.near.observe(this);
    this.seen = new IntersectionObserver((entries) => {
      const e = entries.at(-1);
      const visible = e.isIntersecting && (e.intersectionRatio >= 0.33 || e.intersectionRect.height >= 0.5 * innerHeight);
      if (visible === this.visible) return;
      this.visible = visible;
      scheduler.pick();
    }, { threshold: [0, 0.1, 0.33, 0.5, 1] });
    this.seen.observe(this);
  }

  autoplays() {
    return this.options.autoplay === 'visible' && !reducedMotion() && !this.done && !this.stopped;
  }

  /** Whether this figure wants to train now (the scheduler decides whether it may). */
  wants() {
    return Boolean(this.run) && !this.done && (this.userWants || this.autoplays());
  }

  /** The worker and the first frame. */
  load() {
    const options = this.options;
    this.store = createStore(INITIAL);
    const layers = Object.fromEntries(LAYERS.map((l) => [l, options.layers.includes(l)]));
    // A worker starts only from the page's own origin: gan-lab.js from a CDN cannot train here.
    // (The iframe mode can: the lab page is then on the files' origin.)
    const script = new URL(assetBase()).origin;
    if (script !== location.origin && location.origin !== 'null') {
      this.fail(this.t('status.crossorigin', { script, page: location.origin }));
      return;
    }
    const spawn = () => new Worker(new URL('../worker.js', import.meta.url), { type: 'module' });
    this.store.set({ layers, slow: options.slow });
    try {
      this.run = options.compare
        ? new Pair({
          views: this.runViews, chartsRoot: this.shadowRoot, names: [0, 1].map((r) => this.$(`run-name-${r}`)),
          spawn, store: this.store, t: this.t, compared: options.compare, layers, slow: options.slow, raced,
          race: this.race, serial: this.serialForBench === true,
        })
        : new RunController({ spawn, store: this.store, raced, race: this.race });
    } catch (e) {
      // An opaque origin (an iframe sandboxed without allow-same-origin) may not start a worker
      // from the lab's URL: say what the host must change (docs/embedding.md).
      this.fail(e?.name === 'SecurityError' ? this.t('status.noworker') : String(e?.message ?? e));
      return;
    }
    this.listen();
    this.setStatus('status.loading');
    const intents = {
      play: (on) => {
        this.userWants = on;
        if (on) {
          this.stopped = false;
          if (this.done) this.replay();
          else scheduler.ask(this);
        } else {
          this.stopped = true;
          scheduler.pick();
        }
      },
      step: () => {
        this.userWants = false;
        this.stopped = true;
        scheduler.pick();
        this.run.step();
      },
      reset: () => this.replay(false),
      pace: (patch) => this.run.pace(patch),
    };
    this.syncTransport = mountTransport(this.shadowRoot, intents, { keys: this, t: this.t });
    this.store.subscribe((s, old) => this.syncTransport(s, old));
    this.syncTransport(this.store.state, null);
    this.run.start({ preset: options.preset, overrides: options.overrides, patch: this.patch ?? null, backend: options.backend });
  }

  /** The run's events (one controller's, or the pair's, which speaks the same way). */
  listen() {
    this.run.on({
      ready: () => {
        // A pair paints its runs itself; a single run's painter follows its history.
        // (A paint already scheduled may land after the figure is dropped, its run gone.)
        if (!this.pair) this.painter ??= this.run.attach(createPainter(this.shadowRoot, this.store, (kind) => this.run?.catalog.isCritic(kind) ?? false,
          { host: this.shadowRoot.querySelector('.figure'), t: this.t }));
        this.setRunning();
        scheduler.pick();
      },
      raced: () => this.setRunning(),
      frame: (msg) => {
        if (msg.step > 0) this.unpose();
        // The runs' painters mark their own views; the overlaid charts are the figure's.
        if (this.pair) {
          markKind(this.shadowRoot.querySelector('.figure'), msg.kind);
          this.store.set({ frame: msg, frames: this.store.state.frames + 1 });
        }
        if (this.options.steps && msg.step >= this.options.steps && !this.done) this.finish('status.done', msg.step);
      },
      diverged: (msg) => this.finish(msg.run ? 'status.diverged.run' : 'status.diverged', msg.step, msg.run),
      fallback: (msg) => this.setStatus('status.cpu', { adapter: msg.adapter }),
      error: (msg) => {
        const attribute = attributeOf(msg);
        if (msg.kind === 'config' && attribute && !this.store.state.config) {
          this.showBad(attribute, this.getAttribute(attribute) ?? '', this.why(msg));
          return;
        }
        this.fail(msg.message);
      },
      crash: (message) => this.fail(message),
    });
  }

  get pair() {
    return this.run instanceof Pair ? this.run : null;
  }

  /** Why the lab refused a value, in the figure's language when the worker said what it may be
   *  (Rust's own message, in English, otherwise). */
  why({ allowed, bounds, message }) {
    if (allowed) return this.t('why.oneof', { items: allowed.join(', ') });
    if (bounds) {
      const { min, max, above_min: above, integer } = bounds;
      const key = above ? 'why.range.above' : integer ? 'why.range.whole' : 'why.range';
      return this.t(key, { min, max: max ?? '\u221e' });
    }
    return message;
  }

  /** The run is over (its `steps`, or a NaN): stop, say why, offer Replay. */
  finish(key, step, run = null) {
    this.done = true;
    this.userWants = false;
    scheduler.pick();
    this.setStatus(key, { step, run });
    this.$('replay').hidden = false;
  }

  fail(message) {
    this.done = true;
    scheduler.pick();
    this.setStatus('status.error', { message });
  }

  /** The scheduler's answer: train or not, and if not, why (offscreen, queued, paused). */
  schedule(on, why) {
    if (!this.store?.state.config) return;
    if (on !== this.store.state.playing) this.run.play(on);
    if (on) {
      this.started = true;
      this.setRunning();
    } else if (!this.done) {
      const step = this.store.state.frame?.step ?? 0;
      const waiting = !this.started && why !== 'queued';
      this.setStatus(waiting ? (reducedMotion() ? 'status.reduced' : 'status.ready')
        : why === 'offscreen' ? 'status.offscreen' : why === 'queued' ? 'status.queued' : 'status.paused', { step });
    }
  }

  /** Starts the run over from its seed; plays unless `play` is false. */
  replay(play = true) {
    this.done = false;
    this.$('replay').hidden = true;
    this.run.reset();
    if (play) {
      this.userWants = true;
      this.stopped = false;
      scheduler.ask(this);
    }
  }

  teardown() {
    this.near?.disconnect();
    this.seen?.disconnect();
    this.run?.stop(); // its painters too
    Object.assign(this, { near: null, seen: null, painter: null, run: null, store: null });
  }
}

if (!customElements.get('gan-lab')) customElements.define('gan-lab', GanLabElement);
