// The theory panel's pictures: the learned D beside the optimal D* = Pr/(Pr+Pg), on one colour
// scale, and that scale's legend. Pure draw functions of a plane frame.
import { LUT, drawGrid } from './colour.js';
import { t as english } from '../i18n/index.js';

/** How much to show each cell of the theory panel: 1 where (Pr+Pg)/2 has at least
 *  `massShown` of a uniform law's mass, fading linearly to 0 where it has none. D* there is a
 *  ratio of two near-zeros that a few stray samples of G decide; D is faded alike, so the two
 *  pictures compare like for like. (Frames from before the fade have no massGrid.) */
const weights = new WeakMap();
function shown(frame) {
  if (!frame.massGrid) return null;
  if (!weights.has(frame)) weights.set(frame, frame.massGrid.map((m) => Math.min(1, m / frame.massShown)));
  return weights.get(frame);
}

/** D(x) over the view, as the main view colours it, faded where there is no mass. */
export function drawD(ctx, frame) {
  const { width, height } = ctx.canvas;
  drawGrid(ctx, frame.dVerdict, frame.gridCells, 0, 0, width, height, shown(frame));
}

/** What the ends of the colour scale stand for: D's probability, or a critic's range. */
export function scaleLabels(frame, t = english) {
  const range = frame.criticRange;
  return range
    ? { low: t('legend.critic', { value: range[0].toFixed(2) }), high: t('legend.critic', { value: range[1].toFixed(2) }), probability: false }
    : { low: t('legend.fake'), high: t('legend.real'), probability: true };
}

/** D*(x) = Pr/(Pr+Pg) over the view, Pg estimated from G's samples, faded where there is no mass. */
export function drawDStar(ctx, frame) {
  const { width, height } = ctx.canvas;
  drawGrid(ctx, frame.dStarGrid, frame.gridCells, 0, 0, width, height, shown(frame));
}

/** A horizontal colour bar with its two ends and the middle labelled. */
export function drawLegend(ctx, frame, scale = 1, t = english) {
  const { low, high } = scaleLabels(frame, t);
  const { width, height } = ctx.canvas;
  ctx.clearRect(0, 0, width, height);
  const bar = Math.round(10 * scale);
  // The scale is linear between its three anchors, so a three-stop gradient draws it exactly.
  const gradient = ctx.createLinearGradient(0, 0, width, 0);
  for (const t of [0, 0.5, 1]) {
    const k = 3 * Math.round(255 * t);
    gradient.addColorStop(t, `rgb(${LUT[k]}, ${LUT[k + 1]}, ${LUT[k + 2]})`);
  }
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, width, bar);
  ctx.fillStyle = '#333';
  ctx.font = `${Math.round(11 * scale)}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  const y = bar + 2 * scale;
  ctx.textAlign = 'left';
  ctx.fillText(low, 0, y);
  ctx.textAlign = 'center';
  ctx.fillText('½', width / 2, y);
  ctx.textAlign = 'right';
  ctx.fillText(high, width, y);
}

