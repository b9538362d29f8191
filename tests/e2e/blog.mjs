// The example post as a blog hosts it, for the e2e tests (post.test.mjs, embed.test.mjs) and
// for looking at it by hand. The post at /blog/2026/gans/, the lab's files at
// /assets/gan-lab/, every response under a strict Content-Security-Policy.
import http from 'node:http';
import { chromium } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { DIST } from '../../scripts/serve.mjs';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
  + "worker-src 'self'; connect-src 'self'; img-src 'self' data:";
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css',
  '.wasm': 'application/wasm', '.gz': 'application/gzip', '.safetensors': 'application/octet-stream',
  '.webp': 'image/webp', '.json': 'application/json',
};

/** A blog: /blog/2026/gans/ is the post (its script pointed at /assets/gan-lab/, as docs/embedding.md
 *  tells a writer to), /blog/2026/gans/zh/ its Chinese twin, /assets/gan-lab/ is dist/. */
export function blog() {
  const server = http.createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    server.served.push(path); // what reached the server, not what a cache answered
    let file = null;
    let rewrite = null;
    if (path.startsWith('/assets/gan-lab/')) file = join(DIST, path.slice('/assets/gan-lab/'.length));
    else if (path.startsWith('/blog/2026/gans/')) {
      const rest = path.slice('/blog/2026/gans/'.length);
      file = join(DIST, 'post', rest.endsWith('/') || rest === '' ? `${rest}index.html` : rest);
      rewrite = (html) => html.replace(/src="(\.\.\/)+gan-lab\.js"/, 'src="/assets/gan-lab/gan-lab.js"')
        .replaceAll(/src="(\.\.\/)+posters\//g, 'src="/assets/gan-lab/posters/');
    }
    const headers = { 'content-security-policy': CSP };
    if (!file || !file.startsWith(DIST)) return res.writeHead(404, headers).end();
    try {
      let body = await readFile(file);
      if (rewrite && file.endsWith('.html')) body = rewrite(body.toString());
      // As docs/embedding.md tells hosts: content-hashed files may be cached forever.
      if (/\.[0-9a-f]{8}\.\w+$/.test(file)) headers['cache-control'] = 'public, max-age=31536000, immutable';
      res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, headers).end('not found');
    }
  });
  server.served = [];
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

/** Opens `path` on the blog with violations, page errors and foreign requests collected. */
export async function openPost(browser, server, path, { width = 1280, height = 900, reducedMotion = 'no-preference' } = {}) {
  const page = await browser.newPage({ viewport: { width, height }, reducedMotion });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e}`));
  page.on('console', (m) => { if (/Content.Security.Policy|Refused/i.test(m.text())) problems.push(`console: ${m.text()}`); });
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.hostname !== '127.0.0.1') problems.push(`request to another host: ${r.url()}`);
  });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} for ${r.url()}`); });
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));
  });
  await page.goto(`http://127.0.0.1:${server.address().port}${path}`);
  page.problems = async () => [...problems, ...(await page.evaluate(() => window.cspViolations))];
  return page;
}

/** Each figure's state, as its shadow root shows it. */
export const figures = (page) => page.evaluate(() => [...document.querySelectorAll('gan-lab')].map((f) => {
  const r = f.shadowRoot;
  // A compare figure's runs draw in their own shadow roots.
  const runs = [...r.querySelectorAll('.run-view')].flatMap((v) => [...v.shadowRoot.querySelectorAll('canvas')]);
  const ink = [...r.querySelectorAll('canvas'), ...runs].map((c) => {
    if (!c.width || !c.height) return 0;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const first = d.slice(0, 4).join();
    let other = 0;
    for (let k = 0; k < d.length; k += 4 * 7) if (`${d[k]},${d[k + 1]},${d[k + 2]},${d[k + 3]}` !== first) other++;
    return other / (d.length / 28);
  });
  return {
    status: r.getElementById('status')?.textContent ?? null,
    error: r.querySelector('.figure-error')?.textContent ?? null,
    playing: r.getElementById('play')?.getAttribute('aria-pressed') === 'true',
    step: Number(f.store?.state.frame?.step ?? 0),
    trains: Boolean(f.store?.state.playing),
    ink,
  };
}));


/** Runs `body(browser, server)` with the blog served and headless Chromium (WebGPU on, as the
 *  lab page's tests have it), then closes both. */
export async function withBlog(body) {
  const server = await blog();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--enable-unsafe-webgpu'] });
  try {
    await body(browser, server);
  } finally {
    await browser.close();
    server.close();
  }
}
