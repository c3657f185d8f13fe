// Convergence: the trend of the loss over the last epochs, not one pair of them. A line is fitted
// through ln(loss) against the epoch over the last CONVERGENCE_WINDOW epochs (least squares), so the
// rate per epoch is compound (1 − e^slope) and spans epochs missing from the log. A log prints its
// losses rounded (PyTorch's example to 4 decimals: 0.0200 → 0.0198 may be 0.5% or 1.5%), so the rate
// is also given as the range its printed digits allow, and only a rate above the threshold across
// that whole range is "still improving". Pure.

import { linearRegression, mean } from 'simple-statistics';
import type { Analysis, EpochRow, LossTrend } from './types.js';
import { isNum, nearlyEqual, printedDecimals, relImprovement } from './stats.js';
import { logged } from './metrics.js';

/** The most epochs the trend is fitted over: recent enough to be the run's end, enough for one epoch's noise to average out. */
export const CONVERGENCE_WINDOW = 5;
/** The fewest: two epochs are one step, which a single noisy epoch decides. */
export const CONVERGENCE_MIN_EPOCHS = 3;

/** The loss the trend is read on: validation loss, else training loss (a log without validation data); null with neither. */
export function convergenceMetric(rows: readonly EpochRow[]): 'val_loss' | 'loss' | null {
  return logged(rows, 'val_loss') ? 'val_loss' : logged(rows, 'loss') ? 'loss' : null;
}

/**
 * The fitted trend of `metric` over the last CONVERGENCE_WINDOW epochs with a finite, positive value; null
 * when fewer than CONVERGENCE_MIN_EPOCHS have one or the log's last epoch has none (a NaN is the
 * finite-metrics check's finding, not a rate). `low`/`high`: the rate with each value anywhere within half
 * a unit of its last printed decimal (the most any value in the window shows), the worst case for a least-
 * squares slope: Σ |wᵢ| × the largest shift of ln(yᵢ), wᵢ = (xᵢ − x̄) / Σ(xⱼ − x̄)².
 */
export function lossTrend(rows: readonly EpochRow[], metric: 'val_loss' | 'loss'): LossTrend | null {
  const last = rows[rows.length - 1];
  if (!last || !positive(last[metric])) return null;
  const points = rows.filter((r) => positive(r[metric])).slice(-CONVERGENCE_WINDOW).map((r) => [r.epoch, r[metric] as number] as const);
  if (points.length < CONVERGENCE_MIN_EPOCHS) return null;
  const decimals = Math.max(...points.map(([, y]) => printedDecimals(y)));
  const half = 0.5 * 10 ** -decimals;
  const xBar = mean(points.map(([x]) => x));
  const sxx = points.reduce((s, [x]) => s + (x - xBar) ** 2, 0);
  const slope = linearRegression(points.map(([x, y]) => [x, Math.log(y)])).m;
  // a positive value printed with d decimals is at least 10^-d, so y − half stays above 0
  const bound = points.reduce((s, [x, y]) => s + (Math.abs(x - xBar) / sxx) * (Math.log(y) - Math.log(y - half)), 0);
  const rate = (s: number): number => 1 - Math.exp(s);
  return { from: points[0]![0], to: points[points.length - 1]![0], epochs: points.length, rate: rate(slope), low: rate(slope + bound), high: rate(slope - bound), decimals };
}

/** The number of epochs with a finite, positive value of `metric`: what the trend has to fit. */
export function trendEpochs(rows: readonly EpochRow[], metric: 'val_loss' | 'loss'): number {
  return rows.filter((r) => positive(r[metric])).length;
}

/**
 * Improving: the rate is at or above the threshold wherever the printed digits put it (`low`); worsening:
 * the loss rose by at least the threshold an epoch wherever they put it (`high`); else a plateau, flat within
 * the threshold or within the log's precision. Worsening is a fact here, not a finding: the loss-rise,
 * best-vs-final and overfitting checks judge a rise. `val_loss_improvement`, `loss_improvement`, `from_epoch`
 * and `per_epoch` are the last epoch against the one before it in the log, as report.json has always had them.
 */
export function convergenceReading(rows: EpochRow[], threshold: number): Analysis['convergence'] {
  const last = rows[rows.length - 1];
  const prev = rows[rows.length - 2];
  const val = last && prev ? relImprovement(prev.val_loss, last.val_loss) : null;
  const loss = last && prev ? relImprovement(prev.loss, last.loss) : null;
  const apart = last && prev ? last.epoch - prev.epoch : 1;
  const perEpoch = val === null || apart <= 1 || val >= 1 ? val : 1 - Math.pow(1 - val, 1 / apart);
  const metric = convergenceMetric(rows);
  const trend = metric ? lossTrend(rows, metric) : null;
  // a rate at the threshold but for floating-point noise is at it, not below it
  const atLeast = (x: number, t: number): boolean => x >= t || nearlyEqual(x, t);
  const reading = trend === null ? 'unknown' : atLeast(trend.low, threshold) ? 'improving' : atLeast(-trend.high, threshold) ? 'worsening' : 'plateau';
  const lossTrendBeside = metric === 'val_loss' ? lossTrend(rows, 'loss') : null;
  return {
    val_loss_improvement: val, loss_improvement: loss, reading, from_epoch: prev?.epoch ?? null, per_epoch: perEpoch,
    metric, trend, loss_trend: lossTrendBeside, training_rose: trainingLossRose(lossTrendBeside, threshold),
  };
}

/**
 * Whether the training loss rose by at least `threshold` an epoch over its last epochs wherever the printed
 * digits put it (`high`, as a worsening reading is judged): beside a flat validation loss it is no settled
 * minimum (fastai's one-cycle fit, say), so the convergence check does not call that plateau converged.
 */
function trainingLossRose(lt: LossTrend | null, threshold: number): boolean {
  return lt !== null && (-lt.high >= threshold || nearlyEqual(-lt.high, threshold));
}

function positive(x: number | null): x is number {
  return isNum(x) && x > 0;
}
