// The lab page in headless Chromium (Debian's, driven by playwright-core), for the e2e tests:
// a page on a fresh server that fails the test on any page error, failed request or request to
// another host; screenshots; how much of each canvas is drawn.
// Needs the built page in dist/ (scripts/build: wasm-pack, then webpack).
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = new URL('../../target/screenshots/', import.meta.url).pathname;

const QUIET = ['--no-sandbox', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];

export async function withPage(query, body, { webgpu = true, width = 1280, height = 900, failing = null } = {}) {
  const server = await serve(0);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: webgpu ? ['--enable-unsafe-webgpu', ...QUIET] : QUIET,
  });
  // Downloads are kept (Save run, Save picture); the clipboard is the page's (Copy link).
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // `failing`: requests the test itself makes fail.
  const expected = (url) => failing?.test(url);
  page.on('requestfailed', (r) => { if (!expected(r.url())) errors.push(`request failed: ${r.url()}`); });
  page.on('response', (r) => { if (r.status() >= 400 && !expected(r.url())) errors.push(`${r.status()} for ${r.url()}`); });
  // Every path the page and its worker asked for, from the start.
  page.requested = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    page.requested.push(url.pathname);
    if (url.protocol !== 'data:' && url.hostname !== '127.0.0.1') errors.push(`request to another host: ${r.url()}`);
  });
  try {
    page.origin = `http://127.0.0.1:${server.address().port}`;
    await page.goto(`${page.origin}/?${query}`);
    await body(page);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
}

export const shot = async (page, name, fullPage = true) => {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage });
};

/** For each shown canvas: the fraction of its pixels unlike its most common colour. (The other
 *  mode's views are hidden: the plane's in digits mode, the digits' on the plane.) */
export const canvasInk = (page) => page.evaluate(() => [...document.querySelectorAll('canvas')]
  .filter((c) => c.getClientRects().length > 0).map((c) => {
  const copy = document.createElement('canvas');
  copy.width = c.width;
  copy.height = c.height;
  const g = copy.getContext('2d');
  g.drawImage(c, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data;
  const counts = new Map();
  for (let k = 0; k < d.length; k += 4) {
    const key = (d[k] >> 4) << 8 | (d[k + 1] >> 4) << 4 | d[k + 2] >> 4 | (d[k + 3] >> 4) << 12;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const most = Math.max(...counts.values());
  return { id: c.id || c.closest('[id]')?.id, size: [c.width, c.height], ink: 1 - most / (d.length / 4) };
}));

export const until = (page, condition, arg, timeout = 120_000) =>
  page.waitForFunction(condition, arg, { timeout });

