// Log records → runs. One pass, bounded memory:
//   records (one at a time, or in arrays as the file source hands them over)
//   record ──▶ drop a CloudWatch duplicate (same eventId)
//          ──▶ parseLine with the state of its stream
//          ──▶ count it in DataQuality (quote the first few unusable lines)
//          ──▶ add it to its run: our events by run_id; trainer text by stream, or by file
//   end    ──▶ epochs sorted (last occurrence wins), duplicate and missing epochs, runs by first time

import { basename } from 'node:path';
import type { EpochEndEvent, EvaluationEvent, TrainEvent } from '../events.js';
import type { EvaluationRecord } from '../evaluation.js';
import { createParseState, parseLine, type ParseResult, type ParseState, type TextFormat } from '../parse/line.js';
import { isoTime } from '../parse/text.js';
import type { EpochEvaluation, EpochRecord, LogFormat, LogRecord, ParsedLog, Run } from '../types.js';
import { BatchSampler } from './runs-batches.js';
import { emptyQuality, quoteExample } from './runs-quality.js';

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
  evaluation: EvaluationRecord | null;
  epoch_evaluations: Map<number, EpochEvaluation>;
}

export async function collectRuns(records: AsyncIterable<LogRecord | readonly LogRecord[]>): Promise<ParsedLog> {
  const quality = emptyQuality();
  const dedupe = new EventIdDedupe();
  const states = new Map<string, ParseState>();
  const runs = new Map<string, RunBuilder>();
  let lastSource: string | null = null;
  let lastStream: string | null = null;
  let state: ParseState = createParseState();
  // The run id of trainer text in the current source and stream (textRunId), once per switch.
  let textId: string | null = null;
  // Consecutive records nearly always belong to the same run: skip the map lookup.
  let lastRun: RunBuilder | null = null;

  const runFor = (id: string): RunBuilder => {
    if (lastRun !== null && lastRun.run_id === id) return lastRun;
    let b = runs.get(id);
    if (!b) {
      b = {
        run_id: id, order: runs.size, format: null, headerFormat: null, streams: new Set(), start: null, end: null,
        epochs: new Map(), duplicates: new Set(), batches: new BatchSampler(), first_time: null, last_time: null,
        evaluation: null, epoch_evaluations: new Map(),
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
      if (!s) states.set(key, (s = createParseState()));
      state = s;
      lastSource = record.source;
      lastStream = record.stream;
      textId = null;
    }
    const r = parseLine(record, state);
    if (record.eventId !== null) dedupe.add(record.eventId, keepsForever(r));
    switch (r.kind) {
      case 'event': {
        quality.recognised++;
        const b = runFor(r.event.run_id);
        b.format = 'events';
        b.streams.add(record.stream ?? record.source);
        touch(b, normaliseTime(r.event.time));
        addEvent(b, r.event);
        break;
      }
      case 'header':
      case 'epoch':
      case 'batch': {
        quality.recognised++;
        const b = runFor((textId ??= textRunId(record)));
        b.streams.add(record.stream ?? record.source);
        touch(b, isoTime(record.timestamp));
        if (r.kind === 'header') b.headerFormat ??= r.format;
        else if (b.format === null) b.format = r.format;
        if (r.kind === 'epoch') addEpoch(b, r.epoch);
        if (r.kind === 'batch') b.batches.add(r.batch);
        break;
      }
      case 'evaluation': {
        quality.recognised++;
        const b = runFor((textId ??= textRunId(record)));
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
    }
  };

  for await (const item of records) {
    if (isRecordArray(item)) {
      for (let i = 0; i < item.length; i++) add(item[i]!);
    } else add(item);
  }
  return { runs: [...runs.values()].sort(byFirstSeen).map(finish), quality };
}

function isRecordArray(item: LogRecord | readonly LogRecord[]): item is readonly LogRecord[] {
  return Array.isArray(item);
}

function addEvent(b: RunBuilder, e: TrainEvent): void {
  switch (e.event) {
    case 'run_start': b.start = e; break;
    case 'run_end': b.end = e; break;
    case 'epoch_end': addEpoch(b, fromEpochEvent(e)); break;
    case 'batch_end': b.batches.add(e); break;
    case 'evaluation':
      if (e.scope === 'epoch' && e.epoch !== undefined) {
        b.epoch_evaluations.set(e.epoch, { epoch: e.epoch, set: e.set, size: e.size, confusion_matrix: e.confusion_matrix });
      } else b.evaluation = fromEvaluationEvent(e);
      break;
  }
}

function fromEvaluationEvent(e: EvaluationEvent): EvaluationRecord {
  return {
    source: 'mnist-train', set: e.set, loss: e.loss ?? null, labels: e.confusion_matrix.map((_, i) => String(i)),
    confusion_matrix: e.confusion_matrix, reported: null, calibration: e.calibration ?? null, most_confident_wrong: e.most_confident_wrong ?? [],
  };
}

function addEpoch(b: RunBuilder, rec: EpochRecord): void {
  // A restarted task logs the same epochs again; its later numbers win.
  if (b.epochs.has(rec.epoch)) b.duplicates.add(rec.epoch);
  b.epochs.set(rec.epoch, rec);
}

function fromEpochEvent(e: EpochEndEvent): EpochRecord {
  return {
    epoch: e.epoch, epochs: e.epochs, loss: e.loss, accuracy: e.accuracy, val_loss: e.val_loss, val_accuracy: e.val_accuracy,
    duration_ms: e.duration_ms, samples_per_second: e.samples_per_second, time: e.time, non_finite: e.non_finite ?? [],
  };
}

function finish(b: RunBuilder): Run {
  const epochs = [...b.epochs.values()].sort((x, y) => x.epoch - y.epoch);
  const last = epochs.length ? epochs[epochs.length - 1]!.epoch : 0;
  const missing: number[] = [];
  for (let n = 1; n <= last; n++) if (!b.epochs.has(n)) missing.push(n);
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

/** Trainer text has no run id: its stream names the run, or else the file (without extensions). */
function textRunId(record: LogRecord): string {
  if (record.stream !== null) return record.stream;
  if (record.source === '-') return 'stdin';
  const name = basename(record.source).replace(/\.gz$/i, '');
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

function keepsForever(r: ParseResult): boolean {
  return r.kind === 'epoch' || r.kind === 'header' || r.kind === 'evaluation' || (r.kind === 'event' && r.event.event !== 'batch_end');
}

/**
 * CloudWatch hands the same event out twice when pages or streams overlap, or when
 * two exports are read together. Ids of epochs and run boundaries are kept for the
 * whole read (there are few); the rest (batch points, noise: nearly all of a big log)
 * only in a window of the last WINDOW ids, which bounds memory at a few MB.
 */
class EventIdDedupe {
  static readonly WINDOW = 100_000;
  private forever = new Set<string>();
  private recent = new Set<string>();
  // Eviction order lives in a ring, not in the Set: taking the Set's first value
  // after many deletes walks every deleted slot, which made a 1M-event read quadratic.
  private ring: (string | undefined)[] = new Array(EventIdDedupe.WINDOW);
  private next = 0;

  has(id: string): boolean {
    return this.forever.has(id) || this.recent.has(id);
  }

  add(id: string, forever: boolean): void {
    if (forever) {
      this.forever.add(id);
      return;
    }
    const old = this.ring[this.next];
    if (old !== undefined) this.recent.delete(old);
    this.ring[this.next] = id;
    this.next = (this.next + 1) % EventIdDedupe.WINDOW;
    this.recent.add(id);
  }
}
