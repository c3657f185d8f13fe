// Evaluation → per-class metrics, confused pairs, calibration, weak classes. Pure.
//
// Per-class numbers come from the confusion matrix when there is one (exact counts);
// a scikit-learn log that printed only a classification_report gives them as printed
// (two decimals by default), with the recall's successes recovered as recall × support.
// A matrix that does not agree with the printed report (other supports) loses to the
// report for the table, since the report is what the user read in the log.

import type { CalibrationBin, EvaluationRecord, ReportedClass, WrongImage } from '../evaluation.js';
import { isNum, wilson, zOf } from './stats.js';
import type { Check } from './types.js';
import * as msg from '../wording/evaluation.js';
import { checkName } from '../wording/checks.js';

export interface ClassMetrics {
  label: string;
  /** Images of this class (the matrix row's sum). */
  support: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  /** Wilson interval of the recall at the analysis' level. */
  recall_low: number | null;
  recall_high: number | null;
}

export interface ConfusedPair {
  label: string;
  predicted: string;
  count: number;
  /** count / images of the true class. */
  share: number;
}

export interface CalibrationReading {
  bins: CalibrationBin[];
  /** Expected calibration error: Σ (bin count / n) · |accuracy − mean confidence|. */
  ece: number;
  /** Σ (bin count / n) · (mean confidence − accuracy): > 0 over-confident. */
  signed_gap: number;
  reading: 'over-confident' | 'under-confident' | 'well calibrated';
}

export interface WeakClass {
  label: string;
  recall: number;
  /** Upper end of the recall's interval at `flag_level`. */
  recall_high: number;
  /** Unweighted mean recall of the other classes. */
  rest_mean: number;
}

export interface EvaluationAnalysis {
  source: EvaluationRecord['source'];
  set: string | null;
  size: number | null;
  accuracy: number | null;
  loss: number | null;
  /** Confidence level of the recall intervals (0.95 for z = 1.96). */
  level: number;
  labels: string[];
  confusion_matrix: number[][] | null;
  /** Where the per-class numbers come from. */
  classes_from: 'matrix' | 'report';
  classes: ClassMetrics[];
  min_recall: number | null;
  confused_pairs: ConfusedPair[];
  calibration: CalibrationReading | null;
  /** The level of the weak-class test: `level` corrected for the number of classes (0.995 for 95% and 10 classes). */
  flag_level: number;
  weak_classes: WeakClass[];
  most_confident_wrong: WrongImage[];
}

/** How many off-diagonal cells the report names. */
export const CONFUSED_PAIRS_SHOWN = 5;
/** |signed gap| below this reads as well calibrated (one point of confidence). */
export const CALIBRATION_TOLERANCE = 0.01;

/** `level`: the confidence level of the recall intervals (the analysis' --level, 0.95 by default). */
export function analyzeEvaluation(e: EvaluationRecord, level: number): EvaluationAnalysis {
  const z = zOf(level);
  const m = e.confusion_matrix;
  const fromMatrix = m !== null && (e.reported === null || agrees(m, e.reported));
  const classes = fromMatrix ? matrixClasses(m, e.labels, z) : reportClasses(e.reported ?? [], z);
  const size = m ? sum(m.map(sum)) : e.reported ? sum(e.reported.map((r) => r.support)) : null;
  const recalls = classes.map((c) => c.recall).filter(isNum);
  const flagLevel = correctedLevel(level, classes.length);
  return {
    source: e.source,
    set: e.set,
    size,
    accuracy: m && size ? sum(m.map((row, i) => row[i] ?? 0)) / size : reportAccuracy(e.reported),
    loss: e.loss,
    level,
    labels: e.labels,
    confusion_matrix: m,
    classes_from: fromMatrix ? 'matrix' : 'report',
    classes,
    min_recall: recalls.length ? Math.min(...recalls) : null,
    confused_pairs: m ? confusedPairs(m, e.labels) : [],
    calibration: e.calibration ? calibrationReading(e.calibration) : null,
    flag_level: flagLevel,
    weak_classes: weakClasses(classes, flagLevel),
    most_confident_wrong: e.most_confident_wrong,
  };
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function agrees(m: number[][], reported: ReportedClass[]): boolean {
  return m.length === reported.length && m.every((row, i) => sum(row) === reported[i]!.support);
}

function interval(p: number | null, n: number, z: number): Pick<ClassMetrics, 'recall_low' | 'recall_high'> {
  if (p === null || n < 1) return { recall_low: null, recall_high: null };
  const { low, high } = wilson(p, n, z);
  return { recall_low: low, recall_high: high };
}

function f1(p: number | null, r: number | null): number | null {
  if (p === null || r === null) return null;
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

function matrixClasses(m: number[][], labels: string[], z: number): ClassMetrics[] {
  return m.map((row, i) => {
    const tp = row[i] ?? 0;
    const support = sum(row);
    const predicted = sum(m.map((r) => r[i] ?? 0));
    const precision = predicted ? tp / predicted : null;
    const recall = support ? tp / support : null;
    return { label: labels[i] ?? String(i), support, precision, recall, f1: f1(precision, recall), ...interval(recall, support, z) };
  });
}

function reportClasses(rows: ReportedClass[], z: number): ClassMetrics[] {
  return rows.map((r) => ({
    label: r.label, support: r.support, precision: r.precision, recall: r.recall, f1: r.f1,
    // the interval of the printed recall over the class's support (successes ≈ recall × support)
    ...interval(Math.round(r.recall * r.support) / Math.max(r.support, 1), r.support, z),
  }));
}

function reportAccuracy(rows: ReportedClass[] | null): number | null {
  if (!rows?.length) return null;
  const n = sum(rows.map((r) => r.support));
  return n ? sum(rows.map((r) => Math.round(r.recall * r.support))) / n : null;
}

/** What the class `label` is most often read as, from the confusion matrix's row: its `n` largest off-diagonal cells (none without a matrix). */
export function readAs(e: Pick<EvaluationAnalysis, 'confusion_matrix' | 'labels'>, label: string, n: number): ConfusedPair[] {
  const m = e.confusion_matrix;
  const i = e.labels.indexOf(label);
  if (!m || i < 0 || !m[i]) return [];
  return rowPairs(m[i]!, i, e.labels).sort((x, y) => y.count - x.count).slice(0, n);
}

/** The off-diagonal cells, most frequent first (ties: table order). */
function confusedPairs(m: number[][], labels: string[]): ConfusedPair[] {
  return m.flatMap((row, i) => rowPairs(row, i, labels)).sort((a, b) => b.count - a.count).slice(0, CONFUSED_PAIRS_SHOWN);
}

/** Row i's off-diagonal cells that hold any image, in table order: what class i was read as, and its share of the row. */
function rowPairs(row: number[], i: number, labels: string[]): ConfusedPair[] {
  const support = sum(row);
  const pairs: ConfusedPair[] = [];
  row.forEach((count, j) => {
    if (i !== j && count > 0) pairs.push({ label: labels[i] ?? String(i), predicted: labels[j] ?? String(j), count, share: count / support });
  });
  return pairs;
}

function calibrationReading(bins: CalibrationBin[]): CalibrationReading | null {
  const n = sum(bins.map((b) => b.count));
  if (!n) return null;
  let ece = 0;
  let signed = 0;
  for (const b of bins) {
    if (!b.count || !isNum(b.mean_confidence) || !isNum(b.accuracy)) continue;
    ece += (b.count / n) * Math.abs(b.accuracy - b.mean_confidence);
    signed += (b.count / n) * (b.mean_confidence - b.accuracy);
  }
  const reading = Math.abs(signed) < CALIBRATION_TOLERANCE ? 'well calibrated' : signed > 0 ? 'over-confident' : 'under-confident';
  return { bins, ece, signed_gap: signed, reading };
}

/**
 * A class whose recall is significantly below the mean recall of the others: its Wilson
 * interval at `flagLevel` lies wholly below that mean. `flagLevel` corrects the level for
 * testing every class at once (Bonferroni): at 95% each, one of ten even classes would be
 * flagged by chance in about one evaluation in five.
 */
function weakClasses(classes: ClassMetrics[], flagLevel: number): WeakClass[] {
  const known = classes.filter((c) => isNum(c.recall) && c.support > 0);
  if (known.length < 3) return [];
  const z = zOf(flagLevel);
  const total = sum(known.map((c) => c.recall!));
  return known.flatMap((c) => {
    const restMean = (total - c.recall!) / (known.length - 1);
    const high = wilson(c.recall!, c.support, z).high;
    return high < restMean ? [{ label: c.label, recall: c.recall!, recall_high: high, rest_mean: restMean }] : [];
  });
}

/** The per-class level that keeps the family of `k` one-sided tests at `level` (Bonferroni). */
export function correctedLevel(level: number, k: number): number {
  return k > 1 ? 1 - (1 - level) / k : level;
}

/** How many classes chance is one in, and where the count came from (null: the configured default, MNIST's 10). */
export interface ChanceClasses {
  classes: number;
  /** 'model': the count the log states for the model (Analysis.run.classes); null: `fallback`, MNIST's 10. */
  from: EvaluationAnalysis['classes_from'] | 'model' | null;
  source: EvaluationAnalysis['source'] | null;
  /** With no count from the log: whether the log is mnist-train's (MNIST for certain) or another trainer's (MNIST assumed). */
  assumed?: boolean;
}

/**
 * The log's own class count when its evaluation gives one (its confusion matrix's rows, or its
 * classification report's classes; 2 or more), else the count it states for the model (`stated`:
 * Ultralytics' nc), else `fallback`: a two-class model's chance is 50%, a three-class one's 33%,
 * not MNIST's 10%. `assumed`: the fallback stands for a log that is not mnist-train's, which need not be MNIST.
 */
export function chanceClasses(e: EvaluationAnalysis | null | undefined, stated: number | undefined, fallback: number, assumed: boolean): ChanceClasses {
  if (e && e.classes.length >= 2) return { classes: e.classes.length, from: e.classes_from, source: e.source };
  if (stated !== undefined && stated >= 2) return { classes: stated, from: 'model', source: null };
  return { classes: fallback, from: null, source: null, ...(assumed ? { assumed } : {}) };
}

/** The check the verdict reads: a class significantly below the others needs attention. */
export function evaluationChecks(e: EvaluationAnalysis | null): Check[] {
  if (!e || e.classes.length < 3) return [];
  return [{
    id: 'evaluation.recall', name: checkName('evaluation.recall', e.level), status: e.weak_classes.length ? 'warn' : 'pass',
    value: e.min_recall, unit: 'pct', threshold: msg.RECALL_THRESHOLD, when: msg.recallWhen(e), message: msg.recallCheck(e),
  }];
}
