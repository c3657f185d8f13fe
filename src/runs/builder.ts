// One run as it is being collected (RunBuilder), and the Run it stands for at any moment (finish).
// The collector (collect.ts) decides which run a record belongs to; this file adds it there.

import { basename, dirname } from 'node:path';
import type { ReadEvaluationEvent, ReadEvent, ReadTrainEvent } from '../events.js';
import type { CalibrationBin, EvaluationRecord, WrongImage } from '../evaluation.js';
import type { TextFormat } from '../parse/line.js';
import type { EpochEvaluation, EpochRange, EpochRecord, FormatNote, LogFormat, LogRecord, RaisedException, Run } from '../types.js';
import { BatchSampler } from './batches.js';
import { MAX_EPOCH, QualityCounter, withinDepth } from './quality.js';

export interface RunBuilder {
  run_id: string;
  order: number;
  format: LogFormat | null;
  headerFormat: TextFormat | null;
  streams: Set<string>;
  start: Run['start'];
  end: Run['end'];
  epochs: Map<number, EpochRecord>;
  // Made at their first entry: most runs have none, and an empty Set or Map is ~250 bytes
  // (10,000 runs of a Logs Insights --list: ~8 MB of empty tables).
  duplicates: Set<number> | null;
  batches: BatchSampler;
  first_time: string | null;
  last_time: string | null;
  /**
   * The latest first time of the runs before this one in the input when it began: a run with no time of its
   * own (trainer text in a local file) is placed after those (byFirstSeen). Null: none before it had a time.
   */
  after: string | null;
  notes: Set<FormatNote> | null;
  test: Run['text_test'];
  stopped: boolean;
  /** The exception of a Python traceback with nothing of the run after it yet (Run.raised). */
  raised: RaisedException | null;
  /**
   * The lines of Python tracebacks counted for this run since its last line of its own: once `raised`
   * is set, the lines of the traceback it ended in (DataQuality.traceback, collect.ts).
   */
  tracebackLines: number;
  evaluation: EvaluationRecord | null;
  epoch_evaluations: Map<number, EpochEvaluation> | null;
  /** How many records the collector had been given when this run last got one (1-based): where the run ends in the input. */
  last_record: number;
  /** Kept as a summary (summaryEpoch; no batch points, no evaluation): Run.summary. */
  summary: boolean;
  /** It had a final evaluation (kept or, in a summary, not: Run.evaluated). */
  evaluated: boolean;
  /** The data quality of the records counted for this run (collect.ts says which); null for a run that only holds its place. */
  quality: QualityCounter | null;
  /** Its run_start event is on a line over 1 MiB, which could not be read (Run.start_unread). */
  startUnread: boolean;
}

/** `counted`: the run's data quality is counted (not for a run that only holds its place, CollectOptions.keepRun). */
export function newRunBuilder(run_id: string, order: number, summary = false, counted = true, after: string | null = null): RunBuilder {
  const quality = counted ? new QualityCounter() : null;
  if (quality && summary) quality.dropQuotes();
  return {
    run_id, order, format: null, headerFormat: null, streams: new Set(), start: null, end: null,
    epochs: new Map(), duplicates: null, batches: new BatchSampler(), first_time: null, last_time: null, after,
    notes: null, test: null, stopped: false, raised: null, tracebackLines: 0, evaluation: null, epoch_evaluations: null, last_record: 0, summary,
    evaluated: false, quality, startUnread: false,
  };
}

/**
 * Forgets what a run holds beyond where it sits in the input (id, format, times, last record),
 * for a read that only places runs (--run all's first read): ~12 KB a run otherwise.
 */
export function dropDetail(b: RunBuilder): void {
  b.start = null;
  b.end = null;
  b.epochs.clear();
  b.duplicates = null;
  b.test = null;
  dropPointsAndEvaluations(b);
}

/** Makes a run whole so far a summary (collect.ts, CollectOptions.summaries): what it held beyond that is let go. */
export function summarise(b: RunBuilder): void {
  if (b.summary) return;
  b.summary = true;
  for (const [n, e] of b.epochs) b.epochs.set(n, summaryEpoch(e));
  b.quality?.dropQuotes();
  dropPointsAndEvaluations(b);
}

function dropPointsAndEvaluations(b: RunBuilder): void {
  if (b.batches.count) b.batches = new BatchSampler();
  b.evaluation = null;
  b.epoch_evaluations = null;
}

/** A batch point, kept unless the run is a summary (which keeps none). */
export function addBatch(b: RunBuilder, point: Parameters<BatchSampler['add']>[0]): void {
  if (!b.summary) b.batches.add(point);
}

/** The run's evaluation, kept unless the run is a summary (which keeps none). */
export function setEvaluation(b: RunBuilder, evaluation: EvaluationRecord): void {
  b.evaluated = true;
  if (!b.summary) b.evaluation = evaluation;
}

export function addEvent(b: RunBuilder, e: ReadTrainEvent, time: string | null): void {
  switch (e.event) {
    case 'run_start': b.start = withinDepth(e); break;
    case 'run_end': b.end = withinDepth(e); break;
    case 'epoch_end': addEpoch(b, fromEpochEvent(e, time)); break;
    case 'batch_end': addBatch(b, e); break;
    case 'evaluation': {
      if (b.summary) {
        if (e.scope !== 'epoch' || e.epoch === undefined) b.evaluated = true;
        break;
      }
      const m = e.confusion_matrix;
      const size = e.size ?? m.reduce((t, row) => t + row.reduce((a, x) => a + x, 0), 0);
      if (e.scope === 'epoch' && e.epoch !== undefined) {
        (b.epoch_evaluations ??= new Map()).set(e.epoch, { epoch: e.epoch, set: e.set, size, confusion_matrix: m });
      } else setEvaluation(b, fromEvaluationEvent(e));
      break;
    }
    default: unhandled(e);
  }
}

/**
 * The reader may hand over an evaluation with bins or images that lack fields (counted
 * as field gaps); only whole ones are used, so a chart never draws half a bin.
 */
function fromEvaluationEvent(e: ReadEvaluationEvent): EvaluationRecord {
  return {
    source: 'mnist-train', set: e.set, loss: e.loss ?? null, labels: e.confusion_matrix.map((_, i) => String(i)),
    confusion_matrix: e.confusion_matrix, reported: null,
    calibration: e.calibration?.filter(isWhole<CalibrationBin>(['lower', 'upper', 'count', 'mean_confidence', 'accuracy'])) ?? null,
    most_confident_wrong: e.most_confident_wrong?.filter(isWhole<WrongImage>(['index', 'label', 'predicted', 'confidence', 'pixels'])) ?? [],
  };
}

function isWhole<T>(keys: readonly (keyof T)[]): (x: Partial<T>) => x is T {
  return (x): x is T => keys.every((k) => x[k] !== undefined);
}

export function addEpoch(b: RunBuilder, rec: EpochRecord, revise = false): void {
  if (b.summary) rec = summaryEpoch(rec);
  // A restarted task logs the same epochs again; its later numbers win. Later by their time
  // when both have one: a run read from two streams need not arrive in time order.
  const had = b.epochs.get(rec.epoch);
  if (had && !revise) {
    (b.duplicates ??= new Set()).add(rec.epoch);
    if (had.time !== null && rec.time !== null && normaliseTime(rec.time) < normaliseTime(had.time)) return;
  }
  b.epochs.set(rec.epoch, rec);
}

/** One frozen empty list for every epoch with no NaN/Infinity (an array each was ~3 MB at 10,000 runs of 10 epochs). */
const NONE_NON_FINITE = Object.freeze([]) as unknown as string[];

/**
 * What a summary run keeps of an epoch: its number, the planned count, the validation metrics and
 * the time (which of two records of one epoch wins), the rest null. A listing reads the outcome,
 * the epochs seen and the final validation accuracy; a history the final validation accuracy
 * and loss. At 10,000 runs of 10 epochs the whole records (training metrics, timings, memory,
 * each number a heap object) were ~26 MB of the ~40 MB the runs held.
 */
function summaryEpoch(e: EpochRecord): EpochRecord {
  return {
    epoch: e.epoch, epochs: e.epochs, loss: null, accuracy: null, val_loss: e.val_loss, val_accuracy: e.val_accuracy,
    duration_ms: null, samples_per_second: null, time: e.time,
    non_finite: e.non_finite.length ? e.non_finite.filter((f) => f === 'val_loss' || f === 'val_accuracy') : NONE_NON_FINITE,
  };
}

function fromEpochEvent(e: ReadEvent<'epoch_end'>, time: string | null): EpochRecord {
  return {
    epoch: e.epoch, epochs: e.epochs ?? null, loss: e.loss ?? null, accuracy: e.accuracy ?? null, val_loss: e.val_loss ?? null,
    val_accuracy: e.val_accuracy ?? null, duration_ms: e.duration_ms ?? null, samples_per_second: e.samples_per_second ?? null,
    time, non_finite: e.non_finite ?? NONE_NON_FINITE,
    ...(e.memory && typeof e.memory.rss_bytes === 'number' && typeof e.memory.heap_used_bytes === 'number'
      ? { memory: { rss_bytes: e.memory.rss_bytes, heap_used_bytes: e.memory.heap_used_bytes, ...(e.memory.tensors !== undefined ? { tensors: e.memory.tensors } : {}) } } : {}),
  };
}

export function finish(b: RunBuilder): Run {
  const epochs = [...b.epochs.values()].sort((x, y) => x.epoch - y.epoch);
  const missing: EpochRange[] = [];
  let expected = 1;
  for (const e of epochs) {
    if (e.epoch > expected) missing.push({ first: expected, last: e.epoch - 1 });
    expected = e.epoch + 1;
  }
  // epochs run_end counts past the log's last one (a CloudWatch filter that dropped epoch_end lines): the
  // run's, missing from the log, so that nothing is judged as if the run had ended where its log does
  const counted = b.end?.epochs_completed;
  if (counted !== undefined && counted >= expected && counted <= MAX_EPOCH) missing.push({ first: expected, last: counted });
  const format = b.format ?? b.headerFormat ?? 'events';
  return {
    run_id: b.run_id,
    format,
    streams: [...b.streams],
    start: b.start,
    epochs,
    batches: b.batches.points(),
    batch_count: b.batches.count,
    end: b.end,
    duplicate_epochs: b.duplicates ? [...b.duplicates].sort((x, y) => x - y) : [],
    missing_epochs: missing,
    first_time: b.first_time,
    last_time: b.last_time,
    format_notes: b.notes ? [...b.notes] : [],
    text_test: b.test,
    stopped_early: b.stopped,
    // a Python traceback is no end of mnist-train's (Node) runs, which write run_end
    ...(b.raised !== null && format !== 'events' ? { raised: b.raised } : {}),
    evaluation: b.evaluation,
    epoch_evaluations: b.epoch_evaluations ? [...b.epoch_evaluations.values()].sort((x, y) => x.epoch - y.epoch) : [],
    quality: (b.quality ?? new QualityCounter()).result(),
    ...(b.summary ? { summary: true as const } : {}),
    ...(b.summary && b.evaluated ? { evaluated: true as const } : {}),
    ...(b.startUnread && b.start === null ? { start_unread: true as const } : {}),
  };
}

/**
 * Oldest first, latest last: by first time; a run with no time (trainer text in a local file, whose place in
 * the input is all there is to go by) right after the runs with times that came before it in the input
 * (`after`), and runs of the same place in the order they began. A text log after an mnist-train run in a
 * file is the later of the two, one before it the earlier.
 */
export function byFirstSeen(a: RunBuilder, b: RunBuilder): number {
  const [ta, tb] = [a.first_time ?? a.after, b.first_time ?? b.after];
  if (ta !== tb) return ta === null ? -1 : tb === null ? 1 : ta < tb ? -1 : 1;
  // at the same time, a run of that time before the runs without one placed after it
  if ((a.first_time === null) !== (b.first_time === null)) return a.first_time === null ? 1 : -1;
  return a.order - b.order;
}

export function touch(b: RunBuilder, time: string | null): void {
  if (time === null) return;
  // first_time <= last_time, so a time after the last (nearly every line of a log) is not before the first
  if (b.first_time === null || b.last_time === null) {
    b.first_time = time;
    b.last_time = time;
  } else if (time > b.last_time) b.last_time = time;
  else if (time < b.first_time) b.first_time = time;
}

/** Event times compare as strings once they all have toISOString's shape (24 characters, ms, Z). */
export function normaliseTime(time: string): string {
  if (time.length === 24) return time;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? time : new Date(ms).toISOString();
}

/**
 * Trainer text has no run id: its stream names the run, or else the file (without
 * extensions); the second fit() in it is "<name>-fit2", and so on.
 */
export function textRunId(base: string, segment: number): string {
  return segment === 0 ? base : `${base}-fit${segment + 1}`;
}

/** The names textRunId can have made `id` from, the whole id first: "job-fit2" is stream "job-fit2"'s first fit or stream "job"'s second. */
export function textRunBases(id: string): string[] {
  const fit = /^(.+)-fit([2-9]|[1-9]\d+)$/.exec(id);
  return fit ? [id, fit[1]!] : [id];
}

function baseTextRunId(record: LogRecord): string {
  if (record.stream !== null) return record.stream;
  if (record.source === '-') return 'stdin';
  const name = basename(record.source).replace(/\.gz$/i, '');
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/**
 * Trainer text is named by its stream, or by its file without the extension. Two files of
 * the same name (in different folders) are two runs, not one (Lightning writes metrics.csv into every version_N/
 * folder): the second is named with its folder too, and a number if that is taken as well.
 */
export class TextRunNames {
  private readonly bySource = new Map<string, string>();
  private readonly taken = new Set<string>();

  base(record: LogRecord): string {
    // a log stream is one run wherever it was read from (two exports of it overlap)
    if (record.stream !== null || record.source === '-') return baseTextRunId(record);
    let name = this.bySource.get(record.source);
    if (name !== undefined) return name;
    name = baseTextRunId(record);
    if (this.taken.has(name)) {
      const folder = basename(dirname(record.source));
      if (folder && folder !== '.' && folder !== '/') name = `${folder}-${name}`;
    }
    for (let n = 2, first = name; this.taken.has(name); n++) name = `${first}-${n}`;
    this.taken.add(name);
    this.bySource.set(record.source, name);
    return name;
  }
}

/** A kind of parse result or event that a switch does not handle is a compile error there. */
export function unhandled(x: never): never {
  throw new Error(`unhandled: ${JSON.stringify(x)}`);
}

