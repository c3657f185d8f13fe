// The template model: the Analysis plus the few sentences and fact lists that
// only the document needs (overview, infrastructure, configuration). Every
// sentence is conditional on a fact in the Analysis; nothing is assumed.

import type { Analysis, Check, CheckId } from '../analyze/types.js';
import { fmtDuration, fmtInt, fmtLoss, fmtPct } from '../analyze/format.js';
import type { EvaluationAnalysis } from '../analyze/evaluation.js';
import * as em from '../wording/evaluation.js';
import { EVALUATION_CHART_NAMES } from './evaluation-charts.js';

export interface ChartRef {
  name: string;
  title: string;
  alt: string;
  svgFile: string;
  pngFile: string;
  /** Inline SVG for the HTML page (our own renderer's output, not log data). */
  svg: string;
}

export interface Fact {
  label: string;
  value: string;
}

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

export interface ReportModel {
  a: Analysis;
  /** The per-epoch charts (Results Analysis). */
  charts: ChartRef[];
  evaluation: EvaluationView | null;
  overview: string[];
  infrastructure: Fact[];
  configuration: Fact[];
  hasEpochs: boolean;
  /** Link from report.html back to the --run all index (null for a report on its own). */
  index: string | null;
  /** The best-vs-final finding, looked up by its typed id (templates do not search checks by string). */
  bestEpochFinding: string | null;
  /** Checks that fail or warn (summary.md shows them), and the rest (folded away there). */
  notPassing: Check[];
  rest: Check[];
}

export function buildModel(a: Analysis, charts: ChartRef[], index: string | null = null): ReportModel {
  const isEvaluation = (c: ChartRef): boolean => (EVALUATION_CHART_NAMES as readonly string[]).includes(c.name);
  return {
    a, charts: charts.filter((c) => !isEvaluation(c)), evaluation: evaluationView(a.evaluation, charts.filter(isEvaluation)),
    overview: overview(a), infrastructure: infrastructure(a), configuration: configuration(a),
    hasEpochs: a.epochs.length > 0, index,
    bestEpochFinding: checkById(a, 'best_vs_final')?.message ?? null,
    notPassing: a.checks.filter((c) => c.status === 'fail' || c.status === 'warn'),
    rest: a.checks.filter((c) => c.status === 'info' || c.status === 'pass'),
  };
}

function evaluationView(e: EvaluationAnalysis | null | undefined, charts: ChartRef[]): EvaluationView | null {
  if (!e) return null;
  return {
    e, charts, summary: em.evaluationSummary(e), pairs: e.confused_pairs.map(em.confusedPair),
    calibration: em.calibrationReading(e), recall: em.recallCheck(e), level: `${Math.round(e.level * 100)}%`,
    noun: e.source === 'mnist-train' ? 'Digit' : 'Class',
  };
}

function checkById(a: Analysis, id: CheckId): Check | undefined {
  return a.checks.find((c) => c.id === id);
}

function overview(a: Analysis): string[] {
  const r = a.run;
  const model = a.model ? `model ${a.model.name ?? '(unnamed)'} (${fmtInt(a.model.parameters)} parameters)` : 'a model the log does not describe';
  const planned = r.epochs_planned === null ? '' : ` of ${r.epochs_planned} planned`;
  const out = [`This report analyses training run ${r.run_id}: ${model}, ${r.epochs_seen}${planned} ${r.epochs_planned === 1 || (r.epochs_planned === null && r.epochs_seen === 1) ? 'epoch' : 'epochs'} in the log (${r.format_title}).`];
  if (r.format_notes.length) out.push(`Read from ${r.format_title}: ${r.format_notes.join('; ')}.`);
  if (a.final) {
    out.push(`After epoch ${a.final.epoch}: validation accuracy ${fmtPct(a.final.val_accuracy)}, validation loss ${fmtLoss(a.final.val_loss)}. Run outcome: ${r.outcome}.`);
  } else {
    out.push(`Run outcome: ${r.outcome}. The log holds no epoch metrics, so most of this report is empty; see Checks and Data Quality.`);
  }
  return out;
}


function infrastructure(a: Analysis): Fact[] {
  const out: Fact[] = [];
  const rt = a.runtime;
  if (rt) {
    out.push({ label: 'TensorFlow.js backend', value: `${rt.backend ?? 'not recorded'}${rt.backend_reason !== undefined ? ` (${rt.backend_reason})` : ''}` });
    out.push({ label: 'Platform', value: `${rt.platform ?? '?'}/${rt.arch ?? '?'}, host ${rt.host ?? 'not recorded'}` });
    const versions = Object.entries(rt.versions ?? {}).map(([k, v]) => `${k} ${v}`).join(', ');
    if (versions) out.push({ label: 'Versions', value: versions });
    const ecs = rt.ecs;
    if (ecs) {
      if (ecs.launch_type) out.push({ label: 'ECS launch type', value: ecs.launch_type });
      if (ecs.cluster) out.push({ label: 'ECS cluster', value: ecs.cluster });
      if (ecs.task_arn) out.push({ label: 'ECS task', value: ecs.task_arn });
      if (ecs.region) out.push({ label: 'AWS region', value: ecs.region });
      if (ecs.availability_zone) out.push({ label: 'Availability zone', value: ecs.availability_zone });
    } else {
      out.push({ label: 'ECS', value: 'not recorded (run_start has no ECS task metadata, so this report does not claim where it ran)' });
    }
  } else {
    out.push({ label: 'Runtime', value: 'unknown: the log has no run_start event' });
  }
  if (a.sources?.length) out.push({ label: 'Log source', value: a.sources.join(', ') });
  if (a.run.streams.length) out.push({ label: 'Log streams', value: a.run.streams.join(', ') });
  return out;
}

function configuration(a: Analysis): Fact[] {
  const c = a.config;
  const out: Fact[] = [];
  if (a.model) {
    const layers = (a.model.layers ?? []).map((l) => `${l.type ?? '?'}(${(l.output_shape ?? []).map((d) => d ?? '?').join('×')})`).join(' → ');
    out.push({ label: 'Model', value: `${a.model.name ?? '(unnamed)'}, ${fmtInt(a.model.parameters)} parameters${layers ? `: ${layers}` : ''}` });
  }
  if (!c) {
    out.push({ label: 'Configuration', value: 'unknown: the log has no run_start event' });
    if (a.run.epochs_planned !== null) out.push({ label: 'Epochs planned', value: String(a.run.epochs_planned) });
    return out;
  }
  const unknown = 'not recorded';
  out.push({ label: 'Epochs', value: `${c.epochs ?? unknown} planned, ${a.run.epochs_seen} in the log` });
  out.push({ label: 'Optimizer', value: `${c.optimizer ?? unknown}, learning rate ${c.learning_rate ?? unknown}` });
  out.push({ label: 'Batch size', value: String(c.batch_size ?? unknown) });
  out.push({ label: 'Seed', value: String(c.seed ?? unknown) });
  out.push({ label: 'Training data', value: c.train_samples !== undefined ? `${fmtInt(c.train_samples)} samples` : unknown });
  const testSet = a.generalization.validation_is_test_set ? ' drawn from the MNIST test set (mnist-train validates on test images)' : '';
  out.push({ label: 'Validation data', value: c.validation_samples !== undefined ? `${fmtInt(c.validation_samples)} samples${testSet}` : unknown });
  if (c.log_every_batches) out.push({ label: 'Batch events', value: `every ${c.log_every_batches} batches (${fmtInt(a.run.batch_count)} logged)` });
  if (a.run.duration_ms !== null) out.push({ label: 'Wall time', value: fmtDuration(a.run.duration_ms) });
  return out;
}
