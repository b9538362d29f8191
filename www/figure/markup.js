// A figure's DOM: the parts it shows, with the same element ids as the lab page, so the lab's
// painter, views and transport draw into a figure's shadow root unchanged.

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** MNIST's licence (CC BY-SA 3.0) asks for its authors' credit wherever the digits show. */
const MNIST_CREDIT = (t) => t('credit.mnist', {
  mnist: '<a href="http://yann.lecun.com/exdb/mnist/" target="_blank" rel="noopener">MNIST</a>',
  licence: '<a href="https://creativecommons.org/licenses/by-sa/3.0/" target="_blank" rel="noopener">CC BY-SA 3.0</a>',
});

const PARTS = {
  plane: (t) => `<figure class="part plane">
      <div class="plane-box"><canvas id="plane" role="img" aria-label="${esc(t('caption.plane'))}"></canvas>
        <img class="still" data-view="plane" alt="" hidden>
        <p id="phase" class="phase" aria-live="polite"></p></div>
      <canvas id="legend" class="legend" aria-hidden="true"></canvas>
      <figcaption>${esc(t('caption.plane'))}</figcaption></figure>`,
  dstar: (t) => `<div class="part pair">
      <figure><canvas id="d-map" class="square" role="img" aria-label="${esc(t('caption.d'))}"></canvas>
        <figcaption>${esc(t('caption.d'))}</figcaption></figure>
      <figure><canvas id="dstar-map" class="square" role="img" aria-label="${esc(t('caption.dstar'))}"></canvas>
        <figcaption>${esc(t('caption.dstar'))}</figcaption></figure></div>`,
  value: (t) => `<figure class="part chart"><div id="chart-value"></div><figcaption>${esc(t('caption.value'))}</figcaption></figure>`,
  js: (t) => `<figure class="part chart"><div id="chart-js"></div><figcaption>${esc(t('caption.js'))}</figcaption></figure>`,
  losses: (t) => `<figure class="part chart"><div id="chart-losses"></div><figcaption>${esc(t('caption.losses'))}</figcaption></figure>`,
  coverage: (t) => `<figure class="part chart"><div id="chart-coverage"></div><figcaption>${esc(t('caption.coverage'))}</figcaption></figure>`,
  digits: (t) => `<figure class="part digits"><div class="still-box"><canvas id="digits-grid" class="square" role="img" aria-label="${esc(t('caption.digits'))}"></canvas>
      <img class="still" data-view="digits" alt="" hidden></div>
      <figcaption>${esc(t('caption.digits'))} <small class="credit">${MNIST_CREDIT(t)}</small></figcaption></figure>`,
  walk: (t) => `<figure class="part walk"><canvas id="digits-strip" role="img" aria-label="${esc(t('caption.walk'))}"></canvas>
      <figcaption>${esc(t('caption.walk'))}</figcaption></figure>`,
  readout: () => '<p id="readout" class="part readout" aria-live="off"></p>',
};

const CONTROL = {
  play: (t) => `<button id="play" class="primary" aria-pressed="false" title="${esc(t('play.tip'))}">${esc(t('play'))}</button>`,
  step: (t) => `<button id="step" title="${esc(t('step.tip'))}">${esc(t('step'))}</button>`,
  reset: (t) => `<button id="reset" title="${esc(t('reset.tip'))}">${esc(t('reset'))}</button>`,
  slow: (t) => `<label class="inline"><input id="slow" type="checkbox"> ${esc(t('slow'))}</label>`,
  speed: (t) => `<label class="inline">${esc(t('speed'))} <input id="steps-per-frame" type="range" min="1" max="100">
      <output id="steps-per-frame-value"></output></label>`,
};

/** The views each run of a compare figure has its own of; the charts overlay both runs. */
const PER_RUN = ['plane', 'dstar', 'digits', 'walk', 'readout'];

/** The figure's inner HTML for `options` (see attributes.js), in the language of `t`. In
 *  compare mode each run's views go in its `.run-view` (filled by `runHtml`), the charts below. */
export function figureHtml(options, t) {
  const controls = options.controls.map((c) => CONTROL[c](t)).join('');
  const parts = (views) => `<div class="parts">${views.map((v) => PARTS[v](t)).join('')}</div>`;
  const runs = options.compare
    ? `<div class="runs">${[0, 1].map((r) => `<section class="run run-${r}">
        <h3 class="run-name" id="run-name-${r}"></h3><div class="run-view"></div></section>`).join('')}</div>
      ${parts(options.show.filter((v) => !PER_RUN.includes(v)))}`
    : parts(options.show);
  return `<div class="figure" part="figure">
    <div class="transport" role="toolbar" aria-label="${esc(t('toolbar'))}"${controls ? '' : ' hidden'}>${controls}</div>
    <div class="status-row"><p id="status" class="status" role="status" aria-live="polite">${esc(t('status.waiting'))}</p>
      <button id="replay" hidden>${esc(t('replay'))}</button></div>
    <div class="stage"><div class="poster" part="poster"><slot></slot></div>
    ${runs}</div>
  </div>`;
}

/** One run's views in a compare figure (inside that run's own shadow root). */
export function runHtml(options, t) {
  return `<div class="parts">${options.show.filter((v) => PER_RUN.includes(v)).map((v) => PARTS[v](t)).join('')}</div>`;
}

/** What a figure shows instead of itself when an attribute is bad. */
export function errorHtml(message) {
  return `<p class="figure-error" role="alert">${esc(message)}</p>`;
}
