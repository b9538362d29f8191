// Run links: the patch against the nearest preset, and back (node --test www/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diff, merge, linkFragment, readFragment } from './share.js';

const ring8 = { seed: 0, batch_size: 256, loss: { kind: 'non-saturating' }, data: { kind: 'ring', modes: 8 },
  generator: { width: 128, optimizer: { kind: 'adam', lr: 1e-4 } } };
const grid = { ...structuredClone(ring8), data: { kind: 'grid', side: 5 } };
const presets = [{ name: 'ring8', config: ring8 }, { name: 'grid25', config: grid }];

test('a diff holds only what changed, and merging it back gives the config', () => {
  const run = structuredClone(grid);
  run.seed = 7;
  run.generator.optimizer.lr = 3e-4;
  run.loss = { kind: 'wasserstein-gp', penalty_weight: 0.1 };
  const patch = diff(grid, run);
  assert.deepEqual(patch, { seed: 7, loss: { kind: 'wasserstein-gp', penalty_weight: 0.1 }, generator: { optimizer: { lr: 3e-4 } } });
  assert.deepEqual(merge(grid, patch), run);
  assert.equal(diff(ring8, structuredClone(ring8)), undefined);
  assert.deepEqual(merge(ring8, { extra: 1, seed: null }).extra, 1);
  assert.equal('seed' in merge(ring8, { seed: null }), false);
});

test('the link names the nearest preset and round-trips', () => {
  const run = structuredClone(grid);
  run.seed = 3;
  const hash = linkFragment(run, presets, { backend: 'cpu', layers: { a: true, b: false }, defaultLayers: { a: true, b: true } });
  const read = readFragment(hash, ['a', 'b']);
  assert.equal(read.preset, 'grid25');
  assert.deepEqual(read.patch, { seed: 3 });
  assert.equal(read.backend, 'cpu');
  assert.deepEqual(read.layers, { a: true, b: false });
  assert.deepEqual(merge(grid, read.patch), run);
  assert.deepEqual(read.problems, []);
});

test('garbage in a link is reported, never thrown', () => {
  assert.equal(readFragment('#nothing=1', []), null);
  assert.equal(readFragment('', []), null);
  const bad = readFragment('#preset=ring8&config=%7Bnot%20json&layers=zz', ['a']);
  assert.equal(bad.patch, null);
  assert.equal(bad.problems.length, 2);
  assert.match(bad.problems[0], /could not be read/);
  assert.match(bad.problems[1], /zz/);
  assert.equal(readFragment('#config=[1,2]', []).problems.length, 1);
});
