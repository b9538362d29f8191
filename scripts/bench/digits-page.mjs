// The digits preset trained on the lab page itself (dist/, from scripts/build) in Debian's
// headless Chromium, as a reader would run it: pick the preset, press Play, watch.
//   node scripts/bench/digits-page.mjs [--backend webgpu|cpu] [--preset digits-dcgan]
//                                [--minutes 30] [--steps-per-frame 50] [--confident 0.7]
// Prints one line per frame (step, wall seconds since Play, steps/s, the quality numbers,
// and a conditional run's class agreement) and stops at the bar (≥ 9 of 10 classes with at
// least --confident of them confidently classified) or after --minutes.
// Writes target/screenshots/digits-<backend>.png at the end.
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { REPO, serve } from '../serve.mjs';

const { values: opt } = parseArgs({
  options: {
    backend: { type: 'string', default: 'webgpu' },
    preset: { type: 'string', default: 'digits-dcgan' },
    minutes: { type: 'string', default: '30' },
    'steps-per-frame': { type: 'string', default: '50' },
    confident: { type: 'string', default: '0.7' },
  },
});
const server = await serve(0);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.on('pageerror', (e) => console.log(`page error: ${e}`));
await page.goto(`http://127.0.0.1:${server.address().port}/?preset=${opt.preset}&backend=${opt.backend}`);
await page.waitForFunction(() => window.ganLab.error || window.ganLab.frames > 0, null, { timeout: 300_000 });
const ready = await page.evaluate(() => ({ backend: window.ganLab.backend, adapter: window.ganLab.adapter }));
console.log(`${opt.preset} on ${ready.backend} (${ready.adapter}), ${await browser.version()}, ${opt['steps-per-frame']} steps per frame`);
await page.$eval('#steps-per-frame', (el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }, opt['steps-per-frame']);
const t0 = Date.now();
await page.getByRole('button', { name: 'Play' }).click();
const deadline = t0 + Number(opt.minutes) * 60_000;
let seen = 0;
let met = null;
console.log('step | seconds | steps/s | classes | confident | class KL | agreement');
while (Date.now() < deadline) {
  const s = await page.evaluate(() => ({ step: window.ganLab.step, q: window.ganLab.quality, error: window.ganLab.error }));
  if (s.error) { console.log(`error: ${s.error.message}`); break; }
  if (s.step > seen && s.q) {
    seen = s.step;
    const secs = (Date.now() - t0) / 1000;
    const agreement = s.q.class_agreement == null ? '–' : `${(100 * s.q.class_agreement).toFixed(1)}%`;
    console.log(`${s.step} | ${secs.toFixed(0)} | ${(s.step / secs).toFixed(2)} | ${s.q.classes_present}/10 | ${(100 * s.q.confident_fraction).toFixed(1)}% | ${s.q.class_kl?.toFixed(3)} | ${agreement}`);
    if (s.q.classes_present >= 9 && s.q.confident_fraction >= Number(opt.confident)) { met = { step: s.step, seconds: secs }; break; }
  }
  await page.waitForTimeout(1000);
}
console.log(met ? `bar met at step ${met.step} after ${met.seconds.toFixed(0)} s` : `bar not met by step ${seen}`);
await mkdir(`${REPO}/target/screenshots`, { recursive: true });
await page.screenshot({ path: `${REPO}/target/screenshots/digits-${ready.backend}.png`, fullPage: true });
await browser.close();
server.close();
