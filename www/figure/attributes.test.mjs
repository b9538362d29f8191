// The figure's attributes, read as HTML reads them (`node --test`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readAttributes } from './attributes.js';

const read = (attrs) => readAttributes((n) => attrs[n] ?? null, 'en');

test('on/off attributes are HTML booleans: present bare means on', () => {
  assert.equal(read({}).autoplay, 'visible');
  assert.equal(read({ autoplay: '' }).autoplay, 'visible');
  assert.equal(read({ autoplay: 'autoplay' }).autoplay, 'visible');
  assert.equal(read({ autoplay: 'true' }).autoplay, 'visible'); // Astro's and MDX's bare attribute
  assert.equal(read({ autoplay: 'never' }).autoplay, 'never');
  assert.equal(read({ autoplay: 'Visible' }).autoplay, 'visible');
  assert.equal(read({}).slow, false);
  assert.equal(read({ slow: '' }).slow, true);
  assert.equal(read({ slow: 'slow' }).slow, true);
});

test('an on/off attribute with a value it cannot mean is refused, naming it', () => {
  assert.throws(() => read({ autoplay: 'sometimes' }), (e) => e.name === 'autoplay' && e.value === 'sometimes');
  assert.throws(() => read({ slow: 'fast' }), (e) => e.name === 'slow');
});
