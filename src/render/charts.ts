// Vega-Lite specs for the report's charts, built from the Analysis. Pure: the
// specs are plain JSON; renderChart (chart-render.ts) turns them into SVG/PNG.
// Epochs are integers, so the x axes are quantitative with integer ticks.

import type { TopLevelSpec } from 'vega-lite';
import type { Analysis } from '../analyze/types.js';
import type { BatchRecord, LogFormat } from '../types.js';
import { isNum } from '../analyze/stats.js';
import { logged } from '../analyze/metrics.js';
import { EnvelopeSampler } from '../runs/envelope.js';
import { fmtLoss, fmtPct, fmtPp, fmtSigned } from '../analyze/format.js';
import * as words from '../wording/charts.js';
import { epochDomain, logAxis, markerLayers, nonFiniteLayer, segments, wantsLogScale, type EpochKey, type SeriesRow as SegmentRow } from './chart-marks.js';

export const CHART_FONT = 'DejaVu Sans';

/** Every chart a report can have, in report order (a chart's name must be one of these). */
export const CHART_NAMES = ['loss', 'accuracy', 'gap', 'batch-loss', 'confusion', 'recall', 'reliability', 'wrong-digits', 'history'] as const;
export type ChartName = (typeof CHART_NAMES)[number];

export interface ChartSpec {
  /** File stem: loss → loss.svg, loss.png (runs-accuracy is the --run all index's chart). */
  name: ChartName | 'runs-accuracy';
  title: string;
  /** One sentence saying what the chart shows (alt text). */
  alt: string;
  spec: TopLevelSpec;
}

/** A picture drawn as SVG directly rather than through Vega-Lite (the gallery of wrong digits). */
export type SvgChart = Omit<ChartSpec, 'spec'> & { svg: string };
export type AnyChart = ChartSpec | SvgChart;

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

/** From the first epoch to the planned count (or the baseline's last epoch), so a cut-short run looks cut short. */
function epochAxis(a: Analysis, title = 'epoch'): Record<string, unknown> {
  const { first, last: planned } = epochDomain(a);
  const last = Math.max(planned, a.baseline?.curves?.at(-1)?.epoch ?? 0);
  // one epoch: a half-epoch margin either side rather than an axis that invents epoch 2
  const domain = last > first ? [first, last] : [first - 0.5, first + 0.5];
  return {
    type: 'quantitative',
    title,
    scale: { domain, nice: false, zero: false },
    axis: { format: 'd', ...epochTicks(first, last) },
  };
}

/**
 * A tick at every epoch from `first` to `last` while there are at most 21, else whole epochs only.
 * With the values, a minimum step of 0: vega-lite sets 1 for format 'd', and vega then lowers the
 * tick count until d3's step for it is 1 or more (2 for epochs 1-3) and keeps every other one of the
 * given values, so a 3-epoch run's axis read "1  3" (and a 2-epoch batch chart's "0  2").
 */
function epochTicks(first: number, last: number): Record<string, unknown> {
  return last - first <= 20 ? { values: Array.from({ length: last - first + 1 }, (_, i) => first + i), tickMinStep: 0 } : { tickMinStep: 1 };
}

export function base(title: string, every = 1): Pick<TopLevelSpec, '$schema' | 'background' | 'config' | 'title'> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    // a thinned chart says so under its title
    title: every > 1 ? { text: title, subtitle: words.thinnedSubtitle(every) } : title,
    config: { font: CHART_FONT, title: { fontSize: 14 }, axis: { labelFontSize: 11, titleFontSize: 12 } },
  };
}

/**
 * Each line's colour and dash, so that the lines differ without colour too. The
 * page's dark style swaps these colours by their exact values.
 */
export const SERIES_STYLE = [
  { series: 'training', color: '#4c78a8', dash: [1, 0] },
  { series: 'validation', color: '#f58518', dash: [6, 3] },
  { series: 'baseline training', color: '#9ecae9', dash: [2, 2] },
  { series: 'baseline validation', color: '#ffbf79', dash: [8, 3, 2, 3] },
] as const;

/**
 * The training line's legend entry: what the log's epoch training value is, where its format says:
 * the mean over the epoch's batches (the trainer's own, Keras', tfjs', Ultralytics', timm's), or fastai's
 * smoothed running loss at the epoch's end (its Recorder's train_loss). Elsewhere it is the value the
 * script printed for the epoch, and the entry says no more than "training".
 */
const TRAINING_SERIES: Partial<Record<LogFormat, string>> = {
  events: 'training (epoch average)', keras2: 'training (epoch average)', keras3: 'training (epoch average)',
  'keras-csv': 'training (epoch average)', 'tfjs-node': 'training (epoch average)', ultralytics: 'training (epoch average)',
  // the running average of the epoch's last logged batch, only when that batch was logged (parse/timm.ts)
  timm: 'training (epoch average)',
  fastai: 'training (smoothed)',
};

/** Each series' name as the legend says it: SERIES_STYLE's, the training line's by the run's format. */
function seriesNames(a: Analysis): string[] {
  return SERIES_STYLE.map((s, i) => (i === 0 ? TRAINING_SERIES[a.run.format] ?? s.series : s.series));
}

/** Colour and dash per series (by the names drawn, of `names`); the legend draws each as a short stretch of its line, dash included. */
function seriesEncoding(present: ReadonlySet<string>, names: readonly string[]): Record<string, unknown> {
  const styles = SERIES_STYLE.map((s, i) => ({ ...s, series: names[i]! })).filter((s) => present.has(s.series));
  const channel = (range: unknown[]) => ({ field: 'series', type: 'nominal', title: null, scale: { domain: styles.map((s) => s.series), range },
    legend: { orient: 'bottom', columns: 2, labelLimit: 0, symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 400 } });
  return { color: channel(styles.map((s) => s.color)), strokeDash: channel(styles.map((s) => s.dash)) };
}

/**
 * Lines are grouped by segment only when a series has a gap (a missing or
 * non-finite value): the extra grouping costs Vega-Lite's compile and vega's
 * dataflow ~8 ms a chart, which a run without gaps need not pay.
 */
function segmentDetail(rows: readonly SegmentRow[]): Record<string, unknown> {
  return rows.some((r) => !r.seg.endsWith(' 0')) ? { detail: { field: 'seg', type: 'nominal' } } : {};
}

/** Two series (training, validation) of one metric per epoch, and the baseline run's pair when there is one. */
function pairChart(a: Analysis, name: ChartName, title: string, train: EpochKey, val: EpochKey,
  yTitle: string, percent: boolean): ChartSpec | null {
  const show = percent ? (v: number) => fmtPct(v) : fmtLoss;
  const series = (rows: readonly Record<EpochKey | 'epoch', number | null>[], key: EpochKey, label: string, who: string) =>
    segments(rows.map((e) => ({ epoch: e.epoch!, value: e[key] })), label, (epoch, v) => words.epochPoint(epoch, who, yTitle, show(v)));
  const curves = a.baseline?.curves ?? [];
  const names = seriesNames(a);
  const segs = [
    ...series(a.epochs, train, names[0]!, 'training'), ...series(a.epochs, val, names[1]!, 'validation'),
    ...series(curves, train, names[2]!, 'baseline training'), ...series(curves, val, names[3]!, 'baseline validation'),
  ];
  const log = !percent && wantsLogScale(segs.flat().map((r) => r.value));
  const { rows: values, every } = thinSeries(log ? segs.map((s) => s.filter((r) => r.value > 0)) : segs);
  if (!values.length) return null;
  const nonFinite = nonFiniteLayer(a.epochs, [{ key: train, label: `training ${yTitle}` }, { key: val, label: `validation ${yTitle}` }]);
  const drawn = new Set(values.map((r) => r.series));
  return {
    name,
    title,
    // the caption names the series drawn: a log without a training metric draws validation alone
    alt: words.pairChartAlt(title, yTitle, log, every, curves.length ? a.baseline!.baseline.run_id : null, marksAlt(a, nonFinite !== null),
      { training: drawn.has(names[0]!), validation: drawn.has(names[1]!) }),
    spec: {
      ...base(title, every),
      width: WIDTH,
      height: HEIGHT,
      data: { values },
      layer: [
        ...markerLayers(a),
        { mark: epochLine(a), encoding: {
          x: { field: 'epoch', ...epochAxis(a) },
          y: { field: 'value', type: 'quantitative', title: yTitle + (log ? ' (log scale)' : ''),
            ...(log ? logAxis(values.map((r) => r.value)) : { scale: { zero: false }, axis: { format: percent ? '.1%' : lossAxisFormat(values.map((r) => r.value)) } }) },
          ...seriesEncoding(drawn, names),
          ...segmentDetail(values),
          description: { field: 'label' },
        } },
        ...(nonFinite ? [nonFinite] : []),
      ],
    } as unknown as TopLevelSpec,
  };
}

/** What the chart's marks mean, for its alt text. */
function marksAlt(a: Analysis, nonFinite: boolean): string {
  const { last, seen } = epochDomain(a);
  return words.marksAlt({ best: a.best ? a.best.epoch : null, onset: a.overfitting.onset_epoch, notRun: last - seen, nonFinite });
}

/**
 * The zero rule's layer inherits the panel's rows, so vega draws one identical rule
 * per epoch. For a long run keep one row (the first epoch's) so it draws one: 2,000
 * dashed rules per panel are ~0.4 MB of the gap chart's SVG.
 */
function zeroRuleOnce(a: Analysis): Record<string, unknown>[] {
  const first = a.epochs[0]?.epoch;
  if (a.epochs.length <= MAX_EPOCHS_WITH_POINTS || first === undefined) return [];
  return [{ filter: { field: 'epoch', equal: first } }];
}

function gapChart(a: Analysis): ChartSpec | null {
  const ACC = 'accuracy gap (pp)';
  const LOSS = 'loss gap';
  const { rows: values, every } = thinSeries([
    ...segments(a.epochs.map((e) => ({ epoch: e.epoch, value: isNum(e.gap_accuracy) ? e.gap_accuracy * 100 : null })), ACC,
      (epoch, v) => words.gapPoint(epoch, 'accuracy', fmtPp(v / 100))),
    ...segments(a.epochs.map((e) => ({ epoch: e.epoch, value: e.gap_loss })), LOSS, (epoch, v) => words.gapPoint(epoch, 'loss', fmtSigned(v))),
  ]);
  if (!values.length) return null;
  const title = words.CHART_TITLES.gap;
  const panel = (metric: string, yTitle: string): Record<string, unknown> => ({
    width: WIDTH,
    height: 140,
    layer: [
      ...markerLayers(a),
      { transform: [{ filter: { field: 'series', equal: metric } }, ...zeroRuleOnce(a)],
        mark: { type: 'rule', color: '#888', strokeDash: [4, 4], aria: false }, encoding: { y: { datum: 0, type: 'quantitative' } } },
      { transform: [{ filter: { field: 'series', equal: metric } }], mark: epochLine(a), encoding: {
        x: { field: 'epoch', ...epochAxis(a) },
        y: { field: 'value', type: 'quantitative', title: yTitle },
        ...segmentDetail(values),
        description: { field: 'label' },
      } },
    ],
  });
  return {
    name: 'gap',
    title,
    alt: words.gapChartAlt(every, marksAlt(a, false)),
    spec: {
      ...base(title, every),
      data: { values },
      vconcat: [panel(ACC, ACC), panel(LOSS, LOSS)],
    } as unknown as TopLevelSpec,
  };
}

function batchChart(a: Analysis): ChartSpec | null {
  const perEpoch = new Map<number, number>();
  for (const b of a.batches) perEpoch.set(b.epoch, Math.max(perEpoch.get(b.epoch) ?? 0, b.batch));
  const c = a.config;
  const planned = c?.train_samples !== undefined && c.batch_size !== undefined ? Math.ceil(c.train_samples / c.batch_size) : null;
  const spikes = new Set(a.stability.spikes.map((s) => `${s.epoch}:${s.batch}`));
  // fractional epoch: epoch 2, batch 900 of 1875 → 1.48 (the batch ends inside epoch 2)
  // a log that counts samples (PyTorch's "[5120/60000]") says where in the epoch a batch ends
  const at = (b: BatchRecord) => b.epoch - 1 + (b.sample !== undefined && b.samples ? b.sample / b.samples : b.batch / (planned ?? perEpoch.get(b.epoch) ?? b.batch));
  const line = segments(a.batches.map((b) => ({ epoch: at(b), value: b.loss })), 'batch', () => '').flat();
  const log = wantsLogScale(line.map((r) => r.value));
  const values = (log ? line.filter((r) => r.value > 0) : line).map((r) => ({ x: r.epoch, loss: r.value, seg: r.seg }));
  if (!values.length) return null;
  const spikeRows = a.batches.filter((b) => isNum(b.loss) && spikes.has(`${b.epoch}:${b.batch}`))
    .map((b) => ({ x: at(b), loss: b.loss, label: words.batchSpike(b, fmtLoss(b.loss)) }));
  const bad = a.batches.filter((b) => !isNum(b.loss))
    .map((b) => ({ x: at(b), label: words.batchNonFinite(b) }));
  // mnist-train's batch_end carries the running average over the epoch so far, not one batch's loss.
  const title = words.batchLossTitle(a.run.format === 'events');
  const lastEpoch = Math.max(epochDomain(a).last, ...a.batches.map((b) => b.epoch));
  const x = {
    field: 'x', type: 'quantitative', title: 'epoch',
    scale: { domain: [0, lastEpoch], nice: false, zero: true },
    axis: { format: 'd', ...epochTicks(0, lastEpoch) },
  };
  const y = { field: 'loss', type: 'quantitative', title: `batch loss${log ? ' (log scale)' : ''}`, ...(log ? logAxis(values.map((r) => r.loss)) : {}) };
  return {
    name: 'batch-loss',
    title,
    alt: words.batchLossAlt(log, bad.length > 0, !logged(a.epochs, 'loss')),
    spec: {
      ...base(title),
      width: WIDTH,
      height: HEIGHT,
      data: { values },
      layer: [
        { mark: { type: 'line', strokeWidth: 1 }, encoding: { x, y, ...segmentDetail(line) } },
        ...(spikeRows.length ? [{ data: { values: spikeRows }, mark: { type: 'point', color: '#d62728', filled: true, size: 60 },
          encoding: { x, y: { field: 'loss', type: 'quantitative' }, description: { field: 'label' } } }] : []),
        ...(bad.length ? [{ data: { values: bad }, mark: { type: 'point', shape: 'cross', color: '#d62728', filled: true, size: 90, opacity: 1 },
          encoding: { x, y: { value: 0 }, description: { field: 'label' } } }] : []),
      ],
    } as unknown as TopLevelSpec,
  };
}

/** The charts this analysis can show, in report order. */
export function buildCharts(a: Analysis): ChartSpec[] {
  return [
    pairChart(a, 'loss', words.CHART_TITLES.loss, 'loss', 'val_loss', 'loss', false),
    pairChart(a, 'accuracy', words.CHART_TITLES.accuracy, 'accuracy', 'val_accuracy', 'accuracy', true),
    gapChart(a),
    batchChart(a),
  ].filter((c): c is ChartSpec => c !== null);
}

/** Three decimals, unless the losses are so small that every tick would read 0.000: then significant digits. */
function lossAxisFormat(values: number[]): string {
  const largest = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return largest > 0 && largest < 0.01 ? '.2~e' : '.3f';
}
