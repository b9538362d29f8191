// The line charts under the lab, drawn by uPlot (small, fast, canvas-based). Each chart is
// created once and fed the History's columns; a ResizeObserver keeps it the width of its box.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { FLOOR } from '../history.js';

const COLOURS = {
  d: '#2a7a4a', g: '#7a2fb0', v: '#1f5fbf', vStar: '#d07a00', floor: '#888', js: '#b03030',
  modes: '#2a7a4a', hq: '#7a2fb0', acc: '#1f5fbf', half: '#888', sps: '#444', w: '#b03030',
};

const line = (label, stroke, extra = {}) => ({ label, stroke, width: 1.5, ...extra });
const dashed = (label, stroke) => line(label, stroke, { dash: [6, 4], width: 1 });

/** Each chart: its box id, the series, which History table and columns it shows. */
const SPECS = [
  {
    id: 'chart-losses', table: 'losses', columns: [0, 1, 2],
    series: [line('D loss', COLOURS.d), line('G loss', COLOURS.g)],
  },
  {
    id: 'chart-value', table: 'metrics', columns: [0, 1, 2, -1],
    series: [line('V(D,G)', COLOURS.v), line('2·JS − 2·log 2 (V at D*)', COLOURS.vStar),
      dashed('floor −2·log 2', COLOURS.floor)],
    constant: FLOOR,
  },
  {
    id: 'chart-js', table: 'metrics', columns: [0, 3, 8],
    series: [line('JS(Pr‖Pg)', COLOURS.js), line('W estimate (critic)', COLOURS.w, { scale: 'w' })],
    // The critic's estimate exists only when D is a critic: hide its legend otherwise.
    only: { 2: ({ critic }) => critic },
  },
  {
    id: 'chart-coverage', table: 'metrics', columns: [0, 4, 5],
    series: [line('modes covered', COLOURS.modes), line('high-quality samples', COLOURS.hq)],
    range: [0, 1],
  },
  {
    id: 'chart-balance', table: 'metrics', columns: [0, 6, -1],
    series: [line('D accuracy', COLOURS.acc), dashed('½ (D cannot tell)', COLOURS.half)],
    constant: 0.5, range: [0, 1],
  },
  {
    id: 'chart-speed', table: 'metrics', columns: [0, 7],
    series: [line('steps/s', COLOURS.sps)],
  },
];

export class Charts {
  constructor(root = document) {
    this.charts = SPECS.map((spec) => {
      const box = root.getElementById(spec.id);
      const width = Math.max(200, box.clientWidth);
      const scales = { x: { time: false } };
      if (spec.range) scales.y = { range: spec.range };
      const opts = {
        width, height: 170,
        scales,
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
        axes: [{ label: 'step', size: 36, labelSize: 14 }, { size: 48 },
          ...(spec.series.some((s) => s.scale === 'w') ? [{ scale: 'w', side: 1, grid: { show: false }, size: 44 }] : [])],
        series: [{ label: 'step' }, ...spec.series],
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
