// The wording of the History section (--history) and of the gate below_history (tests assert against it).

import type { HistoryBand, HistoryComparison } from '../analyze/history.js';
import { BAND_SIGMAS, LOSS_TOLERANCE, MAD_TO_SIGMA, MIN_HISTORY_RUNS } from '../analyze/history.js';
import { fmtLevel, fmtLoss, fmtPct, fmtPp, fmtRel } from '../analyze/format.js';
import { plural } from './plural.js';

type Partial = Pick<HistoryComparison, 'requested' | 'key' | 'runs' | 'not_completed' | 'beyond_requested' | 'current' | 'bands' | 'position'>;

/** A history metric's value as the section, the gate and the chart print it: an accuracy as a percentage, a loss as a loss. */
export function fmtHistoryValue(metric: HistoryBand['metric'], x: number | null): string {
  return metric === 'val_accuracy' ? fmtPct(x) : fmtLoss(x);
}
const show = (b: Pick<HistoryBand, 'metric'>, x: number | null): string => fmtHistoryValue(b.metric, x);

/** "Final validation accuracy 97.01% is below the band of the previous 20 runs": the summary, the gate and the verdict start alike. */
const placed = (b: HistoryBand): string => `Final validation accuracy ${fmtPct(b.value)} is ${b.position} the band of the previous ${b.n} runs`;

/** "model mlp in log streams ecs/mnist-training/…": no brackets, as the sentences go on with their own. */
export function historyOf(key: HistoryComparison['key']): string {
  return `model ${key.model ?? 'unknown'}${key.job !== null ? ` in log streams ${key.job}/…` : ''}`;
}

/** The summary over the table of the earlier runs: "The 1 run compared (model mlp), oldest first". */
export function runsCompared(n: number, key: HistoryComparison['key']): string {
  return `The ${plural(n, 'run', 'runs')} compared (${historyOf(key)}), oldest first`;
}

/** The band as a table cell and in the sentence: "97.40% to 97.90% (median 97.65%)". */
export function bandRange(b: HistoryBand): string {
  return bandWithMedian(b, true);
}

/** The band inside a sentence that is itself in brackets or followed by one: "97.40% to 97.90% with median 97.65%". */
function bandWithMedian(b: HistoryBand, bracketed = false): string {
  const median = show(b, b.median);
  return `${show(b, b.low)} to ${show(b, b.high)} ${bracketed ? `(median ${median})` : `with median ${median}`}`;
}

/**
 * The band's spread about its median, "3 × 1.4826 × MAD": the section, the gate and the chart's subtitle say it alike.
 * A function, not a constant: history.ts imports this module, so its constants are not set yet when this one loads.
 */
export function bandSpread(): string {
  return `${BAND_SIGMAS} × ${MAD_TO_SIGMA} × MAD`;
}

/** Both bands' rule in full (the chart's alt, --history's help); a function for the same reason as bandSpread. */
export function bandRule(): string {
  return `median ± ${bandSpread()}, the accuracy band widened by this run's sampling noise (half its interval's width), ` +
    `the loss band by ${fmtRel(LOSS_TOLERANCE)} of its median (a loss has no sampling-noise estimate)`;
}

/** One band's rule with its numbers: the accuracy band's noise in points, or why it has none. */
function bandRuleOf(b: HistoryBand): string {
  const mad = bandSpread();
  if (b.metric !== 'val_accuracy') {
    return b.tolerance === null ? `median ± ${mad}` : `median ± (${mad} + ${fmtRel(b.tolerance)} of the median, as a loss has no sampling-noise estimate)`;
  }
  return b.noise === null
    ? `median ± ${mad} (the validation size is not in the log, so the band is not widened by this run's sampling noise)`
    : `median ± (${mad} + ${fmtPp(b.noise.half).slice(1)} of sampling noise, half this run's ${fmtLevel(b.noise.level)} interval)`;
}

/** The one sentence: where this run lies against the previous runs. */
export function historySummary(h: Partial): string {
  if (h.key.model === null) return 'The log does not name this run\'s model, so there is no history of the same model to compare it with.';
  const skipped = h.not_completed ? ` (${plural(h.not_completed, 'more did not complete and is', 'more did not complete and are')} left out)` : '';
  const acc = h.bands.val_accuracy;
  if (acc === null) {
    const n = h.runs.filter((r) => r.val_accuracy !== null).length;
    if (h.beyond_requested > 0) {
      // the input has more: --history N asked for too few
      const all = h.runs.length + h.not_completed + h.beyond_requested;
      const accuracy = n < h.runs.length ? `, ${n} with a final validation accuracy` : '';
      return `--history ${h.requested} compares with ${plural(h.runs.length, 'earlier completed run', 'earlier completed runs')} of ${historyOf(h.key)}${accuracy}${skipped}; ` +
        `a band needs at least ${MIN_HISTORY_RUNS} (the input has ${plural(all, 'earlier run', 'earlier runs')} of that model: give --history ${h.requested + MIN_HISTORY_RUNS - n} or more), ` +
        'so this run is not compared with its history.';
    }
    const only = n === 0 ? 'No earlier completed run' : `Only ${n} earlier completed ${n === 1 ? 'run' : 'runs'}`;
    return `${only} of ${historyOf(h.key)} with a final validation accuracy ${n > 1 ? 'are' : 'is'} in the input${skipped}; ` +
      `a band needs at least ${MIN_HISTORY_RUNS}, so this run is not compared with its history.`;
  }
  if (acc.value === null) return `This run logged no final validation accuracy to place against the band of the previous ${acc.n} runs of ${historyOf(h.key)}.`;
  const loss = h.bands.val_loss;
  const lossPart = loss && loss.value !== null && loss.position !== null
    ? `; validation loss ${fmtLoss(loss.value)} is ${loss.position} its band, ${bandRange(loss)}, ${bandRuleOf(loss)}` : '';
  return `${placed(acc)} of ${historyOf(h.key)}${skipped}, ` +
    `${bandRange(acc)}, ${bandRuleOf(acc)}${lossPart}.`;
}

/** The History gate's finding. */
export function belowHistoryGate(h: HistoryComparison | undefined): string {
  if (!h) return 'No --history was given, so the run cannot be compared with its history and the gate cannot pass.';
  // like a metric the log lacks: no model, no history of it, so the gate cannot pass (fewer earlier runs of a named model can)
  if (h.key.model === null) return `${h.summary} The gate cannot pass: without a model to match earlier runs by, this run's history cannot be judged.`;
  const b = h.bands.val_accuracy;
  if (b === null) return `${h.summary} The gate passes: there is no band to be below.`;
  if (b.position === null) return `${h.summary} The gate fails: there is no final validation accuracy (not logged, or NaN/Infinity) to place against the band.`;
  // no brackets: the verdict adds its own "(and 1 more finding, …)" after this sentence
  return `${placed(b)}, ${bandWithMedian(b)}.`;
}

// The History section's table cells (render/history-view.ts lays them out).

/** The band table's metric names. */
export const HISTORY_METRIC_NAMES: Record<HistoryBand['metric'], string> = {
  val_accuracy: 'Final validation accuracy',
  val_loss: 'Final validation loss',
};

/** A setting equal to this run's, in the settings-changed table. */
export const SAME_SETTING = 'same';

export { NOT_KNOWN_SETTING } from './baseline.js';

/** The settings table's caption: a setting one log does not say has not changed as far as the logs show, but is not known to be the same. */
export const SETTINGS_CHANGED = "Configuration and backend that changed, or that one run's log does not say";

/**
 * Where no setting differs: "Configuration and backend the logs give are the same as the previous run's and the best run's (learning
 * rate, batch size)", or, when neither log gives any, that whether they changed is not known. `same`: the settings both logs give, alike.
 */
export function settingsSameLine(same: readonly string[], best: boolean): string {
  const against = best ? "the previous run's and the best run's" : "the previous run's";
  if (!same.length) return `The logs do not say this run's or ${best ? 'the earlier runs\'' : 'the previous run\'s'} configuration or backend, so whether they changed is not known.`;
  return `Configuration and backend are the same as ${against} (${same.join(', ')}).`;
}

/** The settings-changed table's column head for an earlier run ("Previous run hist-07"). */
export function changesColumn(against: 'previous' | 'best', previousIsBest: boolean, runId: string): string {
  return `${against === 'best' ? 'Best run' : previousIsBest ? 'Previous and best run' : 'Previous run'} ${runId}`;
}

export const THIS_RUN_COLUMN = 'This run';
