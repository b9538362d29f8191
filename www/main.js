// The lab page: one store, one worker, controls that emit intents, views that paint the
// latest frame. This file turns intents into store changes and worker messages, and worker
// messages into store changes; nothing else talks to the worker.
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { ToWorker, FromWorker } from './protocol.js';
import { isSoftwareAdapter } from './adapters.js';
import { INITIAL, createStore, publicView } from './store.js';
import { Catalog } from './catalog.js';
import { createPainter } from './paint.js';
import { mountFields, setIn } from './controls/fields.js';
import { mountTransport } from './controls/transport.js';
import { DRAWN_STD, mountData } from './controls/data.js';
import { mountLessons } from './controls/lessons.js';
import { mountLayers } from './controls/layers.js';
import { mountRunTools } from './controls/run.js';
import { mountWalk } from './controls/walk.js';
import { linkFragment, readFragment } from './share.js';
import { draw as drawDigits } from './views/digits.js';
import { show as showMessage, hide as hideMessage } from './views/message.js';

const params = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);
const spawn = () => new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
let worker = spawn();
const send = (msg) => worker.postMessage(msg);
/** The run's last good state from the worker ({bytes, step}): what a crashed worker's successor
 *  continues from. */
let lastCopy = null;

const store = createStore(INITIAL);
Object.defineProperty(window, 'ganLab', { get: () => publicView(store.state) });
// For tests and the curious: lose the GPU on purpose (GPUDevice.destroy(), as a driver reset
// would) and watch the run carry on on the CPU.
window.ganLabDebug = Object.freeze({
  loseDevice: () => send({ type: ToWorker.LOSE_DEVICE }),
  crash: () => send({ type: ToWorker.CRASH }),
});

const liveOf = (c) => ({
  generator_lr: c.generator.optimizer.lr, discriminator_lr: c.discriminator.optimizer.lr,
  loss: c.loss, d_steps: c.d_steps, batch_size: c.batch_size,
});
/** `config` with live settings `l` applied (a new object: the old config is never mutated). */
function withLive(config, l) {
  const c = structuredClone(config);
  Object.assign(c, { loss: l.loss, d_steps: l.d_steps, batch_size: l.batch_size });
  c.generator.optimizer.lr = l.generator_lr;
  c.discriminator.optimizer.lr = l.discriminator_lr;
  return c;
}
const isDigits = (c) => c?.data.kind === 'mnist';
const MAX_SAVE_BYTES = 256 * 2 ** 20;

// ---- intents: what the controls ask for ------------------------------------------------------

const message = {
  show: (text, action) => showMessage($('message'), text, action),
  clear: () => { hideMessage($('message')); ui?.fields.mark(null); },
};

/** Starts over from `next` (a config), keeping nothing of the old run but its device. The old
 *  run goes on until the worker says READY (a refused config leaves it running), and its
 *  picture stays up until the new run's first frame replaces it. */
function restart(next, { play = store.state.playing } = {}) {
  message.clear();
  store.set({ error: null });
  send({ type: ToWorker.RESET, config: next });
  if (play) intents.play(true);
}

const intents = {
  play(on) {
    store.set({ playing: on });
    send({ type: on ? ToWorker.PLAY : ToWorker.PAUSE });
  },
  step() {
    store.set({ playing: false });
    send({ type: store.state.slow ? ToWorker.HALF_STEP : ToWorker.STEP });
  },
  reset() {
    intents.stopDrawing();
    restart(structuredClone(store.state.draft));
  },
  pace(patch) {
    store.set(patch);
    const { stepsPerFrame, slow } = store.state;
    send({ type: ToWorker.PACE, stepsPerFrame, slow });
  },
  setting(path, value, live) {
    const draft = setIn(store.state.draft, path, value);
    if (live) {
      message.clear();
      store.set({ draft });
      send({ type: ToWorker.LIVE, live: liveOf(draft) });
    } else {
      store.set({ draft, pending: [...new Set([...store.state.pending, path])] });
    }
  },
  pickData(name) {
    const { draft } = store.state;
    store.set({ lesson: null });
    intents.stopDrawing();
    const next = ui.catalog.config(name);
    // Between the plane and digits the whole preset comes along (sizes, architecture, learning
    // rates); within the plane only the distribution changes and the reader's settings stay.
    if (isDigits(next) || isDigits(draft)) restart(next);
    else restart({ ...structuredClone(draft), data: next.data });
  },
  startLesson(name) {
    intents.stopDrawing();
    store.set({ lesson: name });
    restart(ui.catalog.config(name), { play: true });
  },
  startDrawing() {
    const { draft } = store.state;
    store.set({ lesson: null });
    // Points are drawn on the plane: from digits, go back to it first (the default preset).
    if (isDigits(draft)) restart(ui.catalog.config('ring8'), { play: false });
    intents.play(false);
    store.set({ drawing: true, drawn: draft.data.kind === 'points' ? structuredClone(draft.data.points) : [] });
  },
  stopDrawing() {
    if (store.state.drawing) store.set({ drawing: false });
  },
  drawn(points) {
    store.set({ drawn: points });
  },
  trainDrawn() {
    const { drawn, draft } = store.state;
    if (!drawn.length) {
      message.show('Place at least one point on the plane first.');
      return;
    }
    intents.stopDrawing();
    restart({ ...structuredClone(draft), data: { kind: 'points', points: drawn, std: DRAWN_STD } }, { play: true });
  },
  layer(key, on) {
    store.set({ layers: { ...store.state.layers, [key]: on } });
  },
  restore() {
    send({ type: ToWorker.RESTORE });
  },
  save() {
    send({ type: ToWorker.SAVE });
  },
  async load(file) {
    // No run of this lab saves more (save.rs's MAX_BYTES): refused before it is read into memory.
    if (file.size > MAX_SAVE_BYTES) {
      message.show(`${file.name} is ${Math.round(file.size / 2 ** 20)} MB: not a gan-lab save file (they are at most ${MAX_SAVE_BYTES / 2 ** 20} MB).`);
      return;
    }
    intents.play(false);
    send({ type: ToWorker.LOAD, bytes: await file.arrayBuffer() });
  },
  /** The digit a conditional run's latent walk draws. */
  walkClass(digit) {
    send({ type: ToWorker.WALK, digit });
  },
  backend(name) {
    store.set({ requested: name });
    send({ type: ToWorker.BACKEND, backend: name });
  },
  /** Opens compare mode in a new tab: this run's settings beside `variant` (a `compare`
   *  attribute, e.g. "loss:wasserstein-gp"), both from step 0. */
  compare(variant) {
    const url = runLink();
    url.search = `?compare=${encodeURIComponent(variant)}`;
    window.open(url.href, '_blank', 'noopener');
  },
  async copyLink() {
    const url = runLink();
    try {
      await navigator.clipboard.writeText(url.href);
      message.show(`Link copied: it replays this run from step 0 with these settings.`);
    } catch {
      message.show(`Copy this link: ${url.href}`); // no clipboard permission: the link, shown
    }
    history.replaceState(null, '', url.href);
  },
  exportPng() {
    const { frame } = store.state;
    if (!frame) return;
    let canvas = $('plane');
    if (frame.kind === 'digits') {
      // The digits at their own size: 8 × 8 tiles of 28 × 28, one pixel each, no gaps.
      canvas = document.createElement('canvas');
      canvas.width = canvas.height = 8 * 28 + 7 * 2;
      drawDigits(canvas.getContext('2d'), frame.samples, 8);
    }
    canvas.toBlob((blob) => download(blob, `gan-lab-step-${frame.step}.png`), 'image/png');
  },
};

/** A link to this page that replays the running game (share.js's fragment). */
function runLink() {
  const { config, requested, layers } = store.state;
  const presets = [...ui.catalog.presets.keys()].map((name) => ({ name, config: ui.catalog.config(name) }));
  const url = new URL(location.href);
  url.search = '';
  url.hash = linkFragment(config, presets, { backend: requested, layers, defaultLayers: INITIAL.layers });
  return url;
}

function download(blob, name) {
  const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

// ---- the worker's answers --------------------------------------------------------------------

/** The controls, mounted once the first READY brings the catalog. */
let ui = null;

function mount(catalog) {
  const fields = mountFields($('fields'), catalog, intents.setting);
  const syncs = [
    mountTransport(document, intents),
    mountData(document, catalog, store, intents),
    mountLessons($('lessons'), $('lesson-text'), catalog, intents),
    mountRunTools(document, intents, catalog),
    mountWalk(document, $('walk-class'), intents),
    (s, old) => {
      if (s.draft !== old?.draft || s.pending !== old?.pending) fields.sync(s.draft, s.pending);
      if (s.pending !== old?.pending) $('pending').hidden = s.pending.length === 0;
    },
  ];
  mountLayers(document.querySelector('.layers'), store.state.layers, intents);
  store.subscribe((s, old) => syncs.forEach((sync) => sync(s, old)));
  syncs.forEach((sync) => sync(store.state, null));
  return { catalog, fields };
}

/** The last READY: what the badge says, until a race's verdict adds its numbers. */
let shown = null;

function showBackend(msg) {
  shown = msg;
  const el = $('backend');
  el.classList.toggle('cpu', msg.backend === 'cpu');
  el.textContent = msg.backend === 'webgpu'
    ? isSoftwareAdapter(msg.adapter)
      ? `Training with WebGPU on a software adapter (${msg.adapter}): your CPU emulates a GPU, far slower than the CPU backend${msg.choice ? `; chosen because ${msg.choice}` : ''}.`
      : `Training on your GPU with WebGPU (${msg.adapter})${msg.choice ? `, chosen because ${msg.choice}` : ''}.`
    : `Training on the CPU (${msg.adapter})${msg.fallbackReason ? `. WebGPU is not available here: ${msg.fallbackReason}`
      : msg.choice ? `, chosen because ${msg.choice}` : ''}.`;
}

/** The worker crashed (a wasm panic, or an error nothing caught): say so and offer a new one,
 *  from the last good state if there is one. The page stays usable meanwhile. */
function crashed(reason) {
  store.set({ playing: false, error: { kind: 'panic', field: null, message: reason } });
  const from = lastCopy ? `step ${lastCopy.step}` : 'the start';
  message.show(`The training worker crashed (${reason}). `, {
    label: `Restart from ${from}`, run: restartWorker,
  });
}

function restartWorker() {
  worker.terminate();
  worker = spawn();
  listen(worker);
  message.clear();
  const { config, requested, stepsPerFrame, slow } = store.state;
  send({ type: ToWorker.START, config, backend: requested, stepsPerFrame, slow, race, raced });
  if (lastCopy) send({ type: ToWorker.LOAD, bytes: lastCopy.bytes.slice().buffer });
}

function listen(w) {
  w.onmessage = onMessage;
  w.onerror = (e) => {
    e.preventDefault();
    crashed(e.message || 'an error in the worker');
  };
}

function onMessage({ data: msg }) {
  const s = store.state;
  switch (msg.type) {
    case FromWorker.READY:
      // A new run (a start, a reset, a loaded file): a fresh history. The same run going on
      // (moved to another backend, or the CPU taking over from a host copy) keeps its history
      // up to the step it continues from.
      if (msg.continued) painter.truncate(msg.step);
      else {
        painter.clear();
        lastCopy = null; // another run's state is no way back for this one
      }
      store.set({
        frames: msg.continued ? s.frames : 0,
        catalog: msg.catalog, backend: msg.backend, adapter: msg.adapter, error: null,
        config: msg.config, draft: structuredClone(msg.config), live: liveOf(msg.config), pending: [],
      });
      ui ??= mount(new Catalog(msg.catalog));
      showBackend(msg);
      break;
    case FromWorker.FRAME:
      painter.record(msg);
      store.set({ frame: msg, frames: s.frames + 1, wasmBytes: msg.wasmBytes });
      break;
    case FromWorker.LIVE_APPLIED:
      store.set({ config: withLive(s.config, msg.live), live: msg.live, error: null });
      break;
    case FromWorker.RACED:
      raced[msg.signature] = msg.decision;
      showBackend({ ...shown, backend: msg.backend, adapter: msg.adapter, choice: msg.decision.text });
      break;
    case FromWorker.FALLBACK:
      store.set({ fallback: msg.reason, requested: 'cpu' });
      message.show(msg.resumedAt > 0
        ? `WebGPU stopped working (${msg.reason}). Training goes on on the CPU from step ${msg.resumedAt}, the last state kept in memory; ${msg.lost} step${msg.lost === 1 ? '' : 's'} after it ${msg.lost === 1 ? 'was' : 'were'} lost.`
        : `WebGPU stopped working (${msg.reason}) before any state was kept; training starts again on the CPU.`);
      break;
    case FromWorker.SAVED:
      download(new Blob([msg.bytes], { type: 'application/octet-stream' }), `gan-lab-step-${msg.step}.safetensors`);
      break;
    case FromWorker.CHECKPOINT:
      lastCopy = { bytes: msg.bytes, step: msg.step };
      store.set({ wasmBytes: msg.wasmBytes });
      break;
    case FromWorker.LOADED:
      message.show(`Loaded: the run goes on from step ${msg.step}.`);
      break;
    case FromWorker.DIVERGED:
      intents.play(false);
      message.show(`The run blew up at step ${msg.step}: a loss or G\u2019s output became NaN or infinite; training stopped. `, {
        label: 'Restore the last good state', run: intents.restore,
      });
      break;
    case FromWorker.RESTORED:
      painter.truncate(msg.step);
      message.clear();
      message.show(`Back at step ${msg.step}, the last state whose losses and outputs were finite. Lower a learning rate before playing on.`);
      break;
    case FromWorker.ERROR: {
      if (!s.config && msg.kind === 'config' && !startedDefault) {
        // The link named a preset that does not exist, or settings that were refused: the
        // default lab, saying what was ignored. Never a page stuck at "starting…".
        startedDefault = true;
        start('ring8');
        if (s.playing) send({ type: ToWorker.PLAY }); // ?autoplay: the new start plays too
        ignored.push(msg.field === 'preset'
          ? `the preset "${link?.preset ?? params.get('preset')}" does not exist (presets: ${msg.allowed?.join(', ') ?? ''}), so this is ring8`
          : `its settings were refused (${msg.message}), so this is ring8`);
        linkNotUsable();
        break;
      }
      // Before any run exists, a request out of turn (a Play sent with the start that failed)
      // is answered above by the new start, not shown.
      if (!s.config && msg.kind === 'state') break;
      if (msg.kind === 'panic') {
        crashed(msg.message);
        break;
      }
      const error = { kind: msg.kind, field: msg.field, message: msg.message };
      // A refused value changes nothing and training goes on; any other error stops it.
      store.set({ error, playing: msg.kind === 'config' ? s.playing : false });
      ui?.fields.mark(msg.field, msg.message);
      message.show(msg.message);
      break;
    }
  }
}
listen(worker);

/** Whether a refused link already made the page start the default lab (once only). */
let startedDefault = false;

const painter = createPainter(document, store, (kind) => ui?.catalog.isCritic(kind) ?? false);

// ---- start -----------------------------------------------------------------------------------

const BACKENDS = ['auto', 'webgpu', 'cpu'];
/** What the page's link asked for and did not get, said in one message. */
const ignored = [];
const linkNotUsable = () => message.show(`The link was not all usable: ${ignored.join('; ')}.`);
// A run link (Copy link) in the fragment, else the plain options in the query.
const link = readFragment(location.hash, Object.keys(INITIAL.layers));
const asked = link?.backend ?? params.get('backend') ?? 'auto';
const backend = BACKENDS.includes(asked) ? asked : 'auto';
store.set({ requested: backend });
if (link?.layers) store.set({ layers: Object.freeze(link.layers) });
// When auto races the backends (race.js): `?race=always` races a software adapter too, `off`
// never races. The verdicts so far go to a restarted worker, which need not race again.
const RACES = ['auto', 'always', 'off'];
const race = RACES.includes(params.get('race')) ? params.get('race') : 'auto';
const raced = {};
const start = (preset, patch = null) => send({
  type: ToWorker.START, preset, patch, backend, stepsPerFrame: store.state.stepsPerFrame, slow: store.state.slow,
  race, raced,
});
start(link?.preset ?? params.get('preset') ?? 'ring8', link?.patch ?? null);
if (link) ignored.push(...link.problems);
if (backend !== asked) {
  ignored.push(`the backend "${asked}" is not one of ${BACKENDS.join(', ')}, so this is auto`);
}
if (params.has('race') && race !== params.get('race')) {
  ignored.push(`the race "${params.get('race')}" is not one of ${RACES.join(', ')}, so this is auto`);
}
if (ignored.length) linkNotUsable();
if (params.has('autoplay')) intents.play(true);

// A hidden tab trains nothing (a laptop's battery): the worker pauses while the page is hidden
// and plays on when it is back, if the reader had it playing. The store keeps saying "playing".
document.addEventListener('visibilitychange', () => {
  if (store.state.playing) send({ type: document.hidden ? ToWorker.PAUSE : ToWorker.PLAY });
});
