// The README's picture of the lab: dist/ (scripts/build) in Debian's headless Chromium, a preset
// trained on the wasm CPU backend to a step, then the page as a reader sees it.
//   node scripts/screenshot.mjs [--preset ring8] [--steps 2000] [--out docs/lab.jpeg]
// A `.jpeg` keeps the file small enough for a repository; a `.png` out is written as PNG.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

const { values: opt } = parseArgs({
  options: {
    preset: { type: 'string', default: 'ring8' },
    steps: { type: 'string', default: '2000' },
    out: { type: 'string', default: 'docs/lab.jpeg' },
    width: { type: 'string', default: '1280' },
    height: { type: 'string', default: '900' },
  },
});
const server = await serve(0);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: +opt.width, height: +opt.height } });
  page.on('pageerror', (e) => console.error(`page error: ${e}`));
  await page.goto(`http://127.0.0.1:${server.address().port}/index.html?backend=cpu&autoplay&preset=${opt.preset}`);
  await page.waitForFunction((n) => (window.ganLab?.step ?? 0) >= n, +opt.steps,
    { timeout: 600_000, polling: 500 });
  await page.evaluate(() => document.querySelector('#play')?.click());
  await page.waitForTimeout(500);
  const type = opt.out.endsWith('.png') ? 'png' : 'jpeg';
  await writeFile(opt.out, await page.screenshot({ type, quality: type === 'jpeg' ? 85 : undefined }));
  console.log(`${opt.out}: ${opt.preset} at step ${await page.evaluate(() => window.ganLab.step)}`);
} finally {
  await browser.close();
  server.close();
}
