// The check page in headless Chromium (Debian's, driven by playwright-core): the worker trains,
// the step counter advances, the canvas is drawn, the metrics change. Screenshots go to
// target/screenshots/. Needs `pkg/` (wasm-pack build --target web --release).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = new URL('../../target/screenshots/', import.meta.url).pathname;

const QUIET = ['--no-sandbox', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];

async function withPage(query, body, { webgpu = true } = {}) {
  const server = await serve(0);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: webgpu ? ['--enable-unsafe-webgpu', ...QUIET] : QUIET,
  });
  const page = await browser.newPage({ viewport: { width: 720, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    const host = new URL(r.url()).hostname;
    if (host !== '127.0.0.1') errors.push(`request to another host: ${r.url()}`);
  });
  try {
    await page.goto(`http://127.0.0.1:${server.address().port}/www/index.html?${query}`);
    await body(page);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
}

/** Fraction of the canvas's pixels that differ from its top-left pixel's colour. */
const canvasInk = (page) => page.evaluate(() => {
  const c = document.getElementById('plane');
  const copy = document.createElement('canvas');
  copy.width = c.width; copy.height = c.height;
  const g = copy.getContext('2d');
  g.drawImage(c, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data;
  let differ = 0;
  for (let k = 0; k < d.length; k += 4) {
    if (Math.abs(d[k] - d[0]) + Math.abs(d[k + 1] - d[1]) + Math.abs(d[k + 2] - d[2]) > 30) differ++;
  }
  return differ / (d.length / 4);
});

for (const backend of ['webgpu', 'cpu']) {
  test(`the worker trains ring8 on ${backend} and the page draws it`, { timeout: 300_000 }, async () => {
    await withPage(`backend=${backend}&autoplay`, async (page) => {
      await page.waitForFunction(() => window.ganLab.error || window.ganLab.step >= 10, null, { timeout: 240_000 });
      const state = await page.evaluate(() => window.ganLab);
      assert.equal(state.error, null);
      assert.equal(state.backend, backend);
      const first = state.metrics;
      await page.waitForFunction((s) => window.ganLab.step >= s + 10, state.step, { timeout: 120_000 });
      const later = await page.evaluate(() => window.ganLab.metrics);
      assert.notDeepEqual(later, first, 'metrics change as training goes on');
      const ink = await canvasInk(page);
      assert.ok(ink > 0.05, `canvas mostly blank (${ink})`);
      await mkdir(SHOTS, { recursive: true });
      await page.screenshot({ path: `${SHOTS}worker-page-${backend}.png`, fullPage: true });
      console.log(`${backend}: step ${await page.evaluate(() => window.ganLab.step)}, ` +
        `adapter ${state.adapter}, status:\n${await page.textContent('#status')}`);
    });
  });
}

test('without WebGPU the page falls back to the CPU and says so', { timeout: 120_000 }, async () => {
  await withPage('autoplay', async (page) => {
    await page.waitForFunction(() => window.ganLab.error || window.ganLab.step >= 10, null, { timeout: 90_000 });
    const state = await page.evaluate(() => window.ganLab);
    assert.equal(state.error, null);
    assert.equal(state.backend, 'cpu');
    const status = await page.textContent('#status');
    assert.match(status, /backend cpu/);
    assert.match(status, /WebGPU/, 'the status says why WebGPU is not used');
    console.log(status);
  }, { webgpu: false });
});
