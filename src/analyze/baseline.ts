// Compare a run with an earlier one (--baseline): a deltas table that knows, for
// each metric, which direction is better. Pure: both sides are Analysis objects
// (the baseline's comes from its report.json or from another run in the input).
// A difference too small to show at the report's precision is "unchanged". The
// validation-accuracy difference of two runs is judged against the interval of
// the difference (its standard error adds both runs' variances, so it is about
// √2 wider than one run's interval): inside it reads "no significant change",
// so a 0.05 pp wobble is not read as a regression. When only one run's validation
// size is known, the difference's interval is at least as wide as that run's own: a
// difference inside it is "no significant change" too; a larger one cannot be tested.
// Only a tested difference is "improved" or "regressed". Losses, training accuracy
// and test metrics have no test of sampling noise here (the log holds no per-sample
// spread): their rows say the direction and that it is untested ("worse (untested)"),
// never "regressed" for a difference that may be noise. Timings are measured, not
// sampled from a validation set: faster or slower is improved or regressed.
// The train − validation gap is left out: it has no better direction (validation
// above training is expected with dropout, and neither sign is a quality).

import { DEFAULT_OPTIONS, type Analysis } from './types.js';
import { fmtDuration, fmtInt, fmtLoss, fmtPct, fmtPp, fmtSigned } from './format.js';
import { finiteOrNull, isNum, zOf } from './stats.js';
import * as msg from '../wording/baseline.js';

export type Better = 'higher' | 'lower';
export type Verdict = 'improved' | 'regressed' | 'unchanged' | 'no significant change' | 'better (untested)' | 'worse (untested)' | 'n/a';

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
  /**
   * For val_accuracy: whether the interval of the difference excludes 0; false too when only one
   * run's n is known and the difference lies inside that run's own interval; null when untested.
   */
  significant: boolean | null;
  /** For val_accuracy: the interval of current − baseline at the configured level (both n known). */
  interval: { low: number; high: number; level: number } | null;
  /**
   * For val_accuracy when only one run's n is known: that run's own half-width (z·√(p(1−p)/n)),
   * a floor for the difference's; absent otherwise.
   */
  noise_floor?: { half: number; level: number; side: 'baseline' | 'current' };
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
  /** Settings known for both runs that differ (learning rate, batch size, model, seed, epochs, backend, …); empty when none does. */
  settings: SettingChange[];
  /** Settings known for one run only ("not known" on the other side): not compared, so not a difference; absent when none. */
  settings_one_side?: SettingChange[];
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
/** How a row's difference is judged: a significance test (val_accuracy), none (untested quality metrics), or measured (timings). */
type Judged = 'tested' | 'untested' | 'measured';
interface MetricDef { metric: BaselineMetric; better: Better; kind: Kind; judged: Judged; get: (a: Analysis) => number | null | undefined }

const METRICS: MetricDef[] = [
  { metric: 'val_accuracy', better: 'higher', kind: 'pct', judged: 'tested', get: (a) => a.final?.val_accuracy },
  { metric: 'val_loss', better: 'lower', kind: 'loss', judged: 'untested', get: (a) => a.final?.val_loss },
  { metric: 'best_val_loss', better: 'lower', kind: 'loss', judged: 'untested', get: (a) => a.best?.val_loss },
  { metric: 'accuracy', better: 'higher', kind: 'pct', judged: 'untested', get: (a) => a.final?.accuracy },
  { metric: 'loss', better: 'lower', kind: 'loss', judged: 'untested', get: (a) => a.final?.loss },
  { metric: 'test_accuracy', better: 'higher', kind: 'pct', judged: 'untested', get: (a) => a.test?.accuracy },
  { metric: 'test_loss', better: 'lower', kind: 'loss', judged: 'untested', get: (a) => a.test?.loss },
  { metric: 'epoch_ms', better: 'lower', kind: 'ms', judged: 'measured', get: (a) => a.timing.median_epoch_ms },
  { metric: 'samples_per_second', better: 'higher', kind: 'rate', judged: 'measured', get: (a) => a.timing.median_samples_per_second },
];

/** A comparison's row for one metric, looked up by its typed name. */
export function baselineRow(b: Pick<BaselineComparison, 'rows'> | null | undefined, metric: BaselineMetric): DeltaRow | undefined {
  return b?.rows.find((r) => r.metric === metric);
}

/**
 * The validation-accuracy row when it fell significantly (the interval of the difference lies
 * below 0): the one regression the verdict, the gate and Next Steps act on.
 */
export function significantDrop(b: Pick<BaselineComparison, 'rows'> | null | undefined): (DeltaRow & { delta: number }) | null {
  const row = baselineRow(b, 'val_accuracy');
  return row && row.significant === true && row.delta !== null && row.delta < 0 ? { ...row, delta: row.delta } : null;
}

export function compareBaseline(current: Analysis, baseline: Analysis, source: string, level = current.confidence?.level ?? DEFAULT_OPTIONS.level): BaselineComparison {
  const rows: DeltaRow[] = [];
  for (const d of METRICS) {
    const b = finiteOrNull(d.get(baseline));
    const c = finiteOrNull(d.get(current));
    if (b === null && c === null) continue; // e.g. test metrics neither run logged
    rows.push(row(d, b, c, d.judged === 'tested' ? differenceTest(current, baseline, level) : null));
  }
  const improved = rows.filter((r) => r.verdict === 'improved').length;
  const regressed = rows.filter((r) => r.verdict === 'regressed').length;
  return {
    baseline: { run_id: baseline.run.run_id, source, generated_at: baseline.generated_at ?? null },
    rows, ...baselineSettings(current, baseline), improved, regressed,
    summary: msg.baselineSummary(baseline.run.run_id, rows),
  };
}

/** The test of a difference: the interval of the difference (both n), or the one known run's own half-width. */
type DifferenceTest =
  | { kind: 'interval'; of: (delta: number) => { low: number; high: number; level: number } }
  | { kind: 'floor'; floor: NonNullable<DeltaRow['noise_floor']> };

function row(d: MetricDef, b: number | null, c: number | null, test: DifferenceTest | null): DeltaRow {
  const shown = { baseline: show(d.kind, b), current: show(d.kind, c), delta: 'n/a' };
  if (b === null || c === null) {
    return { metric: d.metric, name: msg.BASELINE_METRIC_NAMES[d.metric], better: d.better, baseline: b, current: c, delta: null, verdict: 'n/a', shown, significant: null, interval: null };
  }
  const delta = c - b;
  shown.delta = showDelta(d.kind, delta, b);
  const interval = test?.kind === 'interval' ? test.of(delta) : null;
  const floor = test?.kind === 'floor' ? test.floor : null;
  // with one n, a difference inside that run's own interval is inside the difference's (wider) one
  const significant = interval ? interval.low > 0 || interval.high < 0 : floor && Math.abs(delta) <= floor.half ? false : null;
  const better = (delta > 0) === (d.better === 'higher');
  const verdict: Verdict = shown.baseline === shown.current ? 'unchanged'
    : significant === false ? 'no significant change'
      : significant === true || d.judged === 'measured' ? (better ? 'improved' : 'regressed')
        : better ? 'better (untested)' : 'worse (untested)';
  return {
    metric: d.metric, name: msg.BASELINE_METRIC_NAMES[d.metric], better: d.better, baseline: b, current: c, delta, verdict, shown, significant, interval,
    ...(floor ? { noise_floor: floor } : {}),
  };
}

/**
 * The interval of a difference of two validation accuracies: delta ± z·SE with
 * SE = √(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂), both runs' sampling noise (for equal runs
 * about √2 times one run's half-width). With one n only, that run's own half-width
 * z·√(p(1−p)/n) is a floor for the difference's (the other run adds its variance);
 * with neither, no test.
 */
function differenceTest(current: Analysis, baseline: Analysis, level: number): DifferenceTest | null {
  const n1 = current.confidence?.n ?? current.config?.validation_samples ?? null;
  const n2 = baseline.confidence?.n ?? baseline.config?.validation_samples ?? null;
  const p1 = current.final?.val_accuracy;
  const p2 = baseline.final?.val_accuracy;
  if (!isNum(p1) || !isNum(p2)) return null;
  const z = zOf(level);
  if (n1 && n2) {
    const half = z * Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
    return { kind: 'interval', of: (delta) => ({ low: delta - half, high: delta + half, level }) };
  }
  if (n2) return { kind: 'floor', floor: { half: z * Math.sqrt((p2 * (1 - p2)) / n2), level, side: 'baseline' } };
  if (n1) return { kind: 'floor', floor: { half: z * Math.sqrt((p1 * (1 - p1)) / n1), level, side: 'current' } };
  return null;
}

/** What settingChanges reads of a run (a --history run keeps only this of its analysis). */
export type RunSettings = Pick<Analysis, 'config' | 'model' | 'runtime' | 'run'>;

/** Each setting of the two runs, as printed: null where the run's log does not say it. */
interface SettingPair {
  key: RunSetting;
  baseline: string | null;
  current: string | null;
}

function settingPairs(current: RunSettings, baseline: RunSettings): SettingPair[] {
  const facts = (a: RunSettings): Record<RunSetting, unknown> => ({
    learning_rate: a.config?.learning_rate, batch_size: a.config?.batch_size, model: a.config?.model ?? a.model?.name,
    seed: a.config?.seed, epochs: a.config?.epochs ?? a.run.epochs_planned, optimizer: a.config?.optimizer,
    train_samples: a.config?.train_samples, validation_samples: a.config?.validation_samples, backend: a.runtime?.backend,
  });
  const b = facts(baseline);
  const c = facts(current);
  // sample counts are counts ("60,000"); a seed or a rate is a value, printed as given
  const text = (v: unknown, k: RunSetting): string | null => (v === undefined || v === null ? null
    : (k === 'train_samples' || k === 'validation_samples') && typeof v === 'number' ? fmtInt(v) : String(v));
  return (Object.keys(c) as RunSetting[]).map((key) => ({ key, baseline: text(b[key], key), current: text(c[key], key) }));
}

/** The settings a reader needs to explain a difference (--history's columns); only those that differ, one side unknown included, are listed. */
export function settingChanges(current: RunSettings, baseline: RunSettings): SettingChange[] {
  return settingPairs(current, baseline).filter((p) => p.baseline !== p.current).map(shownSetting);
}

/** A setting of the two runs as the tables print it: "not known" where a run's log does not say it. */
function shownSetting(p: SettingPair): SettingChange {
  return { setting: msg.SETTING_NAMES[p.key], baseline: p.baseline ?? msg.NOT_KNOWN_SETTING, current: p.current ?? msg.NOT_KNOWN_SETTING };
}

/** The names of the settings both runs' logs give, and give alike (--history's "the same as"). */
export function settingsSame(current: RunSettings, baseline: RunSettings): string[] {
  return settingPairs(current, baseline).filter((p) => p.baseline !== null && p.baseline === p.current).map((p) => msg.SETTING_NAMES[p.key]);
}

/**
 * --baseline's settings: those known for both runs that differ, and apart, those known for one run only, which are
 * not known to differ (a log that does not say its seed may have used the same one).
 */
function baselineSettings(current: RunSettings, baseline: RunSettings): Pick<BaselineComparison, 'settings' | 'settings_one_side'> {
  const pairs = settingPairs(current, baseline);
  const oneSide = pairs.filter((p) => (p.baseline === null) !== (p.current === null)).map(shownSetting);
  return {
    settings: pairs.filter((p) => p.baseline !== null && p.current !== null && p.baseline !== p.current).map(shownSetting),
    ...(oneSide.length ? { settings_one_side: oneSide } : {}),
  };
}

function show(kind: Kind, x: number | null): string {
  switch (kind) {
    case 'pct': return fmtPct(x);
    case 'loss': return fmtLoss(x);
    case 'ms': return fmtDuration(x);
    case 'rate': return x === null ? 'n/a' : `${fmtInt(x)}/s`;
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
