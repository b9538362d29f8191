// A run's own tools end to end: Save run / Load run, Copy link, Save picture, moving a running
// game to another backend, and a GPU lost mid-run, in headless Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdtemp } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { shot, until, withPage } from './lab.mjs';

const state = (page) => page.evaluate(() => window.ganLab);

/** The `gan` CLI that `cargo test --release` built (scripts/test runs it before these tests). */
const GAN = join(process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/gan-lab/target'), 'release/gan');
/** `gan train ARGS --log-every 0`'s JSON last line. */
async function gan(...args) {
  const { stdout } = await promisify(execFile)(GAN, ['train', ...args, '--log-every', '0']);
  return JSON.parse(stdout.trim().split('\n').at(-1));
}
/** The wasm CPU and native flex agree to float reassociation (tests/web.rs: 1e-4 relative). */
const close = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-3 * (1 + Math.abs(b)), `${what}: page ${a} vs CLI ${b}`);

/** Plays until at least `steps`, then pauses; gives the step it stopped at. */
async function playTo(page, steps) {
  await page.click('#play');
  await until(page, (n) => window.ganLab.error || window.ganLab.step >= n, steps);
  await page.click('#play');
  await until(page, () => !window.ganLab.playing);
  // The chunk in flight when the pause came still lands: wait for the counter to settle (a
  // busy machine takes its time over a chunk).
  let step = -1;
  while (step !== (step = (await state(page)).step)) await page.waitForTimeout(1500);
  return step;
}

/** Presses One step `n` times; gives the metrics at the last. */
async function stepBy(page, n) {
  const from = (await state(page)).step;
  for (let k = 0; k < n; k++) await page.click('#step');
  await until(page, (s) => window.ganLab.error || window.ganLab.step === s, from + n);
  return (await state(page)).metrics;
}

const download = async (page, button) => {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()), path: await file.path() };
};

test('save, reload the page, load: the run goes on at the same step with the same next numbers', { timeout: 180_000 }, async () => {
  await withPage('backend=cpu', async (page) => {
    await until(page, () => window.ganLab.frames > 0);
    const at = await playTo(page, 60);
    const saved = await download(page, '#save');
    assert.equal(saved.name, `gan-lab-step-${at}.safetensors`);
    const unbroken = await stepBy(page, 3);
    // The page's file resumes in the CLI, with the page's next losses.
    const cli = await gan('--resume', saved.path, '--steps', '3');
    const page3 = (await state(page)).losses;
    assert.equal(cli.steps, at + 3);
    close(page3.d, cli.d_loss, 'd loss');
    close(page3.g, cli.g_loss, 'g loss');

    await page.reload();
    await until(page, () => window.ganLab.frames > 0);
    await page.setInputFiles('#load-file', saved.path);
    await until(page, (s) => window.ganLab.step === s, at);
    assert.match(await page.textContent('#message'), new RegExp(`from step ${at}`));
    assert.deepEqual(await stepBy(page, 3), unbroken);

    // Files that are not a run change nothing: the same step, the same numbers, a message.
    const before = await state(page);
    for (const [name, bytes] of [['junk.safetensors', Buffer.from('not a save file at all')],
      ['cut.safetensors', saved.bytes.subarray(0, saved.bytes.length - 100)]]) {
      await page.setInputFiles('#load-file', { name, mimeType: 'application/octet-stream', buffer: bytes });
      await until(page, () => window.ganLab.error);
      assert.match(await page.textContent('#message'), /not a gan-lab save file/);
      const after = await state(page);
      assert.deepEqual([after.step, after.metrics], [before.step, before.metrics]);
      await page.click('#step'); // clears the error: training goes on
      await until(page, (s) => window.ganLab.step === s + 1, after.step);
      before.step += 1;
      before.metrics = (await state(page)).metrics;
    }

    // And the CLI's file in the page, the other way round.
    const file = join(await mkdtemp(join(tmpdir(), 'gan-e2e-')), 'cli.safetensors');
    await gan('--preset', 'grid25', '--seed', '2', '--steps', '40', '--save', file);
    const cli3 = await gan('--resume', file, '--steps', '3');
    await page.setInputFiles('#load-file', file);
    await until(page, () => window.ganLab.step === 40 && window.ganLab.config?.data.kind === 'gaussian-grid');
    await stepBy(page, 3);
    const page3b = (await state(page)).losses;
    close(page3b.d, cli3.d_loss, 'd loss');
    close(page3b.g, cli3.g_loss, 'g loss');
  });
});

test('copy link, open it in a fresh page: the same run, the same numbers at the same step', { timeout: 180_000 }, async () => {
  await withPage('backend=cpu', async (page) => {
    await until(page, () => window.ganLab.frames > 0);
    // A run unlike any preset: another seed, then Reset to apply it.
    const seed = page.getByLabel('seed', { exact: true });
    await seed.fill('11');
    await seed.blur();
    await page.click('#reset');
    await until(page, () => window.ganLab.config?.seed === 11 && window.ganLab.step === 0);
    const first = await stepBy(page, 4);
    await page.click('#copy-link');
    await until(page, () => /Link copied/.test(document.getElementById('message').textContent));
    const link = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(link, /#preset=ring8&config=.*seed.*11/);

    await page.goto('about:blank');
    await page.goto(link);
    await until(page, () => window.ganLab.frames > 0);
    assert.equal((await state(page)).config.seed, 11);
    assert.deepEqual(await stepBy(page, 4), first);
  });
});

test('a tampered or garbled link opens the default lab and says what was ignored', { timeout: 120_000 }, async () => {
  const width0 = encodeURIComponent(JSON.stringify({ generator: { width: 0 } }));
  await withPage('', async (page) => {
    for (const [hash, said] of [[`#preset=ring8&config=${width0}`, /generator\.width/],
      ['#preset=ring8&config=%7Bgarbage', /could not be read/],
      [`#preset=nope&config=${encodeURIComponent('{"seed":1}')}`, /"nope" does not exist/],
      [`#preset=ring8&config=${encodeURIComponent('{"colour":"red"}')}`, /colour/]]) {
      // Each in a page of its own (from one fragment to another is no new load).
      const fresh = await page.context().newPage();
      const errors = [];
      fresh.on('pageerror', (e) => errors.push(String(e)));
      await fresh.goto(`${page.origin}/${hash}`);
      await until(fresh, () => window.ganLab.frames > 0);
      const s = await state(fresh);
      assert.equal(s.error, null, hash);
      assert.ok(s.config, hash);
      assert.match(await fresh.textContent('#message'), said, hash);
      assert.deepEqual(errors, [], hash);
      await fresh.close();
    }
  });
});

test('Save picture: the plane as shown, the digits at 28 pixels a digit', { timeout: 180_000 }, async () => {
  const png = (bytes) => {
    assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
    return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
  };
  await withPage('backend=cpu', async (page) => {
    await until(page, () => window.ganLab.frames > 0);
    const plane = await download(page, '#png');
    const size = await page.evaluate(() => [document.getElementById('plane').width, document.getElementById('plane').height]);
    assert.deepEqual(png(plane.bytes), size);
    await page.getByLabel('distribution', { exact: true }).selectOption('digits-dcgan');
    await until(page, () => window.ganLab.kind === 'digits' && window.ganLab.frames > 0);
    const digits = await download(page, '#png');
    assert.deepEqual(png(digits.bytes), [8 * 28 + 7 * 2, 8 * 28 + 7 * 2]);
  });
});

test('the running game moves to WebGPU without losing a step, and a lost GPU hands it back to the CPU', { timeout: 330_000 }, async () => {
  await withPage('backend=cpu', async (page) => {
    await until(page, () => window.ganLab.frames > 0);
    const at = await playTo(page, 40);
    await page.selectOption('#backend-choice', 'webgpu');
    await until(page, () => window.ganLab.error || window.ganLab.backend === 'webgpu', null, 120_000);
    assert.equal((await state(page)).step, at, 'the hand-over keeps the step');
    await stepBy(page, 2); // on WebGPU (SwiftShader): compiles its kernels first
    assert.equal((await state(page)).backend, 'webgpu');
    await shot(page, 'handed-over-to-webgpu', false);

    await page.evaluate(() => window.ganLabDebug.loseDevice());
    await page.click('#step'); // the next use of the device finds it gone
    await until(page, () => window.ganLab.error || window.ganLab.backend === 'cpu', null, 120_000);
    const s = await state(page);
    assert.equal(s.error, null);
    const message = await page.textContent('#message');
    assert.match(message, /WebGPU stopped working/);
    const resumedAt = Number(message.match(/on the CPU from step (\d+)/)[1]);
    assert.ok(resumedAt >= at, `resumed at ${resumedAt}, not from 0 (was at ${at})`);
    assert.match(await page.textContent('#backend'), /CPU/);
    await stepBy(page, 2); // and training goes on there
  });
});

test('a crashed worker: the page says so, stays usable, and restarts from the last good state', { timeout: 180_000 }, async () => {
  await withPage('backend=cpu', async (page) => {
    await until(page, () => window.ganLab.frames > 0);
    await page.click('#play');
    await page.waitForTimeout(4_000); // a copy of the run reaches the page every 3 s
    await page.click('#play');
    await until(page, () => !window.ganLab.playing);
    await page.evaluate(() => window.ganLabDebug.crash()); // as a wasm panic surfaces
    await until(page, () => window.ganLab.error?.kind === 'panic');
    const message = await page.textContent('#message');
    assert.match(message, /The training worker crashed/);
    await shot(page, 'worker-crashed', false);
    const restart = page.getByRole('button', { name: /Restart from step \d+/ });
    const from = Number((await restart.textContent()).match(/\d+/)[0]);
    assert.ok(from > 0, 'a copy was kept');
    await restart.click();
    await until(page, (n) => !window.ganLab.error && window.ganLab.step === n, from);
    await stepBy(page, 2);
    assert.equal((await state(page)).error, null);
  });
});

test('a bug in the worker\u2019s JS on WebGPU is reported as one, and the run stays on WebGPU where it was', { timeout: 240_000 }, async () => {
  await withPage('backend=webgpu', async (page) => {
    await until(page, () => window.ganLab.frames > 0 && window.ganLab.backend === 'webgpu', null, 120_000);
    await stepBy(page, 1); // on SwiftShader: compiles its kernels first
    const at = (await state(page)).step;
    await page.evaluate(() => window.ganLabDebug.throwError()); // a TypeError thrown in a job
    await until(page, () => window.ganLab.error?.kind === 'script');
    const s = await state(page);
    assert.deepEqual({ backend: s.backend, fallback: s.fallback, step: s.step }, { backend: 'webgpu', fallback: null, step: at });
    const message = await page.textContent('#message');
    assert.match(message, /A bug in the lab\u2019s code stopped training \(TypeError: Cannot read properties of null/);
    assert.match(message, /the run is kept, on WebGPU/);
    assert.doesNotMatch(message, /WebGPU stopped working/);
    assert.match(await page.textContent('#backend'), /WebGPU/);
    // The run goes on from where it was, on the same device.
    await page.click('#step');
    await until(page, (n) => window.ganLab.step === n, at + 1, 120_000);
    assert.equal((await state(page)).backend, 'webgpu');
  });
});
