// Compare a run with an earlier one (--baseline): a deltas table that knows, for
// each metric, which direction is better. Pure: both sides are Analysis objects
// (the baseline's comes from its report.json or from another run in the input).
// A difference too small to show at the report's precision is "unchanged". The
// validation-accuracy difference of two runs is judged against the interval of
// the difference (its standard error adds both runs' variances, so it is about
// √2 wider than one run's interval): inside it reads "no significant change",
// so a 0.05 pp wobble is not read as a regression.
// The train − validation gap is left out: it has no better direction (validation
// above training is expected with dropout, and neither sign is a quality).

import { DEFAULT_OPTIONS, type Analysis } from './types.js';
import { fmtDuration, fmtLoss, fmtPct, fmtPp, fmtSigned } from './format.js';
import { finiteOrNull, isNum, zOf } from './stats.js';
import * as msg from '../wording/baseline.js';

export type Better = 'higher' | 'lower';
export type Verdict = 'improved' | 'regressed' | 'unchanged' | 'no significant change' | 'n/a';

/** The metrics a baseline comparison has a row for. */
export type BaselineMetric = 'val_accuracy' | 'val_loss' | 'best_val_loss' | 'accuracy' | 'loss' | 'test_accuracy' | 'test_loss'
  | 'epoch_ms' | 'samples_per_second';

export interface DeltaRow {
  metric: BaselineMetric;
  name: string;
  better: Better;
  baseline: number | null;
  current: number | null;
  /** current − baseline. */
  delta: number | null;
  verdict: Verdict;
  /** Printed forms, so every template shows the same digits. */
  shown: { baseline: string; current: string; delta: string };
  /** For val_accuracy: whether the interval of the difference excludes 0 (null when n is unknown). */
  significant: boolean | null;
  /** For val_accuracy: the interval of current − baseline at the configured level. */
  interval: { low: number; high: number; level: number } | null;
}

/** The settings compared between two runs (run_start config and backend), in the order they are listed. */
export type RunSetting = 'learning_rate' | 'batch_size' | 'model' | 'seed' | 'epochs' | 'optimizer' | 'train_samples' | 'validation_samples' | 'backend';

/** A setting that differs between the two runs (run_start config and backend). */
export interface SettingChange {
  /** The setting's name as the report prints it (wording/baseline.ts SETTING_NAMES). */
  setting: string;
  baseline: string;
  current: string;
}

export interface BaselineComparison {
  baseline: { run_id: string; source: string; generated_at: string | null };
  rows: DeltaRow[];
  /** Settings that differ (learning rate, batch size, model, seed, epochs, backend, …); empty when all match. */
  settings: SettingChange[];
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
interface MetricDef { metric: BaselineMetric; better: Better; kind: Kind; get: (a: Analysis) => number | null | undefined }

const METRICS: MetricDef[] = [
  { metric: 'val_accuracy', better: 'higher', kind: 'pct', get: (a) => a.final?.val_accuracy },
  { metric: 'val_loss', better: 'lower', kind: 'loss', get: (a) => a.final?.val_loss },
  { metric: 'best_val_loss', better: 'lower', kind: 'loss', get: (a) => a.best?.val_loss },
  { metric: 'accuracy', better: 'higher', kind: 'pct', get: (a) => a.final?.accuracy },
  { metric: 'loss', better: 'lower', kind: 'loss', get: (a) => a.final?.loss },
  { metric: 'test_accuracy', better: 'higher', kind: 'pct', get: (a) => a.test?.accuracy },
  { metric: 'test_loss', better: 'lower', kind: 'loss', get: (a) => a.test?.loss },
  { metric: 'epoch_ms', better: 'lower', kind: 'ms', get: (a) => a.timing.median_epoch_ms },
  { metric: 'samples_per_second', better: 'higher', kind: 'rate', get: (a) => a.timing.median_samples_per_second },
];

/** A comparison's row for one metric, looked up by its typed name. */
export function baselineRow(b: Pick<BaselineComparison, 'rows'> | null | undefined, metric: BaselineMetric): DeltaRow | undefined {
  return b?.rows.find((r) => r.metric === metric);
}

export function compareBaseline(current: Analysis, baseline: Analysis, source: string, level = current.confidence?.level ?? DEFAULT_OPTIONS.level): BaselineComparison {
  const rows: DeltaRow[] = [];
  for (const d of METRICS) {
    const b = finiteOrNull(d.get(baseline));
    const c = finiteOrNull(d.get(current));
    if (b === null && c === null) continue; // e.g. test metrics neither run logged
    rows.push(row(d, b, c, d.metric === 'val_accuracy' ? differenceInterval(current, baseline, level) : null));
  }
  const improved = rows.filter((r) => r.verdict === 'improved').length;
  const regressed = rows.filter((r) => r.verdict === 'regressed').length;
  return {
    baseline: { run_id: baseline.run.run_id, source, generated_at: baseline.generated_at ?? null },
    rows, settings: settingChanges(current, baseline), improved, regressed,
    summary: msg.baselineSummary(baseline.run.run_id, rows),
  };
}

type IntervalOf = (delta: number) => { low: number; high: number; level: number };

function row(d: MetricDef, b: number | null, c: number | null, intervalOf: IntervalOf | null): DeltaRow {
  const shown = { baseline: show(d.kind, b), current: show(d.kind, c), delta: 'n/a' };
  if (b === null || c === null) {
    return { metric: d.metric, name: msg.BASELINE_METRIC_NAMES[d.metric], better: d.better, baseline: b, current: c, delta: null, verdict: 'n/a', shown, significant: null, interval: null };
  }
  const delta = c - b;
  shown.delta = showDelta(d.kind, delta, b);
  const interval = intervalOf ? intervalOf(delta) : null;
  const significant = interval ? interval.low > 0 || interval.high < 0 : null;
  const verdict: Verdict = shown.baseline === shown.current ? 'unchanged'
    : significant === false ? 'no significant change'
      : (delta > 0) === (d.better === 'higher') ? 'improved' : 'regressed';
  return { metric: d.metric, name: msg.BASELINE_METRIC_NAMES[d.metric], better: d.better, baseline: b, current: c, delta, verdict, shown, significant, interval };
}

/**
 * The interval of a difference of two validation accuracies: delta ± z·SE with
 * SE = √(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂), both runs' sampling noise (for equal runs
 * about √2 times one run's half-width). Needs both n.
 */
function differenceInterval(current: Analysis, baseline: Analysis, level: number): IntervalOf | null {
  const n1 = current.confidence?.n ?? current.config?.validation_samples ?? null;
  const n2 = baseline.confidence?.n ?? baseline.config?.validation_samples ?? null;
  const p1 = current.final?.val_accuracy;
  const p2 = baseline.final?.val_accuracy;
  if (!n1 || !n2 || !isNum(p1) || !isNum(p2)) return null;
  const half = zOf(level) * Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  return (delta) => ({ low: delta - half, high: delta + half, level });
}

/** What settingChanges reads of a run (a --history run keeps only this of its analysis). */
export type RunSettings = Pick<Analysis, 'config' | 'model' | 'runtime' | 'run'>;

/** The settings a reader needs to explain a difference; only those that differ are listed. */
export function settingChanges(current: RunSettings, baseline: RunSettings): SettingChange[] {
  const facts = (a: RunSettings): Record<RunSetting, unknown> => ({
    learning_rate: a.config?.learning_rate, batch_size: a.config?.batch_size, model: a.config?.model ?? a.model?.name,
    seed: a.config?.seed, epochs: a.config?.epochs ?? a.run.epochs_planned, optimizer: a.config?.optimizer,
    train_samples: a.config?.train_samples, validation_samples: a.config?.validation_samples, backend: a.runtime?.backend,
  });
  const b = facts(baseline);
  const c = facts(current);
  const text = (v: unknown): string => (v === undefined || v === null ? msg.UNKNOWN_SETTING : String(v));
  return (Object.keys(c) as RunSetting[]).filter((k) => text(b[k]) !== text(c[k]))
    .map((k) => ({ setting: msg.SETTING_NAMES[k], baseline: text(b[k]), current: text(c[k]) }));
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
