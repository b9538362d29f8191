// The lab page: one run controller (its worker and store), controls that emit intents, views
// that paint the latest frame. This file turns intents into controller calls and the run's
// events into messages on the page.
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { BACKENDS, RACES } from './protocol.js';
import { isSoftwareAdapter } from './adapters.js';
import { INITIAL, createStore, publicView } from './store.js';
import { Catalog, setIn } from './catalog.js';
import { RunController } from './controller.js';
import { createPainter } from './paint.js';
import { mountFields } from './controls/fields.js';
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
// A run link (Copy link) in the fragment, else the plain options in the query.
const link = readFragment(location.hash, Object.keys(INITIAL.layers));
// When auto races the backends (race.js): `?race=always` races a software adapter too, `off`
// never races. The verdicts so far go to a restarted worker, which need not race again.
const race = RACES.includes(params.get('race')) ? params.get('race') : 'auto';

const store = createStore(INITIAL);
const run = new RunController({
  spawn: () => new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }), store, race,
});
Object.defineProperty(window, 'ganLab', { get: () => publicView(store.state) });
// For tests and the curious: lose the GPU on purpose (GPUDevice.destroy(), as a driver reset
// would) and watch the run carry on on the CPU; trap as a wasm panic; throw a JS bug.
window.ganLabDebug = Object.freeze({
  loseDevice: () => run.debug('lose'),
  crash: () => run.debug('crash'),
  throwError: () => run.debug('throw'),
});
const isDigits = Catalog.isDigits;

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
  run.reset({ config: next });
  if (play) intents.play(true);
}

const intents = {
  play(on) {
    run.play(on);
  },
  step() {
    run.step();
  },
  reset() {
    intents.stopDrawing();
    restart(structuredClone(store.state.draft));
  },
  pace(patch) {
    run.pace(patch);
  },
  setting(path, value, live) {
    const draft = setIn(store.state.draft, path, value);
    if (live) {
      message.clear();
      store.set({ draft });
      run.live(ui.catalog.liveOf(draft));
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
    if (isDigits(draft)) restart(ui.catalog.config(ui.catalog.defaultPreset), { play: false });
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
    run.restore();
  },
  save() {
    run.save();
  },
  async load(file) {
    // No run of this lab saves more (the catalog's limit): refused before it is read into memory.
    const max = ui.catalog.saveMaxBytes;
    if (file.size > max) {
      message.show(`${file.name} is ${Math.round(file.size / 2 ** 20)} MB: not a gan-lab save file (they are at most ${max / 2 ** 20} MB).`);
      return;
    }
    run.load(await file.arrayBuffer());
  },
  /** The digit a conditional run's latent walk draws. */
  walkClass(digit) {
    run.walk(digit);
  },
  backend(name) {
    run.backend(name);
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

/** The badge: where the run trains and why (from the store, which READY, RACED and FALLBACK
 *  update); `unavailable`: why WebGPU is out of reach, from the last READY. */
let unavailable = null;

function showBackend({ backend, adapter, choice, replay }) {
  const el = $('backend');
  el.classList.toggle('cpu', backend === 'cpu');
  el.textContent = backend === 'webgpu'
    ? (isSoftwareAdapter(adapter)
      ? `Training with WebGPU on a software adapter (${adapter}): your CPU emulates a GPU, far slower than the CPU backend${choice ? `; chosen because ${choice}` : ''}.`
      : `Training on your GPU with WebGPU (${adapter})${choice ? `, chosen because ${choice}` : ''}.`) + replayNote(replay)
    : `Training on the CPU (${adapter})${unavailable ? `. WebGPU is not available here: ${unavailable}`
      : choice ? `, chosen because ${choice}` : ''}.`;
}

/** How WebGPU runs the steps (the worker's `replay`, with each frame). */
function replayNote(replay) {
  if (replay === 'replaying') return ' Each step was recorded once and is replayed.';
  if (replay === 'recording') return ' Recording a step, to replay it.';
  // The reason's first line: the device's error goes on with causes and backtraces.
  if (replay?.startsWith('off: ')) return ` Steps run one by one (${replay.slice(5).split('\n')[0]}).`;
  return '';
}

// The badge follows the replay's state as frames report it.
store.subscribe((s, previous) => { if (s.replay !== previous.replay) showBackend(s); });

/** Whether a refused link already made the page start the default lab (once only). */
let startedDefault = false;

run.attach(createPainter(document, store, (kind) => ui?.catalog.isCritic(kind) ?? false));
run.on({
  ready(msg) {
    unavailable = msg.fallbackReason;
    store.set({ draft: structuredClone(msg.config), pending: [] });
    ui ??= mount(new Catalog(msg.catalog));
    showBackend(store.state);
  },
  raced() {
    showBackend(store.state);
  },
  fallback(msg) {
    showBackend(store.state);
    message.show(msg.resumedAt > 0
      ? `WebGPU stopped working (${msg.reason}). Training goes on on the CPU from step ${msg.resumedAt}, the last state kept in memory; ${msg.lost} step${msg.lost === 1 ? '' : 's'} after it ${msg.lost === 1 ? 'was' : 'were'} lost.`
      : `WebGPU stopped working (${msg.reason}) before any state was kept; training starts again on the CPU.`);
  },
  saved(msg) {
    download(new Blob([msg.bytes], { type: 'application/octet-stream' }), `gan-lab-step-${msg.step}.safetensors`);
  },
  loaded(msg) {
    message.show(`Loaded: the run goes on from step ${msg.step}.`);
  },
  diverged(msg) {
    intents.play(false);
    message.show(`The run blew up at step ${msg.step}: a loss or G\u2019s output became NaN or infinite; training stopped. `, {
      label: 'Restore the last good state', run: intents.restore,
    });
  },
  restored(msg) {
    message.clear();
    message.show(`Back at step ${msg.step}, the last state whose losses and outputs were finite. Lower a learning rate before playing on.`);
  },
  /** The worker crashed (a wasm panic, or an error nothing caught): say so and offer a new one,
   *  from the last good state if there is one. The page stays usable meanwhile. */
  crash(reason) {
    const from = run.lastCopy ? `step ${run.lastCopy.step}` : 'the start';
    message.show(`The training worker crashed (${reason}). `, {
      label: `Restart from ${from}`, run: () => { message.clear(); run.restart(); },
    });
  },
  error(msg) {
    const s = store.state;
    if (!s.config && msg.kind === 'config' && !startedDefault) {
      // The link named a preset that does not exist, or settings that were refused: the
      // default lab, saying what was ignored. Never a page stuck at "starting…".
      startedDefault = true;
      run.start({ backend: s.requested });
      if (s.playing) run.play(true); // ?autoplay: the new start plays too
      ignored.push(msg.field === 'preset'
        ? `the preset "${link?.preset ?? params.get('preset')}" does not exist (presets: ${msg.allowed?.join(', ') ?? ''}), so this is the default lab`
        : `its settings were refused (${msg.message}), so this is the default lab`);
      linkNotUsable();
      return;
    }
    ui?.fields.mark(msg.field, msg.message);
    message.show(msg.kind === 'script' ? `A bug in the lab\u2019s code stopped training (${msg.message}); the run is kept, on ${s.backend === 'webgpu' ? 'WebGPU' : 'the CPU'}. Play goes on from here.` : msg.message);
  },
});

// ---- start -----------------------------------------------------------------------------------

/** What the page's link asked for and did not get, said in one message. */
const ignored = [];
const linkNotUsable = () => message.show(`The link was not all usable: ${ignored.join('; ')}.`);
const asked = link?.backend ?? params.get('backend') ?? 'auto';
const backend = BACKENDS.includes(asked) ? asked : 'auto';
if (link?.layers) store.set({ layers: Object.freeze(link.layers) });
run.start({ preset: link?.preset ?? params.get('preset'), patch: link?.patch ?? null, backend });
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
document.addEventListener('visibilitychange', () => run.hold(document.hidden));
