// The numbers beside the pictures: one readout for both views (the common training numbers,
// then the view's own), the digits' quality list, and the plane's D*-gap. Pure functions of a
// frame that fill an element. Labels come from the string catalog (`t`, English by default).
import { t as english } from '../i18n/index.js';

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
export function draw(el, frame, t = english) {
  const list = [
    [t('r.step'), frame.step],
    [t('r.sps'), fixed(frame.stepsPerSecond, 1)],
    [t('r.work'), fixed(frame.workMs, 1)],
    [t('r.dloss'), fixed(frame.dLosses.at(-1))],
    [t('r.gloss'), fixed(frame.gLosses.at(-1))],
  ];
  const m = frame.metrics;
  if (m) {
    list.push(
      [t('r.value'), m.value == null ? '–' : `${fixed(m.value)} ${t('r.floor')}`],
      [t('r.modes'), `${m.modes_covered}/${m.modes_total}`],
      [t('r.hq'), `${fixed(100 * m.high_quality, 1)}%`],
      [t('r.js'), fixed(m.js_divergence)],
      [t('r.dacc'), `${fixed(100 * m.d_accuracy, 0)}%`],
    );
    if (m.wasserstein_estimate != null) list.push([t('r.w'), fixed(m.wasserstein_estimate)]);
  }
  fill(el, list);
}

/** The digits' quality numbers and D's mean scores. */
export function drawQuality(el, frame, t = english) {
  const q = frame.quality;
  // A conditional run's: the share of G's digits the classifier reads as the digit asked for.
  const agreement = q.class_agreement == null ? [] : [[t('r.agree'), `${fixed(100 * q.class_agreement, 1)}%`]];
  fill(el, [
    [t('r.classes'), `${q.classes_present}/10`],
    [t('r.confident'), `${fixed(100 * q.confident_fraction, 1)}%`],
    ...agreement,
    [t('r.kl'), fixed(q.class_kl)],
    [t('r.dreal'), fixed(q.d_real, 2)],
    [t('r.dfake'), fixed(q.d_fake, 2)],
  ]);
}

/** The plane's mean |D − D*| where the mass is, in the theory panel's text. */
export function drawGap(el, frame) {
  el.textContent = fixed(frame.metrics.d_star_gap, 2);
}
