// Compare mode: two runs side by side in lockstep, the charts overlaid (www/figure/pair.js),
// as the lab's "Compare with…" opens it and as a <gan-lab compare=…> figure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot, until, withPage } from './lab.mjs';

/** The compare figure's state: each run's step, losses and canvases' ink, the charts' ink. */
const pair = (page) => page.evaluate(() => {
  const figure = document.querySelector('gan-lab');
  const ink = (c) => {
    if (!c.width || !c.height || !c.getClientRects().length) return null;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const first = d.slice(0, 4).join();
    let other = 0;
    for (let k = 0; k < d.length; k += 4 * 7) if (`${d[k]},${d[k + 1]},${d[k + 2]},${d[k + 3]}` !== first) other++;
    return other / (d.length / 28);
  };
  const runs = figure.pair.runs.map((run) => {
    const f = run.store.state.frame;
    return {
      step: f?.step ?? 0, kind: f?.kind, loss: run.store.state.config?.loss.kind,
      dLoss: f?.dLosses.at(-1) ?? null, history: run.painter?.history.losses[0].length ?? 0,
      ink: [...run.root.querySelectorAll('canvas')].map(ink).filter((x) => x != null),
    };
  });
  const charts = [...figure.shadowRoot.querySelectorAll('.chart')].filter((c) => c.getClientRects().length)
    .map((c) => ({ id: c.querySelector('[id]').id, ink: ink(c.querySelector('canvas')), legend: c.querySelector('.runs-legend')?.textContent ?? '' }));
  return {
    runs, charts, names: [0, 1].map((r) => figure.shadowRoot.getElementById(`run-name-${r}`).textContent),
    status: figure.shadowRoot.getElementById('status').textContent, playing: figure.store.state.playing,
    sent: figure.store.state.frame?.step ?? 0,
  };
});

test('the lab\u2019s Compare with\u2026 opens two runs that step together, each with its own plane, the charts overlaid', { timeout: 300_000 }, async () => {
  await withPage('preset=ring8', async (page) => {
    await until(page, () => window.ganLab.config);
    const offered = await page.evaluate(() => [...document.getElementById('compare').options].map((o) => o.value));
    assert.ok(offered.includes('loss:least-squares') && offered.includes('d-steps:5'), offered.join());
    assert.ok(!offered.includes('loss:non-saturating'), 'offers the running loss as its own variant');
    const [tab] = await Promise.all([
      page.context().waitForEvent('page'),
      page.selectOption('#compare', 'loss:least-squares'),
    ]);
    assert.match(tab.url(), /\?compare=loss%3Aleast-squares#preset=ring8/);
    const errors = [];
    tab.on('pageerror', (e) => errors.push(String(e)));
    await until(tab, () => (document.querySelector('gan-lab')?.store?.state.frame?.step ?? 0) >= 200);
    // Lockstep: a frame of either run is at the step of the other's, or one chunk behind it.
    let s = await pair(tab);
    assert.deepEqual(s.runs.map((r) => r.loss), ['non-saturating', 'least-squares']);
    assert.ok(Math.abs(s.runs[0].step - s.runs[1].step) <= 20, JSON.stringify(s.runs.map((r) => r.step)));
    assert.notEqual(s.runs[0].dLoss, s.runs[1].dLoss, 'two losses, one game');
    assert.deepEqual(s.names, ['non-saturating', 'least squares (LSGAN)']);
    assert.match(s.status, /Two runs in lockstep/);
    for (const run of s.runs) assert.ok(run.ink.length >= 2 && run.ink.every((x) => x > 0.01), `a run's canvases without ink: ${run.ink}`);
    assert.ok(s.charts.length >= 3 && s.charts.every((c) => c.ink > 0.005), JSON.stringify(s.charts));
    const losses = s.charts.find((c) => c.id === 'chart-losses');
    // The legend: the runs by colour, then the series by line.
    assert.equal(losses.legend, 'non-saturatingleast squares (LSGAN)D lossG loss');
    await shot(tab, 'compare-1280');
    const first = await tab.evaluate(() => document.querySelector('gan-lab').pair.runs.map((r) => r.painter.history.losses[1].slice(0, 40)));
    // Pause holds both; One step moves both by one; Reset takes both back to step 0.
    const button = (id) => tab.evaluate((i) => document.querySelector('gan-lab').shadowRoot.getElementById(i).click(), id);
    await button('play');
    await tab.waitForTimeout(1000);
    s = await pair(tab);
    assert.equal(s.playing, false);
    assert.equal(s.runs[0].step, s.runs[1].step, 'paused out of step');
    const at = s.runs[0].step;
    await button('step');
    await until(tab, (n) => document.querySelector('gan-lab').pair.runs.every((r) => r.store.state.frame.step === n + 1), at);
    // Slow motion: one step is D's half for both runs, the next G's for both.
    const phases = () => tab.evaluate(() => document.querySelector('gan-lab').pair.runs.map((r) => [r.store.state.frame.step, r.store.state.frame.phase]));
    await button('slow');
    await button('step');
    await until(tab, () => document.querySelector('gan-lab').pair.runs.every((r) => r.store.state.frame.phase === 'd'));
    assert.deepEqual(await phases(), [[at + 1, 'd'], [at + 1, 'd']]);
    await button('step');
    await until(tab, () => document.querySelector('gan-lab').pair.runs.every((r) => r.store.state.frame.phase === 'g'));
    assert.deepEqual(await phases(), [[at + 2, 'g'], [at + 2, 'g']]);
    await button('slow');
    await button('reset');
    await until(tab, () => document.querySelector('gan-lab').pair.runs.every((r) => r.store.state.frame.step === 0 && r.painter.history.losses[0].length === 0));
    // Played again from 0, the two runs give the same losses at the same steps as the first time.
    await button('play');
    await until(tab, () => document.querySelector('gan-lab').pair.runs.every((r) => r.store.state.frame.step >= 40));
    await button('play');
    const again = await tab.evaluate(() => document.querySelector('gan-lab').pair.runs.map((r) => r.painter.history.losses[1].slice(0, 40)));
    assert.ok(again.every((l) => l.length === 40 && l.every(Number.isFinite)));
    assert.deepEqual(again, first, 'the same seed, another game');
    assert.notDeepEqual(again[0], again[1]);
    assert.deepEqual(errors, []);
  });
});

test('a compare attribute that is wrong or changes nothing is named inside the figure', { timeout: 120_000 }, async () => {
  await withPage('embed&show=plane', async (page) => {
    // The page's own figure is dropped below: let it finish loading first, or dropping it (which
    // ends its worker) aborts the worker's requests and the harness rightly counts them.
    await until(page, () => document.querySelector('gan-lab').store?.state.frames > 0);
    const message = async (compare) => {
      await page.evaluate((c) => {
        const f = document.createElement('gan-lab');
        f.setAttribute('compare', c);
        document.body.replaceChildren(f);
      }, compare);
      await until(page, () => document.querySelector('gan-lab').shadowRoot.querySelector('.figure-error'), null, 60_000);
      return page.evaluate(() => document.querySelector('gan-lab').shadowRoot.querySelector('.figure-error').textContent);
    };
    assert.match(await message('colour:red'), /compare="colour:red": use name:value pairs .* loss, d-steps, batch, g-lr, d-lr/);
    assert.match(await message('d-steps:0'), /compare="d-steps:0": use a whole number of at least 1/);
    assert.match(await message('loss:hinge'), /compare="loss:hinge": use minimax, non-saturating/);
    assert.match(await message('loss:non-saturating'), /compare="loss:non-saturating": the second run would be the same as the first/);
  });
});
