// In-browser speed of the training session, in Debian's headless Chromium:
//   node scripts/bench/browser.mjs [--steps N] [--repeats R] [--preset NAME] [--backends webgpu,cpu]
//                                  [--cpu-modules pkg/cpu/gan_lab_cpu.js,other/build.js]
//                                  [--webgpu-modules pkg/webgpu/gan_lab_webgpu.js,other/build.js]
//                                  [--replay on,off]
// For WebGPU and the wasm CPU backend: session start-up, time to the first step (pipeline
// compilation included), ms per step (min/median/max over R runs of N steps), the worker's own
// CPU time per step while queueing it, and a frame's cost; on WebGPU with each step recorded
// once and replayed (`--replay on`, the default), as it is (`off`), or both in turn
// (`on,off`), with the time of the steps before a replay (warm-up and recording). Then, on the
// lab page itself
// (dist/, from scripts/build), the main thread's frame intervals while the worker trains.
// WebGPU is timed in the WebGPU module, the CPU in the CPU-only one the page starts on; each
// of --cpu-modules and --webgpu-modules (glue paths from the repository root: builds to
// compare) is timed in turn.
// Needs pkg/ and dist/ (scripts/build).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { join } from 'node:path';
import { REPO, serve } from '../serve.mjs';

const { values: opt } = parseArgs({
  options: {
    steps: { type: 'string', default: '20' },
    repeats: { type: 'string', default: '3' },
    preset: { type: 'string', default: 'ring8' },
    seconds: { type: 'string', default: '10' },
    backends: { type: 'string', default: 'webgpu,cpu' },
    'cpu-modules': { type: 'string', default: 'pkg/cpu/gan_lab_cpu.js' },
    'webgpu-modules': { type: 'string', default: 'pkg/webgpu/gan_lab_webgpu.js' },
    replay: { type: 'string', default: 'on' },
  },
});
const stats = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
};
const f = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

let wasmCpuStepsPerSecond = null;
const server = await serve(0, REPO);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
console.log(`preset ${opt.preset}, ${opt.repeats} runs of ${opt.steps} steps, ${await browser.version()}`);
console.log('backend | module | adapter | steps | start-up ms | first step ms | next 5 steps ms | ms/step min/median/max | steps/s (median) | worker CPU ms/step queueing (median) | frame ms (median)');
console.log('---|---|---|---|---|---|---|---|---|---|---');
const backends = opt.backends.split(',');
const replays = opt.replay.split(',');
const runs = [
  ...(backends.includes('webgpu') ? opt['webgpu-modules'].split(',').flatMap((m) => replays.map((r) => ['webgpu', m, r])) : []),
  ...(backends.includes('cpu') ? opt['cpu-modules'].split(',').map((m) => ['cpu', m, 'off']) : []),
];
for (const [backend, module, replay] of runs) {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/scripts/bench/index.html?backend=${backend}` +
    `&module=${encodeURIComponent(module)}&preset=${opt.preset}&steps=${opt.steps}&repeats=${opt.repeats}&replay=${replay}`);
  await page.waitForFunction(() => window.benchResult, null, { timeout: 600_000 });
  const r = await page.evaluate(() => window.benchResult);
  await page.close();
  if (r.error) {
    console.log(`${backend} | ${module} | error: ${r.error}`);
    continue;
  }
  const s = stats(r.stepMs);
  // "replaying", or "off: " and why (turned off; the CPU backend; a recording that failed).
  const steps = r.replay === 'replaying' ? 'replayed' : r.replay.replace(/\s*\n\s*/g, ' / ').slice(0, 400);
  console.log(`${r.backend} | ${module} | ${r.adapter} | ${steps} | ${f(r.createMs)} | ${f(r.firstStepMs)} | ${f(r.recordMs)} | ` +
    `${f(s.min)} / ${f(s.median)} / ${f(s.max)} | ${f(1000 / s.median)} | ` +
    `${f(stats(r.queueMs).median)} | ${f(stats(r.frameMs).median)}`);
  if (r.backend === 'cpu') wasmCpuStepsPerSecond ??= 1000 / s.median;
}

// The same workload natively on the same CPU backend, right after the browser's run, so the
// wasm / native ratio sees the same machine (needs the release `gan`, as scripts/run builds).
const gan = join(process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/gan-lab/target'), 'release/gan');
if (wasmCpuStepsPerSecond && opt.preset === 'ring8' && existsSync(gan)) {
  const row = JSON.parse(execFileSync(gan, ['bench', '--workload', 'ring8',
    '--steps', String(10 * Number(opt.steps)), '--repeats', opt.repeats], { stdio: ['ignore', 'pipe', 'ignore'] })
    .toString().trim().split('\n').at(-1));
  const native = row.steps_per_second_median;
  console.log(`\nnative flex ring8 (gan bench, same run): ${f(native)} steps/s; ` +
    `wasm CPU / native = ${(wasmCpuStepsPerSecond / native).toFixed(2)}`);
}

// The lab page's main thread while the worker trains: requestAnimationFrame intervals.
// A 60 Hz display gives ~16.7 ms; long intervals are frames the page dropped.
const pageServer = await serve(0);
console.log(`\nlab page, main thread while training (${opt.seconds} s per backend, after the first frame)`);
console.log('backend | frames | frame interval ms median / p95 / max | steps trained');
console.log('---|---|---|---');
for (const backend of backends) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`http://127.0.0.1:${pageServer.address().port}/?backend=${backend}&autoplay`);
  await page.waitForFunction(() => window.ganLab.error || window.ganLab.step >= 1, null, { timeout: 600_000 });
  const r = await page.evaluate((ms) => new Promise((done) => {
    const gaps = [];
    const step0 = window.ganLab.step;
    let last = performance.now();
    const end = last + ms;
    const frame = (t) => {
      gaps.push(t - last);
      last = t;
      if (t < end) requestAnimationFrame(frame);
      else done({ gaps, steps: window.ganLab.step - step0, error: window.ganLab.error });
    };
    requestAnimationFrame(frame);
  }), Number(opt.seconds) * 1000);
  await page.close();
  const g = [...r.gaps].sort((a, b) => a - b);
  const p95 = g[Math.floor(0.95 * (g.length - 1))];
  console.log(`${backend} | ${g.length} | ${f(g[Math.floor(g.length / 2)])} / ${f(p95)} / ${f(g.at(-1))} | ` +
    `${r.steps}${r.error ? ` (error: ${r.error})` : ''}`);
}
pageServer.close();
await browser.close();
server.close();
