// The figure's string catalogs: English and Chinese have the same keys, and every key the
// figure's code asks for (t('…')) exists in both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CATALOGS } from '../../www/i18n/index.js';

const WWW = new URL('../../www/', import.meta.url).pathname;

async function sources(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...await sources(p));
    else if (p.endsWith('.js') && !p.includes('/i18n/')) out.push(p);
  }
  return out;
}

test('en and zh have the same keys, and no value is empty', () => {
  const en = Object.keys(CATALOGS.en).sort();
  const zh = Object.keys(CATALOGS.zh).sort();
  assert.deepEqual(zh.filter((k) => !en.includes(k)), [], 'keys only in zh');
  assert.deepEqual(en.filter((k) => !zh.includes(k)), [], 'keys missing from zh');
  for (const [lang, catalog] of Object.entries(CATALOGS)) {
    for (const [k, v] of Object.entries(catalog)) assert.ok(v.trim(), `${lang} ${k} is empty`);
  }
});

test('every key the code asks for is in both catalogs', async () => {
  const asked = new Set();
  for (const file of await sources(WWW)) {
    const text = await readFile(file, 'utf8');
    for (const m of text.matchAll(/\bt\('([\w.]+)'/g)) asked.add(m[1]);
    // Keys built from a prefix: t(`phase.${…}`) covers phase.d and phase.g.
    for (const m of text.matchAll(/\bt\(`([\w.]+)\.\$\{/g)) asked.add(`${m[1]}.d`).add(`${m[1]}.g`);
    // Keys named in data (the chart series' labels, the status keys): 'c.…', 'status.…'.
    for (const m of text.matchAll(/'((?:c|status|caption|legend|r|why|attr)\.[\w.]+)'/g)) asked.add(m[1]);
  }
  assert.ok(asked.size > 40, `only ${asked.size} keys found: the scan is broken`);
  for (const lang of Object.keys(CATALOGS)) {
    assert.deepEqual([...asked].filter((k) => !(k in CATALOGS[lang])), [], `missing from ${lang}`);
  }
});
