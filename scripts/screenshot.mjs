// The README's picture of the lab: dist/ (scripts/build) in Debian's headless Chromium, a preset
// trained on the wasm CPU backend to a step, then the page as a reader sees it.
//   node scripts/screenshot.mjs [--preset ring8] [--steps 3000] [--out docs/lab.webp]
// A `.webp` or `.jpeg` out keeps the file small enough for a repository; a `.png` works too.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

const { values: opt } = parseArgs({
  options: {
    preset: { type: 'string', default: 'ring8' },
    steps: { type: 'string', default: '3000' },
    out: { type: 'string', default: 'docs/lab.webp' },
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
  const png = await page.screenshot();
  if (opt.out.endsWith('.png')) {
    await writeFile(opt.out, png);
  } else {
    // Chromium encodes it: the PNG drawn into a canvas, read back as WebP or JPEG.
    const type = opt.out.endsWith('.webp') ? 'image/webp' : 'image/jpeg';
    const b64 = await page.evaluate(async ([data, type]) => {
      const img = new Image();
      img.src = `data:image/png;base64,${data}`;
      await img.decode();
      const c = document.createElement('canvas');
      [c.width, c.height] = [img.width, img.height];
      c.getContext('2d').drawImage(img, 0, 0);
      return c.toDataURL(type, 0.85).split(',')[1];
    }, [png.toString('base64'), type]);
    await writeFile(opt.out, Buffer.from(b64, 'base64'));
  }
  console.log(`${opt.out}: ${opt.preset} at step ${await page.evaluate(() => window.ganLab.step)}`);
} finally {
  await browser.close();
  server.close();
}
