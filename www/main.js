// The lab page's glue. Controls turn into intents sent to the training worker; the worker's
// snapshots are kept (history) and the latest one is painted once per animation frame.
import './style.css';
import { ToWorker, FromWorker } from './protocol.js';
import { LAYERS, LAYER_TIPS, draw, projection } from './views/plane.js';
import { drawD, drawDStar, drawLegend } from './views/theory.js';
import { Charts } from './views/charts.js';
import { COLOURS, verdict } from './views/colour.js';
import { draw as drawDigits } from './views/digits.js';
import { History } from './history.js';
import { buildControls, optimizer, set } from './controls.js';
import { LESSONS } from './lessons.js';

const params = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const send = (msg) => worker.postMessage(msg);

/** The page's state as tests (and curious readers, from the console) see it. */
const state = (window.ganLab = {
  step: 0, snapshots: 0, backend: null, adapter: null, fallback: null, error: null,
  kind: null, metrics: null, quality: null, phase: null, playing: false, lesson: null, presets: [], config: null, live: null,
});

const DATA_LABELS = {
  ring8: '8 Gaussians on a ring', grid25: '25 Gaussians on a grid', 'two-gaussians': 'two Gaussians',
  ring: 'a ring', spiral: 'a spiral', moons: 'two moons',
  'digits-dcgan': 'MNIST digits, DCGAN', 'digits-mlp': 'MNIST digits, MLP',
};
const isDigits = (c) => c?.data.kind === 'mnist';
const LESSON_NAMES = new Set(LESSONS.map((l) => l.preset));
/** Spread of each drawn point's Gaussian, in plane units. */
const DRAWN_STD = 0.08;

let presets = {}; // name → config, from the worker
let config = null; // the running game's config
let draft = null; // what the controls show: config plus edits not yet applied
const pending = new Set(); // edited paths that wait for a reset
let latest = null;
let dirty = true;
let drawing = false;
let drawn = [];
const history = new History();
const layers = { heatmap: true, real: true, fake: true, gradients: true, manifold: false };

const clone = (v) => structuredClone(v);
const liveSettings = (c) => ({
  generator_lr: c.generator.optimizer.lr, discriminator_lr: c.discriminator.optimizer.lr,
  loss: c.loss, d_steps: c.d_steps, batch_size: c.batch_size,
});

// ---- messages -------------------------------------------------------------------------------

function showMessage(text, action) {
  const box = $('message');
  box.replaceChildren(text);
  if (action) {
    const b = document.createElement('button');
    b.textContent = action.label;
    b.onclick = action.run;
    box.append(b);
  }
  box.hidden = false;
}
const clearMessage = () => { $('message').hidden = true; controls.mark(null); };

worker.onmessage = ({ data: msg }) => {
  switch (msg.type) {
    case FromWorker.READY:
      Object.assign(state, { backend: msg.backend, adapter: msg.adapter, error: null });
      presets = msg.presets;
      state.presets = Object.keys(presets);
      config = msg.config;
      draft = clone(config);
      state.config = config;
      state.live = liveSettings(config);
      pending.clear();
      showBackend(msg);
      fillDataChoices(state.presets);
      syncControls();
      break;
    case FromWorker.SNAPSHOT:
      latest = msg;
      dirty = true;
      history.push(msg);
      Object.assign(state, {
        step: msg.step, kind: msg.kind, metrics: msg.metrics ?? null, quality: msg.quality ?? null, phase: msg.phase,
      });
      state.snapshots += 1;
      break;
    case FromWorker.LIVE_APPLIED: {
      const l = msg.live;
      Object.assign(config, { loss: l.loss, d_steps: l.d_steps, batch_size: l.batch_size });
      config.generator.optimizer.lr = l.generator_lr;
      config.discriminator.optimizer.lr = l.discriminator_lr;
      state.live = l;
      state.error = null;
      dirty = true;
      break;
    }
    case FromWorker.FALLBACK:
      state.fallback = msg.reason;
      break;
    case FromWorker.DIVERGED:
      setPlaying(false);
      showMessage(`A loss became NaN or infinite at step ${msg.step}; training stopped. `, {
        label: 'Restore the last good state', run: () => send({ type: ToWorker.RESTORE }),
      });
      break;
    case FromWorker.RESTORED:
      history.truncate(msg.step);
      clearMessage();
      showMessage(`Back at step ${msg.step}, the last state with finite losses. Lower a learning rate before playing on.`);
      break;
    case FromWorker.ERROR: {
      state.error = msg.message;
      const field = /`([^`]+)`/.exec(msg.message)?.[1] ?? null;
      controls.mark(field, msg.message);
      showMessage(msg.message);
      if (!latest) setPlaying(false);
      break;
    }
  }
};

function showBackend(msg) {
  const el = $('backend');
  el.classList.toggle('cpu', msg.backend === 'cpu');
  el.textContent = msg.backend === 'webgpu'
    ? `Training on your GPU with WebGPU (${msg.adapter}).`
    : `Training on the CPU (${msg.adapter})${msg.fallbackReason ? `. WebGPU is not available here: ${msg.fallbackReason}` : ''}.`;
}

// ---- controls -------------------------------------------------------------------------------

const controls = buildControls($('fields'), (field, value) => {
  if (field.path.endsWith('optimizer.kind')) {
    const who = field.path.split('.')[0];
    draft[who].optimizer = optimizer(value, draft[who].optimizer.lr);
  } else {
    set(draft, field.path, value);
  }
  if (field.live) {
    clearMessage();
    send({ type: ToWorker.LIVE, live: liveSettings(draft) });
  } else {
    pending.add(field.path);
  }
  syncControls();
});

function syncControls() {
  if (!draft) return;
  controls.sync(draft, pending);
  $('pending').hidden = pending.size === 0;
  $('reset').classList.toggle('attention', pending.size > 0);
  // Digits presets share their data and differ by architecture.
  const match = Object.keys(DATA_LABELS).find((name) => presets[name] && same(presets[name].data, draft.data)
    && (!isDigits(draft) || presets[name].model === draft.model));
  $('data').value = drawing || draft.data.kind === 'points' ? 'draw' : match ?? '';
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function fillDataChoices(names) {
  const select = $('data');
  if (select.options.length) return;
  for (const name of names.filter((n) => !LESSON_NAMES.has(n))) {
    select.add(new Option(DATA_LABELS[name] ?? name, name));
  }
  select.add(new Option('draw your own…', 'draw'));
}

/** Starts over from `next` (a config), keeping nothing of the old run but its device. */
function restart(next, { play = state.playing } = {}) {
  clearMessage();
  history.clear();
  // The old picture stays up until the new run's first snapshot replaces it.
  Object.assign(state, { step: 0, snapshots: 0, metrics: null, phase: null });
  send({ type: ToWorker.RESET, config: next });
  if (play) setPlaying(true);
}

$('data').addEventListener('change', (e) => {
  const name = e.target.value;
  setLesson(null);
  if (name === 'draw') {
    // Points are drawn on the plane: from digits, go back to it first (the default preset).
    if (isDigits(draft)) restart(clone(presets.ring8), { play: false });
    startDrawing();
    return;
  }
  stopDrawing();
  const next = presets[name];
  // Between the plane and digits the whole preset comes along (sizes, architecture, learning
  // rates); within the plane only the distribution changes and the reader's settings stay.
  if (isDigits(next) || isDigits(draft)) restart(clone(next));
  else restart({ ...draft, data: clone(next.data) });
});

function setLesson(lesson) {
  state.lesson = lesson?.preset ?? null;
  $('lesson-text').textContent = lesson?.text ?? '';
  for (const b of $('lessons').children) b.setAttribute('aria-pressed', String(b.dataset.preset === state.lesson));
}

for (const lesson of LESSONS) {
  const b = document.createElement('button');
  b.textContent = lesson.title;
  b.dataset.preset = lesson.preset;
  b.setAttribute('aria-pressed', 'false');
  b.title = lesson.text;
  b.onclick = () => {
    stopDrawing();
    setLesson(lesson);
    restart(clone(presets[lesson.preset]), { play: true });
  };
  $('lessons').append(b);
}

// ---- transport ------------------------------------------------------------------------------

function setPlaying(on) {
  state.playing = on;
  $('play').textContent = on ? 'Pause' : 'Play';
  $('play').setAttribute('aria-pressed', String(on));
  send({ type: on ? ToWorker.PLAY : ToWorker.PAUSE });
}
const sendSpeed = () => send({
  type: ToWorker.SPEED, stepsPerChunk: Number($('speed').value), slow: $('slow').checked,
});

$('play').onclick = () => setPlaying(!state.playing);
$('step').onclick = () => {
  state.playing = false;
  $('play').textContent = 'Play';
  send({ type: $('slow').checked ? ToWorker.HALF_STEP : ToWorker.STEP });
};
$('reset').onclick = () => {
  stopDrawing();
  restart(clone(draft));
};
$('speed').oninput = () => {
  $('speed-value').textContent = $('speed').value;
  sendSpeed();
};
$('slow').onchange = sendSpeed;

document.addEventListener('keydown', (e) => {
  if (e.target.closest('input, select, textarea, button') || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === ' ') { e.preventDefault(); $('play').click(); }
  else if (e.key === '.') $('step').click();
  else if (e.key === 'r') $('reset').click();
});

// ---- layers ---------------------------------------------------------------------------------

const SWATCH = { real: COLOURS.real, fake: COLOURS.fake, gradients: COLOURS.gradient, manifold: COLOURS.manifold };
for (const [key, label] of Object.entries(LAYERS)) {
  const l = document.createElement('label');
  l.title = LAYER_TIPS[key];
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.checked = layers[key];
  box.onchange = () => { layers[key] = box.checked; dirty = true; };
  l.append(box);
  if (SWATCH[key]) {
    const s = document.createElement('span');
    s.className = 'swatch';
    s.style.background = SWATCH[key];
    l.append(s);
  }
  l.append(label);
  document.querySelector('.layers').append(l);
}

// ---- draw your own --------------------------------------------------------------------------

function startDrawing() {
  drawing = true;
  setPlaying(false);
  drawn = draft.data.kind === 'points' ? clone(draft.data.points) : [];
  $('draw-tools').hidden = false;
  $('plane').classList.add('drawing');
  dirty = true;
}
function stopDrawing() {
  if (!drawing) return;
  drawing = false;
  $('draw-tools').hidden = true;
  $('plane').classList.remove('drawing');
  dirty = true;
}

function addPoint(e) {
  if (!drawing || latest?.kind !== 'plane') return;
  const canvas = $('plane');
  const box = canvas.getBoundingClientRect();
  const scale = canvas.width / box.width;
  const p = projection(canvas.getContext('2d'), latest.halfWidth);
  const [x, y] = p.fromPx((e.clientX - box.left) * scale, (e.clientY - box.top) * scale);
  const last = drawn.at(-1);
  if (e.type === 'pointermove' && last && Math.hypot(x - last[0], y - last[1]) < 3 * DRAWN_STD) return;
  drawn.push([+x.toFixed(3), +y.toFixed(3)]);
  dirty = true;
}
$('plane').addEventListener('pointerdown', (e) => { $('plane').setPointerCapture(e.pointerId); addPoint(e); });
$('plane').addEventListener('pointermove', (e) => { if (e.buttons) addPoint(e); });
$('draw-clear').onclick = () => { drawn = []; dirty = true; };
$('draw-train').onclick = () => {
  if (!drawn.length) {
    showMessage('Place at least one point on the plane first.');
    return;
  }
  const next = { ...draft, data: { kind: 'points', points: drawn, std: DRAWN_STD } };
  stopDrawing();
  restart(next, { play: true });
};

// ---- painting -------------------------------------------------------------------------------

const charts = new Charts(document);

/** Sizes a canvas's backing store to its CSS box in device pixels; true if it changed. */
function fit(canvas) {
  const box = canvas.getBoundingClientRect();
  const w = Math.max(1, Math.round(box.width * devicePixelRatio));
  const h = Math.max(1, Math.round(box.height * devicePixelRatio));
  if (canvas.width === w && canvas.height === h) return false;
  canvas.width = w;
  canvas.height = h;
  return true;
}

const PHASE_TEXT = {
  d: 'D just moved: the background changed, G\u2019s points did not.',
  g: 'G just moved: its points followed the arrows; D did not change.',
};

function paintDigits(snap) {
  for (const [id, images, cols] of [['digits-grid', snap.samples, 8], ['digits-real', snap.real, 8], ['digits-strip', snap.strip, 10]]) {
    const canvas = $(id);
    drawDigits(canvas.getContext('2d'), images, cols);
  }
  $('phase').textContent = '';
  digitsReadout(snap);
}

function paint() {
  const digitsMode = latest?.kind === 'digits';
  document.body.classList.toggle('digits-mode', digitsMode);
  if (digitsMode) {
    if (['digits-grid', 'digits-real', 'digits-strip'].map($).map(fit).some(Boolean)) dirty = true;
    if (dirty) {
      dirty = false;
      paintDigits(latest);
    }
    if (config) charts.update(history, config.loss.kind);
    requestAnimationFrame(paint);
    return;
  }
  const canvases = ['plane', 'legend', 'd-map', 'dstar-map'].map($);
  if (canvases.map(fit).some(Boolean)) dirty = true;
  if (latest && dirty) {
    dirty = false;
    const snap = latest;
    const lossKind = (config ?? draft).loss.kind;
    const scale = devicePixelRatio;
    const [plane, legend, dMap, starMap] = canvases.map((c) => c.getContext('2d'));
    const shown = drawing ? { ...layers, fake: false, gradients: false, manifold: false } : layers;
    // D's grid mapped to colours once, for the main view, the legend and the theory panel.
    const v = verdict(snap.dGrid, lossKind);
    draw(plane, snap, { layers: shown, dValues: v.values, scale, drawn: drawing ? drawn : [] });
    drawLegend(legend, v, scale);
    drawD(dMap, snap, v.values);
    drawDStar(starMap, snap);
    $('critic-note').hidden = v.probability;
    $('phase').textContent = snap.phase ? PHASE_TEXT[snap.phase] : '';
    readout(snap);
  }
  if (config) charts.update(history, config.loss.kind);
  requestAnimationFrame(paint);
}

const fixed = (v, d = 3) => (v == null || !Number.isFinite(v) ? '–' : v.toFixed(d));

function items(list) {
  return list.map(([k, v]) => {
    const item = document.createElement('span');
    const key = document.createElement('b');
    key.textContent = k;
    item.append(key, ` ${v}`);
    return item;
  });
}

function digitsReadout(snap) {
  const q = snap.quality;
  $('digits-quality').replaceChildren(...items([
    ['classes', `${q.classes_present}/10`],
    ['confident', `${fixed(100 * q.confident_fraction, 1)}%`],
    ['class KL', fixed(q.class_kl)],
    ['mean D score, real', fixed(q.d_real, 2)],
    ['on G\u2019s', fixed(q.d_fake, 2)],
  ]));
  $('readout').replaceChildren(...items([
    ['step', snap.step],
    ['steps/s', fixed(snap.stepsPerSecond, 1)],
    ['worker ms/frame', fixed(snap.workMs, 1)],
    ['D loss', fixed(snap.dLosses.at(-1))],
    ['G loss', fixed(snap.gLosses.at(-1))],
  ]));
}

function readout(snap) {
  const m = snap.metrics;
  $('gap').textContent = fixed(m.d_star_gap, 2);
  const list = [
    ['step', snap.step],
    ['steps/s', fixed(snap.stepsPerSecond, 1)],
    ['worker ms/frame', fixed(snap.workMs, 1)],
    ['D loss', fixed(snap.dLosses.at(-1))],
    ['G loss', fixed(snap.gLosses.at(-1))],
    ['V(D,G)', m.value == null ? '–' : `${fixed(m.value)} (floor −1.386)`],
    ['modes', `${m.modes_covered}/${m.modes_total}`],
    ['high quality', `${fixed(100 * m.high_quality, 1)}%`],
    ['JS', fixed(m.js_divergence)],
    ['D accuracy', `${fixed(100 * m.d_accuracy, 0)}%`],
  ];
  if (m.wasserstein_estimate != null) list.push(['W estimate', fixed(m.wasserstein_estimate)]);
  $('readout').replaceChildren(...items(list));
}

requestAnimationFrame(paint);

// ---- start ----------------------------------------------------------------------------------

send({ type: ToWorker.START, preset: params.get('preset') ?? 'ring8', backend: params.get('backend') ?? 'auto' });
sendSpeed();
if (params.has('autoplay')) setPlaying(true);
