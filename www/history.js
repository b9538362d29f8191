// What the charts plot: every frame's metrics and every step's losses, kept on the main
// thread. Long runs are thinned by averaging neighbours, so memory and redraw time stay flat.

export const MAX_POINTS = 2000;
export const FLOOR = -2 * Math.LN2;

/** Halves a column set by averaging pairs (the x column keeps each pair's last value). */
function thin(columns) {
  return columns.map((col, c) => {
    const out = [];
    for (let k = 0; k + 1 < col.length; k += 2) {
      const [a, b] = [col[k], col[k + 1]];
      out.push(c === 0 ? b : a == null || b == null ? (a ?? b) : (a + b) / 2);
    }
    if (col.length % 2) out.push(col.at(-1));
    return out;
  });
}

export class History {
  constructor() {
    this.clear();
  }

  clear() {
    // [step, d_loss, g_loss]
    this.losses = [[], [], []];
    // [step, V, 2·JS − 2·log 2, JS, modes fraction, high quality, D accuracy, steps/s, W estimate]
    // (for digits: classes present / 10 as modes, the confident fraction as high quality)
    this.metrics = [[], [], [], [], [], [], [], [], []];
    this.version = 0;
  }

  /** Forgets everything after `step` (the run went back there). */
  truncate(step) {
    for (const table of [this.losses, this.metrics]) {
      const keep = table[0].findLastIndex((s) => s <= step) + 1;
      table.forEach((col) => col.splice(keep));
    }
    this.version++;
  }

  /** Adds a frame: its per-step losses and its metrics. */
  push(frame) {
    const n = frame.dLosses.length;
    const [s, d, g] = this.losses;
    for (let k = 0; k < n; k++) {
      s.push(frame.step - n + k + 1);
      d.push(finite(frame.dLosses[k]));
      g.push(finite(frame.gLosses[k]));
    }
    while (this.losses[0].length > MAX_POINTS) this.losses = thin(this.losses);
    const row = frame.kind === 'digits' ? digitsRow(frame) : planeRow(frame);
    // A frame at the same step (after a pause, or slow motion's D half) replaces the last.
    if (this.metrics[0].at(-1) === frame.step) this.metrics.forEach((col) => col.pop());
    row.forEach((v, c) => this.metrics[c].push(v));
    if (this.metrics[0].length > MAX_POINTS) this.metrics = thin(this.metrics);
    this.version++;
  }
}

function planeRow(frame) {
  const m = frame.metrics;
  return [
    frame.step, m.value ?? null, 2 * m.js_divergence + FLOOR, m.js_divergence,
    m.modes_covered / m.modes_total, m.high_quality, m.d_accuracy,
    frame.stepsPerSecond || null, m.wasserstein_estimate ?? null,
  ];
}

/** Digits fill the coverage columns with classes present and confident samples; the plane's
 *  value, JS and D accuracy have no digits counterpart and stay empty. */
function digitsRow(frame) {
  const q = frame.quality;
  return [
    frame.step, null, null, null, q.classes_present / 10, q.confident_fraction, null,
    frame.stepsPerSecond || null, null,
  ];
}

const finite = (v) => (Number.isFinite(v) ? v : null);
