// analyzeRun: one Run (+ the whole input's data quality) → the Analysis. Pure: no file,
// network, clock or random source; the generation time comes in as an option.

import type { DataQuality, Run } from '../types.js';
import type { Analysis, AnalyzeOptions, FollowStop, RunOutcome } from './types.js';
import { ANALYSIS_SCHEMA, DEFAULT_OPTIONS } from './types.js';
import { convergenceReading } from './convergence.js';
import { confidence, epochRows, finalAndBest, generalization, overfittingReading } from './metrics.js';
import { stabilityReading, timingReading } from './stability.js';
import { buildChecks } from './checks.js';
import { analyzeEvaluation } from './evaluation.js';
import { conclusion, nextSteps, observations } from '../wording/narrative.js';
import { formatNote } from '../wording/checks.js';
import { FORMAT_TITLES } from '../parse/formats.js';
import { withVerdict } from './verdict.js';
import { unusableLines } from '../runs/quality.js';
import { EXIT } from '../errors.js';

export interface AnalyzeRunOptions extends Partial<AnalyzeOptions> {
  /** ISO-8601 time written into the report (injected so reruns are byte-identical). */
  generatedAt: string;
  title?: string;
  /** Input paths or cloudwatch:<group>, for the report's Technical Details. */
  sources?: string[];
  /** The input's records that count for no run (ParsedLog.no_run), for the Data Quality section. */
  noRun?: DataQuality;
  /** Only this run's events were read, by its run_id (Analysis.read_by_run_id). */
  readByRunId?: boolean;
  /** --follow stopped before the run's end: this report is a live view as of then (Analysis.follow_stopped). */
  followStopped?: FollowStop;
  /** The latest run before this one in the input with epoch results (the CLI's --run latest), kept when this one has none yet. */
  earlierWithEpochs?: { run_id: string; epochs_seen: number };
}

/** `input`: the whole input's data quality; the run is judged by its own (run.quality), the input's is shown beside it. */
export function analyzeRun(run: Run, input: DataQuality, options: AnalyzeRunOptions): Analysis {
  const { generatedAt, title, sources, noRun, readByRunId, followStopped, earlierWithEpochs, ...overrides } = options;
  const o: AnalyzeOptions = { ...DEFAULT_OPTIONS, ...stripUndefined(overrides) };
  const rows = epochRows(run.epochs);
  const { final, best } = finalAndBest(rows);
  const planned = epochsOf(run);
  const outcome = runOutcome(run, rows);
  // trainer text's times are CloudWatch's event times (when its lines were shipped); our events carry their own
  const shipped = run.end?.duration_ms === undefined && run.format !== 'events' && run.first_time !== null;
  const timing = timingReading(rows, run.end?.duration_ms ?? spanMs(run.first_time, run.last_time), o, shipped, run.end?.duration_ms === undefined);
  const batchCount = run.batch_count;
  const evaluation = run.evaluation ? analyzeEvaluation(run.evaluation, o.level) : null;
  const classes = run.epochs.findLast((e) => e.classes !== undefined)?.classes;

  const readings = {
    schema: ANALYSIS_SCHEMA,
    generated_at: generatedAt,
    title: title ?? 'MNIST Training Results Analysis',
    sources: sources ?? [],
    run: {
      run_id: run.run_id,
      format: run.format,
      format_title: FORMAT_TITLES[run.format],
      format_notes: (run.format_notes ?? []).map(formatNote),
      streams: run.streams,
      outcome,
      error: runError(run, outcome),
      first_time: run.first_time,
      last_time: run.last_time,
      duration_ms: timing.total_ms,
      epochs_planned: planned,
      epochs_seen: rows.length,
      batch_count: batchCount,
      has_end_event: run.end !== null,
      ...(run.start_unread ? { start_unread: true as const } : {}),
      ...(classes !== undefined ? { classes } : {}),
      ...(earlierWithEpochs && outcome === 'no epochs' ? { earlier_with_epochs: earlierWithEpochs } : {}),
    },
    config: run.start?.config ?? null,
    model: run.start?.model ?? null,
    runtime: run.start?.runtime ?? null,
    epochs: rows,
    batches: run.batches,
    final,
    best,
    test: run.end && (run.end.test_accuracy !== undefined || run.end.test_loss !== undefined)
      ? { loss: run.end.test_loss ?? null, accuracy: run.end.test_accuracy ?? null } : run.text_test ?? null,
    generalization: generalization(run, rows),
    overfitting: overfittingReading(rows, o.patience),
    stability: stabilityReading(rows, run.batches, o),
    convergence: convergenceReading(rows, o.plateau_threshold),
    confidence: confidence(run, final, o, rows, evaluation),
    timing,
    quality: { ...run.quality, duplicate_epochs: run.duplicate_epochs, missing_epochs: run.missing_epochs },
    // absent when the run is the whole input (the common case), so its report.json is as it was
    ...(run.quality.records !== input.records ? { input_quality: { whole: input, no_run: noRun ?? null } } : {}),
    ...(readByRunId ? { read_by_run_id: true as const } : {}),
    ...(followStopped ? { follow_stopped: followStopped } : {}),
    // absent (not null) without one, so report.json of a run without an evaluation is as it was
    ...(evaluation ? { evaluation } : {}),
  };
  const withChecks = { ...readings, checks: buildChecks(readings, o) };
  // the verdict, then the conclusion (which opens with its findings) and the next steps, as after a comparison
  return withComparison({ ...withChecks, observations: observations(withChecks), conclusion: [], next_steps: [] });
}

/**
 * The analysis once a comparison has been added to it (the report CLI's --baseline and --history
 * steps): the verdict, the conclusion and the next steps read it, so they are decided again, the
 * verdict first: the conclusion quotes its findings of the comparisons rather than deciding them.
 */
export function withComparison(a: Omit<Analysis, 'verdict'>): Analysis {
  const decided = withVerdict(a);
  return { ...decided, conclusion: conclusion(decided, decided.verdict.findings), next_steps: nextSteps(decided) };
}

/**
 * How the run ended, from its end event or its epochs (--follow asks this of every batch without a whole analysis).
 * Trainer text that ends in a Python traceback (Run.raised) ended there: interrupted on KeyboardInterrupt (Ctrl-C,
 * SIGINT), failed on any other exception, even after its planned last epoch (the script died before its end); a log
 * of an evaluation alone stays one, judged on it, whatever crashed after it.
 */
export function runOutcome(run: Run, rows = epochRows(run.epochs)): RunOutcome {
  const planned = epochsOf(run);
  const lastEpoch = rows[rows.length - 1]?.epoch ?? 0;
  // Keras and tfjs-node print no end marker: reaching the planned last epoch is their "completed".
  const textDone = run.format !== 'events' && planned !== null && lastEpoch >= planned;
  const raised = run.raised ? (run.raised.name === INTERRUPT ? 'interrupted' : 'failed') : null;
  return run.end ? run.end.status : !rows.length ? (run.evaluation || run.evaluated ? 'evaluation only' : raised ?? 'no epochs') : raised ?? (textDone ? 'completed'
    : run.stopped_early ? 'stopped early' : run.format !== 'events' && planned === null ? 'end unknown' : 'incomplete');
}

/** The exception Python raises on Ctrl-C (SIGINT): the run was interrupted, not failed. */
const INTERRUPT = 'KeyboardInterrupt';

/** A failed run's error: run_end's, or the exception of the traceback trainer text ends in. */
function runError(run: Run, outcome: RunOutcome): { name: string; message: string } | null {
  if (run.end?.error) return { name: run.end.error.name ?? 'Error', message: run.end.error.message ?? '(no message)' };
  return outcome === 'failed' && !run.end && run.raised ? { name: run.raised.name, message: run.raised.message || '(no message)' } : null;
}

/** The planned epoch count: run_start's config, else what epoch records say. */
function epochsOf(run: Run): number | null {
  const configured = run.start?.config?.epochs;
  if (configured !== undefined) return configured;
  for (let i = run.epochs.length - 1; i >= 0; i--) {
    const e = run.epochs[i]!.epochs;
    if (e !== null) return e;
  }
  return null;
}

function spanMs(first: string | null, last: string | null): number | null {
  if (!first || !last) return null;
  const d = Date.parse(last) - Date.parse(first);
  return Number.isFinite(d) ? d : null;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A run with neither epochs nor an evaluation: nothing to judge, whatever its gates say (exit 2, or 4 for one not yet judged: nothingYet). */
export function nothingToJudge(a: Pick<Analysis, 'epochs' | 'evaluation'>): boolean {
  return !a.epochs.length && !a.evaluation;
}

/**
 * Nothing to judge yet: no epochs, no evaluation, and no end (no run_end, no traceback: outcome 'no epochs'),
 * and every line of the run was read. The run has started and is still in its first epoch, or stopped before
 * finishing it: not a failed run nor bad input, so it exits 4 (EXIT.notYet), which a CI job or cron can tell
 * from 0 and from 2. Lines that could not be read may be its epochs in a format mnist-report does not know:
 * that is bad input (2).
 */
export function nothingYet(a: Pick<Analysis, 'epochs' | 'evaluation' | 'run' | 'quality'>): boolean {
  return nothingToJudge(a) && a.run.outcome === 'no epochs' && unusableLines(a.quality) === 0;
}

/** The exit code of a run with nothing to judge (nothingToJudge): 4 when it is not judged yet, else 2 (bad input). */
export function nothingToJudgeExit(a: Pick<Analysis, 'epochs' | 'evaluation' | 'run' | 'quality'>): number {
  return nothingYet(a) ? EXIT.notYet : EXIT.usage;
}
