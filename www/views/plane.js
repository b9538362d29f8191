// The 2-D view: D's verdict as a heatmap, real points, G's points and where G's loss pushes them.
// A pure draw(ctx, snapshot): no state, no wasm.

const sigmoid = (s) => 1 / (1 + Math.exp(-s));

/** D's score → a probability-like value in [0, 1] for colouring (logits pass through σ). */
function shade(score, scoreIsLogit) {
  return scoreIsLogit ? sigmoid(score) : Math.min(1, Math.max(0, score));
}

export function draw(ctx, snap, { scoreIsLogit = true } = {}) {
  const { width, height } = ctx.canvas;
  const size = Math.min(width, height);
  const toPx = (v) => ((v + snap.halfWidth) / (2 * snap.halfWidth)) * size;

  // Heatmap: one pixel per grid cell, scaled up smoothly. Green = "real", purple = "fake".
  const n = snap.gridCells;
  const image = new ImageData(n, n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const d = shade(snap.dGrid[j * n + i], scoreIsLogit);
      const row = n - 1 - j; // y grows upwards on screen
      const p = 4 * (row * n + i);
      image.data[p] = 255 - 120 * d;
      image.data[p + 1] = 200 + 55 * d - 80 * (1 - d);
      image.data[p + 2] = 255 - 100 * d;
      image.data[p + 3] = 255;
    }
  }
  const tile = new OffscreenCanvas(n, n);
  tile.getContext('2d').putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(tile, 0, 0, size, size);

  const dot = (x, y, r) => {
    ctx.moveTo(toPx(x) + r, size - toPx(y));
    ctx.arc(toPx(x), size - toPx(y), r, 0, 2 * Math.PI);
  };
  ctx.fillStyle = 'rgba(20, 110, 40, 0.55)';
  ctx.beginPath();
  for (let k = 0; k < snap.real.length; k += 2) dot(snap.real[k], snap.real[k + 1], 1.5);
  ctx.fill();

  ctx.strokeStyle = 'rgba(90, 30, 140, 0.5)';
  ctx.beginPath();
  const scale = (0.05 * snap.halfWidth) / (maxNorm(snap.gGrad) || 1);
  for (let k = 0; k < snap.fake.length; k += 16) {
    const [x, y] = [snap.fake[k], snap.fake[k + 1]];
    ctx.moveTo(toPx(x), size - toPx(y));
    ctx.lineTo(toPx(x + scale * snap.gGrad[k]), size - toPx(y + scale * snap.gGrad[k + 1]));
  }
  ctx.stroke();

  ctx.fillStyle = 'rgba(120, 40, 180, 0.8)';
  ctx.beginPath();
  for (let k = 0; k < snap.fake.length; k += 2) dot(snap.fake[k], snap.fake[k + 1], 1.5);
  ctx.fill();
}

function maxNorm(v) {
  let m = 0;
  for (let k = 0; k < v.length; k += 2) m = Math.max(m, Math.hypot(v[k], v[k + 1]));
  return m;
}
