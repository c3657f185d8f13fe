// Small numeric helpers for the checks. Pure.
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { median as ssMedian } from 'simple-statistics';

export function isNum(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** x when it is a finite number, else null (missing, NaN, Infinity). */
export function finiteOrNull(x: number | null | undefined): number | null {
  return isNum(x) ? x : null;
}

/** The median of the finite values (simple-statistics', as the history band uses), or null when there are none. */
export function median(xs: number[]): number | null {
  const v = xs.filter(isNum);
  return v.length ? ssMedian(v) : null;
}

/**
 * Equal up to floating-point noise: a value computed from the log (0.964 − 0.984 is
 * −0.020000000000000018) against a threshold written as a round number (0.02) is at the
 * threshold, not beyond it. Checks and gates both compare through this, so they agree.
 */
export function nearlyEqual(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * The decimals a number read from a log shows, from its shortest round-trip form: 0.0198 → 4, 0.02 → 2,
 * 1.2345e-7 → 11. A log printed its values with a fixed number of decimals (or significant digits), so
 * the most any of a series' values shows is the precision it was printed with (0.0200 reads as 0.02);
 * a float written in full (JSON events, CSV loggers) shows 16 or more, a rounding too small to matter.
 */
export function printedDecimals(x: number): number {
  const [mantissa = '', exponent = '0'] = String(Math.abs(x)).split('e');
  return Math.max(0, (mantissa.split('.')[1]?.length ?? 0) - Number(exponent));
}

/** (before − after) / before: positive when the value fell (improved, for a loss). */
export function relImprovement(before: number | null, after: number | null): number | null {
  if (!isNum(before) || !isNum(after) || before === 0) return null;
  return (before - after) / Math.abs(before);
}

/**
 * Wilson score interval for a binomial proportion. Unlike the normal
 * approximation it stays inside [0, 1] and behaves near 100% accuracy,
 * which is where MNIST lives.
 */
export function wilson(p: number, n: number, z: number): { low: number; high: number } {
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // at p = 0 or 1 the bound is exactly 0 or 1 (centre and half-width cancel, but not in floating point)
  return { low: p === 0 ? 0 : Math.max(0, centre - half), high: p === 1 ? 1 : Math.min(1, centre + half) };
}

/** The two-sided z of a confidence level: 0.95 → 1.959964 (the normal quantile at 1 − (1 − level) / 2). */
export function zOf(level: number): number {
  return normalQuantile(1 - (1 - level) / 2, 0, 1);
}
