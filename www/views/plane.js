// The main view: D's verdict as a heatmap, real points, G's points from a fixed noise batch,
// where G's loss pushes them, and G's manifold. A pure draw(ctx, frame, options).
import { COLOURS, drawGrid } from './colour.js';

/** Which layers the main view draws; the page's toggles edit a copy of this. */
export const LAYERS = Object.freeze({
  heatmap: 'D(x) heatmap',
  real: 'real samples',
  fake: 'generated samples',
  gradients: "G's gradients",
  manifold: "G's manifold",
});

/** What each layer shows, for its toggle's tooltip. */
export const LAYER_TIPS = Object.freeze({
  heatmap: "D's verdict at every point: green where D says real, purple where it says fake. G's samples are pushed toward green.",
  real: 'Samples from the real distribution Pr, the target G must imitate.',
  fake: "G's samples from one fixed batch of noise, so you watch the same points move.",
  gradients: "Where G's loss pushes each sample (every 8th shown): G climbs D's verdict. Short arrows mean G gets little signal.",
  manifold: "G's image of a square grid in its first two noise coordinates: folds and stretches show how G bends noise onto the modes.",
});

/** Plane coordinates ↔ canvas pixels for a square view of half width `half`. */
export function projection(ctx, half) {
  const size = Math.min(ctx.canvas.width, ctx.canvas.height);
  return {
    size,
    x: (v) => ((v + half) / (2 * half)) * size,
    y: (v) => size - ((v + half) / (2 * half)) * size,
    fromPx: (px, py) => [(px / size) * 2 * half - half, ((size - py) / size) * 2 * half - half],
  };
}

/**
 * @param snap a plane frame (FromWorker.FRAME, kind "plane")
 * @param options {layers: {[name]: boolean}, scale: number (device pixels per CSS pixel),
 *   drawn: [x, y][] (points placed in draw-your-own mode)}
 */
export function draw(ctx, snap, { layers, scale = 1, drawn = [] }) {
  const half = snap.halfWidth;
  const p = projection(ctx, half);
  const r = 1.6 * scale;
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  if (layers.heatmap) {
    drawGrid(ctx, snap.dVerdict, snap.gridCells, 0, 0, p.size, p.size);
  } else {
    ctx.fillStyle = '#fafaf7';
    ctx.fillRect(0, 0, p.size, p.size);
  }
  axes(ctx, p, half, scale);

  if (layers.manifold) {
    // The latent grid's rows and columns, drawn as polylines: folds and stretches show where
    // G squeezes latent space onto the modes.
    const n = snap.manifoldSide;
    const m = snap.manifold;
    ctx.strokeStyle = COLOURS.manifold;
    ctx.lineWidth = scale;
    ctx.beginPath();
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        const row = 2 * (a * n + b);
        if (b === 0) ctx.moveTo(p.x(m[row]), p.y(m[row + 1]));
        else ctx.lineTo(p.x(m[row]), p.y(m[row + 1]));
      }
      for (let b = 0; b < n; b++) {
        const col = 2 * (b * n + a);
        if (b === 0) ctx.moveTo(p.x(m[col]), p.y(m[col + 1]));
        else ctx.lineTo(p.x(m[col]), p.y(m[col + 1]));
      }
    }
    ctx.stroke();
  }

  if (layers.real) dots(ctx, p, snap.real, r, COLOURS.real);

  if (layers.gradients) {
    // Every 8th point: arrows for all 2,500 would hide the samples. Lengths are scaled so the
    // longest is 8% of the view: direction and relative size are what matter.
    const g = snap.gGrad;
    const longest = maxNorm(g) || 1;
    const k = (0.08 * 2 * half) / longest;
    ctx.strokeStyle = COLOURS.gradient;
    ctx.lineWidth = scale;
    ctx.beginPath();
    for (let i = 0; i < snap.fake.length; i += 16) {
      const [x, y] = [snap.fake[i], snap.fake[i + 1]];
      arrow(ctx, p.x(x), p.y(y), p.x(x + k * g[i]), p.y(y + k * g[i + 1]), 3 * scale);
    }
    ctx.stroke();
  }

  if (layers.fake) dots(ctx, p, snap.fake, r, COLOURS.fake);

  if (drawn.length) {
    const flat = drawn.flat();
    dots(ctx, p, flat, 3.5 * scale, COLOURS.drawn);
  }
}

function dots(ctx, p, xy, r, colour) {
  ctx.fillStyle = colour;
  ctx.beginPath();
  for (let k = 0; k < xy.length; k += 2) {
    const [x, y] = [p.x(xy[k]), p.y(xy[k + 1])];
    ctx.moveTo(x + r, y);
    ctx.arc(x, y, r, 0, 2 * Math.PI);
  }
  ctx.fill();
}

function arrow(ctx, x0, y0, x1, y1, head) {
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  const a = Math.atan2(y1 - y0, x1 - x0);
  if (Math.hypot(x1 - x0, y1 - y0) < head) return;
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - head * Math.cos(a - 0.5), y1 - head * Math.sin(a - 0.5));
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - head * Math.cos(a + 0.5), y1 - head * Math.sin(a + 0.5));
}

/** Light axes through the origin with integer ticks, so positions can be read off. */
function axes(ctx, p, half, scale) {
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.18)';
  ctx.lineWidth = scale;
  ctx.beginPath();
  ctx.moveTo(p.x(-half), p.y(0));
  ctx.lineTo(p.x(half), p.y(0));
  ctx.moveTo(p.x(0), p.y(-half));
  ctx.lineTo(p.x(0), p.y(half));
  const tick = 3 * scale;
  for (let v = Math.ceil(-half); v <= half; v++) {
    if (v === 0) continue;
    ctx.moveTo(p.x(v), p.y(0) - tick);
    ctx.lineTo(p.x(v), p.y(0) + tick);
    ctx.moveTo(p.x(0) - tick, p.y(v));
    ctx.lineTo(p.x(0) + tick, p.y(v));
  }
  ctx.stroke();
}

function maxNorm(v) {
  let m = 0;
  for (let k = 0; k < v.length; k += 2) m = Math.max(m, Math.hypot(v[k], v[k + 1]));
  return m;
}
