// A long run of the lab page in headless Chromium, watched for leaks and slow-downs: every
// minute it samples the worker's wasm memory, the page's JS heap, the steps per second and the
// step, and at the end says how each grew from minute 5 (after warm-up) to the last.
//   node scripts/soak.mjs [--minutes 30] [--preset ring8] [--backend cpu|webgpu] [--out FILE]
// Needs dist/ (scripts/build). The worker's live GPU buffers are not sampled: neither burn nor
// WebGPU exposes a count of them to a page.
import { writeFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

const args = Object.fromEntries(process.argv.slice(2).join(' ').split('--').filter(Boolean)
  .map((a) => a.trim().split(/\s+/)).map(([k, v]) => [k, v ?? true]));
const minutes = Number(args.minutes ?? 30);
const preset = args.preset ?? 'ring8';
const backend = args.backend ?? 'cpu';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const server = await serve(0);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  // precise-memory-info: performance.memory without its coarse bucketing; expose-gc: a
  // collection before each sample, so the heap's size is what is live, not garbage not yet
  // collected.
  args: ['--enable-unsafe-webgpu', '--enable-precise-memory-info', '--js-flags=--expose-gc', '--no-sandbox'],
});
const page = await browser.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
await page.goto(`http://127.0.0.1:${server.address().port}/?preset=${preset}&backend=${backend}&autoplay`);
await page.waitForFunction(() => window.ganLab.error || window.ganLab.frames > 0, null, { timeout: 600_000 });

// The heap is the lowest of five readings a second apart: a single reading also counts the
// frames in flight from the worker (1-8 MiB for digits, more while the machine is busy and
// the page paints behind), which say nothing about a leak; what a leak would raise is the floor.
const sample = () => page.evaluate(async () => {
  const heaps = [];
  for (let k = 0; k < 5; k++) {
    if (k) await new Promise((done) => setTimeout(done, 1000));
    window.gc?.();
    heaps.push(performance.memory?.usedJSHeapSize ?? null);
  }
  const s = window.ganLab;
  return { step: s.step, wasm: s.wasmBytes, heap: heaps.includes(null) ? null : Math.min(...heaps), error: s.error?.message ?? null };
});
const rows = [];
const t0 = Date.now();
let last = await sample();
for (let minute = 1; minute <= minutes; minute++) {
  await page.waitForTimeout(t0 + minute * 60_000 - Date.now());
  const now = await sample();
  const row = { minute, step: now.step, stepsPerSecond: (now.step - last.step) / 60, wasmMiB: now.wasm / 2 ** 20, heapMiB: now.heap / 2 ** 20, error: now.error };
  rows.push(row);
  console.log(`${preset} ${backend} min ${minute}: step ${row.step}, ${row.stepsPerSecond.toFixed(1)} steps/s, wasm ${row.wasmMiB.toFixed(1)} MiB, JS heap ${row.heapMiB.toFixed(1)} MiB${row.error ? `, error: ${row.error}` : ''}`);
  last = now;
}
await browser.close();
server.close();

const from = rows.find((r) => r.minute === Math.min(5, minutes)) ?? rows[0];
const to = rows.at(-1);
const growth = (k) => (100 * (to[k] - from[k])) / from[k];
const summary = {
  preset, backend, minutes, steps: to.step,
  wasmGrowthPercent: growth('wasmMiB'), heapGrowthPercent: growth('heapMiB'),
  stepsPerSecondFrom: from.stepsPerSecond, stepsPerSecondTo: to.stepsPerSecond,
  errors: [...errors, ...rows.filter((r) => r.error).map((r) => r.error)],
};
console.log(JSON.stringify(summary));
if (args.out) await writeFile(args.out, JSON.stringify({ summary, rows }, null, 1));
process.exit(summary.errors.length ? 1 : 0);
