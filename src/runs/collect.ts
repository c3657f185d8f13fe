// Log records → runs. One pass, bounded memory:
//   records (one at a time, or in arrays as the file source hands them over)
//   record ──▶ drop a CloudWatch duplicate (same eventId)                     dedupe.ts
//          ──▶ parseLine with the state of its stream
//          ──▶ drop an mnist-train event seen before in the same stream, byte for byte
//          ──▶ count it in DataQuality (quote the first few unusable lines)
//          ──▶ add it to its run: our events by run_id; trainer text by stream, or by file
//   end    ──▶ epochs sorted (the latest-logged occurrence wins), duplicate and missing epochs, runs by first time

import { basename, dirname } from 'node:path';
import type { ReadEvaluationEvent, ReadEvent, ReadTrainEvent } from '../events.js';
import type { CalibrationBin, EvaluationRecord, WrongImage } from '../evaluation.js';
import type { LineFormat } from '../parse/format.js';
import { createParseState, parseLine, type ParseResult, type ParseState, type TextFormat } from '../parse/line.js';
import { isoTime } from '../parse/text.js';
import type { EpochEvaluation, EpochRange, EpochRecord, FormatNote, LogFormat, LogRecord, ParsedLog, Run } from '../types.js';
import { BatchSampler } from './batches.js';
import { EventIdDedupe, MessageDedupe } from './dedupe.js';
import { emptyQuality, GapCounter, implausibleEpoch, implausibleMatrix, quoteExample, withinDepth } from './quality.js';

interface RunBuilder {
  run_id: string;
  order: number;
  format: LogFormat | null;
  headerFormat: TextFormat | null;
  streams: Set<string>;
  start: Run['start'];
  end: Run['end'];
  epochs: Map<number, EpochRecord>;
  duplicates: Set<number>;
  batches: BatchSampler;
  first_time: string | null;
  last_time: string | null;
  notes: Set<FormatNote>;
  test: Run['text_test'];
  stopped: boolean;
  evaluation: EvaluationRecord | null;
  epoch_evaluations: Map<number, EpochEvaluation>;
}

export interface CollectOptions {
  /** --log-format: read every text line as this format only. */
  format?: LineFormat | null;
}

export async function collectRuns(records: AsyncIterable<LogRecord | readonly LogRecord[]>, options: CollectOptions = {}): Promise<ParsedLog> {
  const forced = options.format ?? null;
  const quality = emptyQuality();
  const gaps = new GapCounter();
  const dedupe = new EventIdDedupe();
  const states = new Map<string, ParseState>();
  const messages = new Map<string, MessageDedupe>();
  const runs = new Map<string, RunBuilder>();
  let lastSource: string | null = null;
  let lastStream: string | null = null;
  let state: ParseState = createParseState(forced);
  // Only log streams (CloudWatch, aws exports) repeat deliveries; a plain file's lines are taken as written.
  let seenMessages: MessageDedupe | null = null;
  // The run id of trainer text in the current source and stream (textRunId), once per switch
  // or per fit() in the stream (ParseState.segment).
  let textId: string | null = null;
  const textNames = new TextRunNames();
  let textSegment = 0;
  // Consecutive records nearly always belong to the same run: skip the map lookup.
  let lastRun: RunBuilder | null = null;

  const runFor = (id: string): RunBuilder => {
    if (lastRun !== null && lastRun.run_id === id) return lastRun;
    let b = runs.get(id);
    if (!b) {
      b = {
        run_id: id, order: runs.size, format: null, headerFormat: null, streams: new Set(), start: null, end: null,
        epochs: new Map(), duplicates: new Set(), batches: new BatchSampler(), first_time: null, last_time: null,
        notes: new Set(), test: null, stopped: false, evaluation: null, epoch_evaluations: new Map(),
      };
      runs.set(id, b);
    }
    return (lastRun = b);
  };

  const add = (record: LogRecord): void => {
    quality.records++;
    if (record.eventId !== null && dedupe.has(record.eventId)) {
      quality.duplicate_records++;
      return;
    }
    if (record.source !== lastSource || record.stream !== lastStream) {
      const key = `${record.source}\n${record.stream ?? ''}`;
      let s = states.get(key);
      if (!s) states.set(key, (s = createParseState(forced)));
      state = s;
      seenMessages = null;
      if (record.stream !== null) {
        seenMessages = messages.get(key) ?? null;
        if (!seenMessages) messages.set(key, (seenMessages = new MessageDedupe()));
      }
      lastSource = record.source;
      lastStream = record.stream;
      textId = null;
      textSegment = state.segment;
    }
    const r = parseLine(record, state);
    if (record.blankLines) {
      // the blank lines after this one, counted as the parser would have (ignored)
      quality.records += record.blankLines;
      quality.ignored += record.blankLines;
    }
    if (record.eventId !== null) dedupe.add(record.eventId, keepsForever(r));
    switch (r.kind) {
      case 'event': {
        if (seenMessages !== null && seenMessages.seen(record.message, keepsForever(r))) {
          quality.duplicate_records++;
          break;
        }
        const bad = r.event.event === 'evaluation' ? implausibleMatrix(r.event.confusion_matrix)
          : implausibleEpoch(r.event.event === 'epoch_end' ? r.event.epoch : null);
        if (bad) {
          quality.invalid_events++;
          quoteExample(quality, record, `invalid mnist-train/1 event: ${bad}`);
          break;
        }
        quality.recognised++;
        const b = runFor(r.event.run_id);
        b.format = 'events';
        b.streams.add(record.stream ?? record.source);
        // an event without a time of its own has its record's (CloudWatch's) time, if any
        const time = r.event.time !== undefined ? normaliseTime(r.event.time) : isoTime(record.timestamp);
        touch(b, time);
        addEvent(b, r.event, time);
        if (r.gaps) gaps.addGaps(r.gaps);
        break;
      }
      case 'unknown_event':
        quality.recognised++;
        gaps.addUnknownEvent(r.name);
        break;
      case 'header':
      case 'epoch':
      case 'batch':
      case 'test':
      case 'stopped': {
        const bad = implausibleEpoch(r.kind === 'epoch' ? r.epoch.epoch : null);
        if (bad) {
          quality.unrecognised++;
          quoteExample(quality, record, bad);
          break;
        }
        quality.recognised++;
        if (state.segment !== textSegment) {
          textSegment = state.segment;
          textId = null;
        }
        const b = runFor((textId ??= textRunId(textNames.base(record), state.segment)));
        b.streams.add(record.stream ?? record.source);
        touch(b, isoTime(record.timestamp));
        if (r.kind === 'header') b.headerFormat ??= r.format;
        else if (b.format === null && (r.kind === 'epoch' || r.kind === 'batch')) b.format = r.format;
        // a trainer may print test loss and accuracy on two lines
        if (r.kind === 'test') b.test = { loss: r.loss ?? b.test?.loss ?? null, accuracy: r.accuracy ?? b.test?.accuracy ?? null };
        if (r.kind === 'stopped') b.stopped = true;
        if (r.kind === 'epoch') {
          for (const e of r.earlier ?? []) addEpoch(b, e, r.revise === true);
          addEpoch(b, r.epoch, r.revise === true);
        }
        if (r.kind === 'batch') b.batches.add(r.batch);
        for (const n of state.notes) b.notes.add(n);
        break;
      }
      case 'evaluation': {
        quality.recognised++;
        const b = runFor((textId ??= textRunId(textNames.base(record), state.segment)));
        b.streams.add(record.stream ?? record.source);
        if (r.evaluation) b.evaluation = r.evaluation;
        // a log of scikit-learn's tables alone; with trainer text beside them, the trainer names the format
        b.headerFormat ??= 'scikit-learn';
        break;
      }
      case 'ignored':
        quality.ignored++;
        break;
      case 'unrecognised':
        quality.unrecognised++;
        quoteExample(quality, record, r.reason);
        break;
      case 'fragment':
        quality.fragments++;
        quoteExample(quality, record, 'fragment: part of a line that awslogs cut at 256 KB');
        break;
      case 'invalid':
        quality.invalid_events++;
        quoteExample(quality, record, `invalid mnist-train/1 event: ${r.errors.join('; ')}`);
        break;
      default:
        return unhandled(r);
    }
  };

  for await (const item of records) {
    if (isRecordArray(item)) {
      for (let i = 0; i < item.length; i++) add(item[i]!);
    } else add(item);
  }
  gaps.finish(quality);
  return { runs: [...runs.values()].sort(byFirstSeen).map(finish), quality };
}

/** A kind of parse result or event that a switch above does not handle is a compile error here. */
function unhandled(x: never): never {
  throw new Error(`unhandled: ${JSON.stringify(x)}`);
}

function isRecordArray(item: LogRecord | readonly LogRecord[]): item is readonly LogRecord[] {
  return Array.isArray(item);
}

function addEvent(b: RunBuilder, e: ReadTrainEvent, time: string | null): void {
  switch (e.event) {
    case 'run_start': b.start = withinDepth(e); break;
    case 'run_end': b.end = withinDepth(e); break;
    case 'epoch_end': addEpoch(b, fromEpochEvent(e, time)); break;
    case 'batch_end': b.batches.add(e); break;
    case 'evaluation': {
      const m = e.confusion_matrix;
      const size = e.size ?? m.reduce((t, row) => t + row.reduce((a, x) => a + x, 0), 0);
      if (e.scope === 'epoch' && e.epoch !== undefined) {
        b.epoch_evaluations.set(e.epoch, { epoch: e.epoch, set: e.set, size, confusion_matrix: m });
      } else b.evaluation = fromEvaluationEvent(e);
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

function addEpoch(b: RunBuilder, rec: EpochRecord, revise = false): void {
  // A restarted task logs the same epochs again; its later numbers win. Later by their time
  // when both have one: a run read from two streams need not arrive in time order.
  const had = b.epochs.get(rec.epoch);
  if (had && !revise) {
    b.duplicates.add(rec.epoch);
    if (had.time !== null && rec.time !== null && normaliseTime(rec.time) < normaliseTime(had.time)) return;
  }
  b.epochs.set(rec.epoch, rec);
}

function fromEpochEvent(e: ReadEvent<'epoch_end'>, time: string | null): EpochRecord {
  return {
    epoch: e.epoch, epochs: e.epochs ?? null, loss: e.loss ?? null, accuracy: e.accuracy ?? null, val_loss: e.val_loss ?? null,
    val_accuracy: e.val_accuracy ?? null, duration_ms: e.duration_ms ?? null, samples_per_second: e.samples_per_second ?? null,
    time, non_finite: e.non_finite ?? [],
    ...(e.memory && typeof e.memory.rss_bytes === 'number' && typeof e.memory.heap_used_bytes === 'number'
      ? { memory: { rss_bytes: e.memory.rss_bytes, heap_used_bytes: e.memory.heap_used_bytes, ...(e.memory.tensors !== undefined ? { tensors: e.memory.tensors } : {}) } } : {}),
  };
}

function finish(b: RunBuilder): Run {
  const epochs = [...b.epochs.values()].sort((x, y) => x.epoch - y.epoch);
  const missing: EpochRange[] = [];
  let expected = 1;
  for (const e of epochs) {
    if (e.epoch > expected) missing.push({ first: expected, last: e.epoch - 1 });
    expected = e.epoch + 1;
  }
  return {
    run_id: b.run_id,
    format: b.format ?? b.headerFormat ?? 'events',
    streams: [...b.streams],
    start: b.start,
    epochs,
    batches: b.batches.points(),
    batch_count: b.batches.count,
    end: b.end,
    duplicate_epochs: [...b.duplicates].sort((x, y) => x - y),
    missing_epochs: missing,
    first_time: b.first_time,
    last_time: b.last_time,
    format_notes: [...b.notes],
    text_test: b.test,
    stopped_early: b.stopped,
    evaluation: b.evaluation,
    epoch_evaluations: [...b.epoch_evaluations.values()].sort((x, y) => x.epoch - y.epoch),
  };
}

/** Runs with no time at all (local text logs) first in the order seen, then by first time: latest last. */
function byFirstSeen(a: RunBuilder, b: RunBuilder): number {
  if (a.first_time === null || b.first_time === null) {
    if (a.first_time !== b.first_time) return a.first_time === null ? -1 : 1;
    return a.order - b.order;
  }
  return a.first_time < b.first_time ? -1 : a.first_time > b.first_time ? 1 : a.order - b.order;
}

function touch(b: RunBuilder, time: string | null): void {
  if (time === null) return;
  if (b.first_time === null || time < b.first_time) b.first_time = time;
  if (b.last_time === null || time > b.last_time) b.last_time = time;
}

/** Event times compare as strings once they all have toISOString's shape (24 characters, ms, Z). */
function normaliseTime(time: string): string {
  if (time.length === 24) return time;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? time : new Date(ms).toISOString();
}

/**
 * Trainer text has no run id: its stream names the run, or else the file (without
 * extensions); the second fit() in it is "<name>-fit2", and so on.
 */
function textRunId(base: string, segment: number): string {
  return segment === 0 ? base : `${base}-fit${segment + 1}`;
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
class TextRunNames {
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

function keepsForever(r: ParseResult): boolean {
  return r.kind === 'epoch' || r.kind === 'header' || r.kind === 'test' || r.kind === 'stopped' || r.kind === 'evaluation' || (r.kind === 'event' && r.event.event !== 'batch_end');
}
