// The example post (dist/post/) as a blog would host it: the post at /blog/2026/gans/, the
// lab's files at /assets/gan-lab/, every response under a strict Content-Security-Policy.
// Fails on any CSP violation and on any request to another host. Screenshots of the whole
// post at 1280 and 390 px go to target/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { figures, openPost, withBlog } from './blog.mjs';

const SHOTS = new URL('../../target/screenshots/', import.meta.url).pathname;

const shot = async (page, name) => {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
};

test('the post, hosted in a subfolder under a strict CSP: figures start in view, pause out of it, one at a time', { timeout: 300_000 }, async () => {
  await withBlog(async (browser, server) => {
    const page = await openPost(browser, server, '/blog/2026/gans/');
    const at = async (index) => {
      await page.evaluate((k) => document.querySelectorAll('gan-lab')[k].scrollIntoView({ block: 'center' }), index);
      await page.waitForFunction((k) => (document.querySelectorAll('gan-lab')[k].store?.state.frame?.step ?? 0) >= 40, index, { timeout: 120_000 });
    };
    // Figure 0 is in view first: it starts, its step counter moves, its canvases have ink.
    await at(0);
    let state = await figures(page);
    assert.ok(state[0].step >= 40, JSON.stringify(state[0]));
    assert.ok(state[0].ink.every((x) => x > 0.01), `figure 0 canvases without ink: ${state[0].ink}`);
    assert.ok(state.slice(2).every((f) => f.step === 0), 'figures far below started');
    // Scrolled to figure 2: figure 0 pauses, figure 2 trains; never two at once.
    await at(2);
    state = await figures(page);
    assert.equal(state[0].trains, false, 'figure 0 still trains out of view');
    assert.match(state[0].status, /off screen/);
    assert.equal(state.filter((f) => f.trains).length, 1, JSON.stringify(state.map((f) => f.trains)));
    const before = state[0].step;
    await page.waitForTimeout(1500);
    assert.equal((await figures(page))[0].step, before, 'figure 0 stepped while off screen');
    // Every other figure, in turn: it starts when scrolled to and draws. (The slow-motion one
    // waits for Play, as its autoplay="never" says.)
    const count = await page.evaluate(() => document.querySelectorAll('gan-lab').length);
    for (let k = 3; k < count; k++) {
      const manual = await page.evaluate((i) => document.querySelectorAll('gan-lab')[i].getAttribute('autoplay') === 'never', k);
      await page.evaluate((i) => document.querySelectorAll('gan-lab')[i].scrollIntoView({ block: 'center' }), k);
      if (manual) {
        await page.waitForFunction((i) => document.querySelectorAll('gan-lab')[i].store?.state.config, k, { timeout: 120_000 });
        await page.evaluate((i) => document.querySelectorAll('gan-lab')[i].shadowRoot.getElementById('play').click(), k);
      }
      await page.waitForFunction((i) => (document.querySelectorAll('gan-lab')[i].store?.state.frame?.step ?? 0) > 0, k, { timeout: 120_000 });
      await page.waitForTimeout(300); // a painted frame
      const f = (await figures(page))[k];
      assert.ok(f.ink.length > 0 && f.ink.every((x) => x > 0.005), `figure ${k} canvases without ink: ${f.ink}`);
      assert.ok((await figures(page)).filter((x) => x.trains).length <= 1, 'two figures train at once');
    }
    // Ten figures, eleven workers (the compare figure has two): the scripts and the wasm still
    // came from the server once.
    const times = (re) => server.served.filter((p) => re.test(p)).length;
    assert.equal(times(/gan_lab_cpu_bg\.[0-9a-f]{8}\.wasm$/), 1, server.served.join(' '));
    assert.equal(times(/\/gan-lab\.js$/), 1);
    await shot(page, 'post-1280');
    const small = await openPost(browser, server, '/blog/2026/gans/zh/', { width: 390, height: 844 });
    await small.evaluate(() => document.querySelector('gan-lab').scrollIntoView({ block: 'center' }));
    await small.waitForFunction(() => (document.querySelector('gan-lab').store?.state.frame?.step ?? 0) > 0, null, { timeout: 120_000 });
    const zh = await figures(small);
    assert.match(zh[0].status, /训练/, 'the Chinese post\u2019s figure speaks Chinese');
    const overflow = await small.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.ok(overflow <= 0, `the post is ${overflow}px wider than a 390-px screen`);
    await shot(small, 'post-zh-390');
    assert.deepEqual([...await page.problems(), ...await small.problems()], []);
  });
});

test('a bad attribute is reported inside its figure, and the next figure still works', { timeout: 180_000 }, async () => {
  await withBlog(async (browser, server) => {
    const page = await openPost(browser, server, '/blog/2026/gans/');
    // Writers' mistakes, appended to the post: each one's figure says what is wrong.
    await page.evaluate(() => {
      for (const [name, value, lang] of [['show', 'plane,sparkles'], ['steps', '-3'], ['preset', 'ring9'], ['loss', 'hinge'],
        ['seed', '100000000000000000000'], ['preset', 'ring9', 'zh']]) {
        const f = document.createElement('gan-lab');
        f.setAttribute(name, value);
        if (lang) f.setAttribute('lang', lang);
        f.className = 'bad';
        document.querySelector('main').append(f);
      }
      const good = document.createElement('gan-lab');
      good.setAttribute('show', 'plane');
      good.id = 'good';
      document.querySelector('main').append(good);
    });
    await page.evaluate(() => document.getElementById('good').scrollIntoView({ block: 'center' }));
    await page.waitForFunction(() => (document.getElementById('good').store?.state.frame?.step ?? 0) > 0, null, { timeout: 120_000 });
    const errors = await page.evaluate(async () => {
      const bad = [...document.querySelectorAll('gan-lab.bad')];
      for (const f of bad) {
        f.scrollIntoView();
        await new Promise((ok) => setTimeout(ok, 1500));
      }
      return bad.map((f) => f.shadowRoot.querySelector('.figure-error')?.textContent ?? null);
    });
    assert.match(errors[0], /show="plane,sparkles"/);
    assert.match(errors[1], /steps="-3"/);
    assert.match(errors[2], /preset="ring9": use ring8, grid25/);
    assert.match(errors[3], /loss="hinge": use minimax, non-saturating/);
    assert.match(errors[4], /seed="100000000000000000000": use a whole number from 0 to 9007199254740991/);
    assert.match(errors[5], /属性有误，preset="ring9"：请用 ring8, grid25/);
    assert.deepEqual(await page.problems(), []);
  });
});

test('under prefers-reduced-motion no figure starts by itself; a hidden tab trains none', { timeout: 120_000 }, async () => {
  await withBlog(async (browser, server) => {
    const page = await openPost(browser, server, '/blog/2026/gans/', { reducedMotion: 'reduce' });
    await page.evaluate(() => document.querySelector('gan-lab').scrollIntoView({ block: 'center' }));
    await page.waitForFunction(() => document.querySelector('gan-lab').store?.state.config, null, { timeout: 60_000 });
    await page.waitForTimeout(2000);
    let [first] = await figures(page);
    assert.equal(first.step, 0, 'it trained by itself');
    assert.match(first.status, /Press Play/);
    await page.evaluate(() => document.querySelector('gan-lab').shadowRoot.getElementById('play').click());
    await page.waitForFunction(() => document.querySelector('gan-lab').store.state.frame.step > 0, null, { timeout: 60_000 });
    [first] = await figures(page);
    assert.ok(first.step > 0);
    // A hidden tab trains nothing; back in view, the figure goes on.
    const hide = (hidden) => page.evaluate((h) => {
      Object.defineProperty(document, 'hidden', { value: h, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
    await hide(true);
    assert.equal((await figures(page))[0].trains, false, 'a hidden tab still trains');
    await hide(false);
    assert.equal((await figures(page))[0].trains, true);
    assert.deepEqual(await page.problems(), []);
  });
});
