// Evaluate quality gates against an Analysis. Pure: a failed gate is data
// ({rule, status, value, threshold, message}); the CLI turns any failure into
// exit code 3 after the report is written.
//
// Definitions (also in --help and the README):
//   gap       final validation accuracy − final training accuracy, in percentage
//             points (negative when training is ahead: the overfitting direction),
//             the one gap convention of the report's table, chart and checks
//   loss_gap  final validation loss − final training loss
//   nan       any epoch metric was NaN or Infinity (a log with no epochs cannot pass: not judged)
//   overfitting  the overfitting check found an onset epoch
//   incomplete   the run's outcome is anything but completed (or stopped early on purpose)
//   failed       the verdict is failed (the report CLI applies this one by default)
//   attention    the verdict is anything but healthy
//   regression   validation accuracy is significantly below the --baseline run's
//   below_history  final validation accuracy is below the band of the previous runs (--history)

import { finishedNormally, type Analysis } from './types.js';
import type { GateMetric, GateRule } from './gates-rules.js';
import * as msg from '../wording/gates.js';
import { finiteOrNull, isNum, nearlyEqual } from './stats.js';
import { baselineRow, significantDrop } from './baseline.js';
import { batchLossLogged, logged, missingLoss } from './metrics.js';
import { overfittingTooFew } from './checks-least.js';
import { belowHistoryGate } from '../wording/history.js';
import { nothingToJudge, nothingToJudgeExit } from './analyze.js';

export interface GateResult {
  rule: string;
  kind: GateRule['kind'];
  /** Where the rule came from: "--fail-on" or "FILE:LINE". */
  origin: string;
  status: 'pass' | 'fail';
  value: number | string | null;
  threshold: number | string | null;
  /** Value and threshold as the report prints them (97.68%, 0.0712, completed). */
  shown: { value: string; threshold: string };
  message: string;
}

/**
 * Where a test gate read its number when the log has no test metrics of its own kind (run_end's, a
 * printed test line): its final evaluation, or the final epoch's evaluation that the log names the
 * test set (`name`: "Test set"), which is also its validation.
 */
export type TestSource = { kind: 'evaluation' } | { kind: 'named_validation'; name: string; epoch: number; key?: boolean };

/** What report.json and the gate table hold. */
export interface GateReport {
  results: GateResult[];
  passed: number;
  failed: number;
  /** One sentence for the top of the report. */
  summary: string;
}

/** What the gates know beyond the analysis: `baselineIsThisRun`, the reported run is the --baseline run itself. */
export interface GateContext {
  baselineIsThisRun?: boolean;
}

export function evaluateGates(a: Analysis, rules: GateRule[], ctx: GateContext = {}): GateReport {
  const results = rules.map((r) => (r.kind === 'threshold' ? threshold(a, r) : flag(a, r, ctx)));
  const failed = results.filter((r) => r.status === 'fail').length;
  return { results, passed: results.length - failed, failed, summary: msg.gatesSummary(results, nothingToJudge(a) ? nothingToJudgeExit(a) : null) };
}

function threshold(a: Analysis, r: Extract<GateRule, { kind: 'threshold' }>): GateResult {
  const from = r.metric === 'test_accuracy' || r.metric === 'test_loss' ? testSource(a, r.metric) : null;
  const value = metricValue(a, r.metric, from);
  const failed = value === null || compare(value, r.op, r.threshold);
  const shown = msg.fmtGatePair(r.metric, value, r.threshold);
  // a test gate on a log with no test result at all (an evaluation it does not say is of test data is none): not judged
  const noTest = from === null && !a.test && (r.metric === 'test_accuracy' || r.metric === 'test_loss') && !a.generalization.validation_named;
  return {
    rule: r.rule, kind: r.kind, origin: r.origin, status: failed ? 'fail' : 'pass', value, threshold: r.threshold,
    shown: { value: noTest ? msg.NOT_JUDGED : shown.value, threshold: `${r.op} ${shown.threshold}` },
    message: noTest ? msg.testGateUnjudged(r.metric, a.evaluation ? a.evaluation.set : undefined) : msg.thresholdGate(r.metric, r.op, r.threshold, value, failed, from),
  };
}

function flag(a: Analysis, r: Extract<GateRule, { kind: 'flag' }>, ctx: GateContext): GateResult {
  const base = { rule: r.rule, kind: r.kind, origin: r.origin };
  switch (r.flag) {
    case 'nan': {
      const bad = a.stability.non_finite;
      // no epoch metric at all (an evaluation alone, or nothing): no NaN was seen because none could be, so the gate cannot pass
      const unjudged = !a.epochs.length;
      return { ...base, status: bad.length || unjudged ? 'fail' : 'pass', value: unjudged ? null : bad.length, threshold: 0,
        shown: { value: msg.FLAG_SHOWN.nan.value(bad.length, unjudged), threshold: msg.FLAG_SHOWN.nan.threshold },
        message: unjudged ? msg.nanGateUnjudged(!!a.evaluation) : msg.nanGate(bad) };
    }
    case 'overfitting': {
      const onset = a.overfitting.onset_epoch;
      // without a validation (or training) loss no onset can be seen: like a metric the log lacks, the gate cannot pass
      const missing = missingLoss(a.epochs);
      // nor with fewer epochs than an onset takes (the check is info then: checks-least.ts): a 1-epoch run passed
      const few = onset === null && missing === null ? overfittingTooFew(a.epochs, a.overfitting.patience) : null;
      const unjudged = missing !== null || few !== null;
      return {
        ...base, status: onset === null && !unjudged ? 'pass' : 'fail', value: onset, threshold: null,
        shown: { value: msg.FLAG_SHOWN.overfitting.value(onset, unjudged), threshold: msg.FLAG_SHOWN.overfitting.threshold },
        message: missing !== null ? msg.overfittingGateUnjudged(missing, batchLossLogged(a.batches))
          : few !== null ? msg.overfittingGateTooFew(few, a.overfitting.patience)
          : msg.overfittingGate(onset, a.overfitting.stop_epoch, a.overfitting.kept_epoch, a.overfitting.patience,
            a.best?.epoch ?? null, a.overfitting.recovered),
      };
    }
    case 'failed':
    case 'attention': {
      const v = a.verdict;
      const failed = r.flag === 'failed' ? v.level === 'failed' : v.level !== 'healthy';
      return { ...base, status: failed ? 'fail' : 'pass', value: v.level, threshold: r.flag === 'failed' ? 'failed' : 'not healthy',
        shown: { value: v.level, threshold: msg.FLAG_SHOWN[r.flag].threshold }, message: msg.verdictGate(v.level) };
    }
    case 'regression': {
      // --run all --baseline X reports X too: it is what the others are compared with, not a run that regressed
      if (ctx.baselineIsThisRun) {
        return { ...base, status: 'pass', value: null, threshold: 0,
          shown: { value: msg.FLAG_SHOWN.regression.isBaseline, threshold: msg.FLAG_SHOWN.regression.threshold },
          message: msg.REGRESSION_GATE_IS_BASELINE };
      }
      const row = baselineRow(a.baseline, 'val_accuracy');
      const worse = significantDrop(a.baseline) !== null;
      // untested (no validation size on a side) but not lower: a difference at or above 0 cannot be a regression
      const notLower = row !== undefined && row.significant === null && row.delta !== null && row.delta >= 0;
      const status = !a.baseline || !row || (row.significant === null && !notLower) || worse ? 'fail' : 'pass';
      return { ...base, status, value: row?.delta ?? null, threshold: 0,
        shown: { value: row ? row.shown.delta : msg.FLAG_SHOWN.regression.noBaseline, threshold: msg.FLAG_SHOWN.regression.threshold },
        message: msg.regressionGate(a.baseline?.baseline.run_id ?? null, row ?? null, worse, notLower) };
    }
    case 'below_history': {
      const h = a.history;
      const b = h?.bands.val_accuracy ?? null;
      // no band (too few earlier runs) is not "below"; no --history at all cannot pass, and neither can
      // a band with no final validation accuracy to place in it (a metric the log lacks fails its gate),
      // nor a run whose log names no model: it has no history to be judged against (not judged)
      const unjudged = !!h && h.key.model === null;
      const status = !h || unjudged || b?.position === 'below' || (b !== null && b.position === null) ? 'fail' : 'pass';
      return { ...base, status, value: b?.value ?? null, threshold: b?.low ?? null,
        shown: { value: msg.FLAG_SHOWN.below_history.value(b?.value ?? null, b !== null, !!h, unjudged), threshold: msg.FLAG_SHOWN.below_history.threshold(b?.low ?? null) },
        message: belowHistoryGate(h) };
    }
    case 'incomplete': {
      const outcome = a.run.outcome;
      const last = a.epochs[a.epochs.length - 1]?.epoch ?? null;
      return {
        ...base, status: finishedNormally(outcome) ? 'pass' : 'fail', value: outcome, threshold: 'completed',
        shown: { value: outcome, threshold: msg.FLAG_SHOWN.incomplete.threshold },
        message: msg.incompleteGate(outcome, last, a.run.epochs_planned, a.run.error, a.run.has_end_event ?? true, a.run.format),
      };
    }
  }
}

/** The number a threshold rule tests; null when it was not logged or not finite. `from`: where a test metric is read (testSource). */
function metricValue(a: Analysis, m: GateMetric, from: TestSource | null): number | null {
  const f = a.final;
  const diff = (x: number | null | undefined, y: number | null | undefined): number | null =>
    isNum(x) && isNum(y) ? x - y : null;
  switch (m) {
    case 'val_accuracy': return finiteOrNull(f?.val_accuracy);
    case 'accuracy': return finiteOrNull(f?.accuracy);
    case 'val_loss': return finiteOrNull(f?.val_loss);
    case 'loss': return finiteOrNull(f?.loss);
    case 'gap': { const d = diff(f?.val_accuracy, f?.accuracy); return d === null ? null : d * 100; }
    case 'loss_gap': return diff(f?.val_loss, f?.loss);
    case 'test_accuracy': return finiteOrNull(from?.kind === 'evaluation' ? a.evaluation?.accuracy : from?.kind === 'named_validation' ? f?.val_accuracy : a.test?.accuracy);
    case 'test_loss': return finiteOrNull(from?.kind === 'evaluation' ? a.evaluation?.loss : from?.kind === 'named_validation' ? f?.val_loss : a.test?.loss);
    case 'min_recall': return finiteOrNull(a.evaluation?.min_recall);
    case 'ece': return finiteOrNull(a.evaluation?.calibration?.ece);
  }
}

/**
 * Where the test gates read: run_end's test metrics or a printed test line (null: a.test, also when
 * there is none); else the log's final evaluation (a log of scikit-learn's evaluation alone has its
 * test accuracy there; not a validation-set evaluation, which is no test); else, in a log whose every
 * per-epoch evaluation names the test set (PyTorch's "Test set:" lines, a JSON logger's test_*), the
 * final epoch's: the log's own test metrics of the final model, as mnist-train's run_end metrics are of
 * the test set it also validated on by default. The validation-on-the-test-set caveat stands beside
 * the verdict either way; the gate's finding says the number is also the validation's. A JSON logger
 * names each metric by its key: test_accuracy reads the one read from test_acc1 (or test_acc, …) and names
 * it, and a log whose accuracy is from no test_* key (test_loss alone) has no test accuracy there.
 */
function testSource(a: Analysis, metric: 'test_accuracy' | 'test_loss'): TestSource | null {
  if (a.test) return null;
  // an evaluation is a test result when the log says it is of test data; an evaluation alone (no training in the log,
  // scikit-learn's tables of a fitted model) is the log's one result of the model, whatever it names
  if (a.evaluation && (a.evaluation.set === 'test' || (a.evaluation.set === null && !a.epochs.length))) return { kind: 'evaluation' };
  const named = a.generalization.validation_named;
  if (!named || !a.final) return null;
  const keys = a.generalization.validation_named_keys;
  if (!keys) return { kind: 'named_validation', name: named, epoch: a.final.epoch };
  const key = keys[metric === 'test_accuracy' ? 'val_accuracy' : 'val_loss'];
  return key ? { kind: 'named_validation', name: key, key: true, epoch: a.final.epoch } : null;
}

/** The rule's comparison, a value within floating-point noise of the limit being at it (as the checks read it). */
function compare(value: number, op: '<' | '<=' | '>' | '>=', limit: number): boolean {
  const at = nearlyEqual(value, limit);
  switch (op) {
    case '<': return value < limit && !at;
    case '<=': return value <= limit || at;
    case '>': return value > limit && !at;
    case '>=': return value >= limit || at;
  }
}
