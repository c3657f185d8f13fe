// The layers that mark what matters on a per-epoch chart: the best epoch (a
// rule), the overfitting onset (a band from there on), the planned epochs a run
// never reached (a band), and metric values that were not finite (crosses on the
// top edge, with the line broken there rather than drawn across). Pure: plain
// Vega-Lite layer objects built from the Analysis.

import type { Analysis, EpochRow } from '../analyze/types.js';
import { isNum } from '../analyze/stats.js';
import * as words from '../wording/charts.js';

type Layer = Record<string, unknown>;
export type EpochKey = 'loss' | 'accuracy' | 'val_loss' | 'val_accuracy';

/** Marker colours; the page's dark style swaps them by these exact values. */
export const MARK_COLOR = { rule: '#555555', onset: '#d62728', notRun: '#888888', nonFinite: '#d62728' } as const;

/** A series spanning more than this ratio (two decades) is drawn on a log scale. */
export const LOG_SCALE_RATIO = 100;

/** A log-scale y axis with a tick and grid line at each power of ten (vega's own log ticks crowd 2 and 5 in between). */
export function logAxis(values: readonly number[]): Record<string, unknown> {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  const lo = Math.floor(Math.log10(Math.min(...pos)));
  const hi = Math.ceil(Math.log10(Math.max(...pos)));
  const ticks = Array.from({ length: hi - lo + 1 }, (_, i) => Number(`1e${lo + i}`));
  return { scale: { type: 'log', domain: [ticks[0], ticks[ticks.length - 1]] }, axis: { format: '~g', values: ticks } };
}

/** Epochs the x axis spans: from the first logged epoch to the planned count, so a cut-short run looks cut short. */
export function epochDomain(a: Analysis): { first: number; last: number; seen: number } {
  const first = a.epochs[0]?.epoch ?? 1;
  const seen = a.epochs[a.epochs.length - 1]?.epoch ?? first;
  const planned = a.run.epochs_planned ?? 0;
  return { first, last: Math.max(seen, planned), seen };
}

/** Whether the finite positive values span more than two decades (then a log scale shows them). */
export function wantsLogScale(values: readonly number[]): boolean {
  let lo = Infinity;
  let hi = 0;
  for (const v of values) {
    if (!(v > 0) || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi > 0 && hi / lo > LOG_SCALE_RATIO;
}

/**
 * A series split where a value is missing or not finite: each finite stretch is
 * its own segment (`seg`), so a line is drawn through each stretch and never across
 * the gap. `label` is the point's hover text.
 */
export interface SeriesRow { epoch: number; value: number; series: string; seg: string; label: string }

export function segments(rows: readonly { epoch: number; value: number | null }[], series: string,
  describe: (epoch: number, value: number) => string): SeriesRow[][] {
  const out: SeriesRow[][] = [];
  let cur: SeriesRow[] = [];
  for (const r of rows) {
    if (!isNum(r.value)) {
      if (cur.length) out.push(cur);
      cur = [];
      continue;
    }
    cur.push({ epoch: r.epoch, value: r.value, series, seg: `${series} ${out.length}`, label: describe(r.epoch, r.value) });
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Epochs where a metric was logged as not finite (NaN, Infinity), as points on the top edge. */
export function nonFiniteLayer(epochs: readonly EpochRow[], keys: readonly { key: EpochKey; label: string }[]): Layer | null {
  const values = epochs.flatMap((e) => keys.filter((k) => e.non_finite.includes(k.key) && !isNum(e[k.key]))
    .map((k) => ({ epoch: e.epoch, label: words.nonFinitePoint(e.epoch, k.label) })));
  if (!values.length) return null;
  return {
    data: { values },
    mark: { type: 'point', shape: 'cross', filled: true, size: 90, color: MARK_COLOR.nonFinite, opacity: 1 },
    encoding: { x: { field: 'epoch', type: 'quantitative' }, y: { value: 0 }, description: { field: 'label' } },
  };
}

/** The best epoch's rule, the overfitting band, and the band of planned epochs that never ran. */
export function markerLayers(a: Analysis): Layer[] {
  const { last, seen } = epochDomain(a);
  const layers: Layer[] = [];
  if (last > seen) {
    layers.push(band(seen, last, MARK_COLOR.notRun, 0.12, words.notRunBand(seen, last)));
  }
  const onset = a.overfitting.onset_epoch;
  if (onset !== null) {
    layers.push(band(onset, seen, MARK_COLOR.onset, 0.08, words.overfittingBand(onset)));
  }
  const best = a.best?.epoch;
  if (best !== undefined) {
    const { label, text } = words.bestEpochRule(best, a.best!.by);
    // the label sits above the plot's top edge, where no point, cross or band label is drawn (at
    // the foot of the rule it covered the last point when the best epoch was the last one);
    // at the axis' right end it goes left of the rule, so it stays within the chart's width
    const atEnd = best >= last;
    layers.push({
      data: { values: [{ epoch: best, label, text }] },
      encoding: { x: { field: 'epoch', type: 'quantitative' } },
      layer: [
        { mark: { type: 'rule', color: MARK_COLOR.rule, strokeDash: [2, 3], strokeWidth: 1.5 }, encoding: { description: { field: 'label' } } },
        { mark: { type: 'text', align: atEnd ? 'right' : 'left', baseline: 'bottom', dx: atEnd ? -3 : 3, dy: -4, y: 0, fontSize: 10,
          color: MARK_COLOR.rule, aria: false }, encoding: { text: { field: 'text' } } },
      ],
    });
  }
  return layers;
}

function band(from: number, to: number, color: string, opacity: number, { label, text }: { label: string; text: string }): Layer {
  return {
    data: { values: [{ from, to, label, text }] },
    encoding: { x: { field: 'from', type: 'quantitative' } },
    layer: [
      { mark: { type: 'rect', color, opacity }, encoding: { x2: { field: 'to' }, description: { field: 'label' } } },
      { mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, dy: 3, fontSize: 10, color, y: 0, aria: false }, encoding: { text: { field: 'text' } } },
    ],
  };
}
