// The charts' history stays bounded however long a run is (node --test www/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { History, MAX_POINTS } from './history.js';

const frame = (step, n) => ({
  kind: 'plane', step, stepsPerSecond: 100,
  dLosses: new Float32Array(n).fill(0.7), gLosses: new Float32Array(n).fill(0.9),
  metrics: { value: -1.3, js_divergence: 0.1, modes_covered: 8, modes_total: 8, high_quality: 0.9, d_accuracy: 0.5 },
});

test('a million-step run keeps at most MAX_POINTS points per chart, in step order, ending at the last step', () => {
  const h = new History();
  for (let step = 20; step <= 1_000_000; step += 20) h.push(frame(step, 20));
  for (const table of [h.losses, h.metrics]) {
    assert.ok(table[0].length <= MAX_POINTS && table[0].length > MAX_POINTS / 4, `${table[0].length} points`);
    assert.ok(table.every((col) => col.length === table[0].length), 'columns of unequal length');
    assert.ok(table[0].every((x, k) => k === 0 || x > table[0][k - 1]), 'steps out of order');
    assert.equal(table[0].at(-1), 1_000_000);
  }
  assert.ok(Math.abs(h.losses[1].at(-1) - 0.7) < 1e-6, 'thinning changed a constant');
});

test('one frame of many steps (a long "one step" request) is thinned at once', () => {
  const h = new History();
  h.push(frame(50_000, 50_000));
  assert.ok(h.losses[0].length <= MAX_POINTS, `${h.losses[0].length} points`);
});
