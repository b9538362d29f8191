// Where a training step's time goes in the browser: runs the session on a page's main thread
// (scripts/bench/profile.html) under the DevTools CPU profiler and prints the functions with the
// most self time (wasm functions keep their Rust names).
//   node scripts/bench/profile-browser.mjs [--backend webgpu|cpu] [--steps N] [--top K]
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
  },
});

const server = await serve(0, REPO);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${server.address().port}/scripts/bench/profile.html?backend=${opt.backend}&preset=${opt.preset}`);
const target = await page.evaluate(() => window.profileTarget);
console.log(`${target.backend} (${target.adapter}), ${opt.steps} steps after 3 warm-up steps`);
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await cdp.send('Profiler.start');
const t = await page.evaluate((n) => window.train(n), Number(opt.steps));
const { profile } = await cdp.send('Profiler.stop');
console.log(`queued in ${t.queued.toFixed(0)} ms, with the read back ${t.total.toFixed(0)} ms`);

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
