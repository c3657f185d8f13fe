// One named function per gate kind: the only place a gate's sentence is worded
// (tests assert against these functions). Inputs are analysis values.

import type { RunOutcome } from '../analyze/types.js';
import type { GateMetric, GateOp } from '../analyze/gates-rules.js';
import type { GateResult } from '../analyze/gates.js';
import { fmtEpochs, fmtList, fmtLoss, fmtNonFinite, fmtPct, fmtPp } from '../analyze/format.js';
import type { DeltaRow } from '../analyze/baseline.js';

const METRIC_NAMES: Record<GateMetric, string> = {
  val_accuracy: 'Final validation accuracy',
  accuracy: 'Final training accuracy',
  val_loss: 'Final validation loss',
  loss: 'Final training loss',
  gap: 'Final accuracy gap (validation − training)',
  loss_gap: 'Final loss gap (validation − train)',
  test_accuracy: 'Test accuracy',
  test_loss: 'Test loss',
  min_recall: 'Lowest per-class recall of the evaluation',
  ece: 'Expected calibration error of the evaluation',
};

const OP_WORDS: Record<GateOp, string> = { '<': 'below', '<=': 'at or below', '>': 'above', '>=': 'at or above' };

/** Accuracies and the accuracy gap read as percent; losses as raw numbers. */
export function fmtGateValue(metric: GateMetric, x: number | null): string {
  if (metric === 'gap') return fmtPp(x === null ? null : x / 100);
  return metric === 'val_accuracy' || metric === 'accuracy' || metric === 'test_accuracy' || metric === 'min_recall' || metric === 'ece' ? fmtPct(x) : fmtLoss(x);
}

export function thresholdGate(metric: GateMetric, op: GateOp, threshold: number, value: number | null, failed: boolean): string {
  const name = METRIC_NAMES[metric];
  const limit = fmtGateValue(metric, threshold);
  if (value === null) return `${name} is missing (not logged, or NaN/Infinity), so the gate cannot pass.`;
  const v = fmtGateValue(metric, value);
  return failed ? `${name} ${v} is ${OP_WORDS[op]} ${limit}.` : `${name} ${v} is not ${OP_WORDS[op]} ${limit}.`;
}

export function nanGate(bad: { epoch: number; metrics: string[] }[]): string {
  if (!bad.length) return 'Every epoch metric is finite.';
  return `Non-finite metrics (NaN or Infinity) in ${fmtNonFinite(bad)}.`;
}

export function overfittingGate(onset: number | null, patience: number, epochsSeen: number): string {
  if (onset !== null) {
    return `Overfitting began at epoch ${onset}: validation loss rose for ${patience} epochs in a row while training loss fell.`;
  }
  if (epochsSeen <= patience) {
    return `No overfitting seen, but ${epochsSeen} ${epochsSeen === 1 ? 'epoch is' : 'epochs are'} too few to see ${patience} consecutive validation-loss rises.`;
  }
  return `No overfitting: validation loss never rose for ${patience} epochs in a row while training loss fell.`;
}

export function incompleteGate(outcome: RunOutcome, lastEpoch: number | null, planned: number | null): string {
  if (outcome === 'completed') return 'The run completed.';
  if (outcome === 'stopped early') return 'The trainer stopped the run early on purpose (EarlyStopping).';
  const at = lastEpoch === null ? 'before its first epoch' : `after ${fmtEpochs([lastEpoch])}${planned === null ? '' : ` of ${planned}`}`;
  if (outcome === 'end unknown') return `The log does not say whether the run completed: it ends ${at} and prints no planned epoch count or end marker.`;
  return outcome === 'no epochs' ? 'The run logged no epochs.' : `The run did not complete: ${outcome} ${at}.`;
}

/** The verdict's reason is stated once, at the top of the report; the gate refers to it. */
export function verdictGate(level: string): string {
  return `The verdict is ${level} (its reason is at the top of the report).`;
}

export function regressionGate(baselineRunId: string | null, row: DeltaRow | null, worse: boolean): string {
  if (baselineRunId === null) return 'No --baseline was given, so a regression cannot be ruled out and the gate cannot pass.';
  if (!row || row.significant === null) return `Validation accuracy or the validation size is missing on one side of the comparison with ${baselineRunId}, so the gate cannot pass.`;
  const iv = row.interval ? ` (interval of the difference ${fmtPp(row.interval.low)} to ${fmtPp(row.interval.high)})` : '';
  return worse ? `Validation accuracy is significantly lower than baseline run ${baselineRunId}: ${row.shown.delta}${iv}.`
    : `Validation accuracy is not significantly lower than baseline run ${baselineRunId}: ${row.shown.delta}${iv}.`;
}

/** The sentence above the gate table. */
export function gatesSummary(results: GateResult[]): string {
  const failed = results.filter((g) => g.status === 'fail');
  if (!results.length) return 'No quality gates were set.';
  if (!failed.length) return results.length === 1 ? 'The quality gate passed.' : `All ${results.length} quality gates passed.`;
  return `${failed.length} of ${results.length} quality ${results.length === 1 ? 'gate' : 'gates'} failed: ` +
    `${fmtList(failed.map((g) => g.rule))}. mnist-report exits with code 3.`;
}

/** The one line on stderr (and the GateFailure message) when gates fail. */
export function gatesFailed(failed: GateResult[], runId: string): string {
  const list = failed.map((g) => (g.kind === 'threshold' ? `${g.rule} (was ${g.shown.value})` : `${g.rule} (${g.shown.value})`));
  return `${failed.length} quality ${failed.length === 1 ? 'gate' : 'gates'} failed for run ${runId}: ${list.join(', ')}`;
}
