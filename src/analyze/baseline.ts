// Compare a run with an earlier one (--baseline): a deltas table that knows, for
// each metric, which direction is better. Pure: both sides are Analysis objects
// (the baseline's comes from its report.json or from another run in the input).
// A difference too small to show at the report's precision is "unchanged"; a
// validation-accuracy difference inside the sampling noise of the validation set
// is marked as such, so a 0.05 pp wobble is not read as a regression.
// The train − validation gap is left out: it has no better direction (validation
// above training is expected with dropout, and neither sign is a quality).

import type { Analysis } from './types.js';
import { fmtDuration, fmtLoss, fmtPct, fmtPp, fmtSigned } from './format.js';
import { finiteOrNull, isNum } from './stats.js';
import * as msg from './baseline-messages.js';

export type Better = 'higher' | 'lower';
export type Verdict = 'improved' | 'regressed' | 'unchanged' | 'n/a';

export interface DeltaRow {
  metric: string;
  name: string;
  better: Better;
  baseline: number | null;
  current: number | null;
  /** current − baseline. */
  delta: number | null;
  verdict: Verdict;
  /** Printed forms, so every template shows the same digits. */
  shown: { baseline: string; current: string; delta: string };
  /** For val_accuracy: whether |delta| is within 95% sampling noise (null when n is unknown). */
  within_noise: boolean | null;
}

export interface BaselineComparison {
  baseline: { run_id: string; source: string; generated_at: string | null };
  rows: DeltaRow[];
  improved: number;
  regressed: number;
  summary: string;
  /** The baseline run's metrics per epoch, for overlaying its curves on the charts. */
  curves?: BaselineCurve[];
}

export type BaselineCurve = Pick<Analysis['epochs'][number], 'epoch' | 'loss' | 'accuracy' | 'val_loss' | 'val_accuracy'>;

/** The baseline's per-epoch metrics (what its charts' lines are drawn from). */
export function baselineCurves(baseline: Analysis): BaselineCurve[] {
  return baseline.epochs.map(({ epoch, loss, accuracy, val_loss, val_accuracy }) => ({ epoch, loss, accuracy, val_loss, val_accuracy }));
}

type Kind = 'pct' | 'loss' | 'ms' | 'rate';
interface MetricDef { metric: string; name: string; better: Better; kind: Kind; get: (a: Analysis) => number | null | undefined }

const METRICS: MetricDef[] = [
  { metric: 'val_accuracy', name: 'Validation accuracy (final)', better: 'higher', kind: 'pct', get: (a) => a.final?.val_accuracy },
  { metric: 'val_loss', name: 'Validation loss (final)', better: 'lower', kind: 'loss', get: (a) => a.final?.val_loss },
  { metric: 'best_val_loss', name: 'Validation loss (best epoch)', better: 'lower', kind: 'loss', get: (a) => a.best?.val_loss },
  { metric: 'accuracy', name: 'Training accuracy (final)', better: 'higher', kind: 'pct', get: (a) => a.final?.accuracy },
  { metric: 'loss', name: 'Training loss (final)', better: 'lower', kind: 'loss', get: (a) => a.final?.loss },
  { metric: 'test_accuracy', name: 'Test accuracy', better: 'higher', kind: 'pct', get: (a) => a.test?.accuracy },
  { metric: 'test_loss', name: 'Test loss', better: 'lower', kind: 'loss', get: (a) => a.test?.loss },
  { metric: 'epoch_ms', name: 'Median epoch time', better: 'lower', kind: 'ms', get: (a) => a.timing.median_epoch_ms },
  { metric: 'samples_per_second', name: 'Median samples per second', better: 'higher', kind: 'rate', get: (a) => a.timing.median_samples_per_second },
];

export function compareBaseline(current: Analysis, baseline: Analysis, source: string): BaselineComparison {
  const rows: DeltaRow[] = [];
  for (const d of METRICS) {
    const b = finiteOrNull(d.get(baseline));
    const c = finiteOrNull(d.get(current));
    if (b === null && c === null) continue; // e.g. test metrics neither run logged
    rows.push(row(d, b, c, d.metric === 'val_accuracy' ? noise(current, baseline) : null));
  }
  const improved = rows.filter((r) => r.verdict === 'improved').length;
  const regressed = rows.filter((r) => r.verdict === 'regressed').length;
  return {
    baseline: { run_id: baseline.run.run_id, source, generated_at: baseline.generated_at ?? null },
    rows, improved, regressed,
    summary: msg.baselineSummary(baseline.run.run_id, rows),
  };
}

function row(d: MetricDef, b: number | null, c: number | null, noiseOf: ((delta: number) => boolean) | null): DeltaRow {
  const shown = { baseline: show(d.kind, b), current: show(d.kind, c), delta: 'n/a' };
  if (b === null || c === null) {
    return { metric: d.metric, name: d.name, better: d.better, baseline: b, current: c, delta: null, verdict: 'n/a', shown, within_noise: null };
  }
  const delta = c - b;
  shown.delta = showDelta(d.kind, delta, b);
  const verdict: Verdict = shown.baseline === shown.current ? 'unchanged'
    : (delta > 0) === (d.better === 'higher') ? 'improved' : 'regressed';
  return {
    metric: d.metric, name: d.name, better: d.better, baseline: b, current: c, delta, verdict, shown,
    within_noise: noiseOf ? noiseOf(delta) : null,
  };
}

/**
 * Two-proportion z-test at 95%: is a validation-accuracy difference larger than
 * what resampling the validation images alone would produce? Needs both n.
 */
function noise(current: Analysis, baseline: Analysis): ((delta: number) => boolean) | null {
  const n1 = current.confidence?.n ?? current.config?.validation_samples ?? null;
  const n2 = baseline.confidence?.n ?? baseline.config?.validation_samples ?? null;
  const p1 = current.final?.val_accuracy;
  const p2 = baseline.final?.val_accuracy;
  if (!n1 || !n2 || !isNum(p1) || !isNum(p2)) return null;
  const p = (p1 * n1 + p2 * n2) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  return (delta) => se === 0 ? delta === 0 : Math.abs(delta) / se < 1.96;
}

function show(kind: Kind, x: number | null): string {
  switch (kind) {
    case 'pct': return fmtPct(x);
    case 'loss': return fmtLoss(x);
    case 'ms': return fmtDuration(x);
    case 'rate': return x === null ? 'n/a' : `${Math.round(x)}/s`;
  }
}

function showDelta(kind: Kind, delta: number, base: number): string {
  switch (kind) {
    case 'pct': return fmtPp(delta);
    case 'loss': return fmtSigned(delta);
    case 'ms':
    case 'rate': return base === 0 ? 'n/a' : `${delta >= 0 ? '+' : '−'}${Math.abs((delta / base) * 100).toFixed(1)}%`;
  }
}
