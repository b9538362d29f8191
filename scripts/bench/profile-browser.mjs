// Where a training step's time goes in the browser: runs the session on a page's main thread
// (scripts/bench/profile.html) under the DevTools CPU profiler and prints the functions with the
// most self time (wasm functions keep their Rust names).
//   node scripts/bench/profile-browser.mjs [--backend webgpu|cpu] [--steps N] [--top K]
//                                          [--preset NAME] [--module path/to/glue.js]
//                                          [--replay on|off]
// On WebGPU it also counts the kernels, bind groups and submissions per step.
// Needs pkg/ (scripts/build).
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { REPO, serve } from '../serve.mjs';

const { values: opt } = parseArgs({
  options: {
    backend: { type: 'string', default: 'webgpu' },
    steps: { type: 'string', default: '5' },
    top: { type: 'string', default: '40' },
    preset: { type: 'string', default: 'ring8' },
    module: { type: 'string', default: '' },
    replay: { type: 'string', default: 'on' },
  },
});

const server = await serve(0, REPO);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage();
// Counts what a step asks of WebGPU: compute dispatches (kernels), bind groups, submissions.
await page.addInitScript(() => {
  window.gpuCalls = { dispatches: 0, bindGroups: 0, submits: 0, writes: 0 };
  const count = (proto, method, key) => {
    if (!proto?.[method]) return;
    const original = proto[method];
    proto[method] = function (...args) { window.gpuCalls[key] += 1; return original.apply(this, args); };
  };
  count(globalThis.GPUComputePassEncoder?.prototype, 'dispatchWorkgroups', 'dispatches');
  count(globalThis.GPUDevice?.prototype, 'createBindGroup', 'bindGroups');
  count(globalThis.GPUQueue?.prototype, 'submit', 'submits');
  count(globalThis.GPUQueue?.prototype, 'writeBuffer', 'writes');
});
await page.goto(`http://127.0.0.1:${server.address().port}/scripts/bench/profile.html?backend=${opt.backend}&preset=${opt.preset}&replay=${opt.replay}` +
  (opt.module ? `&module=${encodeURIComponent(opt.module)}` : ''));
// The page sets it after importing the module (top-level await): wait for it to exist.
await page.waitForFunction(() => window.profileTarget, null, { timeout: 120_000 });
const target = await page.evaluate(() => window.profileTarget);
console.log(`${target.backend} (${target.adapter}, steps: ${target.replay}), ${opt.steps} steps after 7 warm-up steps`);
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await cdp.send('Profiler.start');
const before = await page.evaluate(() => ({ ...window.gpuCalls }));
const t = await page.evaluate((n) => window.train(n), Number(opt.steps));
const { profile } = await cdp.send('Profiler.stop');
console.log(`queued in ${t.queued.toFixed(0)} ms, with the read back ${t.total.toFixed(0)} ms`);
if (opt.backend === 'webgpu') {
  // A frame alone (no step) after, to take its share out of the steps' counts.
  const after = await page.evaluate(() => ({ ...window.gpuCalls }));
  await page.evaluate(() => window.train(0));
  const frame = await page.evaluate(() => ({ ...window.gpuCalls }));
  const per = (k) => ((after[k] - before[k] - (frame[k] - after[k])) / Number(opt.steps)).toFixed(1);
  console.log(`per step (a frame's own calls taken out): ${per('dispatches')} kernels dispatched, ` +
    `${per('bindGroups')} bind groups, ${per('submits')} submits, ${per('writes')} buffer writes`);
}

// Self time per function from the samples; inclusive time by walking parents.
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
const total = new Map();
const dt = profile.timeDeltas;
const name = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url ? n.callFrame.url.split('/').pop() : ''}`.trim();
profile.samples.forEach((id, k) => {
  const ms = (dt[k + 1] ?? 0) / 1000;
  const n = byId.get(id);
  self.set(name(n), (self.get(name(n)) ?? 0) + ms);
  const seen = new Set();
  for (let p = id; p != null; p = parent.get(p)) {
    const key = name(byId.get(p));
    if (!seen.has(key)) total.set(key, (total.get(key) ?? 0) + ms);
    seen.add(key);
  }
});
const sum = [...self.values()].reduce((a, b) => a + b, 0);
const show = (map, title) => {
  console.log(`\n${title} (of ${sum.toFixed(0)} ms sampled)`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, Number(opt.top))) {
    console.log(`${v.toFixed(1).padStart(9)} ms ${(100 * v / sum).toFixed(1).padStart(5)}%  ${k.slice(0, 150)}`);
  }
};
show(self, 'self time');
show(total, 'inclusive time');
await browser.close();
server.close();
