// The line charts under the lab, drawn by uPlot (small, fast, canvas-based). Each chart is
// created once and fed the History's columns; a ResizeObserver keeps it the width of its box.
import uPlot from 'uplot';
import { FLOOR } from '../history.js';
import { t as english } from '../i18n/index.js';

const COLOURS = {
  d: '#2a7a4a', g: '#7a2fb0', v: '#1f5fbf', vStar: '#d07a00', floor: '#888', js: '#b03030',
  modes: '#2a7a4a', hq: '#7a2fb0', acc: '#1f5fbf', half: '#888', sps: '#444', w: '#b03030',
};

const line = (label, stroke, extra = {}) => ({ label, stroke, width: 1.5, ...extra });
const dashed = (label, stroke) => line(label, stroke, { dash: [6, 4], width: 1 });

/** Each chart: its box id, the series (labels are string-catalog keys), which History table
 *  and columns it shows. */
const SPECS = [
  {
    id: 'chart-losses', table: 'losses', columns: [0, 1, 2],
    series: [line('c.d', COLOURS.d), line('c.g', COLOURS.g)],
  },
  {
    id: 'chart-value', table: 'metrics', columns: [0, 1, 2, -1],
    series: [line('c.v', COLOURS.v), line('c.vstar', COLOURS.vStar),
      dashed('c.floor', COLOURS.floor)],
    constant: FLOOR,
  },
  {
    id: 'chart-js', table: 'metrics', columns: [0, 3, 8],
    series: [line('c.js', COLOURS.js), line('c.w', COLOURS.w, { scale: 'w' })],
    // The critic's estimate exists only when D is a critic: hide its legend otherwise.
    only: { 2: ({ critic }) => critic },
  },
  {
    id: 'chart-coverage', table: 'metrics', columns: [0, 4, 5],
    series: [line('c.modes', COLOURS.modes), line('c.hq', COLOURS.hq)],
    range: [0, 1],
  },
  {
    id: 'chart-balance', table: 'metrics', columns: [0, 6, -1],
    series: [line('c.acc', COLOURS.acc), dashed('c.half', COLOURS.half)],
    constant: 0.5, range: [0, 1],
  },
  {
    id: 'chart-speed', table: 'metrics', columns: [0, 7],
    series: [line('c.sps', COLOURS.sps)],
  },
];

/** Two runs' colours in compare mode (each run's series share its colour; a chart's second
 *  series is dashed). */
export const RUN_COLOURS = ['#1f5fbf', '#d07a00'];

/** Compare mode's legend: each run's name in its colour, then each series' line (solid, or
 *  dashed for the second), which say the same for both runs. */
function legend(runs, lines, t) {
  const key = (text, style) => {
    const item = document.createElement('span');
    const sample = document.createElement('i');
    Object.assign(sample.style, style); // set through the CSSOM: allowed under a strict CSP
    item.append(sample, text);
    return item;
  };
  const div = document.createElement('div');
  div.className = 'runs-legend';
  div.append(...runs.map((name, r) => key(name, { borderTopColor: RUN_COLOURS[r] })),
    ...(lines.length > 1 ? lines.map((s, k) => key(t(s.label), { borderTopStyle: k ? 'dashed' : 'solid' })) : []));
  return div;
}

export class Charts {
  /** The charts whose boxes `root` has (a figure may show only some). `runs`: in compare mode,
   *  the runs' names, which our own legend gives; one unnamed run otherwise. */
  constructor(root = document, t = english, runs = [null]) {
    this.charts = SPECS.filter((spec) => root.getElementById(spec.id)).map((spec) => {
      const box = root.getElementById(spec.id);
      const width = Math.max(200, box.clientWidth);
      const scales = { x: { time: false } };
      if (spec.range) scales.y = { range: spec.range };
      const lines = spec.series.filter((_, k) => spec.columns[k + 1] !== -1);
      const constants = spec.series.filter((_, k) => spec.columns[k + 1] === -1);
      const series = runs.length === 1
        ? lines.map((s) => ({ ...s, label: t(s.label) }))
        : runs.flatMap((_, r) => lines.map((s, k) => ({
          ...s, label: t(s.label), stroke: RUN_COLOURS[r], spanGaps: true, ...(k > 0 ? { dash: [6, 4] } : {}),
        })));
      const opts = {
        width, height: 170,
        scales,
        // Two runs: one legend of our own, the runs by colour and the series by line.
        legend: { live: false, show: runs.length === 1 },
        cursor: { drag: { x: false, y: false } },
        axes: [{ label: t('c.x'), size: 36, labelSize: 14 }, { size: 48 },
          ...(spec.series.some((s) => s.scale === 'w') ? [{ scale: 'w', side: 1, grid: { show: false }, size: 44 }] : [])],
        series: [{ label: t('c.x') }, ...series, ...constants.map((s) => ({ ...s, label: t(s.label) }))],
      };
      const plot = new uPlot(opts, [[], ...opts.series.slice(1).map(() => [])], box);
      if (runs.length > 1) box.append(legend(runs, lines, t));
      new ResizeObserver(() => plot.setSize({ width: Math.max(200, box.clientWidth), height: 170 })).observe(box);
      return { spec, plot, lines: lines.length, constants: constants.length };
    });
    this.versions = null;
  }

  /** Redraws from the runs' histories, if any changed since the last call; `games[r]`
   *  ({critic}: whether D is a critic under run r's loss, from the catalog) picks its series. */
  update(histories, games) {
    const versions = histories.map((h) => h.version).join();
    if (versions === this.versions) return;
    this.versions = versions;
    for (const { spec, plot, lines, constants } of this.charts) {
      const data = histories.map((history, r) => {
        for (const [index, when] of Object.entries(spec.only ?? {})) {
          const k = r * lines + Number(index);
          const show = when(games[r]);
          if (plot.series[k].show !== show) plot.setSeries(k, { show });
        }
        const table = history[spec.table];
        return spec.columns.filter((c) => c !== -1).map((c) => table[c]);
      });
      // One run's x is its own; two runs' are joined (in lockstep they are the same steps, but
      // one run's newest frame may be in before the other's).
      const joined = data.length === 1 ? data[0] : uPlot.join(data);
      const x = joined[0];
      plot.setData([...joined, ...Array.from({ length: constants }, () => x.map(() => spec.constant))]);
    }
  }
}
