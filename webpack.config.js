// Bundles the lab page (www/) and its training worker into dist/, a static folder any static
// host serves. The two wasm modules come from pkg/ (scripts/build); webpack copies each as an
// asset through the `new URL('…_bg.wasm', import.meta.url)` in wasm-bindgen's glue, and the
// worker imports each glue lazily, so a module is fetched only when a run needs it.
// A second build, gan-lab.js, is the <gan-lab> element for blog posts (www/figure/), an ES
// module whose name stays fixed, since posts link to it; every asset it loads resolves from its
// own URL (import.meta.url), wherever the files are put. Every other file but the HTML carries
// a content hash in its name (hosts may cache them forever), and each gets a gzip and a brotli
// copy beside it for hosts that serve precompressed files. Both builds write dist/ (scripts/build
// empties it first); the assets they share (the wasm) have the same hashed names.
import CompressionPlugin from 'compression-webpack-plugin';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

const compress = () => [
  { filename: '[path][base].gz', algorithm: 'gzip', compressionOptions: { level: 9 } },
  { filename: '[path][base].br', algorithm: 'brotliCompress',
    compressionOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } } },
  // Source maps and the already compressed digits are left as they are.
].map((o) => new CompressionPlugin({ ...o, test: /\.(js|css|html|wasm|safetensors)$/, threshold: 1024, minRatio: 0.9 }));

const common = {
  mode: 'production',
  experiments: { css: true },
  module: {
    // `import css from './x.css?raw'`: the text, for a figure's constructed style sheets.
    rules: [
      { test: /\.css$/, resourceQuery: /raw/, type: 'asset/source' },
      // uPlot reads navigator.language unguarded: see the loader.
      { test: /uPlot\.esm\.js$/, loader: here('./scripts/uplot-locale-loader.cjs') },
    ],
  },
  // The WebGPU module is large; size is tracked by scripts/bench/load.mjs, not by webpack's hints.
  performance: { hints: false },
};

export default [
  {
    ...common,
    name: 'lab',
    entry: { main: './www/page.js' },
    output: {
      path: here('./dist'),
      filename: '[name].[contenthash:8].js',
      assetModuleFilename: '[name].[contenthash:8][ext]',
    },
    plugins: [new HtmlWebpackPlugin({ template: './www/index.html' }), ...compress()],
    devtool: 'source-map',
  },
  {
    ...common,
    name: 'element',
    entry: { 'gan-lab': './www/figure/element.js' },
    output: {
      path: here('./dist'),
      filename: '[name].js',
      chunkFilename: '[name].[contenthash:8].js',
      assetModuleFilename: '[name].[contenthash:8][ext]',
      module: true,
    },
    experiments: { ...common.experiments, outputModule: true },
    // No shared chunks: with ES module output, a worker entry that shares modules with another
    // worker (the training worker and the backend race's) waits for a chunk that nothing loads,
    // and never starts (webpack 5.112). Each worker carries its own copy instead; they are small.
    optimization: { splitChunks: false },
    plugins: compress(),
    // No source maps here: with ES module output, webpack 5.112's source-map pass garbles the
    // worker's URL (`new URL("./@@webpa./425….js.meta.url)`).
    devtool: false,
  },
];
