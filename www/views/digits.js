// The digits view: tiles of 28×28 digits from the worker's flat Float32Arrays (pixels in
// [−1, 1]). Each image is written pixel for pixel into an ImageData, then scaled up without
// smoothing, so the reader sees exactly what G produced.

const SIDE = 28;
const PIXELS = SIDE * SIDE;
/** Background between tiles, in device pixels. */
const GAP = 2;

/**
 * Draws `images` (n × 784) as a grid of `cols` columns filling `ctx`'s canvas; dark ink on
 * white, as digits are read on paper. `rowLabels` (one string a row, e.g. a conditional run's
 * digits 0–9) are written left of the rows.
 */
export function draw(ctx, images, cols, rowLabels = null) {
  const n = Math.floor(images.length / PIXELS);
  const rows = Math.ceil(n / cols);
  const { width, height } = ctx.canvas;
  // A label column as wide as two thirds of a tile, when there are labels.
  const slots = cols + (rowLabels ? 0.67 : 0);
  const tile = Math.max(1, Math.floor(Math.min((width - GAP * (cols - 1)) / slots, (height - GAP * (rows - 1)) / rows)));
  const margin = rowLabels ? Math.round(0.67 * tile) : 0;
  const sheet = new ImageData(cols * SIDE, rows * SIDE);
  for (let k = 0; k < n; k++) {
    const ox = (k % cols) * SIDE;
    const oy = Math.floor(k / cols) * SIDE;
    for (let p = 0; p < PIXELS; p++) {
      const ink = Math.min(1, Math.max(0, (images[k * PIXELS + p] + 1) / 2));
      const v = Math.round(255 * (1 - ink));
      const at = 4 * ((oy + Math.floor(p / SIDE)) * cols * SIDE + ox + (p % SIDE));
      sheet.data[at] = sheet.data[at + 1] = sheet.data[at + 2] = v;
      sheet.data[at + 3] = 255;
    }
  }
  const scratch = new OffscreenCanvas(sheet.width, sheet.height);
  scratch.getContext('2d').putImageData(sheet, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.imageSmoothingEnabled = false;
  const left = margin + Math.floor((width - margin - (cols * tile + (cols - 1) * GAP)) / 2);
  for (let k = 0; k < n; k++) {
    const [c, r] = [k % cols, Math.floor(k / cols)];
    ctx.drawImage(scratch, c * SIDE, r * SIDE, SIDE, SIDE, left + c * (tile + GAP), r * (tile + GAP), tile, tile);
  }
  if (rowLabels) {
    ctx.fillStyle = '#555';
    ctx.font = `${Math.round(0.5 * tile)}px system-ui, sans-serif`;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    rowLabels.slice(0, rows).forEach((label, r) => ctx.fillText(label, left - GAP - 0.15 * tile, r * (tile + GAP) + tile / 2));
  }
}
