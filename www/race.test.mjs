// Auto's verdict on a backend race (race.js), on made-up results: the measuring itself runs in
// the browser (tests/e2e/lab_page.test.mjs, `?race=always`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MARGIN, decide, signature } from './race.js';

test('WebGPU takes a run only when it beats the CPU by the margin', () => {
  const cpu = { stepsPerSecond: 100 };
  assert.equal(decide({ cpu, webgpu: { stepsPerSecond: 100 * MARGIN + 1 } }).winner, 'webgpu');
  assert.equal(decide({ cpu, webgpu: { stepsPerSecond: 100 * MARGIN - 1 } }).winner, 'cpu');
  assert.equal(decide({ cpu, webgpu: { stepsPerSecond: 50 } }).winner, 'cpu');
});

test('a backend that failed or ran out of time loses, and the verdict says so with the numbers', () => {
  const slow = decide({ cpu: { stepsPerSecond: 104.2 }, webgpu: { timedOutMs: 20_000 } }, true);
  assert.equal(slow.winner, 'cpu');
  assert.match(slow.text, /CPU: 104 steps\/s; WebGPU: no step within 20 s, a software adapter/);
  const failed = decide({ cpu: { stepsPerSecond: 5.93 }, webgpu: { error: 'no adapter' } });
  assert.equal(failed.winner, 'cpu');
  assert.match(failed.text, /CPU: 5\.9 steps\/s; WebGPU failed \(no adapter\)/);
  assert.equal(decide({ cpu: { error: 'x' }, webgpu: { stepsPerSecond: 3 } }).winner, 'webgpu');
});

test('a race holds for configs of the same cost band, and a 4x change or digits race again', () => {
  const ring8 = {
    data: { kind: 'gaussian-ring' }, model: 'mlp', batch_size: 256, d_steps: 1, pack: 1,
    generator: { width: 128, depth: 3 }, discriminator: { width: 128, depth: 3 },
  };
  const sig = (change) => signature(JSON.stringify({ ...structuredClone(ring8), ...change }));
  assert.equal(sig({ batch_size: 300 }), sig({}));
  assert.notEqual(sig({ batch_size: 1024 }), sig({}));
  assert.notEqual(sig({ data: { kind: 'mnist' } }), sig({}));
  assert.notEqual(sig({ generator: { width: 512, depth: 3 } }), sig({}));
});
