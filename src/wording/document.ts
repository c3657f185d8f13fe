// The document's own sentences and fact lists (overview, infrastructure, configuration,
// final metrics, data quality and details lines, the evaluation table's level, the
// summary's baseline line): what the templates used to compose around numbers. Every
// sentence is conditional on a fact in the Analysis; nothing is assumed.

import type { Analysis } from '../analyze/types.js';
import { baselineRow, type BaselineComparison } from '../analyze/baseline.js';
import type { EvaluationAnalysis } from '../analyze/evaluation.js';
import { fmtDuration, fmtInt, fmtLevel, fmtLoss, fmtPct } from '../analyze/format.js';
import { backendShown } from './train.js';
import { checkById } from '../analyze/checks.js';
import { duplicateInputs, epochsSequence, followStoppedAt, gzipEndedEarly, runtimeChatter } from './checks.js';
import { plural } from './plural.js';

/** A "label: value" line of a list. */
export interface Fact {
  label: string;
  value: string;
}

export function overview(a: Analysis): string[] {
  const r = a.run;
  const model = a.model ? `model ${a.model.name ?? '(unnamed)'} (${fmtInt(a.model.parameters)} parameters)` : 'a model the log does not describe';
  const planned = r.epochs_planned === null ? '' : ` of ${r.epochs_planned} planned`;
  const out = [`This report analyses training run ${r.run_id}: ${model}, ${r.epochs_seen}${planned} ${r.epochs_planned === 1 || (r.epochs_planned === null && r.epochs_seen === 1) ? 'epoch' : 'epochs'} in the log (${r.format_title}).`];
  const read = readAsNote(a);
  if (read) out.push(read);
  if (a.final) {
    // the final metrics are stated in the key numbers and Results Analysis; the overview points there
    out.push(`Run outcome: ${r.outcome}. The final metrics are in the key numbers at the top and under Results Analysis.`);
  } else if (r.outcome === 'evaluation only') {
    out.push(`Run outcome: ${r.outcome}. The log holds an evaluation but no training epochs, so the training sections are empty; see Evaluation.`);
  } else {
    out.push(`Run outcome: ${r.outcome}. The log holds no epoch metrics, so most of this report is empty; see Checks and Data Quality.`);
  }
  return out;
}

/**
 * "Read from PyTorch Lightning progress bar: epochs the log numbers from 0 are numbered from 1 here.", or null: what the
 * reader changed in the log's numbers, said in the overview and in summary.md (which names epochs in its checks and next
 * steps, and has no overview: a PR comment's "epoch 68" is the log's "Epoch 67").
 */
export function readAsNote(a: Pick<Analysis, 'run'>): string | null {
  const r = a.run;
  return r.format_notes.length ? `Read from ${r.format_title}: ${r.format_notes.join('; ')}.` : null;
}

export function infrastructure(a: Analysis): Fact[] {
  const out: Fact[] = [];
  const rt = a.runtime;
  if (rt) {
    out.push({ label: 'TensorFlow.js backend', value: backendShown(rt.backend ?? 'not recorded', rt.backend_reason) });
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
    out.push({ label: 'Runtime', value: noStart(a, 'runtime') });
  }
  if (a.sources?.length) out.push({ label: 'Log source', value: a.sources.join(', ') });
  if (a.run.streams.length) out.push({ label: 'Log streams', value: a.run.streams.join(', ') });
  return out;
}

/**
 * Runtime and Configuration without a run_start: none in the log, or one on a line too long to read;
 * another trainer's text has no run_start to miss, so it says what is missing in its terms.
 */
function noStart(a: Analysis, what: 'runtime' | 'configuration'): string {
  if (a.run.start_unread) return 'unknown: its run_start event is on a line over 1 MiB, which could not be read (see Data Quality)';
  if (a.run.format === 'events') return 'unknown: the log has no run_start event';
  return what === 'runtime' ? 'unknown: the log does not say where or on what the run ran'
    : "unknown: the log does not say the run's settings (optimizer, batch size, seed, data)";
}

export function configuration(a: Analysis): Fact[] {
  const c = a.config;
  const out: Fact[] = [];
  if (a.model) {
    const layers = (a.model.layers ?? []).map((l) => `${l.type ?? '?'}(${(l.output_shape ?? []).map((d) => d ?? '?').join('×')})`).join(' → ');
    out.push({ label: 'Model', value: `${a.model.name ?? '(unnamed)'}, ${fmtInt(a.model.parameters)} parameters${layers ? `: ${layers}` : ''}` });
  }
  if (!c) {
    out.push({ label: 'Configuration', value: noStart(a, 'configuration') });
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
  if (c.log_every_batches) out.push({ label: 'Batch events', value: `${c.log_every_batches === 1 ? 'every batch' : `every ${fmtInt(c.log_every_batches)} batches`} (${fmtInt(a.run.batch_count)} logged)` });
  out.push({ label: 'Wall time', value: a.run.duration_ms !== null ? fmtDuration(a.run.duration_ms) : wallTimeUnknown(a) });
  return out;
}

/** The wall time of a run whose log gives none: no run_end, and its event times are one instant or absent. */
function wallTimeUnknown(a: Analysis): string {
  const t = a.run.first_time;
  return t !== null && t === a.run.last_time ? `not known (the log holds one moment of the run, ${t}, and no run_end: a time needs two)`
    : 'not known (the log has no run_end and no event times)';
}

/**
 * Where the test metrics come from, in the trainer's terms: mnist-train's run_end, Keras'
 * model.evaluate line after fit(), or the test line another trainer printed after training.
 */
export function testSource(a: Pick<Analysis, 'run'>): string {
  if (a.run.format === 'events') return 'run_end';
  if (a.run.format === 'keras2' || a.run.format === 'keras3') return "model.evaluate's line after fit()";
  return 'the test line printed after training';
}

/**
 * The test metrics' source opening a sentence: "run_end's test evaluation" (`reports`: "run_end reports a
 * test evaluation"), "The test evaluation model.evaluate printed after fit()" for Keras, which has no run_end.
 */
export function testEvaluation(a: Pick<Analysis, 'run'>, reports?: 'reports'): string {
  if (a.run.format === 'events') return reports ? 'run_end reports a test evaluation' : "run_end's test evaluation";
  if (a.run.format === 'keras2' || a.run.format === 'keras3') return 'The test evaluation model.evaluate printed after fit()';
  return 'The test evaluation printed after training';
}

/** The Results section's heading over the test metrics. */
export function testMetricsHeading(a: Pick<Analysis, 'run'>): string {
  return `Test Metrics (from ${testSource(a)})`;
}

/** The final epoch's training metrics, as the Results section lists them. */
export function finalTraining(a: Analysis): Fact[] {
  if (!a.final) return [];
  return [
    { label: 'Loss', value: fmtLoss(a.final.loss) },
    // how the value was made is said of a value, not of n/a
    { label: 'Accuracy', value: a.final.accuracy === null ? fmtPct(null) : `${fmtPct(a.final.accuracy)} (averaged over the epoch while the weights changed${a.generalization.has_dropout ? ', with dropout on' : ''})` },
  ];
}

/** The final epoch's validation metrics, with the accuracy's interval at the configured level. */
export function finalValidation(a: Analysis): Fact[] {
  if (!a.final) return [];
  const c = a.confidence;
  const ci = c ? ` (${fmtLevel(c.level)} Wilson interval ${fmtPct(c.low)} to ${fmtPct(c.high)}, n = ${fmtInt(c.n)})` : '';
  return [
    { label: 'Loss', value: fmtLoss(a.final.val_loss) },
    { label: 'Accuracy', value: `${fmtPct(a.final.val_accuracy)}${ci}` },
  ];
}

/** The Data Quality table's "Ignored" column in report.md: it names runtime chatter when the counts hold some. */
export function ignoredHeader(a: Analysis): string {
  const chatter = a.quality.runtime_chatter || a.input_quality?.whole.runtime_chatter || a.input_quality?.no_run?.runtime_chatter;
  return chatter ? 'Ignored (blank, progress, runtime chatter)' : 'Ignored (blank, progress)';
}

/**
 * The data-quality list under the counts table: that --follow stopped before the run's end (its
 * report then shows the log as read), how many ignored lines were the runtime's chatter,
 * then missing and repeated epochs (the epochs.sequence check's finding, quoted from it rather
 * than worded a second time).
 */
export function qualityEpochs(a: Analysis): string[] {
  const q = a.quality;
  const chatter = runtimeChatter(q);
  const twice = duplicateInputs(q);
  const out = [...(a.follow_stopped ? [followStoppedNote(a)] : []), ...(q.gzip_ended_early ? [gzipEndedEarly(q.gzip_ended_early, true)] : []),
    ...(chatter ? [chatter] : []), ...(twice ? [twice] : [])];
  if (!q.missing_epochs.length && !q.duplicate_epochs.length) return out;
  const finding = checkById(a.checks, 'epochs.sequence')?.message;
  return [...out, finding ?? epochsSequence(q.missing_epochs, q.duplicate_epochs)];
}

/** Data Quality's line on a report --follow wrote when it stopped before the run's end: when, why, and that later epochs may exist. */
function followStoppedNote(a: Analysis): string {
  const f = a.follow_stopped!;
  const last = a.epochs.at(-1)?.epoch;
  return `This report was written by --follow, which ${followStoppedAt(f)}${f.error !== null ? ` (${f.error})` : ''}: it shows the log as read then, ` +
    `and ${last === undefined ? 'epochs it does not hold' : `epochs after ${last}`} may exist.`;
}

/**
 * The Data Quality section's first line when the input holds records that do not count for this run
 * (other runs, or lines of no run); null when every record counts for it (the template says so then).
 */
export function qualityScope(a: Analysis): string | null {
  const i = a.input_quality;
  if (!i) return null;
  const noRun = i.no_run
    ? ` ${plural(i.no_run.records, 'record is', 'records are')} in a file or log stream without any run: ${i.no_run.records === 1 ? 'it counts' : 'they count'} for no run (the last row), so no run's verdict counts ${i.no_run.records === 1 ? 'it' : 'them'}.`
    : '';
  return `The first row is this run's: ${fmtInt(a.quality.records)} of the input's ${fmtInt(i.whole.records)} records, which the verdict and the data quality check count. ` +
    'A line of no run (unrecognised, blank, invalid, a fragment) counts for the run before it in its file or log stream, or for the first run there when it comes before any.' + noRun;
}

/**
 * The Data Quality line above the counts when every record read counts for this run (qualityScope is
 * null): what was read, before and after the sources' names. Read from a log group by run_id, the
 * lines of its streams without one were not read at all, and the line says so.
 */
export function qualityWhole(a: Analysis): { head: string; tail: string } {
  if (a.read_by_run_id) {
    return {
      head: 'Counts are for the events of this run read by its run_id',
      tail: ': lines of its log streams without a run_id (a traceback, a runtime warning) are not read by --run ID or --run latest, so no count here holds them; --run all reads them.',
    };
  }
  return { head: 'Counts are for the whole input', tail: ', all of which counts for this run.' };
}

/** The row labels of the Data Quality counts when the input holds more than this run (see qualityScope). */
export const QUALITY_ROWS = { run: 'This run', whole: 'Whole input', noRun: 'No run' } as const;

/** The heading line of the quoted unusable lines of no run (qualityScope). */
export function noRunLinesIntro(shown: number): string {
  return `Unusable lines of no run (the first ${shown}, quoted):`;
}

/** The heading line of the quoted unusable lines. */
export function unusableLinesIntro(shown: number): string {
  return `Unusable lines (the first ${shown}, quoted):`;
}

/**
 * Under Training Progress, when it shows both mnist-train's Duration and Samples/s: the two are timed
 * over different spans (src/train/loop.ts), so the training set's size over the duration is not the
 * samples per second shown. Null otherwise.
 */
export function progressNote(a: Analysis, shown: { duration_ms: boolean; samples_per_second: boolean }): string | null {
  if (a.run.format !== 'events' || !shown.duration_ms || !shown.samples_per_second) return null;
  return 'Duration is the whole epoch, its validation included; Samples/s is the training images over the training part alone, without the validation.';
}

/** Technical Details: how many epochs and batch events the log holds. */
export function epochsInLog(a: Analysis): string {
  const r = a.run;
  return `Epochs in the log: ${r.epochs_seen}${r.epochs_planned ? ` of ${r.epochs_planned} planned` : ''}; batch events: ${fmtInt(r.batch_count)}`;
}

/** The Evaluation table's interval column names its level: "95%". */
export function evaluationLevel(e: EvaluationAnalysis): string {
  return fmtLevel(e.level);
}

/** "Digit" for mnist-train's evaluation, "Class" for a scikit-learn table. */
export function evaluationNoun(e: EvaluationAnalysis): string {
  return e.source === 'mnist-train' ? 'Digit' : 'Class';
}

/** summary.md's line on the baseline: validation accuracy before and after, and the settings that changed. */
export function baselineLine(b: BaselineComparison): string {
  const va = baselineRow(b, 'val_accuracy');
  const acc = va ? `validation accuracy ${va.shown.baseline} → ${va.shown.current} (${va.shown.delta}, ${va.verdict})` : '';
  const settings = b.settings.length ? `; settings changed: ${b.settings.map((s) => `${s.setting} ${s.baseline} → ${s.current}`).join(', ')}` : '';
  return `${acc}${settings}.`;
}

/** The `--run all` index's line under its title (each template adds where the links go). */
export function indexIntro(generatedAt: string, runs: number): string {
  return `Generated ${generatedAt} by mnist-report: ${plural(runs, 'run', 'runs')}, newest first.`;
}

/** Where a section's charts would be in a report written to stdout (-o -): charts are files, so none are written then. */
export const CHARTS_NOT_WRITTEN = 'Charts are written only with an output folder (`-o DIR`), not with `-o -`.';

/**
 * summary.md's last line, after "_Run <id>, generated <time> by mnist-report" (Markdown, the run id
 * already escaped): where the full report is, when it was written beside the summary.
 */
export function summaryWhereFull(fullReportBeside: boolean): string {
  return fullReportBeside
    ? '; the full report (report.md, report.html, charts) is in the same folder of the artifact.'
    : '; only this summary was written (--format summary): run mnist-report without --format, or with md or html, for the full report.';
}
