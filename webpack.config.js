// Bundles the lab page (www/) and its training worker into dist/, a static folder any static
// host serves. The two wasm modules come from pkg/ (scripts/build); webpack copies each as an
// asset through the `new URL('…_bg.wasm', import.meta.url)` in wasm-bindgen's glue, and the
// worker imports each glue lazily, so a module is fetched only when a run needs it.
// Every file but index.html carries a content hash in its name (hosts may cache them forever),
// and each gets a gzip and a brotli copy beside it for hosts that serve precompressed files.
import CompressionPlugin from 'compression-webpack-plugin';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import zlib from 'node:zlib';
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
  plugins: [
    new HtmlWebpackPlugin({ template: './www/index.html' }),
    // Source maps and the already compressed digits are left as they are.
    ...[
      { filename: '[path][base].gz', algorithm: 'gzip', compressionOptions: { level: 9 } },
      { filename: '[path][base].br', algorithm: 'brotliCompress',
        compressionOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } } },
    ].map((o) => new CompressionPlugin({ ...o, test: /\.(js|css|html|wasm|safetensors)$/, threshold: 1024, minRatio: 0.9 })),
  ],
  // The WebGPU module is large; size is tracked by scripts/bench/load.mjs, not by webpack's hints.
  performance: { hints: false },
  devtool: 'source-map',
};
