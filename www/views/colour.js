// The one colour scale for D's verdict, shared by the main view, the D/D* panel and the legend:
// purple = "fake" (0), white = undecided (1/2), green = "real" (1), as in GAN Lab. The verdict
// itself (D's scores mapped to [0, 1] under the loss) comes computed from Rust (`dVerdict`).

const FAKE = [118, 62, 168];
const MID = [250, 250, 247];
const REAL = [38, 138, 74];

/** 256-entry RGB lookup table over [0, 1]. */
export const LUT = (() => {
  const lut = new Uint8ClampedArray(256 * 3);
  for (let k = 0; k < 256; k++) {
    const t = k / 255;
    const [a, b, u] = t < 0.5 ? [FAKE, MID, t / 0.5] : [MID, REAL, (t - 0.5) / 0.5];
    for (let c = 0; c < 3; c++) lut[3 * k + c] = a[c] + (b[c] - a[c]) * u;
  }
  return lut;
})();

export const COLOURS = Object.freeze({
  real: 'rgb(20, 100, 45)',
  fake: 'rgb(112, 40, 170)',
  gradient: 'rgba(200, 60, 20, 0.85)',
  manifold: 'rgba(40, 40, 40, 0.35)',
  drawn: 'rgb(220, 120, 0)',
});

/** Where there is too little mass for D* to mean anything, the theory panel fades to this. */
export const NO_MASS = [214, 214, 220];

/** A cells × cells grid of [0, 1] values (row-major, y up) as an image, one pixel per cell.
 *  With `shown` (a [0, 1] weight per cell), each cell fades toward NO_MASS as it goes to 0. */
export function gridImage(values, cells, shown = null) {
  const image = new ImageData(cells, cells);
  for (let j = 0; j < cells; j++) {
    const row = cells - 1 - j; // y grows upwards on screen
    for (let i = 0; i < cells; i++) {
      const v = values[j * cells + i];
      const k = 3 * Math.round(255 * (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0.5));
      const w = shown ? shown[j * cells + i] : 1;
      const p = 4 * (row * cells + i);
      for (let c = 0; c < 3; c++) image.data[p + c] = w * LUT[k + c] + (1 - w) * NO_MASS[c];
      image.data[p + 3] = 255;
    }
  }
  return image;
}

/** Draws a grid image scaled smoothly over [x, y, size, size] of ctx (`shown`: see gridImage). */
export function drawGrid(ctx, values, cells, x, y, w, h, shown = null) {
  const tile = new OffscreenCanvas(cells, cells);
  tile.getContext('2d').putImageData(gridImage(values, cells, shown), 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(tile, x, y, w, h);
}
