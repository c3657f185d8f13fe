// The verdict: healthy, needs attention or failed, with a one-line reason and the
// row of key numbers under it. The rules live here and only here (README
// "Verdict" lists them; test/analyze/verdict.test.ts has a test per rule).
// They read the checks by typed id, plus the baseline comparison, so that a
// status means the same thing in the Checks table and in the verdict:
//   failed          ⇔ a check fails
//   needs attention ⇔ no check fails, but one warns, or the run is significantly
//                     worse than its baseline, or below its history's band (--history)
//   healthy         ⇔ no check fails or warns, and no regression.
// Method caveats (validating on the test set) and "more epochs would still
// help" are info checks: stated beside the verdict, never changing it.
// Pure: Analysis in, Verdict out.

import type { Analysis, BestEpoch, Check, CheckId } from './types.js';
import * as msg from '../wording/verdict.js';
import { isNum, wilson, zOf } from './stats.js';
import { baselineRow, significantDrop } from './baseline.js';
import { belowBand } from './history.js';
import { logged } from './metrics.js';

export type VerdictLevel = 'healthy' | 'needs attention' | 'failed';

export type VerdictRuleId =
  | 'run-failed' | 'non-finite' | 'diverged' | 'chance' | 'contradicts' | 'near-chance'
  | 'overfitting' | 'cut-short' | 'best-earlier' | 'train-ahead' | 'weak-class' | 'data-quality' | 'regression' | 'below-history' | 'other-warning';

export interface VerdictFinding {
  rule: VerdictRuleId;
  level: Exclude<VerdictLevel, 'healthy'>;
  /** The check that holds the finding (null for the baseline regression and the history band). */
  check: CheckId | null;
  reason: string;
}

/** The numbers under the verdict; `shown` is what every template prints, in order. */
export interface KeyNumbers {
  final: { epoch: number; val_accuracy: number; low: number | null; high: number | null } | null;
  /**
   * The best epoch (Analysis.best, `by` what chose it), with its loss and accuracy, each null when not logged: the lowest
   * validation loss (a log of losses alone still has one), or in a log with no validation loss the highest validation accuracy.
   */
  best: { epoch: number; by: BestEpoch['by']; val_loss: number | null; val_accuracy: number | null; low: number | null; high: number | null } | null;
  /** A log with an evaluation and no epochs (`evaluation only`): its accuracy stands where the final epoch's would. */
  evaluation?: { accuracy: number; low: number | null; high: number | null };
  epochs: { seen: number; planned: number | null };
  checks: { failed: number; warned: number };
  gates: { passed: number; failed: number } | null;
  baseline: { run_id: string; delta: number | null; significant: boolean | null } | null;
  shown: { label: string; value: string }[];
}

export interface Verdict {
  level: VerdictLevel;
  /** One line: the most severe finding's reason (and how many more there are). */
  reason: string;
  /** Every rule that holds, most severe first. */
  findings: VerdictFinding[];
  /** Method caveats stated beside the verdict (info checks); they never change it. */
  caveats: string[];
  key: KeyNumbers;
}

type Input = Omit<Analysis, 'verdict' | 'observations' | 'conclusion' | 'next_steps'>;

interface Rule {
  id: VerdictRuleId;
  level: Exclude<VerdictLevel, 'healthy'>;
  /** The checks whose non-passing status makes the rule hold. */
  checks: CheckId[];
  /** Which status of those checks counts. */
  status: 'fail' | 'warn';
}

/**
 * The rules, most severe first; the first that holds gives the reason.
 * 'regression' and 'below-history' are the rules not read from a check (the
 * baseline and the history come after the checks); 'other-warning' keeps
 * "healthy" honest: no check may warn under it.
 */
export const VERDICT_RULES: readonly Rule[] = [
  { id: 'run-failed', level: 'failed', checks: ['run.status'], status: 'fail' },
  { id: 'non-finite', level: 'failed', checks: ['metrics.finite'], status: 'fail' },
  { id: 'diverged', level: 'failed', checks: ['loss.divergence'], status: 'fail' },
  { id: 'chance', level: 'failed', checks: ['accuracy.chance'], status: 'fail' },
  // the validation accuracy at chance, the log's own evaluation far above it: which number is right is the first question
  { id: 'contradicts', level: 'needs attention', checks: ['accuracy.chance'], status: 'warn' },
  // above chance, but barely: the model has learned little, whatever else the run did well
  { id: 'near-chance', level: 'needs attention', checks: ['accuracy.learned'], status: 'warn' },
  { id: 'overfitting', level: 'needs attention', checks: ['overfitting'], status: 'warn' },
  { id: 'cut-short', level: 'needs attention', checks: ['run.status'], status: 'warn' },
  { id: 'best-earlier', level: 'needs attention', checks: ['best_vs_final'], status: 'warn' },
  { id: 'train-ahead', level: 'needs attention', checks: ['generalization.gap'], status: 'warn' },
  { id: 'weak-class', level: 'needs attention', checks: ['evaluation.recall'], status: 'warn' },
  { id: 'data-quality', level: 'needs attention', checks: ['data.quality', 'epochs.sequence'], status: 'warn' },
  { id: 'regression', level: 'needs attention', checks: [], status: 'warn' },
  { id: 'below-history', level: 'needs attention', checks: [], status: 'warn' },
  { id: 'other-warning', level: 'needs attention', checks: [], status: 'warn' },
];

const NAMED = new Set<CheckId>(VERDICT_RULES.flatMap((r) => r.checks));

export function decideVerdict(a: Input): Verdict {
  const findings: VerdictFinding[] = [];
  for (const rule of VERDICT_RULES) {
    if (rule.id === 'regression') {
      const r = regression(a);
      if (r) findings.push({ rule: rule.id, level: rule.level, check: null, reason: msg.verdictRegression(r.run_id, r.delta) });
      continue;
    }
    if (rule.id === 'below-history') {
      const h = belowBand(a.history);
      if (h) findings.push({ rule: rule.id, level: rule.level, check: null, reason: msg.verdictBelowHistory(h) });
      continue;
    }
    const hits = rule.id === 'other-warning'
      ? a.checks.filter((c) => c.status === 'warn' && !NAMED.has(c.id))
      : a.checks.filter((c) => rule.checks.includes(c.id) && c.status === rule.status);
    for (const c of hits) findings.push({ rule: rule.id, level: rule.level, check: c.id, reason: msg.verdictRuleReason(rule.id, a, c) });
  }
  const level: VerdictLevel = findings.some((f) => f.level === 'failed') ? 'failed'
    : findings.length ? 'needs attention' : 'healthy';
  // the caveat is the check's own finding, referenced (each fact is worded once)
  const caveats = a.checks.filter((c) => c.status === 'info' && !c.see && CAVEATS.includes(c.id)
    && (c.id !== 'convergence' || a.convergence.reading === 'improving')).map((c) => c.message);
  const key = keyNumbers(a);
  const reason = findings.length ? msg.verdictReason(findings[0]!.reason, findings.slice(1).map((f) => f.rule))
    : a.run.outcome === 'evaluation only' && a.evaluation ? msg.verdictEvaluationOnly(a.evaluation.accuracy, a.evaluation.size)
    : msg.verdictHealthy(key.epochs.seen, key.epochs.planned, a.final?.val_accuracy ?? null, noValidation(a),
      a.checks.filter((c) => c.too_few).map((c) => c.id), a.run.outcome);
  return { level, reason, findings, caveats, key };
}

/** No epoch has a validation metric (a value or a named NaN): "healthy" then says generalization was not judged. */
function noValidation(a: Input): boolean {
  return a.epochs.length > 0 && !logged(a.epochs, 'val_loss') && !logged(a.epochs, 'val_accuracy');
}

/** Info checks that are caveats about method (or, with no validation metrics, about what could be judged), said beside the verdict. */
const CAVEATS: CheckId[] = ['validation.holdout', 'convergence'];

/** A validation accuracy significantly below the baseline's (the interval of the difference excludes 0). */
function regression(a: Input): { run_id: string; delta: number } | null {
  const row = significantDrop(a.baseline);
  return a.baseline && row ? { run_id: a.baseline.baseline.run_id, delta: row.delta } : null;
}

function keyNumbers(a: Input): KeyNumbers {
  const level = a.confidence?.level ?? null;
  const n = a.confidence?.n ?? null;
  const epochAccuracy = (epoch: number, p: number | null) => (isNum(p) ? { epoch, val_accuracy: p, ...withInterval(p, n, level) } : null);
  const count = (s: Check['status']): number => a.checks.filter((c) => c.status === s).length;
  const row = baselineRow(a.baseline, 'val_accuracy');
  const e = a.evaluation;
  // an evaluation's interval is over the evaluated samples, at the analysis' level
  const evaluation = !a.epochs.length && e && isNum(e.accuracy) ? { accuracy: e.accuracy, ...withInterval(e.accuracy, e.size, e.level) } : null;
  const key: Omit<KeyNumbers, 'shown'> = {
    final: a.final ? epochAccuracy(a.final.epoch, a.final.val_accuracy) : null,
    best: a.best ? { epoch: a.best.epoch, by: a.best.by, val_loss: isNum(a.best.val_loss) ? a.best.val_loss : null, val_accuracy: null, low: null, high: null,
      ...epochAccuracy(a.best.epoch, a.best.val_accuracy) } : null,
    // absent (not null) otherwise, so report.json of a run with epochs is as it was
    ...(evaluation ? { evaluation } : {}),
    epochs: { seen: a.run.epochs_seen, planned: a.run.epochs_planned },
    checks: { failed: count('fail'), warned: count('warn') },
    gates: a.gates ? { passed: a.gates.passed, failed: a.gates.failed } : null,
    baseline: a.baseline ? { run_id: a.baseline.baseline.run_id, delta: row?.delta ?? null, significant: row?.significant ?? null } : null,
  };
  return { ...key, shown: msg.keyNumbers(key, level ?? e?.level ?? null) };
}

/** An accuracy's Wilson interval over n samples at the level; none without a sample count (or a level). */
function withInterval(p: number, n: number | null, level: number | null): { low: number | null; high: number | null } {
  const ci = n && level !== null ? wilson(p, n, zOf(level)) : null;
  return { low: ci?.low ?? null, high: ci?.high ?? null };
}

/**
 * The analysis with its verdict (re)decided and placed first after the title, so
 * report.json opens with it. Called by analyzeRun and again by the report CLI
 * after the baseline and gates steps (they change the verdict's inputs).
 */
export function withVerdict<T extends Input>(a: T): T & { verdict: Verdict } {
  const { schema, generated_at, title, ...rest } = a;
  delete (rest as { verdict?: Verdict }).verdict; // an earlier verdict must not override the new one
  return { schema, generated_at, title, verdict: decideVerdict(a), ...rest } as unknown as T & { verdict: Verdict };
}
