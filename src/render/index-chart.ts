// The --run all index's chart: validation accuracy per epoch, one line per run,
// overlaid. Runs differ by colour and by dash (the legend draws each line's
// dash), so the lines can be told apart without colour. Pure: a Vega-Lite spec from the analyses.

import type { TopLevelSpec } from 'vega-lite';
import type { Analysis } from '../analyze/types.js';
import { fmtPct } from '../analyze/format.js';
import { CHART_FONT, type ChartSpec } from './charts.js';
import { segments } from './chart-marks.js';
import * as words from '../wording/charts.js';

export const INDEX_CHART_NAME = 'runs-accuracy' as const;

const COLORS = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#9d755d', '#eeca3b', '#bab0ac', '#ff9da6'];
const DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [12, 4], [4, 2, 1, 2], [1, 3], [10, 2, 2, 2, 2, 2]];

/** Validation accuracy of every run that logged some, in the order given (the index's row order). */
export function indexChart(runs: readonly (Pick<Analysis, 'run'> & { epochs: readonly Pick<Analysis['epochs'][number], 'epoch' | 'val_accuracy'>[] })[]): ChartSpec | null {
  const names = runs.map((a) => a.run.run_id);
  const rows = runs.flatMap((a) => segments(a.epochs.map((e) => ({ epoch: e.epoch, value: e.val_accuracy })), a.run.run_id,
    (epoch, v) => words.indexPoint(a.run.run_id, epoch, fmtPct(v))).flat());
  if (!rows.length) return null;
  const present = names.filter((n) => rows.some((r) => r.series === n));
  const last = Math.max(...runs.map((a) => Math.max(a.run.epochs_planned ?? 0, a.epochs.at(-1)?.epoch ?? 0)), 1);
  const pick = <T>(xs: readonly T[]) => present.map((_, i) => xs[i % xs.length]!);
  const channel = (range: unknown[]) => ({ field: 'series', type: 'nominal', title: null, scale: { domain: present, range },
    legend: { orient: 'bottom', columns: 2, labelLimit: 260, symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 400 } });
  const title = words.CHART_TITLES['runs-accuracy'];
  return {
    name: INDEX_CHART_NAME,
    title,
    alt: words.indexChartAlt(present.length),
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      background: 'white',
      title,
      config: { font: CHART_FONT, title: { fontSize: 14 }, axis: { labelFontSize: 11, titleFontSize: 12 } },
      width: 520,
      height: 240,
      data: { values: rows },
      mark: { type: 'line', point: rows.length <= 400 },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch', scale: { domain: [1, Math.max(last, 2)], nice: false },
          axis: { tickMinStep: 1, format: 'd' } },
        y: { field: 'value', type: 'quantitative', title: 'validation accuracy', scale: { zero: false }, axis: { format: '.1%' } },
        color: channel(pick(COLORS)), strokeDash: channel(pick(DASHES)),
        detail: { field: 'seg', type: 'nominal' },
        description: { field: 'label' },
      },
    } as unknown as TopLevelSpec,
  };
}
