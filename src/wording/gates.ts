// One named function per gate kind: the only place a gate's sentence is worded
// (tests assert against these functions). Inputs are analysis values.

import { FRACTION_METRICS, type GateMetric, type GateOp } from '../analyze/gates-rules.js';
import type { GateResult, TestSource } from '../analyze/gates.js';
import { fixedBeside, fmtList, fmtLoss, fmtPct, fmtPp } from '../analyze/format.js';
import type { DeltaRow } from '../analyze/baseline.js';
import type { TooFew } from '../analyze/checks-least.js';
import { everyOf, plural } from './plural.js';
import { capitalise, noTrainingLoss } from './checks.js';
import { EXIT } from '../errors.js';

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

/**
 * A threshold gate's value and threshold as they are printed side by side (the table, the finding, the line on
 * stderr): the fractions (accuracies, recall, calibration error) as percent, the accuracy gap in points, losses
 * as raw numbers, each as the rest of the report writes it unless that would misread (fixedBeside): ece>0.00001
 * against 0.33% is "0.330%" against "0.001%", not "0.33%" against "0.00%". A missing value is "n/a".
 */
export function fmtGatePair(metric: GateMetric, value: number | null, threshold: number): { value: string; threshold: string } {
  const pct = FRACTION_METRICS.includes(metric);
  const scale = pct ? 100 : 1;
  // the number as fmtPct, fmtPp and fmtLoss write it, without its unit (fmtPp's sign is the unit's)
  const [v, t] = metric === 'gap' || pct
    ? fixedBeside(value === null ? null : value * scale, threshold * scale, 2, (x) => x.toFixed(2))
    : fixedBeside(value, threshold, 4, fmtLoss);
  const unit = (s: string): string => (metric === 'gap' ? `${s.startsWith('-') ? '−' : '+'}${s.replace(/^-/, '')} pp` : pct ? `${s}%` : s);
  return { value: v === null ? 'n/a' : unit(v), threshold: unit(t) };
}

function testSourceWords(metric: GateMetric, from: TestSource): string {
  if (from.kind === 'evaluation') return "the log's evaluation";
  const also = metric === 'test_loss' ? 'validation loss' : 'validation accuracy';
  // a JSON logger's key ("test_acc1"), or the name of a printed line ("Test set")
  return `epoch ${from.epoch}'s "${from.name}"${from.key ? '' : ' line'}: the log validates on its test set, so this is also the final ${also}`;
}

/** `from`: a test metric read from elsewhere than run_end or a printed test line (TestSource), said so. */
export function thresholdGate(metric: GateMetric, op: GateOp, threshold: number, value: number | null, failed: boolean, from: TestSource | null = null): string {
  const name = `${METRIC_NAMES[metric]}${from ? ` (${testSourceWords(metric, from)})` : ''}`;
  if (value === null) return `${name} is missing (not logged, or NaN/Infinity), so the gate cannot pass.`;
  const { value: v, threshold: limit } = fmtGatePair(metric, value, threshold);
  return failed ? `${name} ${v} is ${OP_WORDS[op]} ${limit}.` : `${name} ${v} is not ${OP_WORDS[op]} ${limit}.`;
}

/** A gate's value when the log lacks what it reads: it cannot pass. */
export const NOT_JUDGED = 'not judged';

/**
 * A test gate on a log with no test result. `evaluationSet`: the set the log's evaluation names (null: none named;
 * undefined: no evaluation), which a test gate does not read unless it is the test set.
 */
export function testGateUnjudged(metric: GateMetric, evaluationSet: string | null | undefined): string {
  const evaluation = evaluationSet === undefined ? ''
    : ` (its evaluation is ${evaluationSet === null ? 'not said to be of test data' : `of the ${evaluationSet} set`})`;
  return `${METRIC_NAMES[metric]} is not judged: the log has no test result${evaluation}, so the gate cannot pass.`;
}

// The nan, overfitting and incomplete gates judge what a check judges: their finding is
// the check's own sentence (checks.ts words it once), not a second wording of it.
// (a run too short for an onset, or without a loss, has overfittingGateTooFew's or overfittingGateUnjudged's)
export { metricsFinite as nanGate, overfitting as overfittingGate, runStatus as incompleteGate } from './checks.js';

/** The nan gate on a log with no epochs (`evaluation`: it holds an evaluation alone): no epoch metric to look at, so it cannot pass. */
export function nanGateUnjudged(evaluation: boolean): string {
  return `The log has no epoch metrics${evaluation ? ' (only an evaluation)' : ''}, so NaN or Infinity in training cannot be ruled out and the gate cannot pass.`;
}

/** The overfitting gate on a log without a validation (or training) loss: it cannot pass. */
export function overfittingGateUnjudged(missing: 'val_loss' | 'loss', batchLosses = false): string {
  const lacks = missing === 'val_loss' ? 'the log has no validation loss' : noTrainingLoss(batchLosses);
  return `${capitalise(lacks)}, so overfitting cannot be ruled out and the gate cannot pass.`;
}

/** The overfitting gate of a run too short for an onset to show (checks-least.ts). */
export function overfittingGateTooFew(few: TooFew, patience: number): string {
  return `An onset takes ${few.needs} epochs with both losses (patience ${patience} + 1) and the log has ${few.has}, ` +
    'so overfitting cannot be ruled out and the gate cannot pass.';
}

/** The verdict's reason is stated once, at the top of the report; the gate refers to it. */
export function verdictGate(level: string): string {
  return `The verdict is ${level} (its reason is at the top of the report).`;
}

/** What a flag gate's "Value" and "Fails on" columns show. */
export const FLAG_SHOWN = {
  nan: { value: (n: number, unjudged = false) => (unjudged ? NOT_JUDGED : plural(n, 'epoch', 'epochs')), threshold: 'any NaN/Infinity' },
  overfitting: { value: (onset: number | null, unjudged = false) => (unjudged ? NOT_JUDGED : onset === null ? 'none' : `epoch ${onset}`), threshold: 'an onset' },
  // the value is the verdict; the column says the gate looks at the verdict, so "failed" reads as a verdict, not a gate result
  failed: { threshold: 'verdict = failed' },
  attention: { threshold: 'verdict = needs attention or failed' },
  regression: { noBaseline: 'no baseline', isBaseline: 'is the baseline', threshold: 'significantly worse' },
  incomplete: { threshold: 'not completed' },
  // no band (too few earlier runs) is not "below"; no --history at all cannot pass
  below_history: {
    // a band with no value: the run logged no final validation accuracy to place in it
    // unjudged: the log names no model, so the run has no history to be placed in (the gate cannot pass)
    value: (value: number | null, band: boolean, hasHistory: boolean, unjudged = false) =>
      (value !== null ? fmtPct(value) : band ? 'not logged' : unjudged ? NOT_JUDGED : hasHistory ? 'no band' : 'no --history'),
    threshold: (low: number | null) => (low !== null ? `< ${fmtPct(low)}` : 'below the band'),
  },
} as const;

/** "Validation accuracy is (not) significantly lower than baseline run X": the verdict's regression reason too. */
export function significantlyLower(baselineRunId: string, lower = true): string {
  return `Validation accuracy is ${lower ? '' : 'not '}significantly lower than baseline run ${baselineRunId}`;
}

/** The regression gate of the --baseline run itself (--run all reports it too). */
export const REGRESSION_GATE_IS_BASELINE = 'This run is the --baseline run: the other runs are compared with it, so it has nothing to regress against.';

/** `notLower`: untested (no validation size on a side) but at or above the baseline, so the gate passed. */
export function regressionGate(baselineRunId: string | null, row: DeltaRow | null, worse: boolean, notLower = false): string {
  if (baselineRunId === null) return 'No --baseline was given, so a regression cannot be ruled out and the gate cannot pass.';
  if (!row || row.current === null || row.baseline === null) return `Validation accuracy is missing on ${row?.current === null && row?.baseline === null ? 'both sides' : 'one side'} of the comparison with ${baselineRunId}, so the gate cannot pass.`;
  if (row.significant === null) {
    return notLower
      ? `Validation accuracy is not lower than baseline run ${baselineRunId}: ${row.shown.delta} (untested, the validation size is not in both logs; a difference at or above 0 cannot be a regression).`
      : `Validation accuracy is ${row.shown.delta} against baseline run ${baselineRunId}, but the validation size is not in both logs, so whether that is more than sampling noise cannot be tested and the gate cannot pass.`;
  }
  const iv = row.interval ? ` (interval of the difference ${fmtPp(row.interval.low)} to ${fmtPp(row.interval.high)})`
    : row.noise_floor ? ` (within the ${row.noise_floor.side === 'baseline' ? "baseline run's" : "this run's"} own interval, ±${fmtPp(row.noise_floor.half).slice(1)}; the difference's is wider still)` : '';
  return `${significantlyLower(baselineRunId, worse)}: ${row.shown.delta}${iv}.`;
}

/** What a rule that compares the run with others compares with, and the flag that gives it. */
const COMPARED_WITH = {
  regression: { with: 'a baseline', add: '--baseline RUN (a run id in the input, or an earlier report.json)' },
  below_history: { with: 'the previous runs of the same model', add: '--history [N]' },
} as const;

/** The usage error (exit 2, before any input is read) of regression without --baseline, or below_history without --history. */
export function gateNeedsFlag(rule: keyof typeof COMPARED_WITH, origin: string): string {
  const c = COMPARED_WITH[rule];
  const where = origin === '--fail-on' ? `--fail-on ${rule}` : `${rule} in --gates ${origin}`;
  return `${where} compares against ${c.with}: add ${c.add}, or remove the rule`;
}

/**
 * The sentence above the gate table. `nothingToJudgeExit`: the run has neither epochs nor an evaluation, which
 * the CLI exits 2 for (bad input), or 4 when it has not ended (nothing to judge yet), whatever its gates say,
 * so the sentence names that code, not the gates' 3; null otherwise.
 */
export function gatesSummary(results: GateResult[], nothingToJudgeExit: number | null = null): string {
  const failed = results.filter((g) => g.status === 'fail');
  if (!results.length) return 'No quality gates were set.';
  if (!failed.length) return `${gatesPassed(results.length)}.`;
  const exit = nothingToJudgeExit === EXIT.notYet
    ? `mnist-report exits with code ${EXIT.notYet}: the run has no epoch results yet and has not ended, so there is nothing to judge yet.`
    : nothingToJudgeExit !== null ? `mnist-report exits with code ${EXIT.usage}, as for bad input: the log holds neither epochs nor an evaluation to judge.`
    : `mnist-report exits with code ${EXIT.gate}.`;
  return `${failed.length} of ${results.length} quality ${results.length === 1 ? 'gate' : 'gates'} failed: ` +
    `${fmtList(failed.map((g) => g.rule))}. ${exit}`;
}

/**
 * Beside the verdict (summary.md's heading, report.md's verdict line) when gates failed: "1 quality gate
 * failed". It names the gates, so it does not read as the verdict: the verdict judges the run, the
 * gates are the CI policy that exits 3. (Not for the default gate "failed" alone: the verdict says it.)
 */
export function gatesFailedBeside(failed: number): string {
  return `${plural(failed, 'quality gate', 'quality gates')} failed`;
}

const gatesPassed = (n: number): string => (n === 1 ? 'The quality gate passed' : `${capitalise(everyOf(n, 'quality gate', 'quality gates'))} passed`);

/**
 * The line on stderr when every gate passed and more than one report is written (--run all): it names its
 * run, as gatesFailed does, or a reader could not tell which run passed. One report keeps gatesSummary's.
 */
export function gatesPassedFor(count: number, runId: string): string {
  return `${gatesPassed(count)} for run ${runId}.`;
}

/** The one line on stderr (and the GateFailure message) when gates fail. */
export function gatesFailed(failed: GateResult[], runId: string): string {
  // the failed and attention gates' value is the verdict: "failed (verdict failed)", not "failed (failed)"
  const list = failed.map((g) => (g.kind === 'threshold' ? `${g.rule} (was ${g.shown.value})`
    : g.rule === 'failed' || g.rule === 'attention' ? `${g.rule} (verdict ${g.shown.value})` : `${g.rule} (${g.shown.value})`));
  return `${failed.length} quality ${failed.length === 1 ? 'gate' : 'gates'} failed for run ${runId}: ${list.join(', ')}`;
}
