// Bundles the lab page (www/) and its training worker into dist/, a static folder any static
// host serves. The wasm comes from pkg/ (wasm-pack build --target web); webpack copies it as an
// asset through the `new URL('…_bg.wasm', import.meta.url)` in wasm-bindgen's glue.
import HtmlWebpackPlugin from 'html-webpack-plugin';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

export default {
  mode: 'production',
  entry: './www/main.js',
  output: {
    path: here('./dist'),
    filename: '[name].[contenthash:8].js',
    assetModuleFilename: '[name].[contenthash:8][ext]',
    clean: true,
  },
  experiments: { css: true },
  plugins: [new HtmlWebpackPlugin({ template: './www/index.html' })],
  // The wasm is ~40 MB before wasm-opt; size is tracked by the benchmarks, not by webpack's hints.
  performance: { hints: false },
  devtool: 'source-map',
};
