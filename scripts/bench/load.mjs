// How big the page is and how soon a reader sees it train, in Debian's headless Chromium:
//   node scripts/bench/load.mjs [--backends auto,cpu,webgpu] [--mbit 20] [--rtt 40] [--steps 20]
// Needs dist/ and pkg/ (scripts/build). Reports:
// - each file in dist/: raw, gzip (level 9) and brotli (quality 11) bytes (the precompressed
//   .gz/.br copies and source maps are not listed);
// - for the plane preset and for digits: the files a reader fetches before the first trained
//   frame (the first frame with step > 0 on the canvas) and their bytes;
// - navigation → READY and → first trained frame, cold cache, per backend, unthrottled and on
//   a slow connection. The slow connection is made by this script's own server (gzip as a
//   static host serves it, then paced to --mbit with --rtt of latency per request), so it applies
//   alike to every request, the worker's fetches (the wasm, the digits) included;
// - the same for the example post (dist/post/): until its first figure trains (auto);
// - wasm CPU ms per step and WebGPU worker CPU ms per step (scripts/bench/worker.js), so a
//   size/speed trade shows in the same run.
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { extname, join, normalize } from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { DIST, REPO } from '../serve.mjs';

const { values: opt } = parseArgs({
  options: {
    backends: { type: 'string', default: 'auto,cpu,webgpu' },
    mbit: { type: 'string', default: '20' },
    rtt: { type: 'string', default: '40' },
    steps: { type: 'string', default: '20' },
  },
});
const kb = (n) => (n / 1024).toFixed(0).padStart(6);
const mb = (n) => (n / 2 ** 20).toFixed(2);
const s = (ms) => (ms / 1000).toFixed(2);

// ---- sizes -------------------------------------------------------------------------------------

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.css': 'text/css', '.gz': 'application/gzip',
  '.safetensors': 'application/octet-stream', '.map': 'application/json', '.webp': 'image/webp',
};
const files = new Map();
for (const name of readdirSync(DIST).sort()) {
  if (name === 'post' || name === 'posters') continue;
  if (/\.(gz|br|map)$/.test(name) && !/idx\d-ubyte\.[0-9a-f]{8}\.gz$/.test(name)) continue;
  const raw = readFileSync(join(DIST, name));
  files.set(`/${name}`, {
    raw, gzip: gzipSync(raw, { level: 9 }),
    br: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
  });
}
// The example post (dist/post/), served too, but not listed: it is the writer's, not the lab's.
for (const name of readdirSync(join(DIST, 'post'))) {
  if (!/\.(html|css)$/.test(name)) continue;
  const raw = readFileSync(join(DIST, 'post', name));
  files.set(`/post/${name}`, { raw, gzip: gzipSync(raw, { level: 9 }), br: raw, post: true });
}
// The posters (dist/posters/), served as they are (WebP is compressed already), not listed.
for (const name of readdirSync(join(DIST, 'posters'))) {
  const raw = readFileSync(join(DIST, 'posters', name));
  files.set(`/posters/${name}`, { raw, gzip: raw, br: raw, post: true });
}
console.log('file | raw KiB | gzip KiB | brotli KiB');
console.log('---|---|---|---');
for (const [name, f] of files) if (!f.post) console.log(`${name} | ${kb(f.raw.length)} | ${kb(f.gzip.length)} | ${kb(f.br.length)}`);

// ---- a static host, optionally slow ---------------------------------------------------------------

/** Serves dist/ as a static host does (gzip when asked), paced to `mbit` with `rtt` ms of latency
 *  when `slow`; logs each file served. */
function host() {
  const state = { slow: false, served: [] };
  const server = http.createServer(async (req, res) => {
    const asked = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const path = asked.endsWith('/') ? `${asked}index.html` : asked;
    const f = files.get(path);
    if (!f) return res.writeHead(404).end('not found');
    const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    const body = gzip ? f.gzip : f.raw;
    state.served.push({ path, at: Date.now(), bytes: body.length });
    const headers = { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'content-length': body.length, 'cache-control': 'no-store' };
    if (gzip) headers['content-encoding'] = 'gzip';
    if (state.slow) await new Promise((ok) => setTimeout(ok, Number(opt.rtt)));
    res.writeHead(200, headers);
    if (!state.slow) return res.end(body);
    // 64 KiB chunks, each after the time it takes at `mbit`.
    const chunk = 64 * 1024;
    const perChunkMs = (chunk * 8) / (Number(opt.mbit) * 1e6) * 1000;
    for (let at = 0; at < body.length; at += chunk) {
      if (!res.write(body.subarray(at, at + chunk))) await new Promise((ok) => res.once('drain', ok));
      await new Promise((ok) => setTimeout(ok, perChunkMs));
    }
    res.end();
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, state })));
}

// ---- time to the first trained frame --------------------------------------------------------------

const QUIET = ['--no-sandbox', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--enable-unsafe-webgpu', ...QUIET] });
const { server, state } = await host();
const url = (q) => `http://127.0.0.1:${server.address().port}/?${q}`;

/** One cold load: a fresh context (empty cache), autoplay; times from navigation start. */
async function load(query, slow) {
  state.slow = slow;
  state.served = [];
  const context = await browser.newContext();
  const page = await context.newPage();
  const t0 = Date.now();
  await page.goto(url(query), { waitUntil: 'commit' });
  const ready = await (await page.waitForFunction(() => window.ganLab?.backend && performance.now(), null, { timeout: 300_000, polling: 'raf' })).jsonValue();
  const first = await (await page.waitForFunction(() => (window.ganLab.error ? -1 : window.ganLab.step > 0 && performance.now()), null, { timeout: 600_000, polling: 'raf' })).jsonValue();
  const backend = await page.evaluate(() => window.ganLab.backend);
  // Navigation start (performance.now() = 0) is a little after t0; served times are wall-clock.
  const before = state.served.filter((r) => r.at - t0 <= first + 50);
  await context.close();
  return { backend, ready, first, before };
}

/** One cold load of the example post: until its first figure (in view at load) trains. */
async function loadPost(slow) {
  state.slow = slow;
  state.served = [];
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const t0 = Date.now();
  await page.goto(`http://127.0.0.1:${server.address().port}/post/`, { waitUntil: 'commit' });
  const figure = () => document.querySelector('gan-lab');
  const ready = await (await page.waitForFunction((f) => eval(f)()?.store?.state.config && performance.now(), figure.toString(), { timeout: 300_000, polling: 'raf' })).jsonValue();
  const first = await (await page.waitForFunction((f) => (eval(f)()?.store?.state.frame?.step ?? 0) > 0 && performance.now(), figure.toString(), { timeout: 300_000, polling: 'raf' })).jsonValue();
  const backend = await page.evaluate((f) => eval(f)().store.state.backend, figure.toString());
  const before = state.served.filter((r) => r.at - t0 <= first + 50);
  await context.close();
  return { backend, ready, first, before };
}

// Each backend in turn, all its loads then its speed: the CPU's numbers are taken before any
// WebGPU page has started SwiftShader's pipeline compilation, which goes on using the CPU.
const { serve } = await import('../serve.mjs');
const repo = await serve(0, REPO);
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const loads = [];
const speeds = [];
for (const backend of opt.backends.split(',')) {
  for (const preset of ['ring8', 'digits-dcgan']) {
    for (const slow of [false, true]) {
      const r = await load(`preset=${preset}&backend=${backend}&autoplay`, slow);
      const bytes = r.before.reduce((a, x) => a + x.bytes, 0);
      const names = r.before.map((x) => x.path.replace(/^\//, '').replace(/\.[0-9a-f]{8}\./, '.')).join(', ');
      loads.push(`${preset} | ${backend === r.backend ? backend : `${backend} → ${r.backend}`} | ${slow ? 'slow' : 'localhost'} | ${s(r.ready)} | ${r.first < 0 ? 'error' : s(r.first)} | ${mb(bytes)} MiB | ${names}`);
    }
  }
  const module = { cpu: 'pkg/cpu/gan_lab_cpu.js', webgpu: 'pkg/webgpu/gan_lab_webgpu.js' }[backend];
  if (!module) continue; // "auto" is one of the two
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${repo.address().port}/scripts/bench/index.html?backend=${backend}` +
    `&module=${module}&preset=ring8&steps=${opt.steps}&repeats=3`);
  await page.waitForFunction(() => window.benchResult, null, { timeout: 600_000 });
  const r = await page.evaluate(() => window.benchResult);
  await page.close();
  speeds.push(r.error ? `${backend} | error: ${r.error}` : `${r.backend} | ${median(r.stepMs).toFixed(1)} | ${median(r.queueMs).toFixed(1)}`);
}
for (const slow of [false, true]) {
  const r = await loadPost(slow);
  const bytes = r.before.reduce((a, x) => a + x.bytes, 0);
  const names = r.before.map((x) => x.path.replace(/^\//, '').replace(/\.[0-9a-f]{8}\./, '.')).join(', ');
  loads.push(`the example post's first figure | auto → ${r.backend} | ${slow ? 'slow' : 'localhost'} | ${s(r.ready)} | ${s(r.first)} | ${mb(bytes)} MiB | ${names}`);
}
server.close();
repo.close();
await browser.close();

console.log(`\nnavigation → READY / → first trained frame, cold cache; slow = ${opt.mbit} Mbit/s, ${opt.rtt} ms per request (gzip)`);
console.log('preset | backend | connection | READY s | first trained frame s | fetched before it (gzip as served) | files');
console.log('---|---|---|---|---|---|---');
for (const line of loads) console.log(line);
console.log('\nbackend | ms per ring8 step (median) | worker CPU ms per step queueing (median)');
console.log('---|---|---');
for (const line of speeds) console.log(line);
