// The lab page end to end in headless Chromium (Debian's, driven by playwright-core): the
// worker trains, the step counter advances, every canvas draws, the metrics change, and the
// controls do what they say. Screenshots go to target/screenshots/.
// Needs the built page in dist/ (scripts/build: wasm-pack, then webpack).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canvasInk, shot, until, withPage } from './lab.mjs';

for (const backend of ['webgpu', 'cpu']) {
  test(`the lab trains ring8 on ${backend} and draws every view`, { timeout: 330_000 }, async () => {
    await withPage(`backend=${backend}&autoplay`, async (page) => {
      await until(page, () => window.ganLab.error || window.ganLab.step >= 10, null, 240_000);
      const state = await page.evaluate(() => window.ganLab);
      assert.equal(state.error, null);
      assert.equal(state.backend, backend);
      const first = state.metrics;
      await until(page, (s) => window.ganLab.error || window.ganLab.step >= s + 10, state.step);
      const later = await page.evaluate(() => window.ganLab.metrics);
      assert.notDeepEqual(later, first, 'metrics change as training goes on');
      // The readout's numbers move with the run, and the learned D is not the optimal D*.
      const readoutNumbers = () => page.evaluate(() => document.getElementById('readout').innerText.match(/-?\d+(\.\d+)?/g));
      const before = await readoutNumbers();
      await until(page, (s) => window.ganLab.step >= s + 5, await page.evaluate(() => window.ganLab.step));
      await page.waitForTimeout(300);
      assert.notDeepEqual(await readoutNumbers(), before, 'the readout follows the run');
      const panels = await page.evaluate(() => ['d-map', 'dstar-map'].map((id) => {
        const c = document.getElementById(id);
        return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.filter((_, i) => i % 64 === 0));
      }));
      const differing = panels[0].filter((v, i) => Math.abs(v - panels[1][i]) > 8).length / panels[0].length;
      assert.ok(differing > 0.05, `D and D* look alike (${(100 * differing).toFixed(1)}% of samples differ)`);
      await page.waitForTimeout(300); // one more animation frame for the charts
      const canvases = await canvasInk(page);
      // The plane, its legend, D, D*, and uPlot's six charts.
      assert.ok(canvases.length >= 10, `only ${canvases.length} canvases`);
      for (const c of canvases) assert.ok(c.ink > 0.01, `canvas ${c.id} ${c.size} is blank (${c.ink})`);
      const readout = await page.innerText('#readout');
      assert.match(readout, /steps\/s/);
      assert.match(await page.textContent('#backend'), backend === 'webgpu' ? /WebGPU/ : /CPU/);
      await shot(page, `lab-${backend}`);
      console.log(`${backend}: ${readout.replace(/\n/g, ' | ')} | adapter ${state.adapter}`);
    });
  });
}

test('on WebGPU, digits that fail to load leave the run where it was (no fallback to the CPU)', { timeout: 330_000 }, async () => {
  await withPage('backend=webgpu', async (page) => {
    await page.context().route(/\/(train-|digits-mlp)/, (route) => route.fulfill({ status: 404, body: 'gone' }));
    await until(page, () => window.ganLab.error || window.ganLab.frames > 0, null, 240_000);
    assert.equal(await page.evaluate(() => window.ganLab.backend), 'webgpu');
    await page.getByLabel('distribution', { exact: true }).selectOption('digits-dcgan');
    await until(page, () => window.ganLab.error);
    const state = await page.evaluate(() => window.ganLab);
    assert.equal(state.error.kind, 'data', JSON.stringify(state.error));
    assert.equal(state.backend, 'webgpu', 'a missing file is no reason to leave the GPU');
    assert.equal(state.fallback, null);
    assert.equal(state.config.data.kind, 'gaussian-ring', 'the ring8 run is still the one loaded');
    assert.match(await page.textContent('#message'), /could not load the digits/);
  }, { failing: /\/(train-|digits-mlp)/ });
});

test('the page bounds every number exactly as Rust validates it', { timeout: 120_000 }, async () => {
  await withPage('backend=cpu', async (page) => {
    await until(page, () => window.ganLab.frames > 0);
    const { inputs, numbers } = await page.evaluate(() => ({
      inputs: [...document.querySelectorAll('#fields input[type=number]')].map((i) => ({
        label: i.labels[0].textContent, group: i.closest('fieldset').querySelector('legend').textContent,
        min: i.min, max: i.max, step: i.step,
      })),
      numbers: window.ganLab.catalog.numbers,
    }));
    assert.equal(inputs.length, numbers.length, 'one input per numeric setting in the catalog');
    for (const n of numbers) {
      const want = { min: String(n.above_min ? Number.MIN_VALUE : n.min), max: n.max == null ? '' : String(n.max), step: n.integer ? '1' : 'any' };
      const got = inputs.filter((i) => i.min === want.min && i.max === want.max && i.step === want.step);
      assert.ok(got.length > 0, `no input bounded as ${n.path}: ${JSON.stringify(want)} in ${JSON.stringify(inputs)}`);
    }
    // The menus list what Rust lists.
    const options = await page.evaluate(() => [...document.getElementById('data').options].map((o) => o.value));
    const catalog = await page.evaluate(() => window.ganLab.catalog);
    assert.deepEqual(options, [...catalog.presets.filter((p) => p.group !== 'lesson').map((p) => p.name), 'draw']);
    const losses = await page.evaluate(() => [...document.querySelector('#fields select').options].map((o) => o.value));
    assert.deepEqual(losses, catalog.losses.map((l) => l.value.kind));
  }, { webgpu: false });
});

test('a newcomer picks the digits, presses play, and sees digits appear', { timeout: 300_000 }, async () => {
  await withPage('backend=cpu', async (page) => {
    await until(page, () => window.ganLab.frames > 0);
    await page.getByLabel('distribution', { exact: true }).selectOption('digits-dcgan');
    await until(page, () => window.ganLab.kind === 'digits' && window.ganLab.config?.model === 'dcgan');
    const first = await page.evaluate(() => window.ganLab.quality);
    await page.getByRole('button', { name: 'Play' }).click();
    // The wasm CPU runs the DCGAN at a few steps per second.
    await until(page, () => window.ganLab.error || window.ganLab.step >= 40, null, 240_000);
    await page.getByRole('button', { name: 'Pause' }).click();
    const state = await page.evaluate(() => window.ganLab);
    assert.equal(state.error, null);
    assert.notDeepEqual(state.quality, first, 'the quality numbers move as G trains');
    assert.equal(await page.locator('#plane').isVisible(), false);
    await page.waitForTimeout(300);
    const canvases = await canvasInk(page);
    const ids = canvases.map((c) => c.id);
    for (const id of ['digits-grid', 'digits-real', 'digits-strip']) assert.ok(ids.includes(id), `${id} is shown`);
    // Digits views and the losses, coverage and speed charts all have ink.
    for (const c of canvases) assert.ok(c.ink > 0.01, `canvas ${c.id} ${c.size} is blank (${c.ink})`);
    // G's 64 digits are 64 different pictures, not one repeated (nor a blank grid).
    const distinct = await page.evaluate(() => {
      const c = document.getElementById('digits-grid');
      const g = c.getContext('2d');
      const tile = Math.floor(c.width / 8);
      const seen = new Set();
      for (let k = 0; k < 64; k++) {
        const d = g.getImageData((k % 8) * tile, Math.floor(k / 8) * tile, tile - 2, tile - 2).data;
        seen.add(Array.from(d.filter((_, i) => i % 16 === 0)).join());
      }
      return seen.size;
    });
    assert.ok(distinct >= 60, `only ${distinct} distinct digits in the grid`);
    assert.match(await page.innerText('#digits-quality'), /classes \d+\/10/);
    assert.match(await page.innerText('.credit'), /MNIST.*LeCun.*CC BY-SA 3\.0/s);
    await shot(page, 'lab-digits');
    console.log(`digits on cpu: ${await page.innerText('#readout')} | ${await page.innerText('#digits-quality')}`);
  }, { webgpu: false });
});

test('the conditional digits lesson draws a row per digit and walks the digit the reader picks', { timeout: 300_000 }, async () => {
  await withPage('backend=cpu', async (page) => {
    await until(page, () => window.ganLab.frames > 0);
    const walkPicker = page.getByRole('combobox', { name: /Asked for the digit/ });
    assert.equal(await walkPicker.isVisible(), false, 'no digit to pick on the plane');
    await page.getByRole('button', { name: 'Conditional digits read sooner' }).click();
    await until(page, () => window.ganLab.error || (window.ganLab.config?.conditional && window.ganLab.step >= 20), null, 240_000);
    await page.getByRole('button', { name: 'Pause' }).click();
    // The chunk in flight (20 steps, a few seconds here) still ends in a frame: wait it out.
    for (let seen = -1; ;) {
      const now = await page.evaluate(() => window.ganLab.frames);
      if (now === seen) break;
      seen = now;
      await page.waitForTimeout(5000);
    }
    const state = await page.evaluate(() => window.ganLab);
    assert.equal(state.error, null);
    assert.equal(state.lesson, 'conditional-digits');
    assert.match(await page.innerText('#lesson-text'), /told which digit to draw/);
    assert.ok(state.quality.class_agreement >= 0 && state.quality.class_agreement <= 1, JSON.stringify(state.quality));
    assert.match(await page.innerText('#digits-quality'), /drawn as asked\s+\d+(\.\d)?%/);
    // The walk's digit: picking one while paused redraws the walk, and only the walk.
    const pixels = (id) => page.evaluate((id) => {
      const c = document.getElementById(id);
      return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.filter((_, i) => i % 32 === 0)).join();
    }, id);
    await page.waitForTimeout(300);
    const [grid, walk, frames] = [await pixels('digits-grid'), await pixels('digits-strip'), state.frames];
    assert.equal(await walkPicker.isVisible(), true);
    await walkPicker.selectOption('7');
    await until(page, (n) => window.ganLab.frames > n, frames);
    await page.waitForTimeout(300);
    assert.notEqual(await pixels('digits-strip'), walk, 'the walk now draws a 7');
    assert.equal(await pixels('digits-grid'), grid, 'the grid is the same run at the same step');
    assert.equal(state.step, await page.evaluate(() => window.ganLab.step), 'picking a digit trains nothing');
    // A row per digit 0-9: the grid's canvas carries the row labels' ink left of the digits.
    const canvases = await canvasInk(page);
    for (const c of canvases) assert.ok(c.ink > 0.01, `canvas ${c.id} ${c.size} is blank (${c.ink})`);
    // Compare offers the same run without the class.
    const variants = await page.evaluate(() => [...document.getElementById('compare').options].map((o) => o.value));
    assert.ok(variants.includes('conditional:0'), variants.join());
    await shot(page, 'lab-digits-conditional');
    console.log(`conditional digits on cpu: ${await page.innerText('#digits-quality')}`);
  }, { webgpu: false });
});

test('without WebGPU the page trains on the CPU and says why', { timeout: 120_000 }, async () => {
  await withPage('autoplay', async (page) => {
    await until(page, () => window.ganLab.error || window.ganLab.step >= 10, null, 90_000);
    const state = await page.evaluate(() => window.ganLab);
    assert.equal(state.error, null);
    assert.equal(state.backend, 'cpu');
    const said = await page.textContent('#backend');
    assert.match(said, /CPU/);
    assert.match(said, /WebGPU is not available/);
    console.log(said);
  }, { webgpu: false });
});

test('auto trains on the CPU module when WebGPU is only a software adapter, and never fetches the WebGPU one', { timeout: 120_000 }, async () => {
  await withPage('autoplay', async (page) => {
    await until(page, () => window.ganLab.error || window.ganLab.step >= 10, null, 90_000);
    const state = await page.evaluate(() => window.ganLab);
    assert.equal(state.error, null);
    assert.equal(state.backend, 'cpu');
    assert.match(await page.textContent('#backend'), /software adapter \(.*swiftshader/i);
    const fetched = page.requested;
    assert.ok(fetched.some((p) => /gan_lab_cpu_bg\.[0-9a-f]{8}\.wasm$/.test(p)), fetched.join(' '));
    assert.ok(!fetched.some((p) => /webgpu/.test(p)), `the WebGPU module was fetched: ${fetched.join(' ')}`);
  });
});

test('?race=always races both backends on the running config and keeps the faster one, with the numbers', { timeout: 180_000 }, async () => {
  await withPage('race=always&autoplay', async (page) => {
    const badge = () => page.textContent('#backend');
    // The run starts on the rule's backend at once; the race's verdict comes later.
    await until(page, () => window.ganLab.error || /measured faster/.test(document.getElementById('backend').textContent), null, 120_000);
    const state = await page.evaluate(() => window.ganLab);
    assert.equal(state.error, null);
    const said = await badge();
    console.log(said);
    // SwiftShader's first WebGPU step takes ~20 s: the wasm CPU wins on this machine.
    assert.equal(state.backend, 'cpu');
    assert.match(said, /CPU: [\d.]+ steps\/s; WebGPU: ([\d.]+ steps\/s|no step within 20 s), a software adapter/);
    assert.ok(page.requested.some((p) => /webgpu/.test(p)), 'the race fetched the WebGPU module');
    // The run went on throughout: it was not restarted.
    await until(page, (s) => window.ganLab.step >= s + 10, state.step);
  });
});

test('a link with an unknown preset or backend opens the default lab and says what it ignored', { timeout: 120_000 }, async () => {
  await withPage('preset=ring9&backend=warp&race=maybe&autoplay', async (page) => {
    await until(page, () => window.ganLab.error || window.ganLab.step >= 10, null, 90_000);
    const state = await page.evaluate(() => window.ganLab);
    assert.equal(state.error, null);
    // The Play that went with the refused start is answered by the default one: still playing.
    assert.equal(state.playing, true, 'autoplay was lost with the refused preset');
    assert.equal(state.config.data.modes, 8, 'not ring8');
    const said = await page.textContent('#message');
    assert.match(said, /backend "warp"/);
    assert.match(said, /race "maybe" is not one of auto, always, off/);
    assert.match(said, /preset "ring9" does not exist \(presets: ring8, grid25/);
  }, { webgpu: false });
});

test('a hidden tab stops training and picks up again on return', { timeout: 120_000 }, async () => {
  await withPage('backend=cpu&autoplay', async (page) => {
    await until(page, () => window.ganLab.error || window.ganLab.step >= 20, null, 90_000);
    const hide = (hidden) => page.evaluate((h) => {
      Object.defineProperty(document, 'hidden', { value: h, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
    await hide(true);
    await page.waitForTimeout(1000); // the chunk under way ends
    const paused = await page.evaluate(() => window.ganLab.step);
    await page.waitForTimeout(1500);
    assert.equal(await page.evaluate(() => window.ganLab.step), paused, 'it trained while hidden');
    await hide(false);
    await until(page, (n) => window.ganLab.step > n, paused, 30_000);
    assert.equal(await page.evaluate(() => window.ganLab.playing), true);
  }, { webgpu: false });
});

test('controls: lessons, live settings, refusals, slow motion, keys, drawing', { timeout: 180_000 }, async () => {
  await withPage('backend=cpu', async (page) => {
    await until(page, () => window.ganLab.frames > 0);
    const config = () => page.evaluate(() => window.ganLab.config);

    // Space plays, Space again pauses.
    await page.keyboard.press('Space');
    await until(page, () => window.ganLab.step >= 20);
    await page.keyboard.press('Space');
    assert.equal(await page.evaluate(() => window.ganLab.playing), false);

    // A lesson resets to its preset and plays.
    await page.getByRole('button', { name: 'Saturating loss stalls' }).click();
    await until(page, () => window.ganLab.config?.loss.kind === 'minimax' && window.ganLab.step > 0);
    const lesson = await config();
    assert.equal(lesson.d_steps, 5);
    assert.equal(lesson.discriminator.optimizer.lr, 0.005);
    assert.equal(await page.getByRole('button', { name: 'Saturating loss stalls' }).getAttribute('aria-pressed'), 'true');
    await page.getByRole('button', { name: 'Pause' }).click();

    // A live setting takes effect without a reset: the worker reports it back.
    await page.getByLabel('loss').selectOption('least-squares');
    await until(page, () => window.ganLab.live?.loss.kind === 'least-squares');

    // A bad value is refused, the field is named and marked, and the game goes on unchanged.
    const lr = page.locator('fieldset', { hasText: 'Generator G' }).getByLabel('learning rate');
    await lr.fill('-1');
    await lr.press('Enter');
    await lr.blur();
    await until(page, () => window.ganLab.error?.field === 'generator.optimizer.lr');
    assert.equal((await page.evaluate(() => window.ganLab.error)).kind, 'config');
    assert.equal(await lr.getAttribute('aria-invalid'), '');
    assert.match(await page.textContent('#message'), /generator\.optimizer\.lr/);
    assert.equal((await page.evaluate(() => window.ganLab.live)).generator_lr, 0.001);

    // A setting that needs a reset says so, and Reset applies it.
    const width = page.locator('fieldset', { hasText: 'Generator G' }).getByLabel('width');
    await width.fill('64');
    await width.blur();
    assert.equal(await page.locator('#pending').isVisible(), true);
    await lr.fill('0.001');
    await lr.blur();
    await page.getByRole('button', { name: 'Reset' }).click();
    await until(page, () => window.ganLab.config?.generator.width === 64);
    assert.equal(await page.locator('#pending').isVisible(), false);

    // Slow motion: one step is half a step, D's then G's.
    await page.getByLabel('slow motion (D, then G)').check();
    await page.getByRole('button', { name: 'One step' }).click();
    await until(page, () => window.ganLab.phase === 'd');
    assert.match(await page.textContent('#phase'), /D just moved/);
    await page.getByRole('button', { name: 'One step' }).click();
    await until(page, () => window.ganLab.phase === 'g');
    await page.getByLabel('slow motion (D, then G)').uncheck();

    // Draw your own: three clicks on the plane become the real distribution.
    await page.getByLabel('distribution', { exact: true }).selectOption('draw');
    const box = await page.locator('#plane').boundingBox();
    for (const [fx, fy] of [[0.3, 0.3], [0.7, 0.3], [0.5, 0.75]]) {
      await page.mouse.click(box.x + fx * box.width, box.y + fy * box.height);
    }
    await page.getByRole('button', { name: 'Train on these points' }).click();
    await until(page, () => window.ganLab.config?.data.kind === 'points' && window.ganLab.step > 0);
    assert.equal((await config()).data.points.length, 3);
    await shot(page, 'lab-drawn');
  }, { webgpu: false });
});

test('a NaN loss stops training, says so, and restores the last good state', { timeout: 120_000 }, async () => {
  await withPage('backend=cpu', async (page) => {
    await until(page, () => window.ganLab.frames > 0);
    // LSGAN's squared error under SGD at lr 1000 overflows within a few steps.
    for (const who of ['Generator G', 'Discriminator D']) {
      const net = page.locator('fieldset', { hasText: who });
      await net.getByLabel('optimizer').selectOption('sgd');
      await net.getByLabel('learning rate').fill('1000');
      await net.getByLabel('learning rate').blur();
    }
    await page.getByRole('button', { name: 'Reset' }).click();
    await until(page, () => window.ganLab.config?.discriminator.optimizer.lr === 1000);
    await page.getByLabel('loss').selectOption('least-squares');
    await until(page, () => window.ganLab.live?.loss.kind === 'least-squares');
    await page.getByRole('button', { name: 'Play' }).click();
    await until(page, () => /NaN/.test(document.getElementById('message').innerText));
    assert.equal(await page.evaluate(() => window.ganLab.playing), false);
    await shot(page, 'lab-nan', false);
    await page.getByRole('button', { name: 'Restore the last good state' }).click();
    await until(page, () => /Back at step/.test(document.getElementById('message').innerText));
    // The restored state's snapshot follows: finite again.
    await until(page, () => Number.isFinite(window.ganLab.metrics?.js_divergence));
  }, { webgpu: false });
});

test('the layout fits a 360-px phone', { timeout: 120_000 }, async () => {
  await withPage('backend=cpu&autoplay', async (page) => {
    await until(page, () => window.ganLab.step >= 20);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    const plane = await page.locator('#plane').boundingBox();
    assert.ok(plane.width >= 300, `the plane is only ${plane.width}px wide`);
    // Screen by screen: a whole 5,000-px page shrinks past reading when viewed.
    for (const [k, id] of ['stage-title', 'controls-title', 'theory-title', 'metrics-title'].entries()) {
      await page.locator(`#${id}`).scrollIntoViewIfNeeded();
      await shot(page, `lab-phone-${k + 1}`, false);
    }
  }, { webgpu: false, width: 360, height: 740 });
});
