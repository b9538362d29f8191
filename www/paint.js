// Paints the latest frame once per animation frame, and only when something it shows changed:
// the plane view (main view, legend, D beside D*, readouts) or the digits view, and the
// charts from the history of frames. The views are pure draw functions; this file only
// decides which, on which canvas.
import { draw as drawPlane } from './views/plane.js';
import { drawD, drawDStar, drawLegend, scaleLabels } from './views/theory.js';
import { Charts } from './views/charts.js';
import { draw as drawDigits } from './views/digits.js';
import { draw as drawReadout, drawGap, drawQuality } from './views/readout.js';
import { History } from './history.js';
import { t as english } from './i18n/index.js';

/** A conditional run's grid rows: one digit each. */
const DIGIT_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

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

/** Marks `host` with the kind of run it shows (`digits-mode` or `plane-mode`), so the views of
 *  the other kind are hidden. */
export function markKind(host, kind) {
  host.classList.toggle('digits-mode', kind === 'digits');
  host.classList.toggle('plane-mode', kind === 'plane');
}

/** Paints into `root` (the page's document, or a figure's shadow root): only the views it has.
 *  `host` gets the class `digits-mode` in digits runs; `t` looks up the strings; without
 *  `charts` the history is kept for someone else's charts (compare mode overlays two runs). */
export function createPainter(root, store, isCritic, { host = root.body, t = english, charts: withCharts = true } = {}) {
  const $ = (id) => root.getElementById(id);
  const history = new History();
  const charts = withCharts ? new Charts(root, t) : null;
  const text = (id, value) => { const el = $(id); if (el) el.textContent = value; };
  let dirty = true;
  store.subscribe((s, old) => {
    if (s.frame !== old.frame || s.layers !== old.layers || s.drawing !== old.drawing || s.drawn !== old.drawn) dirty = true;
  });

  function paintPlane(frame, s) {
    const canvases = ['plane', 'legend', 'd-map', 'dstar-map'].map($);
    if (canvases.filter(Boolean).map(fit).some(Boolean)) dirty = true;
    if (!dirty) return;
    dirty = false;
    const [plane, legend, dMap, starMap] = canvases.map((c) => c?.getContext('2d'));
    const layers = s.drawing ? { ...s.layers, fake: false, gradients: false, manifold: false } : s.layers;
    if (plane) drawPlane(plane, frame, { layers, scale: devicePixelRatio, drawn: s.drawing ? s.drawn : [] });
    if (legend) drawLegend(legend, frame, devicePixelRatio, t);
    if (dMap) drawD(dMap, frame);
    if (starMap) drawDStar(starMap, frame);
    const note = $('critic-note');
    if (note) note.hidden = scaleLabels(frame, t).probability;
    text('phase', frame.phase ? t(`phase.${frame.phase}`) : '');
    if ($('gap')) drawGap($('gap'), frame);
    if ($('readout')) drawReadout($('readout'), frame, t);
  }

  function paintDigits(frame, s) {
    const canvases = ['digits-grid', 'digits-real', 'digits-strip'].map($);
    if (canvases.filter(Boolean).map(fit).some(Boolean)) dirty = true;
    if (!dirty) return;
    dirty = false;
    // A conditional run's grid has a row per digit, 0 to 9: say which.
    const rows = s.config?.conditional ? DIGIT_NAMES : null;
    for (const [canvas, images, cols, labels] of [[canvases[0], frame.samples, 8, rows], [canvases[1], frame.real, 8], [canvases[2], frame.strip, 10]]) {
      if (canvas) drawDigits(canvas.getContext('2d'), images, cols, labels);
    }
    text('phase', '');
    if ($('digits-quality')) drawQuality($('digits-quality'), frame, t);
    if ($('readout')) drawReadout($('readout'), frame, t);
  }

  function paint() {
    const s = store.state;
    const frame = s.frame;
    markKind(host, frame?.kind);
    if (frame?.kind === 'digits') paintDigits(frame, s);
    else if (frame) paintPlane(frame, s);
    if (s.config) charts?.update([history], [{ critic: isCritic(s.config.loss.kind) }]);
    if (running) requestAnimationFrame(paint);
  }
  let running = true;
  requestAnimationFrame(paint);

  return {
    history,
    /** Adds a frame's losses and metrics to the charts' history. */
    record: (frame) => history.push(frame),
    /** The run went back to `step`: forget the history after it. */
    truncate: (step) => history.truncate(step),
    clear: () => history.clear(),
    /** Stops painting (a figure taken off the page). */
    stop: () => { running = false; },
  };
}
