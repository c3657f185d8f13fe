// Stability and timing readings: loss rises, batch spikes, non-finite metrics,
// divergence, epoch durations and stalls between epoch timestamps. Pure.

import type { BatchRecord } from '../types.js';
import type { Analysis, AnalyzeOptions, EpochRow, ShippedTimes, Spike, Stall } from './types.js';
import { isNum, median } from './stats.js';


export function stabilityReading(rows: EpochRow[], batches: BatchRecord[], options: AnalyzeOptions): Analysis['stability'] {
  const lossRises: number[] = [];
  const valRises: number[] = [];
  let largest: Analysis['stability']['largest_rise'] = null;
  for (let i = 1; i < rows.length; i++) {
    const prev = rows[i - 1]!;
    const cur = rows[i]!;
    for (const metric of ['loss', 'val_loss'] as const) {
      const a = prev[metric];
      const b = cur[metric];
      if (!isNum(a) || !isNum(b) || b <= a) continue;
      (metric === 'loss' ? lossRises : valRises).push(cur.epoch);
      const relative = a === 0 ? Infinity : (b - a) / Math.abs(a);
      if (!largest || relative > largest.relative) {
        largest = { metric, epoch: cur.epoch, relative };
        if (prev.epoch !== cur.epoch - 1) largest.from = prev.epoch; // across epochs missing from the log
      }
    }
  }
  // Only what the log names as NaN/Infinity: a metric that is simply absent (a log
  // without validation, an event that lacked the field) is missing, not non-finite.
  const { spikes, noisy } = findSpikes(batches, options);
  const nonFinite = rows
    .map((r) => ({ epoch: r.epoch, metrics: unique(r.non_finite) }))
    .filter((x) => x.metrics.length > 0);
  return {
    loss_rises: lossRises,
    val_loss_rises: valRises,
    largest_rise: largest,
    spikes,
    noisy_batches: noisy,
    non_finite: nonFinite,
    diverged: divergence(rows, options.divergence_factor).diverged,
  };
}

/**
 * Diverged: the final training loss is non-finite, or grew past factor × the first
 * epoch's (the first with a finite loss). The rows it compared come back for the
 * divergence check's value and message.
 */
export function divergence(rows: EpochRow[], factor: number): { first: EpochRow | null; last: EpochRow | null; nonFiniteLoss: boolean; grew: boolean; diverged: boolean } {
  const last = rows[rows.length - 1] ?? null;
  const first = rows.find((r) => isNum(r.loss)) ?? null;
  const nonFiniteLoss = last !== null && last.loss === null && last.non_finite.includes('loss');
  const grew = first !== null && last !== null && isNum(first.loss) && isNum(last.loss) && last.loss > factor * first.loss;
  return { first, last, nonFiniteLoss, grew, diverged: nonFiniteLoss || grew };
}

/** Batches before one that a spike is judged against, at the least (the window's median needs them). */
export const SPIKE_MIN_WINDOW = 5;

/** 1.4826 × the median absolute deviation estimates a normal distribution's standard deviation, as √(π/2) × the mean one does. */
const MAD_TO_SD = 1.4826;
const MEAN_AD_TO_SD = Math.sqrt(Math.PI / 2);

/**
 * How far the window's batch losses vary from one logged batch to the next, as a multiple: e raised to
 * the robust standard deviation of their logarithms, taken from the steps between consecutive ones
 * (1.4826 × the median absolute deviation of the steps, over √2: a step between two independent draws
 * varies √2 times as much as a draw). From the steps, not from the values, so that a loss falling
 * steadily through the window (a Keras progress bar's running mean, early training) has no spread:
 * its steps are alike. ~1 for such a curve; ~1.4-1.9 for the single-batch losses PyTorch's examples
 * print every 10 batches, where one batch at 3-4× the median is everyday noise. On a log scale because
 * losses vary by ratios, not by differences. Losses ≤ 0 have no logarithm: a window with fewer than
 * SPIKE_MIN_WINDOW positive ones counts as steady.
 */
export function windowSpread(window: readonly number[]): number {
  const logs = window.filter((x) => x > 0).map(Math.log);
  if (logs.length < SPIKE_MIN_WINDOW) return 1;
  const steps = logs.slice(1).map((x, i) => x - logs[i]!);
  const centre = median(steps)!;
  const deviations = steps.map((x) => Math.abs(x - centre));
  // the median deviation is 0 (but for rounding) when over half the steps are alike (losses printed to few digits, a pattern
  // that repeats): then the mean one, which the other steps still move
  const mad = median(deviations)!;
  const sd = mad > 1e-9 ? MAD_TO_SD * mad : MEAN_AD_TO_SD * deviations.reduce((sum, x) => sum + x, 0) / deviations.length;
  return Math.exp(sd / Math.SQRT2);
}

/**
 * A spike is a batch loss above factor × the median of the preceding window, widened by the
 * window's own spread (windowSpread): a batch that only varies as much as the batches before it
 * did is not a spike. The median (not the mean) keeps one spike from hiding the next one. Batches
 * above factor × the median that the spread covers come back as `noisy`.
 */
export function findSpikes(batches: BatchRecord[], options: AnalyzeOptions): { spikes: Spike[]; noisy: Spike[] } {
  const spikes: Spike[] = [];
  const noisy: Spike[] = [];
  const window: number[] = [];
  for (const b of batches) {
    if (!isNum(b.loss)) continue;
    if (window.length >= SPIKE_MIN_WINDOW) {
      const m = median(window);
      if (m !== null && m > 0 && b.loss > options.spike_factor * m) {
        const threshold = options.spike_factor * windowSpread(window);
        const spike: Spike = { epoch: b.epoch, batch: b.batch, loss: b.loss, ratio: b.loss / m, threshold };
        if (b.sample !== undefined && b.samples !== undefined) Object.assign(spike, { sample: b.sample, samples: b.samples });
        (spike.ratio > threshold ? spikes : noisy).push(spike);
      }
    }
    window.push(b.loss);
    if (window.length > options.spike_window) window.shift();
  }
  return { spikes, noisy };
}

/** The gaps between consecutive epochs' timestamps (none when the log has no timestamps). */
export function timestampGaps(rows: EpochRow[]): { epoch: number; gap: number }[] {
  const times = rows.map((r) => ({ epoch: r.epoch, t: r.time === null ? NaN : Date.parse(r.time) }));
  const gaps: { epoch: number; gap: number }[] = [];
  for (let i = 1; i < times.length; i++) {
    const gap = times[i]!.t - times[i - 1]!.t;
    if (Number.isFinite(gap)) gaps.push({ epoch: times[i]!.epoch, gap });
  }
  return gaps;
}

/**
 * `shipped`: the epochs' times are CloudWatch's event times of trainer text (when its lines were
 * shipped), whose span is `durationMs`; null for our events' own times, run_end's duration or no times.
 */
/**
 * `durationMs`: run_end's, else the span of the run's event times (`fromTimes`). A span of one instant (a run_start
 * alone, or every line shipped in one batch without printed durations) is no wall time: not known (null), not 0 ms.
 */
export function timingReading(rows: EpochRow[], durationMs: number | null, options: AnalyzeOptions, shipped = false, fromTimes = false): Analysis['timing'] {
  const durations = rows.map((r) => r.duration_ms).filter(isNum);
  const gaps = timestampGaps(rows);
  const times = shipped ? shippedTimes(rows, durations, gaps, durationMs) : null;
  // Without per-epoch durations, the median gap stands in for a typical epoch.
  const med = median(durations) ?? (times?.in_bursts ? null : median(gaps.map((g) => g.gap)));
  // times that came in bursts are not when the epochs ended: their gaps show no stall
  const stalls: Stall[] = med === null || med <= 0 || times?.in_bursts ? [] : gaps
    .filter((g) => g.gap > options.stall_factor * med)
    .map((g) => ({ epoch: g.epoch, gap_ms: g.gap, median_duration_ms: med }));
  return {
    total_ms: times?.total_from === 'epoch durations' ? sum(durations) : fromTimes && durationMs === 0 ? null : durationMs,
    median_epoch_ms: med,
    // a loop, not Math.min(...durations): spread arguments overflow the stack at ~120,000 epochs
    min_epoch_ms: durations.length ? durations.reduce((a, b) => Math.min(a, b)) : null,
    max_epoch_ms: durations.length ? durations.reduce((a, b) => Math.max(a, b)) : null,
    median_samples_per_second: median(rows.map((r) => r.samples_per_second).filter(isNum)),
    stalls,
    ...(times ? { shipped: times } : {}),
  };
}

/** Below this, two epochs' lines with no printed duration were shipped together, not printed apart. */
const BURST_MS = 100;

/** What trainer text's CloudWatch event times say (Analysis.timing.shipped); `durations`: the epochs' printed ones. */
function shippedTimes(rows: EpochRow[], durations: number[], gaps: { epoch: number; gap: number }[], spanMs: number | null): ShippedTimes {
  const durationOf = new Map(rows.map((r) => [r.epoch, r.duration_ms]));
  // all epochs' own durations add up to more than the lines' span: the span is not the training's
  const longer = spanMs !== null && durations.length === rows.length && rows.length > 0 && sum(durations) > spanMs;
  const burst = gaps.some((g) => {
    const d = durationOf.get(g.epoch);
    return isNum(d) ? g.gap < d / 2 : g.gap < BURST_MS;
  });
  return { span_ms: spanMs, in_bursts: longer || burst, total_from: longer ? 'epoch durations' : 'event times' };
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
