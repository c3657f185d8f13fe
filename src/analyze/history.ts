// --history N: the run against the previous N runs of the same model. Pure: the current
// analysis and the earlier runs' analyses in, a HistoryComparison out.
//
// "Normal" is a band around the previous runs' median: median ± 3 × 1.4826 × MAD (the
// median absolute deviation, scaled by 1.4826 so that it estimates the standard deviation
// of normally distributed values). Median and MAD are robust: one broken run among twenty
// moves them little, where it would drag a mean and a standard deviation. The run is
// inside, above or below the band by its final validation accuracy; the validation
// loss has its own band, reported beside it.
//
// The accuracy band is never narrower than the accuracy's own sampling noise: identical runs
// (one seed, a deterministic trainer) have a MAD of 0, and one test image more or less wrong
// (0.01 pp of 10,000) would fall outside a band of width 0. So its half-width is widened by this
// run's noise, half the width of its confidence interval (the report's "differences smaller than
// about 0.29 pp are within sampling noise"): below the band is below it by more than noise.
// A loss has no such estimate (the log holds its mean, not its spread over the samples), so the
// loss band's half-width is widened by LOSS_TOLERANCE of its median instead: identical runs'
// 0.0634 made a band "0.0634 to 0.0634" that a rerun's 0.0635 was above.
//
// Which runs are "the same model" (historyKey): the same run_start config.model (model.name
// when the config has none) and, when the runs came from log streams named <prefix>/<task>,
// the same stream prefix (an ECS job's `ecs/mnist-training`, mnist-train's `mnist-train`).
// Only runs that started before this one and completed (or stopped early on purpose) count:
// an interrupted run's accuracy is not what the job normally reaches.

import { median, medianAbsoluteDeviation } from 'simple-statistics';
import type { Run } from '../types.js';
import { DEFAULT_OPTIONS, finishedNormally, type Analysis } from './types.js';
import { settingChanges, settingsSame, type RunSettings, type SettingChange } from './baseline.js';
import { isNum } from './stats.js';
import * as msg from '../wording/history.js';

/** MAD × this estimates σ for normally distributed values. */
export const MAD_TO_SIGMA = 1.4826;
/** Half-width of the band in σ-estimates. */
export const BAND_SIGMAS = 3;
/** Fewer earlier runs than this give no band (a median and MAD of two values say little). */
export const MIN_HISTORY_RUNS = 3;
export const DEFAULT_HISTORY_RUNS = 20;
/**
 * The loss band's tolerance, a share of its median added to the half-width: the change of a
 * validation loss (5%) that the best-vs-final check allows before it warns, its default read here.
 */
export const LOSS_TOLERANCE = DEFAULT_OPTIONS.best_vs_final_threshold;

export type HistoryMetric = 'val_accuracy' | 'val_loss';
export type BandPosition = 'inside' | 'above' | 'below';

/** One run of the history, as few fields as the section and the chart need. */
export interface HistoryRun {
  run_id: string;
  /** The run's first event time (ISO), the chart's x. */
  time: string | null;
  outcome: Analysis['run']['outcome'];
  val_accuracy: number | null;
  val_loss: number | null;
}

export interface HistoryBand {
  metric: HistoryMetric;
  /** How many earlier runs had a finite value of the metric. */
  n: number;
  median: number;
  /** Median absolute deviation, unscaled. */
  mad: number;
  low: number;
  high: number;
  /**
   * Added to the half-width: this run's sampling noise, half the width of its validation accuracy's
   * interval at `level` (accuracy only; null for the loss, or when the validation size is unknown).
   */
  noise: { half: number; level: number } | null;
  /** Added to the half-width as a share of the median (the loss's LOSS_TOLERANCE); null for the accuracy. */
  tolerance: number | null;
  /** This run's value and where it lies (null when the run has no value). */
  value: number | null;
  position: BandPosition | null;
}

export interface HistoryChanges {
  /** previous: the run just before this one; best: the earlier run with the highest final validation accuracy. */
  against: 'previous' | 'best';
  run_id: string;
  /** The settings that differ, or that one of the two runs' logs does not say ("not known"). */
  settings: SettingChange[];
  /** The names of the settings both runs' logs give, alike. */
  same: string[];
}

export interface HistoryComparison {
  /** --history N as asked. */
  requested: number;
  /** The rule that picked the runs: this run's model and stream prefix (null: not known, not used). */
  key: { model: string | null; job: string | null };
  /** The earlier runs compared with, oldest first (at most `requested`). */
  runs: HistoryRun[];
  /** Earlier runs of the same model left out because they did not complete. */
  not_completed: number;
  /** Earlier runs of the same model not looked at, as `requested` runs were found before them. */
  beyond_requested: number;
  current: HistoryRun;
  bands: { val_accuracy: HistoryBand | null; val_loss: HistoryBand | null };
  /** By validation accuracy; null when there is no band (too few runs) or the run has no accuracy. */
  position: BandPosition | null;
  changes: HistoryChanges[];
  /** The one sentence: inside, above or below the band (or why there is no band). */
  summary: string;
}

/** The history when the run's final validation accuracy lies below its band; no band (too few runs), null. */
export function belowBand(h: HistoryComparison | null | undefined): HistoryComparison | null {
  return h?.bands.val_accuracy?.position === 'below' ? h : null;
}

/** The facts historyKey reads: an analysis has them, and so has a run before it is analysed. */
export interface KeyFacts {
  config: Analysis['config'];
  model: Analysis['model'];
  run: Pick<Analysis['run'], 'streams'>;
}

export function keyFactsOf(run: Run): KeyFacts {
  return { config: run.start?.config ?? null, model: run.start?.model ?? null, run: { streams: run.streams } };
}

/** What picks a run's history: its model, and its log stream prefix when it has one. */
export function historyKey(a: KeyFacts, inputs: readonly string[]): HistoryComparison['key'] {
  const model = a.config?.model ?? a.model?.name ?? null;
  return { model: model === null ? null : String(model), job: jobOf(a.run.streams, inputs) };
}

/**
 * A log stream `ecs/mnist-training/<task-id>` belongs to the job `ecs/mnist-training`:
 * the name without its last part. A run read from a file has no stream name (its
 * "stream" is the file, one of the inputs), and a stream without "/" names no job.
 */
function jobOf(streams: readonly string[], inputs: readonly string[]): string | null {
  const stream = streams.find((s) => !inputs.includes(s));
  if (stream === undefined) return null;
  const cut = stream.lastIndexOf('/');
  return cut > 0 ? stream.slice(0, cut) : null;
}

function sameKey(a: HistoryComparison['key'], b: HistoryComparison['key']): boolean {
  // a job counts only when both runs have one: a file's runs match a log group's
  return a.model !== null && a.model === b.model && (a.job === null || b.job === null || a.job === b.job);
}

/** The fields of an analysis a history keeps (an analysis of a whole run is far larger). */
export function historyRun(a: Analysis): HistoryRun {
  return {
    run_id: a.run.run_id, time: a.run.first_time, outcome: a.run.outcome,
    val_accuracy: isNum(a.final?.val_accuracy) ? a.final.val_accuracy : null,
    val_loss: isNum(a.final?.val_loss) ? a.final.val_loss : null,
  };
}

/** What compareHistory keeps of each earlier run: its history fields and settings. */
export interface EarlierRun {
  run: HistoryRun;
  settings: RunSettings;
}

export function earlierRun(a: Analysis): EarlierRun {
  return { run: historyRun(a), settings: { config: a.config, model: a.model, runtime: a.runtime, run: a.run } };
}

const completed = (r: HistoryRun): boolean => finishedNormally(r.outcome);

/**
 * `runs`: every run of the input, oldest first (the runs stage's order). The history is the
 * last `requested` completed runs with this run's key that started before it; `earlierOf`
 * analyses a run (called only for runs with the key, newest first, until enough are found).
 */
export function compareHistory(current: Analysis, runs: readonly Run[], requested: number, inputs: readonly string[],
  earlierOf: (run: Run) => EarlierRun): HistoryComparison {
  const key = historyKey(current, inputs);
  const at = runs.findIndex((r) => r.run_id === current.run.run_id);
  const picked: EarlierRun[] = [];
  let notCompleted = 0;
  let beyond = 0;
  for (let i = (at < 0 ? runs.length : at) - 1; i >= 0 && key.model !== null; i--) {
    if (!sameKey(key, historyKey(keyFactsOf(runs[i]!), inputs))) continue;
    // past --history N only counted (not analysed), so that too small an N can be said
    if (picked.length >= requested) { beyond++; continue; }
    const e = earlierOf(runs[i]!);
    if (completed(e.run)) picked.unshift(e);
    else notCompleted++;
  }
  const history = picked.map((e) => e.run);
  const now = historyRun(current);
  const bands = {
    val_accuracy: band('val_accuracy', history.map((r) => r.val_accuracy), now.val_accuracy,
      current.confidence ? { half: (current.confidence.high - current.confidence.low) / 2, level: current.confidence.level } : null),
    val_loss: band('val_loss', history.map((r) => r.val_loss), now.val_loss, null, LOSS_TOLERANCE),
  };
  const position = bands.val_accuracy?.position ?? null;
  const partial = { requested, key, runs: history, not_completed: notCompleted, beyond_requested: beyond, current: now, bands, position };
  return { ...partial, changes: changes(current, picked), summary: msg.historySummary(partial) };
}

/** What each metric can be: an accuracy is a share, a loss is not negative. A band reaching past these says nothing more. */
const METRIC_RANGE: Record<HistoryMetric, [number, number]> = { val_accuracy: [0, 1], val_loss: [0, Infinity] };

/**
 * The band of the earlier runs' values (within what the metric can be), widened by `noise` (the run's
 * sampling noise) or by `tolerance` (a share of the median), and where `value` lies; null with fewer
 * than MIN_HISTORY_RUNS values.
 */
export function band(metric: HistoryMetric, values: readonly (number | null)[], value: number | null,
  noise: HistoryBand['noise'] = null, tolerance: number | null = null): HistoryBand | null {
  const xs = values.filter(isNum);
  if (xs.length < MIN_HISTORY_RUNS) return null;
  const mid = median(xs);
  const mad = medianAbsoluteDeviation(xs);
  const half = BAND_SIGMAS * MAD_TO_SIGMA * mad + (noise?.half ?? 0) + (tolerance ?? 0) * Math.abs(mid);
  const [least, most] = METRIC_RANGE[metric];
  const low = Math.max(least, mid - half);
  const high = Math.min(most, mid + half);
  const position: BandPosition | null = value === null ? null : value < low ? 'below' : value > high ? 'above' : 'inside';
  return { metric, n: xs.length, median: mid, mad, low, high, noise, tolerance, value, position };
}

/** Settings that changed against the previous run, and against the best one (when that is another run). */
function changes(current: Analysis, picked: readonly EarlierRun[]): HistoryChanges[] {
  const previous = picked.at(-1);
  if (!previous) return [];
  const out: HistoryChanges[] = [{ against: 'previous', run_id: previous.run.run_id, settings: settingChanges(current, previous.settings), same: settingsSame(current, previous.settings) }];
  let best: EarlierRun | null = null;
  for (const e of picked) {
    if (isNum(e.run.val_accuracy) && (best === null || e.run.val_accuracy > (best.run.val_accuracy as number))) best = e;
  }
  if (best) out.push({ against: 'best', run_id: best.run.run_id, settings: settingChanges(current, best.settings), same: settingsSame(current, best.settings) });
  return out;
}
