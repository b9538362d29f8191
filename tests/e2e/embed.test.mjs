// The iframe mode (index.html?embed&…), embedded by a page on another origin in a sandboxed
// iframe: with allow-scripts and allow-same-origin, the figure alone, training; with
// allow-scripts alone (an opaque origin, where no worker may start from the lab's URL), a
// message that says what the host must add.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { CHROMIUM } from './blog.mjs';

async function embedded(sandbox, body) {
  const lab = await serve(0);
  const src = `http://127.0.0.1:${lab.address().port}/?embed&preset=ring8&show=plane,losses&controls=transport&lang=zh`;
  const host = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>a post</title><p>Before the figure.</p>
      <iframe sandbox="${sandbox}" src="${src}" width="700" height="760" title="GAN lab"></iframe>`);
  });
  await new Promise((ok) => host.listen(0, '127.0.0.1', ok));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
    await page.goto(`http://127.0.0.1:${host.address().port}/`);
    await body(page, page.frames().find((f) => f.url().includes('embed')));
  } finally {
    await browser.close();
    lab.close();
    host.close();
  }
}

test('in <iframe sandbox="allow-scripts"> the figure says the host must add allow-same-origin', { timeout: 60_000 }, async () => {
  await embedded('allow-scripts', async (page, frame) => {
    await frame.waitForFunction(() => document.querySelector('gan-lab')?.shadowRoot.getElementById('status')?.textContent.includes('allow-same-origin'), null, { timeout: 30_000 });
  });
});

test('the iframe mode trains one figure inside <iframe sandbox="allow-scripts allow-same-origin">', { timeout: 180_000 }, async () => {
  await embedded('allow-scripts allow-same-origin', async (page, frame) => {
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await frame.waitForFunction(() => (document.querySelector('gan-lab')?.store?.state.frame?.step ?? 0) >= 40, null, { timeout: 120_000 });
    const state = await frame.evaluate(() => {
      const f = document.querySelector('gan-lab');
      return {
        others: document.body.children.length,
        header: Boolean(document.querySelector('header, .controls')),
        play: f.shadowRoot.getElementById('play').textContent,
        charts: f.shadowRoot.querySelectorAll('.uplot').length,
        status: f.shadowRoot.getElementById('status').textContent,
      };
    });
    assert.deepEqual({ ...state, status: undefined }, { others: 1, header: false, play: '暂停', charts: 1, status: undefined });
    assert.match(state.status, /CPU/);
    assert.deepEqual(errors, []);
  });
});

test('until it trains, a figure shows its preset\'s still over its picture; the still goes when it trains', { timeout: 180_000 }, async () => {
  const lab = await serve(0);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('response', (r) => { if (r.status() >= 400) errors.push(`${r.status()} for ${r.url()}`); });
    await page.goto(`http://127.0.0.1:${lab.address().port}/?embed&preset=ring8&show=plane,losses&autoplay=never&backend=cpu`);
    // Ready, not playing: the still is over the plane, loaded, the size of the plane.
    await page.waitForFunction(() => document.querySelector('gan-lab').store?.state.config);
    const still = await page.evaluate(() => {
      const r = document.querySelector('gan-lab').shadowRoot;
      const img = r.querySelector('.plane-box .still');
      const plane = r.getElementById('plane').getBoundingClientRect();
      const box = img?.getBoundingClientRect();
      return img && { shown: !img.hidden && img.complete && img.naturalWidth > 0, src: img.src, sameSize: Math.abs(box.width - plane.width) < 2 };
    });
    assert.deepEqual({ ...still, src: undefined }, { shown: true, sameSize: true, src: undefined }, JSON.stringify(still));
    assert.match(still.src, /\/posters\/ring8-plane\.webp$/);
    // Play: once a step is drawn, the still is gone and the picture is the run's.
    await page.evaluate(() => document.querySelector('gan-lab').shadowRoot.getElementById('play').click());
    await page.waitForFunction(() => (document.querySelector('gan-lab').store?.state.frame?.step ?? 0) > 0, null, { timeout: 120_000 });
    assert.equal(await page.evaluate(() => document.querySelector('gan-lab').shadowRoot.querySelectorAll('.still').length), 0);
    // A figure that changes its preset (here its loss) shows no still: it would be another run's.
    await page.goto(`http://127.0.0.1:${lab.address().port}/?embed&preset=ring8&loss=least-squares&autoplay=never&backend=cpu`);
    await page.waitForFunction(() => document.querySelector('gan-lab').store?.state.config);
    assert.equal(await page.evaluate(() => [...document.querySelector('gan-lab').shadowRoot.querySelectorAll('.still')].filter((i) => !i.hidden).length), 0);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    lab.close();
  }
});

test('a race that moves a figure\u2019s run to another backend keeps its charts\u2019 history', { timeout: 240_000 }, async () => {
  const lab = await serve(0);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--enable-unsafe-webgpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // Auto starts the plane on the CPU (WebGPU here is SwiftShader); the race then hands the run
    // to WebGPU whatever the numbers, as a hardware GPU's verdict would.
    await page.goto(`http://127.0.0.1:${lab.address().port}/?embed&preset=ring8&show=plane,losses&race=webgpu-wins`);
    const figure = () => page.evaluate(() => {
      const f = document.querySelector('gan-lab');
      const h = f.painter?.history;
      return { backend: f.store?.state.backend, step: f.store?.state.frame?.step ?? 0, steps: h?.losses[0].slice() ?? [], d: h?.losses[1].slice(0, 20) ?? [] };
    });
    await page.waitForFunction(() => document.querySelector('gan-lab').store?.state.frame?.step >= 40, null, { timeout: 60_000 });
    const before = await figure();
    assert.equal(before.backend, 'cpu', 'the hand-over came before the test could look');
    await page.waitForFunction(() => document.querySelector('gan-lab').store?.state.backend === 'webgpu', null, { timeout: 180_000 });
    const after = await figure();
    assert.ok(after.steps.length >= before.steps.length, `history ${before.steps.length} → ${after.steps.length}: the charts were wiped`);
    assert.deepEqual(after.steps.slice(0, before.steps.length), before.steps);
    assert.deepEqual(after.d, before.d);
    assert.match(await page.evaluate(() => document.querySelector('gan-lab').shadowRoot.getElementById('status').textContent), /WebGPU/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    lab.close();
  }
});
