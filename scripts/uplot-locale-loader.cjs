// A webpack loader for uPlot (webpack.config.js): uPlot formats numbers with
// `new Intl.NumberFormat(navigator.language)` when its module loads, which throws where
// navigator.language is not a valid language tag (WebKit under LANG=C gives "c"), and the
// page never starts. This falls back to en-US there. The build fails if uPlot's line moves.
const LINE = "const numFormatter = new Intl.NumberFormat(domEnv ? nav.language : 'en-US');";
const SAFE = "const numFormatter = (() => { try { return new Intl.NumberFormat(domEnv ? nav.language : 'en-US'); }"
  + " catch { return new Intl.NumberFormat('en-US'); } })();";

module.exports = function uplotLocale(source) {
  if (!source.includes(LINE)) {
    throw new Error('uplot-locale-loader: uPlot no longer has the line it guards; check whether it still needs it');
  }
  return source.replace(LINE, SAFE);
};
