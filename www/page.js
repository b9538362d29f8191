// The lab page's entry. `index.html?embed&preset=…&show=…` is the iframe mode: just one
// <gan-lab> figure, for hosts that allow no scripts in posts; it takes the element's
// attributes as query parameters. `?compare=loss:…` is compare mode, two runs side by side
// (figure/embed.js). Otherwise, the lab. All are in this one bundle ("eager"), so none costs
// an extra request.
const params = new URLSearchParams(location.search);
if (params.has('embed') || params.has('compare')) {
  import(/* webpackMode: "eager" */ './figure/embed.js').then((m) => m.embed(params, location.hash));
} else {
  import(/* webpackMode: "eager" */ './main.js');
}
