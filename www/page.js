// The lab page's entry. `index.html?embed&preset=…&show=…` is the iframe mode: just one
// <gan-lab> figure, for hosts that allow no scripts in posts; it takes the element's
// attributes as query parameters. Otherwise, the lab. Both are in this one bundle ("eager"),
// so neither costs an extra request.
const params = new URLSearchParams(location.search);
if (params.has('embed')) {
  import(/* webpackMode: "eager" */ './figure/embed.js').then((m) => m.embed(params));
} else {
  import(/* webpackMode: "eager" */ './main.js');
}
