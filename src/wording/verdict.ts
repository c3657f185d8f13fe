// The verdict's wording: its one-line reasons (one per rule), the healthy line and
// the labels of the key-number row. Part of the report's one wording module
// (wording/checks.ts holds the checks'); analyze/verdict.ts decides, this file words.

import type { Analysis, CheckId, RunOutcome } from '../analyze/types.js';
import { plural } from './plural.js';
import type { KeyNumbers, VerdictRuleId } from '../analyze/verdict.js';
import { fmtInt, fmtLevel, fmtList, fmtLoss, fmtNonFinite, fmtPct, fmtPp, fmtRel } from '../analyze/format.js';
import { classNoun, flagInterval } from './evaluation.js';
import { dataQualityWarning, followStoppedAt, noEpochsYet, trainersLastEpoch, unreadLines } from './checks.js';
import { tracebackEndLines } from '../analyze/metrics.js';
import { unusableLines } from '../runs/quality.js';
import { countedBeyondLog } from '../analyze/metrics.js';
import { significantlyLower } from './gates.js';
import { belowHistoryGate } from './history.js';
import type { HistoryComparison } from '../analyze/history.js';

type Input = Omit<Analysis, 'verdict' | 'observations' | 'conclusion' | 'next_steps'>;

const OUTCOME_WORDS: Record<RunOutcome, string> = {
  completed: 'completed', failed: 'failed', interrupted: 'was interrupted', incomplete: 'stopped without run_end', 'no epochs': 'logged no epochs',
  'stopped early': 'was stopped early on purpose', 'end unknown': 'ended (the log does not say how)',
  'evaluation only': 'holds an evaluation but no training epochs',
};

function at(a: Input): string {
  const last = a.epochs[a.epochs.length - 1]?.epoch;
  if (last === undefined) return '';
  return ` after epoch ${last}${a.run.epochs_planned === null ? '' : ` of ${a.run.epochs_planned}`}`;
}

/** The short reason a rule gives (the check's full finding stays in the Checks table). */
export function verdictRuleReason(rule: VerdictRuleId, a: Input, check: { id: CheckId; message: string }): string {
  const checkMessage = check.message;
  switch (rule) {
    case 'run-failed': {
      const o = a.run.outcome;
      // trainer text's interrupted run is the KeyboardInterrupt its log ends with (analyze.ts runOutcome)
      const err = o === 'failed' && a.run.error ? ` (${a.run.error.name}: ${a.run.error.message})`
        : o === 'interrupted' && a.run.format !== 'events' ? ' (KeyboardInterrupt: the log ends in its Python traceback)' : '';
      return `The run ${OUTCOME_WORDS[o]}${at(a)}${err}`;
    }
    case 'non-finite':
      return `Metrics became NaN or Infinity: ${fmtNonFinite(a.stability.non_finite)}`;
    case 'diverged': {
      const first = a.epochs.find((r) => r.loss !== null)?.loss ?? null;
      return `Training loss diverged from ${fmtLoss(first)} to ${fmtLoss(a.final?.loss ?? null)}`;
    }
    case 'chance': {
      const lvl = a.confidence ? ` with ${fmtLevel(a.confidence.level)} confidence` : '';
      return `Final validation accuracy ${fmtPct(a.final?.val_accuracy ?? null)} is not above chance${lvl}`;
    }
    case 'contradicts': {
      const e = a.evaluation;
      return `The log contradicts itself: its final validation accuracy ${fmtPct(a.final?.val_accuracy ?? null)} is not above chance, ` +
        `but its own evaluation${e?.size ? ` of ${fmtInt(e.size)} samples` : ''} has ${fmtPct(e?.accuracy ?? null)}`;
    }
    case 'near-chance':
      // the check's own sentence: the accuracy, its share of the way from chance and the classes chance is of
      return checkMessage.replace(/\.$/, '');
    case 'overfitting': {
      // the onset comes after the lowest validation loss (a.best), never recovered from
      return `Overfitting from epoch ${a.overfitting.onset_epoch}: validation loss rose while training loss fell; epoch ${a.best?.epoch} had the lowest validation loss`;
    }
    case 'cut-short': {
      if (a.run.outcome === 'no epochs') {
        // no epochs and no end: started, and still in its first epoch or stopped in it (analyze.ts nothingYet)
        const unread = unusableLines(a.quality);
        if (unread) return `The log holds no epoch results for this run${unreadLines(unread, false)}`;
        if (a.follow_stopped) return `The log as read holds no epoch results for this run: --follow ${followStoppedAt(a.follow_stopped)}, so its first epoch may yet come`;
        return noEpochsYet(a.run.first_time, a.run.last_time, a.run.earlier_with_epochs);
      }
      // run_end says completed, and the log holds none of its epochs or fewer than it counts: the check says which
      if (a.run.outcome === 'completed' && (!a.epochs.length || countedBeyondLog(a))) return checkMessage.replace(/\.$/, '');
      if (a.run.outcome !== 'incomplete') return `The run was cut short${at(a)}`;
      // every planned epoch is in the log: its end is what is missing, not epochs
      const last = a.epochs[a.epochs.length - 1]?.epoch;
      const allEpochs = a.run.epochs_planned !== null && last !== undefined && last >= a.run.epochs_planned;
      // a text trainer prints no end event: its log stops before its last epoch, in its terms
      const lastOf = trainersLastEpoch(a.run.format);
      const noEnd = lastOf === null ? ' with no run_end' : `, before ${lastOf}`;
      if (a.follow_stopped) {
        return `The log as read stops${at(a)}${allEpochs ? ', the last planned epoch,' : ''}${noEnd}: --follow ${followStoppedAt(a.follow_stopped)}, ` +
          `so ${allEpochs ? "the run's end" : `epochs after ${last}`} may exist`;
      }
      return allEpochs ? `The log stops${at(a)}, the last planned epoch, with no run_end: its end was cut or the run is still finishing`
        : `The log stops${at(a)}${noEnd}: the run was cut short or is still running`;
    }
    case 'best-earlier': {
      const b = a.best;
      const f = a.final;
      const worse = b && f && b.val_loss !== null && f.val_loss !== null && b.val_loss !== 0 ? (f.val_loss - b.val_loss) / Math.abs(b.val_loss) : null;
      return `Epoch ${b?.epoch} had the lowest validation loss; the final epoch's is ${fmtRel(worse)} higher`;
    }
    case 'train-ahead':
      return `Training accuracy is ahead of validation accuracy: gap (validation − training) ${fmtPp(a.generalization.final_gap_accuracy)}`;
    case 'weak-class': {
      const e = a.evaluation;
      const w = e?.weak_classes ?? [];
      if (!e || !w.length) return checkMessage.replace(/\.$/, '');
      const which = w.map((c) => `${classNoun(e, true)} ${c.label} (${fmtPct(c.recall)} against ${fmtPct(c.rest_mean)} for the others)`);
      return `The model misses ${fmtList(which)} significantly more often than the rest: ${w.length === 1 ? `its recall's ${flagInterval(e)} lies` : `their recalls' ${flagInterval(e, true)} lie`} below the others' mean`;
    }
    case 'data-quality':
      // what warns, not the rest of the finding ("… plain text: counted too, not a problem" stays under Checks)
      if (check.id === 'data.quality') return dataQualityWarning(a.quality, a.input_quality !== undefined, tracebackEndLines(a.run.outcome, a.quality)).replace(/\.$/, '');
      return checkMessage.replace(/\.$/, '');
    case 'regression':
    case 'below-history':
    case 'other-warning':
      return checkMessage.replace(/\.$/, '');
  }
}

export function verdictRegression(baselineRunId: string, delta: number): string {
  return `${significantlyLower(baselineRunId)} (${fmtPp(delta)})`;
}

/** The history gate's own sentence (one wording of the fact), as a verdict reason. */
export function verdictBelowHistory(h: HistoryComparison): string {
  return belowHistoryGate(h).replace(/\.$/, '');
}

/**
 * Where the report holds each finding, by the heading of its section as the report prints it
 * ("## Compared with Baseline Run <id>", "## History", "## Checks"): a check's row, or the section
 * of a rule not read from a check. The verdict's pointer and the Conclusion name them alike.
 */
export const FINDING_SECTIONS: Readonly<Record<VerdictRuleId, string>> = {
  'run-failed': 'Checks', 'non-finite': 'Checks', diverged: 'Checks', chance: 'Checks', contradicts: 'Checks', 'near-chance': 'Checks', overfitting: 'Checks', 'cut-short': 'Checks',
  'best-earlier': 'Checks', 'train-ahead': 'Checks', 'weak-class': 'Checks', 'data-quality': 'Checks', 'other-warning': 'Checks',
  regression: 'Compared with Baseline', 'below-history': 'History',
};

/**
 * "<first reason> (and 2 more findings, see Checks and Compared with Baseline)."
 * `rest` are the rules of the findings after the first: the pointer names each place they are in.
 */
export function verdictReason(first: string, rest: readonly VerdictRuleId[]): string {
  const places = [...new Set(rest.map((r) => FINDING_SECTIONS[r]))];
  return `${first}${rest.length ? ` (and ${plural(rest.length, 'more finding', 'more findings')}, see ${fmtList(places)})` : ''}.`;
}

/**
 * `noValidation`: the log has no validation metric at all, so the line says what "healthy" did not judge.
 * `tooFew`: the checks the log has too little for to fail or warn at all (one epoch has no rise to find):
 * the line does not call the metrics non-diverging when divergence was one of them, and says how many.
 * `outcome`: only a run known to have completed is called completed; a log that ends without the run's
 * end (PyTorch's example, plain prints: no planned count, no end marker) says what it shows.
 */
export function verdictHealthy(seen: number, planned: number | null, valAccuracy: number | null, noValidation = false,
  tooFew: readonly CheckId[] = [], outcome: RunOutcome = 'completed'): string {
  const of = planned === null ? `${seen}` : `${seen} of ${planned}`;
  const lead = outcome === 'end unknown' ? `${plural(seen, 'epoch', 'epochs')} logged` : `Completed ${of} epochs`;
  const end = outcome === 'end unknown' ? ' The log ends without the run\'s end, so whether the run finished is not known.' : '';
  const finite = tooFew.includes('loss.divergence') ? 'finite' : 'finite, non-diverging';
  const what = !tooFew.includes('stability.batch_spikes') ? 'epochs' : tooFew.length === 1 ? 'batches' : 'epochs or batches';
  const few = tooFew.length ? `${plural(tooFew.length, 'check', 'checks')} could not be judged with so few ${what} (see Checks)` : '';
  if (noValidation) {
    return `${lead} with ${finite} training metrics; no check failed or warned, but the log has no validation data, so generalization is not judged${few ? `, and ${few}` : ''}.${end}`;
  }
  return `${lead} with ${finite} metrics${valAccuracy === null ? '' : ` and ${fmtPct(valAccuracy)} validation accuracy`}; no check failed or warned${few ? `, but ${few}` : ''}.${end}`;
}

/** The healthy line of a log with an evaluation but no training epochs (scikit-learn's printed tables alone). */
export function verdictEvaluationOnly(accuracy: number | null, size: number | null): string {
  return `The log holds an evaluation but no training epochs: accuracy ${fmtPct(accuracy)}${size === null ? '' : ` on ${fmtInt(size)} samples`}; no check of it failed or warned.`;
}

/** The verdict line on stderr. */
/** `shownId` is the run id as quoted for a terminal (render/escape.ts shownId: controls escaped). */
export function verdictLine(shownId: string, level: string, reason: string): string {
  return `verdict for run ${shownId}: ${level}: ${reason}`;
}

function withInterval(x: { low: number | null; high: number | null }, p: number, level: number | null): string {
  return x.low === null || x.high === null || level === null ? fmtPct(p)
    : `${fmtPct(p)} (${fmtLevel(level)} CI ${fmtPct(x.low)}–${fmtPct(x.high)})`;
}

/** The key-number row: label and printed value, in the order every template shows them. */
export function keyNumbers(k: Omit<KeyNumbers, 'shown'>, level: number | null): { label: string; value: string }[] {
  const out: { label: string; value: string }[] = [];
  // an evaluation alone: its accuracy where the final epoch's would stand, named as what it is
  out.push(k.evaluation ? { label: 'Evaluation accuracy', value: withInterval(k.evaluation, k.evaluation.accuracy, level) }
    : { label: 'Final val accuracy', value: k.final ? withInterval(k.final, k.final.val_accuracy, level) : 'n/a' });
  // the accuracy of that epoch, or its loss when the log has no accuracy; named by what chose it
  out.push({ label: k.best?.by === 'val_accuracy' ? 'Best epoch (highest val accuracy)' : 'Best epoch (lowest val loss)', value: !k.best ? 'n/a'
    : `${k.best.epoch}: ${k.best.val_accuracy === null ? `val loss ${fmtLoss(k.best.val_loss)}` : withInterval(k.best, k.best.val_accuracy, level)}` });
  out.push({ label: 'Epochs run', value: k.epochs.planned === null ? `${k.epochs.seen} (planned: unknown)` : `${k.epochs.seen} of ${k.epochs.planned}` });
  out.push({ label: 'Checks', value: `${k.checks.failed} failed, ${k.checks.warned} warned` });
  out.push({ label: 'Gates', value: k.gates ? `${k.gates.failed ? `${k.gates.failed} of ${k.gates.passed + k.gates.failed} failed` : `${k.gates.passed} passed`}` : 'none set' });
  out.push({ label: 'Vs baseline', value: !k.baseline ? 'no baseline' : k.baseline.delta === null ? `run ${k.baseline.run_id}: n/a`
    : `${fmtPp(k.baseline.delta)} val accuracy vs ${k.baseline.run_id} (${k.baseline.significant === null ? 'not tested' : k.baseline.significant ? 'significant' : 'no significant change'})` });
  return out;
}
