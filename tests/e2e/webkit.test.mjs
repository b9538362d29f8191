// Safari's engine: the lab page and the example post in WebKitGTK (Debian's webkit2gtk-driver,
// its MiniBrowser under Xvfb), driven over plain WebDriver. The driver runs under LANG=C.UTF-8,
// Debian's C locale, where WebKit 2.50's navigator.language is "C", not a valid language tag
// (under a bare LANG=C it reports en-US): the page must start anyway.
// WebKit here has no navigator.gpu, so both train on the wasm CPU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { DIST, serve } from '../../scripts/serve.mjs';

const MINIBROWSER = process.env.WEBKIT_MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
// Page errors do not come back over WebDriver: every HTML page served here gets a first script
// that keeps them in a global, which the test reads back.
const CATCH = '<script>window.pageErrors=[];addEventListener("error",(e)=>pageErrors.push(String(e.message)));'
  + 'addEventListener("unhandledrejection",(e)=>pageErrors.push(String(e.reason)));</script>';

const site = () => serve(0, DIST, { html: (text) => text.replace(/<head>/i, `<head>${CATCH}`) });

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** WebKitWebDriver under xvfb-run in the C locale, and a session on MiniBrowser. */
async function webkit() {
  const port = 4400 + Math.floor(Math.random() * 500);
  const env = { ...process.env, LANG: 'C.UTF-8' };
  for (const k of Object.keys(env)) if (/^(LC_|LANGUAGE$)/.test(k)) delete env[k];
  const driver = spawn('xvfb-run', ['-a', 'WebKitWebDriver', `--port=${port}`], { env, stdio: 'ignore', detached: true });
  const base = `http://127.0.0.1:${port}`;
  const call = async (method, path, body) => {
    const r = await fetch(base + path, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
    const json = await r.json();
    if (!r.ok) throw new Error(`WebDriver ${method} ${path}: ${JSON.stringify(json.value)}`);
    return json.value;
  };
  for (let i = 0; ; i++) {
    try { await call('GET', '/status'); break; } catch (e) { if (i > 100) throw e; await sleep(200); }
  }
  const { sessionId } = await call('POST', '/session', { capabilities: { alwaysMatch: {
    'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } } } });
  const s = `/session/${sessionId}`;
  return {
    go: (url) => call('POST', `${s}/url`, { url }),
    run: (script) => call('POST', `${s}/execute/sync`, { script, args: [] }),
    async until(script, timeout, what) {
      const end = Date.now() + timeout;
      for (;;) {
        const v = await this.run(script);
        if (v) return v;
        if (Date.now() > end) {
          const errors = await this.run('return window.pageErrors ?? []').catch(() => '?');
          throw new Error(`${what}: not within ${timeout / 1000} s; page errors: ${JSON.stringify(errors)}`);
        }
        await sleep(500);
      }
    },
    async close() {
      await call('DELETE', s).catch(() => {});
      try { process.kill(-driver.pid); } catch { /* already gone */ }
    },
  };
}

async function withWebKit(body) {
  const server = await site();
  const browser = await webkit();
  try {
    await body(browser, `http://127.0.0.1:${server.address().port}`);
  } finally {
    await browser.close();
    server.close();
  }
}

test('WebKit under LANG=C.UTF-8: the lab page starts, trains on the CPU, and the example post trains', { timeout: 240_000 }, async () => {
  await withWebKit(async (wk, origin) => {
    await wk.go(`${origin}/?autoplay`);
    // The condition this test is about: this engine's language tag is not one Intl accepts.
    const lang = await wk.run('try { new Intl.NumberFormat(navigator.language); return "valid: " + navigator.language; }'
      + ' catch { return "invalid: " + navigator.language; }');
    assert.match(lang, /^invalid/, 'LANG=C.UTF-8 should give WebKit an invalid navigator.language');
    const step = await wk.until('const s = window.ganLab; return s && !s.error && s.step >= 20 ? s.step : 0', 90_000, 'the lab page training');
    assert.ok(step >= 20);
    const lab = await wk.run('return { backend: window.ganLab.backend, error: window.ganLab.error ?? null, errors: window.pageErrors }');
    assert.deepEqual({ error: lab.error, errors: lab.errors }, { error: null, errors: [] });
    assert.equal(lab.backend, 'cpu');

    await wk.go(`${origin}/post/`);
    const trained = await wk.until(`const f = document.querySelector('gan-lab');
      return (f?.store?.state.frame?.step ?? 0) >= 10 ? f.store.state.frame.step : 0`, 90_000, "the post's first figure training");
    assert.ok(trained >= 10);
    assert.deepEqual(await wk.run('return window.pageErrors'), []);
  });
});
