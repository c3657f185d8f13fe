// The least data each check needs before it can fail or warn at all. Below it a check cannot
// fail, so it is info (saying how much it needs and how much the log has), never a pass: one
// epoch has no rise, no divergence and no best-but-not-final epoch to find. Pure.

import type { AnalyzeOptions, Check, EpochRow } from './types.js';
import type { BatchRecord } from '../types.js';
import { isNum } from './stats.js';
import { SPIKE_MIN_WINDOW } from './stability.js';
import { CONVERGENCE_MIN_EPOCHS, trendEpochs } from './convergence.js';

export type TooFew = NonNullable<Check['too_few']>;

const count = (rows: readonly EpochRow[], ok: (r: EpochRow) => boolean): number => rows.filter(ok).length;

/** The longest run of consecutive epochs in the log with a finite value of `metric`. */
function longestRun(rows: readonly EpochRow[], metric: 'loss' | 'val_loss'): number {
  let best = 0;
  let now = 0;
  for (const r of rows) {
    now = isNum(r[metric]) ? now + 1 : 0;
    best = Math.max(best, now);
  }
  return best;
}

/** Null when `has` reaches `needs`: the check can judge. */
const short = (needs: number, has: number): TooFew | null => (has < needs ? { needs, has } : null);

/** Divergence compares the final training loss with the first epoch's: two epochs with a finite training loss. */
export function divergenceTooFew(rows: readonly EpochRow[]): TooFew | null {
  return short(2, count(rows, (r) => isNum(r.loss)));
}

/** Overfitting is `patience` rises of validation loss, each against the epoch before: patience + 1 epochs with both losses. */
export function overfittingTooFew(rows: readonly EpochRow[], patience: number): TooFew | null {
  return short(patience + 1, count(rows, (r) => isNum(r.loss) && isNum(r.val_loss)));
}

/** Best vs final needs a best epoch that can differ from the final one: two epochs with a finite validation loss. */
export function bestVsFinalTooFew(rows: readonly EpochRow[]): TooFew | null {
  return short(2, count(rows, (r) => isNum(r.val_loss)));
}

/** A loss rise is an epoch against the one before it in the log: two consecutive epochs with a finite loss. */
export function lossRisesTooFew(rows: readonly EpochRow[]): TooFew | null {
  return short(2, Math.max(longestRun(rows, 'loss'), longestRun(rows, 'val_loss')));
}

/** Convergence is a trend fitted over the last epochs of its loss: CONVERGENCE_MIN_EPOCHS of them. */
export function convergenceTooFew(rows: readonly EpochRow[], metric: 'val_loss' | 'loss'): TooFew | null {
  return short(CONVERGENCE_MIN_EPOCHS, trendEpochs(rows, metric));
}

/**
 * A stall is a gap above factor × the median epoch (of the durations, or without them of the gaps).
 * The gap of a stalled epoch holds its stall, and so does the value it adds to the median: with two
 * values the gap is less than 2 × their median (with one, it is the median), so at a factor of 2 or
 * more the median needs 3 values before a stall can stand out of it.
 */
export function stallsTooFew(rows: readonly EpochRow[], o: Pick<AnalyzeOptions, 'stall_factor'>, gaps: number): TooFew | null {
  const durations = count(rows, (r) => isNum(r.duration_ms));
  const needs = o.stall_factor >= 2 ? 3 : o.stall_factor >= 1 ? 2 : 1;
  return short(needs, durations || gaps);
}

/** A spike is a batch loss against the median of at least SPIKE_MIN_WINDOW batches before it. */
export function spikesTooFew(batches: readonly BatchRecord[]): TooFew | null {
  return short(SPIKE_MIN_WINDOW + 1, batches.filter((b) => isNum(b.loss)).length);
}
