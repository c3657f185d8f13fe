// Number formatting shared by the check messages and the templates, so that a
// number reads the same in every sentence, table and chart of one report.
// Fixed rules (no locale): losses 4 decimals, accuracies as percent with 2.
// Fractions (accuracy 0.9768) only ever print as percent, never as 0.9768 beside
// a "97.68%": fmtPct and fmtPp take fractions, and nothing else takes accuracies.

import type { EpochRange } from '../types.js';
import { nearlyEqual } from './stats.js';

/**
 * Below this, 4 decimals would lose the value (a loss of 4.2216e-05 would print as
 * 0.0000): such values print with 4 significant digits instead, as Keras does.
 */
const SMALL = 1e-3;

/** x with `decimals` decimals, or with 4 significant digits when it is that small: 0.0749, 4.222e-5. */
function fixedOrSignificant(x: number, decimals: number): string {
  if (x === 0 || Math.abs(x) >= SMALL) return x.toFixed(decimals);
  const significant = Number(x.toPrecision(4));
  // the fixed decimals when they lose nothing of it: −0.0005 beside −0.0090 in a column, not −5e-4
  return Number(x.toFixed(decimals)) === significant ? x.toFixed(decimals) : significant.toExponential();
}

/** A loss or other raw metric: 0.0749, or 4.222e-5 for a small one. null → "n/a". */
export function fmtLoss(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : fixedOrSignificant(x, 4);
}

/** A fraction as percent: 0.97683 → "97.68%". */
export function fmtPct(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : `${(x * 100).toFixed(digits)}%`;
}

/** A difference of two fractions in percentage points, signed: 0.0009 → "+0.09 pp". */
export function fmtPp(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  const v = x * 100;
  return `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(2)} pp`;
}

/** A confidence level as people write it: 0.95 → "95%", 0.999 → "99.9%" (every level in the report prints this way). */
export function fmtLevel(level: number): string {
  return `${Number((level * 100).toFixed(2))}%`;
}

/** A relative change as percent with one decimal: 0.0342 → "3.4%". */
export function fmtRel(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : `${(x * 100).toFixed(1)}%`;
}

/**
 * x and `against` with `digits` decimals, or with as many more as it takes for them not to read the same
 * when they are not (nearlyEqual): 3.70 and 3.71, not 3.7 and 3.7.
 */
export function fixedApart(x: number, against: number, digits: number): [string, string] {
  for (let d = digits; d < 12; d++) {
    const [a, b] = [x.toFixed(d), against.toFixed(d)];
    if (a !== b || nearlyEqual(x, against)) return [a, b];
  }
  return [String(x), String(against)];
}

/** The fewest decimals, `digits` or more, that write x as itself (up to relative 1e-9); null when 20 do not. */
function exactDecimals(x: number, digits: number): number | null {
  for (let d = digits; d <= 20; d++) if (Math.abs(Number(x.toFixed(d)) - x) <= 1e-9 * Math.abs(x)) return d;
  return null;
}

/**
 * x and the threshold it is judged against, in the unit they print in, each as `fmt` writes it (the bare
 * number, "0.33", "4.222e-5"), unless that misreads: the threshold not as given ("0.00" for 0.001), or the two
 * the same or the wrong way round while they are not nearlyEqual. Then both with the threshold's own decimals
 * (`digits` at least) and as many more as tell them apart (fixedApart): "0.330" against "0.001", never "0.33"
 * against "0.00". Rounding both to one number of decimals keeps their order, so the pair never reads as the
 * opposite of the comparison. x null: the threshold alone.
 */
export function fixedBeside(x: number | null, threshold: number, digits: number, fmt: (x: number) => string): [string | null, string] {
  const [shownX, shownT] = [x === null ? null : fmt(x), fmt(threshold)];
  const asGiven = Math.abs(Number(shownT) - threshold) <= 1e-9 * Math.abs(threshold);
  const order = x === null ? 0 : nearlyEqual(x, threshold) ? 0 : Math.sign(x - threshold);
  if (asGiven && (shownX === null || Math.sign(Number(shownX) - Number(shownT)) === order)) return [shownX, shownT];
  const d = exactDecimals(threshold, digits);
  const full = (n: number): string => String(Number(n.toPrecision(15))); // past 20 decimals (a threshold of 1e-25)
  if (d === null) return [x === null ? null : full(x), full(threshold)];
  return x === null ? [null, threshold.toFixed(d)] : fixedApart(x, threshold, d);
}

/**
 * x as fmtRel writes it, with more decimals when it would read as `against` while it is not: 0.996%
 * against 1.0% is "0.996%", never "1.0%" ("improved by 1.0%, below 1.0%").
 */
export function fmtRelApart(x: number | null | undefined, against: number): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return fmtRel(x);
  return `${fixedApart(x * 100, against * 100, 1)[0]}%`;
}

/** A signed difference of raw values: +0.0012 / −0.0012 / +4.2e-5. */
export function fmtSigned(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  return `${x >= 0 ? '+' : '−'}${fixedOrSignificant(Math.abs(x), 4)}`;
}

/** A ratio: 0.2544 → "0.25×", 1.5 → "1.50×". */
export function fmtRatio(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : `${fixedOrSignificant(x, 2)}×`;
}

/** An integer with thousands separators: 10000 → "10,000" (fixed, locale-free). */
export function fmtInt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  return Math.round(x).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A duration: 950 → "950 ms", 12345 → "12.3 s", 185000 → "3 min 5 s". */
export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return 'n/a';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalS = Math.round(ms / 1000);
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  return h > 0 ? `${h} h ${m} min` : `${m} min ${s} s`;
}

/** A list of epoch numbers: [2, 3, 5] → "2, 3 and 5". */
export function fmtList(items: (number | string)[]): string {
  const xs = items.map(String);
  if (xs.length <= 1) return xs.join('');
  return `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

/** Epochs with non-finite metrics: "epoch 3 (loss, val_loss) and epoch 5 (loss)". */
export function fmtNonFinite(bad: { epoch: number; metrics: string[] }[]): string {
  return fmtList(bad.map((b) => `epoch ${b.epoch} (${b.metrics.join(', ')})`));
}

/** How many epochs the ranges hold. */
export function rangesCount(ranges: readonly EpochRange[]): number {
  return ranges.reduce((n, r) => n + r.last - r.first + 1, 0);
}

const fmtRange = (r: EpochRange): string => (r.first === r.last ? `${r.first}` : `${r.first}–${r.last}`);

/** "2–4, 7" (en dash), for the data-quality list. */
export function fmtRangeList(ranges: readonly EpochRange[]): string {
  return ranges.map(fmtRange).join(', ');
}

/** "epoch 3" / "epochs 2–4 and 7". */
export function fmtEpochRanges(ranges: readonly EpochRange[]): string {
  return `${rangesCount(ranges) === 1 ? 'epoch' : 'epochs'} ${fmtList(ranges.map(fmtRange))}`;
}

/** Lists of epochs longer than this many items (runs of 3 or more consecutive epochs as one) are cut in the middle. */
const MAX_EPOCH_ITEMS = 8;

/**
 * "epoch 3" / "epochs 2 and 3" / "epochs 1–5 and 8" (3 or more consecutive epochs as a range); a long list is
 * counted and cut in the middle: "497 epochs (2, 6, 8, 11, 13–16, …, 995 and 1000)" (a 1,000-epoch run's verdict
 * listed every one of 497 epochs).
 */
export function fmtEpochs(epochs: number[]): string {
  const items: string[] = [];
  for (let i = 0; i < epochs.length;) {
    let j = i;
    while (j + 1 < epochs.length && epochs[j + 1] === epochs[j]! + 1) j++;
    if (j - i >= 2) items.push(`${epochs[i]}–${epochs[j]}`);
    else for (let k = i; k <= j; k++) items.push(String(epochs[k]));
    i = j + 1;
  }
  if (items.length <= MAX_EPOCH_ITEMS) return `${epochs.length === 1 ? 'epoch' : 'epochs'} ${fmtList(items)}`;
  return `${fmtInt(epochs.length)} epochs (${items.slice(0, 5).join(', ')}, …, ${fmtList(items.slice(-2))})`;
}
