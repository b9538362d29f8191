// The posters: for every preset and lesson, a still of what its figure shows (the plane, or the
// digits) after a real run, which a <gan-lab> figure shows until it trains (www/figure/
// element.js) and which authors put inside the element for readers without JavaScript.
//   node scripts/posters.mjs [--presets ring8,grid25] [--plane-steps 2000] [--digits-steps 500]
// Needs dist/ (scripts/build) and Chromium (scripts/install-test.sh). Each run is the lab's own
// figure (?embed) on the wasm CPU from the preset's seed, painted by the figure's own views; the
// canvas's pixels are written as assets/posters/<preset>-<view>.webp (WebP at 0.8: a seventh of
// the PNG's bytes), and assets/posters/index.json says which view and step each shows. The build
// copies them to dist/posters/.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { REPO, serve } from './serve.mjs';

const { values: opt } = parseArgs({ options: {
  presets: { type: 'string' },
  'plane-steps': { type: 'string', default: '2000' },
  'digits-steps': { type: 'string', default: '500' },
} });
const OUT = join(REPO, 'assets/posters');
const SIZE = 320; // CSS px of the picture; the canvas's own pixels are what is saved

const server = await serve(0);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
// {default: the preset a figure without one shows, presets: {name: {view, step}}}.
const index = JSON.parse(await readFile(join(OUT, 'index.json'), 'utf8').catch(() => '{"presets": {}}'));
await mkdir(OUT, { recursive: true });

async function figure(query, until, timeout, arg = null) {
  const page = await browser.newPage({ viewport: { width: SIZE + 40, height: 900 }, deviceScaleFactor: 1 });
  page.on('pageerror', (e) => { throw e; });
  await page.goto(`${origin}/?embed&controls=none&backend=cpu&height=${SIZE}&${query}`);
  await page.waitForFunction(until, arg, { timeout });
  return page;
}

try {
  // The catalog, from any figure's first frame: every preset, and which kind of data it has.
  const probe = await figure('autoplay=never', () => document.querySelector('gan-lab').store?.state.catalog, 120_000);
  index.default = await probe.evaluate(() => document.querySelector('gan-lab').store.state.catalog.default_preset);
  const presets = await probe.evaluate(() => document.querySelector('gan-lab').store.state.catalog.presets
    .map((p) => ({ name: p.name, digits: p.config.data.kind === 'mnist' })));
  await probe.close();
  const wanted = opt.presets ? opt.presets.split(',') : presets.map((p) => p.name);
  for (const name of wanted) {
    const preset = presets.find((p) => p.name === name);
    if (!preset) throw new Error(`no preset ${name}`);
    const view = preset.digits ? 'digits' : 'plane';
    const steps = Number(preset.digits ? opt['digits-steps'] : opt['plane-steps']);
    const started = Date.now();
    const page = await figure(`preset=${name}&show=${view}&steps=${steps}`,
      (n) => { const f = document.querySelector('gan-lab'); return f.done || (f.store?.state.frame?.step ?? 0) >= n; }, 1_800_000, steps);
    await page.waitForTimeout(300); // the last frame painted
    const { step, png } = await page.evaluate((id) => {
      const f = document.querySelector('gan-lab');
      return { step: f.store.state.frame.step, png: f.shadowRoot.getElementById(id).toDataURL('image/webp', 0.8) };
    }, view === 'plane' ? 'plane' : 'digits-grid');
    await page.close();
    const bytes = Buffer.from(png.split(',')[1], 'base64');
    await writeFile(join(OUT, `${name}-${view}.webp`), bytes);
    index.presets[name] = { view, step };
    console.log(`${name}-${view}.webp: step ${step}, ${(bytes.length / 1024).toFixed(0)} KiB, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  const sorted = Object.fromEntries(Object.keys(index.presets).sort().map((k) => [k, index.presets[k]]));
  await writeFile(join(OUT, 'index.json'), `${JSON.stringify({ default: index.default, presets: sorted }, null, 1)}\n`);
} finally {
  await browser.close();
  server.close();
}
