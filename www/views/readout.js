// The numbers beside the pictures: one readout for both views (the common training numbers,
// then the view's own), the digits' quality list, and the plane's D*-gap. Pure functions of a
// frame that fill an element.

const fixed = (v, d = 3) => (v == null || !Number.isFinite(v) ? '–' : v.toFixed(d));

/** Label/value pairs as `<span><b>label</b> value</span>` items. */
function fill(el, list) {
  el.replaceChildren(...list.map(([k, v]) => {
    const item = document.createElement('span');
    const key = document.createElement('b');
    key.textContent = k;
    item.append(key, ` ${v}`);
    return item;
  }));
}

/** The training readout: step, speed, losses, then the plane's metrics (a digits frame has
 *  its own list, see `drawQuality`). */
export function draw(el, frame) {
  const list = [
    ['step', frame.step],
    ['steps/s', fixed(frame.stepsPerSecond, 1)],
    ['worker ms/frame', fixed(frame.workMs, 1)],
    ['D loss', fixed(frame.dLosses.at(-1))],
    ['G loss', fixed(frame.gLosses.at(-1))],
  ];
  const m = frame.metrics;
  if (m) {
    list.push(
      ['V(D,G)', m.value == null ? '–' : `${fixed(m.value)} (floor −1.386)`],
      ['modes', `${m.modes_covered}/${m.modes_total}`],
      ['high quality', `${fixed(100 * m.high_quality, 1)}%`],
      ['JS', fixed(m.js_divergence)],
      ['D accuracy', `${fixed(100 * m.d_accuracy, 0)}%`],
    );
    if (m.wasserstein_estimate != null) list.push(['W estimate', fixed(m.wasserstein_estimate)]);
  }
  fill(el, list);
}

/** The digits' quality numbers and D's mean scores. */
export function drawQuality(el, frame) {
  const q = frame.quality;
  fill(el, [
    ['classes', `${q.classes_present}/10`],
    ['confident', `${fixed(100 * q.confident_fraction, 1)}%`],
    ['class KL', fixed(q.class_kl)],
    ['mean D score, real', fixed(q.d_real, 2)],
    ['on G\u2019s', fixed(q.d_fake, 2)],
  ]);
}

/** The plane's mean |D − D*| where the mass is, in the theory panel's text. */
export function drawGap(el, frame) {
  el.textContent = fixed(frame.metrics.d_star_gap, 2);
}
