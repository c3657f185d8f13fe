// The Evaluation section's sentences, one named function each (as checks.ts does for
// the checks). Inputs are EvaluationAnalysis values.

import type { ConfusedPair, EvaluationAnalysis } from '../analyze/evaluation.js';
import { fmtInt, fmtLevel, fmtList, fmtPct } from '../analyze/format.js';
import { everyOf } from './plural.js';

/** A difference of two fractions, unsigned, in percentage points: 0.0312 → "3.12 points". */
function fmtPoints(x: number): string {
  return `${(x * 100).toFixed(2)} points`;
}

/** "digits" (mnist-train's evaluation) or "classes" (any other's labels); `one`: the singular. */
export function classNoun(e: Pick<EvaluationAnalysis, 'source'>, one = false): string {
  return e.source === 'mnist-train' ? (one ? 'digit' : 'digits') : (one ? 'class' : 'classes');
}

/**
 * "95% for all 10 digits together": what the weak-class test's per-class level (Bonferroni: 99.5%
 * for 95% and 10 classes) amounts to over every class at once.
 */
export function allTogether(e: Pick<EvaluationAnalysis, 'source' | 'level' | 'classes'>): string {
  const n = e.classes.length;
  return `${fmtLevel(e.level)} for ${everyOf(n, classNoun(e, true), classNoun(e))}${n === 1 ? '' : ' together'}`;
}

/** "99.5% interval (95% for all 10 digits together)": the weak-class test's interval; `several`: "intervals". */
export function flagInterval(e: EvaluationAnalysis, several = false): string {
  const interval = `${fmtLevel(e.flag_level)} ${several ? 'intervals' : 'interval'}`;
  return e.flag_level === e.level ? interval : `${interval} (${allTogether(e)})`;
}

/** "the 4s" for a digit or a one-word class; a longer label reads "the images of 0 - zero". */
export function theClass(label: string): string {
  return /^\w+$/.test(label) ? `the ${label}s` : `the images of ${label}`;
}

/** "4 read as 9: 23 times, 2.3% of the 4s" */
export function confusedPair(p: ConfusedPair): string {
  return `${p.label} read as ${p.predicted}: ${fmtInt(p.count)} ${p.count === 1 ? 'time' : 'times'}, ${fmtPct(p.share, 1)} of ${theClass(p.label)}`;
}

/** The checks table's "when" column for evaluation.recall. */
export function recallWhen(e: EvaluationAnalysis): string {
  return `warns when the ${flagInterval(e)} of a ${classNoun(e, true)}'s recall lies wholly below the mean recall of the others`;
}

export function recallCheck(e: EvaluationAnalysis): string {
  if (!e.weak_classes.length) {
    return `No ${classNoun(e, true)}'s recall is significantly below the others': each one's ${flagInterval(e)} reaches the mean recall of the rest; lowest recall ${fmtPct(e.min_recall)}.`;
  }
  const parts = e.weak_classes.map((w) => `${w.label} (recall ${fmtPct(w.recall)}, interval up to ${fmtPct(w.recall_high)}; the others average ${fmtPct(w.rest_mean)})`);
  return `Recall significantly below the others for ${fmtList(parts)}: the model misses ${e.weak_classes.length === 1 ? 'it' : 'these'} more often than chance explains, by ${e.weak_classes.length === 1 ? 'its' : 'each one\'s'} ${flagInterval(e)}.`;
}

export function calibrationReading(e: EvaluationAnalysis): string {
  const c = e.calibration;
  if (!c) return 'The log has no confidence bins, so calibration cannot be read.';
  const ece = `Expected calibration error ${fmtPct(c.ece)}`;
  switch (c.reading) {
    case 'over-confident':
      return `${ece}: the model is over-confident, its stated confidence is on average ${fmtPoints(c.signed_gap)} above how often it is right.`;
    case 'under-confident':
      return `${ece}: the model is under-confident, it is right on average ${fmtPoints(-c.signed_gap)} more often than its confidence says.`;
    case 'well calibrated':
      return `${ece}: the model is well calibrated, its confidence matches how often it is right to within a point.`;
  }
}

export function evaluationSummary(e: EvaluationAnalysis): string {
  const what = e.source === 'mnist-train'
    ? `mnist-train evaluated the final model on ${fmtInt(e.size)} ${e.set ?? ''} images`.replace('  ', ' ')
    : `The log holds scikit-learn's printed evaluation (${e.classes_from === 'matrix' ? 'a confusion matrix' : 'a classification_report'} of ${fmtInt(e.size)} samples)`;
  return `${what}: accuracy ${fmtPct(e.accuracy)}${e.loss !== null ? `, loss ${e.loss.toFixed(4)}` : ''}.`;
}

/** The recall check's threshold, in words: a class is flagged when its interval lies below the others' mean. */
export const RECALL_THRESHOLD = 'interval below the mean of the others';
