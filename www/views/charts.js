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

export class Charts {
  /** The charts whose boxes `root` has (a figure may show only some). */
  constructor(root = document, t = english) {
    this.charts = SPECS.filter((spec) => root.getElementById(spec.id)).map((spec) => {
      const box = root.getElementById(spec.id);
      const width = Math.max(200, box.clientWidth);
      const scales = { x: { time: false } };
      if (spec.range) scales.y = { range: spec.range };
      const opts = {
        width, height: 170,
        scales,
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
        axes: [{ label: t('c.x'), size: 36, labelSize: 14 }, { size: 48 },
          ...(spec.series.some((s) => s.scale === 'w') ? [{ scale: 'w', side: 1, grid: { show: false }, size: 44 }] : [])],
        series: [{ label: t('c.x') }, ...spec.series.map((s) => ({ ...s, label: t(s.label) }))],
      };
      const plot = new uPlot(opts, [[], ...spec.series.map(() => [])], box);
      new ResizeObserver(() => plot.setSize({ width: Math.max(200, box.clientWidth), height: 170 })).observe(box);
      return { spec, plot };
    });
    this.version = -1;
  }

  /** Redraws from the history, if it changed since the last call; `{critic}` (whether D is a
   *  critic under the running loss, from the catalog) picks the series. */
  update(history, game) {
    if (history.version === this.version) return;
    this.version = history.version;
    for (const { spec, plot } of this.charts) {
      for (const [index, when] of Object.entries(spec.only ?? {})) {
        const show = when(game);
        if (plot.series[index].show !== show) plot.setSeries(Number(index), { show });
      }
      const table = history[spec.table];
      const x = table[0];
      const data = spec.columns.map((c) => (c === -1 ? x.map(() => spec.constant) : table[c]));
      plot.setData(data);
    }
  }
}
