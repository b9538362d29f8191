// Compare mode's throughput, in Debian's headless Chromium on the built page (dist/):
//   node scripts/bench/compare.mjs [--preset ring8] [--compare loss:least-squares] [--backend cpu]
//                                  [--seconds 10] [--repeats 3]
// Times, in one browser and in turn (repeated, interleaved): one run alone; two runs in
// lockstep, each in its own worker (compare mode as shipped); and the same two runs stepping
// one after the other, as one worker holding both would. Each figure shows the same views
// (plane or digits, readout, three charts), so the page's painting is counted too. Prints
// steps/s of each run (a pair's two runs are always at the same step) and their ratios.
import { parseArgs } from 'node:util';
import { cpus } from 'node:os';
import { chromium } from 'playwright-core';
import { serve } from '../serve.mjs';

const { values: opt } = parseArgs({
  options: {
    preset: { type: 'string', default: 'ring8' },
    compare: { type: 'string', default: 'loss:least-squares' },
    backend: { type: 'string', default: 'cpu' },
    seconds: { type: 'string', default: '10' },
    repeats: { type: 'string', default: '3' },
  },
});
const seconds = Number(opt.seconds);
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

const server = await serve(0);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
await page.goto(`http://127.0.0.1:${server.address().port}/?embed&show=plane`);
await page.waitForFunction(() => customElements.get('gan-lab'));

const MODES = {
  single: { compare: null, serial: false },
  'two workers': { compare: opt.compare, serial: false },
  'one after the other': { compare: opt.compare, serial: true },
};

/** Steps per second of one figure in `mode`, after 3 s of warm-up. */
async function measure(mode) {
  const { compare, serial } = MODES[mode];
  await page.evaluate(({ preset, backend, compare, serial }) => {
    const f = document.createElement('gan-lab');
    const attributes = { preset, backend, show: 'plane,digits,losses,js,coverage,readout', controls: 'all' };
    if (compare) attributes.compare = compare;
    for (const [k, v] of Object.entries(attributes)) f.setAttribute(k, v);
    f.serialForBench = serial;
    document.body.replaceChildren(f);
  }, { preset: opt.preset, backend: opt.backend, compare, serial });
  const step = () => page.evaluate(() => document.querySelector('gan-lab').store?.state.frame?.step ?? 0);
  await page.waitForFunction(() => (document.querySelector('gan-lab').store?.state.frame?.step ?? 0) > 0, null, { timeout: 600_000 });
  await page.waitForTimeout(3000);
  const [s0, t0] = [await step(), performance.now()];
  await page.waitForTimeout(seconds * 1000);
  const [s1, t1] = [await step(), performance.now()];
  return ((s1 - s0) * 1000) / (t1 - t0);
}

const results = Object.fromEntries(Object.keys(MODES).map((m) => [m, []]));
for (let r = 0; r < Number(opt.repeats); r++) {
  for (const mode of Object.keys(MODES)) results[mode].push(await measure(mode));
}
await browser.close();
server.close();

const single = median(results.single);
console.log(`preset ${opt.preset}, compared with ${opt.compare}, backend ${opt.backend}, ${cpus().length} cores, `
  + `${opt.repeats} × ${seconds} s each, interleaved`);
console.log('mode | steps/s of each run (median) | runs | against one run alone | all');
console.log('---|---|---|---|---');
for (const [mode, v] of Object.entries(results)) {
  const m = median(v);
  console.log(`${mode} | ${m.toFixed(1)} | ${mode === 'single' ? 1 : 2} | ${(m / single).toFixed(2)}× | ${v.map((x) => x.toFixed(1)).join(', ')}`);
}
const [two, serial] = [median(results['two workers']), median(results['one after the other'])];
console.log(`two workers against one after the other: ${(two / serial).toFixed(2)}×`);
