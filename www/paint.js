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

const PHASE_TEXT = {
  d: 'D just moved: the background changed, G\u2019s points did not.',
  g: 'G just moved: its points followed the arrows; D did not change.',
};

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

export function createPainter(doc, store, isCritic) {
  const $ = (id) => doc.getElementById(id);
  const history = new History();
  const charts = new Charts(doc);
  let dirty = true;
  store.subscribe((s, old) => {
    if (s.frame !== old.frame || s.layers !== old.layers || s.drawing !== old.drawing || s.drawn !== old.drawn) dirty = true;
  });

  function paintPlane(frame, s) {
    const canvases = ['plane', 'legend', 'd-map', 'dstar-map'].map($);
    if (canvases.map(fit).some(Boolean)) dirty = true;
    if (!dirty) return;
    dirty = false;
    const [plane, legend, dMap, starMap] = canvases.map((c) => c.getContext('2d'));
    const layers = s.drawing ? { ...s.layers, fake: false, gradients: false, manifold: false } : s.layers;
    drawPlane(plane, frame, { layers, scale: devicePixelRatio, drawn: s.drawing ? s.drawn : [] });
    drawLegend(legend, frame, devicePixelRatio);
    drawD(dMap, frame);
    drawDStar(starMap, frame);
    $('critic-note').hidden = scaleLabels(frame).probability;
    $('phase').textContent = frame.phase ? PHASE_TEXT[frame.phase] : '';
    drawGap($('gap'), frame);
    drawReadout($('readout'), frame);
  }

  function paintDigits(frame) {
    const canvases = ['digits-grid', 'digits-real', 'digits-strip'].map($);
    if (canvases.map(fit).some(Boolean)) dirty = true;
    if (!dirty) return;
    dirty = false;
    for (const [canvas, images, cols] of [[canvases[0], frame.samples, 8], [canvases[1], frame.real, 8], [canvases[2], frame.strip, 10]]) {
      drawDigits(canvas.getContext('2d'), images, cols);
    }
    $('phase').textContent = '';
    drawQuality($('digits-quality'), frame);
    drawReadout($('readout'), frame);
  }

  function paint() {
    const s = store.state;
    const frame = s.frame;
    doc.body.classList.toggle('digits-mode', frame?.kind === 'digits');
    if (frame?.kind === 'digits') paintDigits(frame);
    else if (frame) paintPlane(frame, s);
    if (s.config) charts.update(history, { critic: isCritic(s.config.loss.kind) });
    requestAnimationFrame(paint);
  }
  requestAnimationFrame(paint);

  return {
    /** Adds a frame's losses and metrics to the charts' history. */
    record: (frame) => history.push(frame),
    /** The run went back to `step`: forget the history after it. */
    truncate: (step) => history.truncate(step),
    clear: () => history.clear(),
  };
}
