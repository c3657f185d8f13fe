// Vega-Lite specs for the report's charts, built from the Analysis. Pure: the
// specs are plain JSON; renderChart (chart-render.ts) turns them into SVG/PNG.
// Epochs are integers, so the x axes are quantitative with integer ticks.

import type { TopLevelSpec } from 'vega-lite';
import type { Analysis } from '../analyze/types.js';
import { isNum } from '../analyze/stats.js';
import { EnvelopeSampler } from '../analyze/envelope.js';

export const CHART_FONT = 'DejaVu Sans';

/** Every chart a report can have, in report order (a chart's name must be one of these). */
export const CHART_NAMES = ['loss', 'accuracy', 'gap', 'batch-loss'] as const;
export type ChartName = (typeof CHART_NAMES)[number];

export interface ChartSpec {
  /** File stem: loss → loss.svg, loss.png. */
  name: ChartName;
  title: string;
  /** One sentence saying what the chart shows (alt text). */
  alt: string;
  spec: TopLevelSpec;
}

const WIDTH = 520;
const HEIGHT = 220;
/**
 * Per-epoch charts mark each epoch with a point up to this many epochs (~10 px of
 * width per epoch). Beyond it the points overlap into a thick line anyway, and they
 * are what makes a long run's charts heavy: at 2,000 epochs each point is an SVG
 * path (~1.2 MB of SVG per chart, and the scenegraph and resvg's tree to match),
 * where the line alone is one path.
 */
export const MAX_EPOCHS_WITH_POINTS = 50;

/**
 * A per-epoch series is drawn through at most this many buckets of consecutive
 * epochs, each its first, last, lowest and highest value (EnvelopeSampler): every
 * epoch up to 2 × 128 = 256 epochs, and for a longer run at most 512 points per
 * series (~1 per pixel column) that still hold each series' extremes. What the chart
 * costs to build, rasterise and hold then stops growing with the run's length (a
 * 2,000-epoch run drew 4,000 points per chart); the tables and report.json keep
 * every epoch.
 */
export const MAX_EPOCH_BUCKETS = 128;

interface SeriesRow {
  epoch: number;
  value: number;
}

/**
 * Each series' rows (in epoch order) thinned by the envelope rule; `every` is the
 * widest bucket, in epochs, of a series that lost points (1: every epoch is drawn).
 */
function thinSeries<R extends SeriesRow>(series: R[][]): { rows: R[]; every: number } {
  let every = 1;
  const rows = series.flatMap((s) => {
    const sampler = new EnvelopeSampler<R>((r) => r.value, MAX_EPOCH_BUCKETS);
    for (const r of s) sampler.add(r);
    const kept = sampler.points();
    if (kept.length < s.length) every = Math.max(every, sampler.width);
    return kept;
  });
  // back in epoch order, series by series within an epoch (a stable sort), as the points were always drawn
  return { rows: rows.sort((x, y) => x.epoch - y.epoch), every };
}

/** A line with a point per epoch while there are few epochs, the line alone otherwise. */
function epochLine(a: Analysis): Record<string, unknown> {
  return a.epochs.length <= MAX_EPOCHS_WITH_POINTS ? { type: 'line', point: true } : { type: 'line' };
}

function epochAxis(a: Analysis, title = 'epoch'): Record<string, unknown> {
  const last = a.epochs[a.epochs.length - 1]?.epoch ?? 1;
  const first = a.epochs[0]?.epoch ?? 1;
  // one epoch: a half-epoch margin either side rather than an axis that invents epoch 2
  const domain = last > first ? [first, last] : [first - 0.5, first + 0.5];
  return {
    type: 'quantitative',
    title,
    scale: { domain, nice: false, zero: false },
    axis: { tickMinStep: 1, format: 'd', ...(last - first <= 20 ? { values: range(first, last) } : {}) },
  };
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

/** ` (… every N epochs)` for a thinned chart's alt text. */
function thinnedAlt(every: number): string {
  return every > 1 ? ` (drawn through the first, last, lowest and highest value of every ${every} epochs)` : '';
}

function base(title: string, every = 1): Pick<TopLevelSpec, '$schema' | 'background' | 'config' | 'title'> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    // a thinned chart says so under its title
    title: every > 1 ? { text: title, subtitle: `lines through the first, last, min and max of every ${every} epochs` } : title,
    config: { font: CHART_FONT, title: { fontSize: 14 }, axis: { labelFontSize: 11, titleFontSize: 12 } },
  };
}

/** Two series (training, validation) of one metric per epoch. */
function pairChart(a: Analysis, name: ChartName, title: string, train: 'loss' | 'accuracy', val: 'val_loss' | 'val_accuracy',
  yTitle: string, percent: boolean): ChartSpec | null {
  const series = (key: 'loss' | 'accuracy' | 'val_loss' | 'val_accuracy', label: string) =>
    a.epochs.flatMap((e) => (isNum(e[key]) ? [{ epoch: e.epoch, series: label, value: e[key] }] : []));
  const { rows: values, every } = thinSeries([series(train, 'training (epoch average)'), series(val, 'validation')]);
  if (!values.length) return null;
  return {
    name,
    title,
    alt: `${title}: training and validation ${yTitle} for each epoch${thinnedAlt(every)}.`,
    spec: {
      ...base(title, every),
      width: WIDTH,
      height: HEIGHT,
      data: { values },
      mark: epochLine(a),
      encoding: {
        x: { field: 'epoch', ...epochAxis(a) },
        y: { field: 'value', type: 'quantitative', title: yTitle, scale: { zero: false },
          axis: percent ? { format: '.1%' } : { format: '.3f' } },
        color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom', labelLimit: 0 } },
      },
    } as unknown as TopLevelSpec,
  };
}

/**
 * The zero rule's layer inherits the panel's rows, so vega draws one identical rule
 * per epoch. For a long run keep one row (the first epoch's) so it draws one: 2,000
 * dashed rules per panel are ~0.4 MB of the gap chart's SVG. Few epochs keep the
 * spec (and the bundled fixture's charts) as they were.
 */
function zeroRuleOnce(a: Analysis): Record<string, unknown> {
  const first = a.epochs[0]?.epoch;
  if (a.epochs.length <= MAX_EPOCHS_WITH_POINTS || first === undefined) return {};
  return { transform: [{ filter: { field: 'epoch', equal: first } }] };
}

function gapChart(a: Analysis): ChartSpec | null {
  const { rows: values, every } = thinSeries([
    a.epochs.flatMap((e) => (isNum(e.gap_accuracy) ? [{ epoch: e.epoch, metric: 'accuracy gap (pp)', value: e.gap_accuracy * 100 }] : [])),
    a.epochs.flatMap((e) => (isNum(e.gap_loss) ? [{ epoch: e.epoch, metric: 'loss gap', value: e.gap_loss }] : [])),
  ]);
  if (!values.length) return null;
  const title = 'Generalization gap per epoch (validation − training)';
  const panel = (metric: string, yTitle: string): Record<string, unknown> => ({
    width: WIDTH,
    height: 140,
    transform: [{ filter: { field: 'metric', equal: metric } }],
    layer: [
      { ...zeroRuleOnce(a), mark: { type: 'rule', color: '#888', strokeDash: [4, 4] }, encoding: { y: { datum: 0, type: 'quantitative' } } },
      { mark: epochLine(a), encoding: {
        x: { field: 'epoch', ...epochAxis(a) },
        y: { field: 'value', type: 'quantitative', title: yTitle },
      } },
    ],
  });
  return {
    name: 'gap',
    title,
    alt: `Validation minus epoch-averaged training accuracy (percentage points) and loss, per epoch${thinnedAlt(every)}; the dashed line is zero.`,
    spec: {
      ...base(title, every),
      data: { values },
      vconcat: [panel('accuracy gap (pp)', 'accuracy gap (pp)'), panel('loss gap', 'loss gap')],
    } as unknown as TopLevelSpec,
  };
}

function batchChart(a: Analysis): ChartSpec | null {
  const perEpoch = new Map<number, number>();
  for (const b of a.batches) perEpoch.set(b.epoch, Math.max(perEpoch.get(b.epoch) ?? 0, b.batch));
  const planned = a.config ? Math.ceil(a.config.train_samples / a.config.batch_size) : null;
  const spikes = new Set(a.stability.spikes.map((s) => `${s.epoch}:${s.batch}`));
  const values = a.batches.filter((b) => isNum(b.loss)).map((b) => ({
    // fractional epoch: epoch 2, batch 900 of 1875 → 1.48 (the batch ends inside epoch 2)
    x: b.epoch - 1 + b.batch / (planned ?? perEpoch.get(b.epoch) ?? b.batch),
    loss: b.loss,
    kind: spikes.has(`${b.epoch}:${b.batch}`) ? 'spike' : 'batch',
  }));
  if (!values.length) return null;
  // mnist-train's batch_end carries the running average over the epoch so far, not one batch's loss.
  const title = a.run.format === 'events' ? 'Batch loss as logged (running average within each epoch)' : 'Batch loss as logged';
  const lastEpoch = Math.max(...a.batches.map((b) => b.epoch));
  const x = {
    field: 'x', type: 'quantitative', title: 'epoch',
    scale: { domain: [0, lastEpoch], nice: false, zero: true },
    axis: { tickMinStep: 1, format: 'd', ...(lastEpoch <= 20 ? { values: range(0, lastEpoch) } : {}) },
  };
  return {
    name: 'batch-loss',
    title,
    alt: 'Training loss at each logged batch across the run (downsampled with spikes kept); red points are spikes.',
    spec: {
      ...base(title),
      width: WIDTH,
      height: HEIGHT,
      data: { values },
      layer: [
        { mark: { type: 'line', strokeWidth: 1 }, encoding: { x, y: { field: 'loss', type: 'quantitative', title: 'batch loss' } } },
        { transform: [{ filter: { field: 'kind', equal: 'spike' } }], mark: { type: 'point', color: '#d62728', filled: true, size: 60 },
          encoding: { x, y: { field: 'loss', type: 'quantitative' } } },
      ],
    } as unknown as TopLevelSpec,
  };
}

/** The charts this analysis can show, in report order. */
export function buildCharts(a: Analysis): ChartSpec[] {
  return [
    pairChart(a, 'loss', 'Loss per epoch', 'loss', 'val_loss', 'loss', false),
    pairChart(a, 'accuracy', 'Accuracy per epoch', 'accuracy', 'val_accuracy', 'accuracy', true),
    gapChart(a),
    batchChart(a),
  ].filter((c): c is ChartSpec => c !== null);
}
