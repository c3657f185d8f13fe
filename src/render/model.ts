// The template model: the Analysis plus the sentences and fact lists that only the
// document needs (overview, infrastructure, configuration, ...), all worded in
// src/wording/: templates print these strings, they do not compose sentences.

import type { Analysis, Check } from '../analyze/types.js';
import type { DataQuality } from '../types.js';
import { checkById } from '../analyze/checks.js';
import type { EvaluationAnalysis } from '../analyze/evaluation.js';
import * as em from '../wording/evaluation.js';
import * as doc from '../wording/document.js';
import * as gateWords from '../wording/gates.js';
import type { Fact } from '../wording/document.js';
import { EVALUATION_CHART_NAMES } from './evaluation-charts.js';
import { historyView, type HistoryView } from './history-view.js';
import { HISTORY_CHART_NAME } from './history-chart.js';

export interface ChartRef {
  name: string;
  title: string;
  alt: string;
  svgFile: string;
  pngFile: string;
  /** Inline SVG for the HTML page (our own renderer's output, not log data). */
  svg: string;
}

export type { Fact };

/** The Evaluation section: the analysis, its sentences and its pictures. */
export interface EvaluationView {
  e: EvaluationAnalysis;
  summary: string;
  /** "4 read as 9: 23 times, 2.3% of the 4s", most frequent first. */
  pairs: string[];
  calibration: string;
  recall: string;
  /** e.g. "95%", from the configured z. */
  level: string;
  /** "digit" for mnist-train's evaluation, "class" for a scikit-learn table. */
  noun: string;
  charts: ChartRef[];
}

/** The Data Quality counts of the run, the whole input and the input's lines of no run, one row each. */
export interface QualityScope {
  intro: string;
  rows: { label: string; q: DataQuality }[];
  /** The quoted unusable lines of no run: their intro, or null when there are none. */
  noRunLinesIntro: string | null;
}

export interface ReportModel {
  a: Analysis;
  /** summary.md's last words: where the full report is, or that none was written (wording/document.ts). */
  summaryWhereFull: string;
  /** summary.md: what the reader changed in the log's numbers (doc.readAsNote), or null. */
  readAsNote: string | null;
  /** The per-epoch charts (Results Analysis). */
  charts: ChartRef[];
  /**
   * Charts not drawn (-o -: the document goes to stdout, and charts are files): the sentence that stands
   * where each section's charts would be, or null where they are drawn or the section has none.
   */
  chartsLeftOut: Record<'results' | 'evaluation' | 'history', string | null>;
  evaluation: EvaluationView | null;
  /** The History section (--history): the comparison, its chart and the settings table. */
  history: HistoryView | null;
  overview: string[];
  infrastructure: Fact[];
  configuration: Fact[];
  /** Results: the final epoch's metrics as "label: value" lines. */
  finalTraining: Fact[];
  finalValidation: Fact[];
  /** The heading over the test metrics, naming where they come from (doc.testMetricsHeading). */
  testHeading: string;
  /** Data Quality: missing and repeated epochs, and the intro of the quoted lines. */
  qualityEpochs: string[];
  /** report.md's "Ignored" column header (it names runtime chatter when there is some). */
  ignoredHeader: string;
  unusableLinesIntro: string;
  /** Data Quality when the input holds more than this run: whose counts each row is (null otherwise). */
  qualityScope: QualityScope | null;
  /** Data Quality's line when every record read counts for this run (doc.qualityWhole). */
  qualityWhole: { head: string; tail: string };
  /** Technical Details: epochs and batch events in the log. */
  epochsInLog: string;
  /** summary.md's baseline line (null without a baseline). */
  baselineLine: string | null;
  /** "1 quality gate failed" beside the verdict (summary.md's heading, report.md's verdict line), or null when none failed. */
  gatesFailed: string | null;
  hasEpochs: boolean;
  /** report.json is written with this document (Technical Details says the same analysis is there only then). */
  jsonBeside: boolean;
  /** Link from report.html back to the --run all index (null for a report on its own). */
  index: string | null;
  /** The best-vs-final finding, looked up by its typed id (templates do not search checks by string). */
  bestEpochFinding: string | null;
  /** Checks that fail or warn (summary.md shows them), and the rest (folded away there). */
  notPassing: Check[];
  rest: Check[];
  /** Training Progress: the columns shown, each one that some epoch has a value for (n/a on every row says nothing). */
  progress: Record<ProgressColumn, boolean>;
  /** A sentence under the Training Progress table, or null (doc.progressNote). */
  progressNote: string | null;
}

const PROGRESS_COLUMNS = ['loss', 'accuracy', 'val_loss', 'val_accuracy', 'gap_accuracy', 'gap_loss', 'duration_ms', 'samples_per_second'] as const;
type ProgressColumn = typeof PROGRESS_COLUMNS[number];

/** A column is shown when an epoch has its value or a NaN/Infinity the log named there (the table prints both). */
function progressColumns(epochs: Analysis['epochs']): Record<ProgressColumn, boolean> {
  const has = (c: ProgressColumn): boolean => epochs.some((e) => e[c] !== null || e.non_finite.includes(c));
  return Object.fromEntries(PROGRESS_COLUMNS.map((c) => [c, has(c)])) as Record<ProgressColumn, boolean>;
}

/**
 * `fullReport`: report.md or report.html is written with this document (summary.md's last line says where).
 * `leftOut`: the names of the charts the analysis has but that were not drawn (-o -); `jsonBeside`: report.json is written too.
 */
export function buildModel(a: Analysis, charts: ChartRef[], index: string | null = null, fullReport = true, leftOut: readonly string[] = [], jsonBeside = true): ReportModel {
  const isEvaluation = (c: { name: string }): boolean => (EVALUATION_CHART_NAMES as readonly string[]).includes(c.name);
  const isHistory = (c: { name: string }): boolean => c.name === HISTORY_CHART_NAME;
  const left = leftOut.map((name) => ({ name }));
  const note = (some: boolean): string | null => (some ? doc.CHARTS_NOT_WRITTEN : null);
  const progress = progressColumns(a.epochs);
  return {
    a, charts: charts.filter((c) => !isEvaluation(c) && !isHistory(c)),
    chartsLeftOut: { results: note(left.some((c) => !isEvaluation(c) && !isHistory(c))), evaluation: note(left.some(isEvaluation)), history: note(left.some(isHistory)) },
    evaluation: evaluationView(a.evaluation, charts.filter(isEvaluation)),
    history: historyView(a.history, charts.find(isHistory) ?? null),
    overview: doc.overview(a), infrastructure: doc.infrastructure(a), configuration: doc.configuration(a),
    finalTraining: doc.finalTraining(a), finalValidation: doc.finalValidation(a), testHeading: doc.testMetricsHeading(a),
    qualityEpochs: doc.qualityEpochs(a), ignoredHeader: doc.ignoredHeader(a), unusableLinesIntro: doc.unusableLinesIntro(a.quality.examples.length), qualityScope: qualityScope(a), qualityWhole: doc.qualityWhole(a),
    epochsInLog: doc.epochsInLog(a), baselineLine: a.baseline ? doc.baselineLine(a.baseline) : null,
    gatesFailed: gatesFailedBeside(a),
    hasEpochs: a.epochs.length > 0, jsonBeside, index, summaryWhereFull: doc.summaryWhereFull(fullReport), readAsNote: doc.readAsNote(a),
    bestEpochFinding: checkById(a.checks, 'best_vs_final')?.message ?? null,
    notPassing: a.checks.filter((c) => c.status === 'fail' || c.status === 'warn'),
    rest: a.checks.filter((c) => c.status === 'info' || c.status === 'pass'),
    progress,
    progressNote: doc.progressNote(a, progress),
  };
}

/**
 * The mark beside the verdict for the gates that failed, or null: not for the default gate "failed"
 * alone, which fails exactly when the verdict says failed ("❌ failed · ❌ 1 quality gate failed" said it twice).
 */
function gatesFailedBeside(a: Analysis): string | null {
  const failed = a.gates?.results.filter((g) => g.status === 'fail' && g.rule !== 'failed').length ?? 0;
  return failed ? gateWords.gatesFailedBeside(failed) : null;
}

function qualityScope(a: Analysis): QualityScope | null {
  const intro = doc.qualityScope(a);
  const i = a.input_quality;
  if (intro === null || !i) return null;
  const rows: QualityScope['rows'] = [{ label: doc.QUALITY_ROWS.run, q: a.quality }, { label: doc.QUALITY_ROWS.whole, q: i.whole }];
  if (i.no_run) rows.push({ label: doc.QUALITY_ROWS.noRun, q: i.no_run });
  return { intro, rows, noRunLinesIntro: i.no_run?.examples.length ? doc.noRunLinesIntro(i.no_run.examples.length) : null };
}

function evaluationView(e: EvaluationAnalysis | null | undefined, charts: ChartRef[]): EvaluationView | null {
  if (!e) return null;
  return {
    e, charts, summary: em.evaluationSummary(e), pairs: e.confused_pairs.map(em.confusedPair),
    calibration: em.calibrationReading(e), recall: em.recallCheck(e), level: doc.evaluationLevel(e),
    noun: doc.evaluationNoun(e),
  };
}
