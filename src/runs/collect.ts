// Log records → runs, incrementally: add records as they come, ask for the runs at any time.
// One pass, bounded memory:
//   record ──▶ drop a CloudWatch duplicate (same eventId)                        dedupe.ts
//          ──▶ the parse stage reads it with the state of its stream              parse/log-parser.ts
//          ──▶ drop an mnist-train event seen before in the same stream, byte for byte, or in the
//              same file when it has a time of its own (trainer text is never dropped: a restart repeats it)
//          ──▶ count it in DataQuality (quote the first few unusable lines)       quality.ts
//          ──▶ add it to its run: our events by run_id; trainer text by stream, or by file   builder.ts
//              (whole, or as a summary: what --list and --history's earlier runs read)
//   snapshot ──▶ epochs sorted (the latest-logged occurrence wins), duplicate and missing epochs,
//                runs by first time; the collector's state is not touched, so adding goes on after it

import type { LineFormat } from '../parse/format.js';
import { createLogParser, type LogParser } from '../parse/log-parser.js';
import type { ParseResult, ParseState } from '../parse/line.js';
import { isoTime } from '../parse/text.js';
import type { LogRecord, ParsedLog, Run } from '../types.js';
import { addBatch, addEpoch, addEvent, byFirstSeen, dropDetail, finish, newRunBuilder, normaliseTime, summarise, TextRunNames, setEvaluation, textRunId, touch, unhandled, type RunBuilder } from './builder.js';
import { EventIdDedupe, MessageDedupe, TimedEventDedupe } from './dedupe.js';
import { emptyQuality, GapCounter, implausibleEpoch, implausibleMatrix, quoteExample } from './quality.js';

export interface RunCollector {
  /** Adds one record, or an array of them as the file source hands them over. */
  add(records: LogRecord | readonly LogRecord[]): void;
  /** The runs and data quality of everything added so far; callable any number of times. */
  snapshot(): ParsedLog;
  /** How many epoch results have been added so far (a follower re-renders when it grows). */
  readonly epochsAdded: number;
  /** How many run_end events have been added so far (a follower looks for its run's end when it grows). */
  readonly endsAdded: number;
  /** How many records have been added so far (blank stretches count as one): a position in the input. */
  readonly recordsAdded: number;
  /** Every run seen so far, kept or not, in snapshot order, with the position of its last record. */
  marks(): RunMark[];
  /** The runs with these ids as snapshot() would give them, then forgotten (a later record of one starts it afresh). */
  take(ids: Iterable<string>): Run[];
}

/** Where a run sits in the input, without its contents. */
export interface RunMark {
  run_id: string;
  /** recordsAdded when the run's last record was added. */
  last_record: number;
}

export interface CollectOptions {
  /** The parse stage to read records with; by default one made with `format`. */
  parser?: LogParser;
  /** --log-format: read every text line as this format only (when no parser is given). */
  format?: LineFormat | null;
  /**
   * Which runs to keep whole (default: all). The others keep only their place (marks()):
   * --run all reads a file once to place its runs and a second time to report them one by one.
   */
  keepRun?: (runId: string) => boolean;
  /**
   * Keep runs as summaries (Run.summary: no batch points, no evaluation, each epoch's validation
   * metrics only) but those `whole` names and, with `newest`, the newest run (by snapshot order:
   * a run is summarised when a newer one begins). --list needs no more of any run, --history no
   * more of those it compares with: at 10,000 runs of a log group, half the memory.
   */
  summaries?: Summaries;
}

export interface Summaries {
  whole: (runId: string) => boolean;
  newest: boolean;
}

/** Reads a whole source and returns its runs: the read-once use of the collector. */
export async function collectRuns(records: AsyncIterable<LogRecord | readonly LogRecord[]>, options: CollectOptions = {}): Promise<ParsedLog> {
  const collector = createRunCollector(options);
  for await (const item of records) collector.add(item);
  return collector.snapshot();
}

export function createRunCollector(options: CollectOptions = {}): RunCollector {
  const parser = options.parser ?? createLogParser({ format: options.format ?? null });
  const quality = emptyQuality();
  const gaps = new GapCounter();
  const dedupe = new EventIdDedupe();
  const messages = new Map<ParseState, MessageDedupe>();
  const fileEvents = new Map<ParseState, TimedEventDedupe>();
  const runs = new Map<string, RunBuilder>();
  let lastState: ParseState | null = null;
  // A log stream (CloudWatch, aws exports) repeats deliveries: any event line seen before in it is dropped.
  let seenMessages: MessageDedupe | null = null;
  // A file or stdin may hold a stretch twice (cat f f): an event with a time seen before in it is dropped.
  let seenEvents: TimedEventDedupe | null = null;
  // The run id of trainer text in the current source and stream (textRunId), once per switch
  // or per fit() in the stream (ParseState.segment).
  let textId: string | null = null;
  let textSegment = 0;
  const textNames = new TextRunNames();
  // Consecutive records nearly always belong to the same run: skip the map lookup. And
  // nearly always with the very same id string (parse/batch-line.ts), which compares as one
  // reference; two equal strings that are slices of the input compare in V8's runtime.
  let lastRun: RunBuilder | null = null;
  let lastId: string | null = null;
  let epochsAdded = 0;
  let endsAdded = 0;
  let recordsAdded = 0;
  let created = 0;
  const keepRun = options.keepRun ?? null;
  const summaries = options.summaries ?? null;
  // with summaries.newest: the run kept whole as the newest so far
  let newest: RunBuilder | null = null;
  const summariseUnlessWhole = (b: RunBuilder): void => {
    if (!summaries!.whole(b.run_id)) summarise(b);
  };
  /** After a record's time is noted: a run newer than the newest so far takes its place, and the other is summarised. */
  const settleNewest = (b: RunBuilder): void => {
    if (summaries === null || !summaries.newest || b === newest) return;
    if (newest !== null && byFirstSeen(b, newest) < 0) return summariseUnlessWhole(b);
    if (newest !== null) summariseUnlessWhole(newest);
    newest = b;
  };
  // a run not kept is stripped when the records move on to another run (runs come in stretches)
  const leave = (b: RunBuilder | null): void => {
    if (b !== null && keepRun !== null && !keepRun(b.run_id)) dropDetail(b);
  };

  const runFor = (id: string): RunBuilder => {
    if (lastRun !== null && (id === lastId || lastRun.run_id === id)) {
      lastId = id;
      lastRun.last_record = recordsAdded;
      return lastRun;
    }
    leave(lastRun);
    let b = runs.get(id);
    if (!b) runs.set(id, (b = newRunBuilder(id, created++, summaries !== null && !summaries.newest && !summaries.whole(id))));
    b.last_record = recordsAdded;
    lastId = id;
    return (lastRun = b);
  };

  const add = (record: LogRecord): void => {
    quality.records++;
    recordsAdded++;
    if (record.eventId !== null && dedupe.seenId(record.eventId)) {
      quality.duplicate_records++;
      return;
    }
    const r = parser.parse(record);
    if (parser.current !== lastState) {
      // another stream (or file): its own text run and its own delivered-twice memory
      lastState = parser.current;
      seenMessages = null;
      seenEvents = null;
      if (record.stream !== null) {
        seenMessages = messages.get(lastState) ?? null;
        if (!seenMessages) messages.set(lastState, (seenMessages = new MessageDedupe()));
      } else {
        seenEvents = fileEvents.get(lastState) ?? null;
        if (!seenEvents) fileEvents.set(lastState, (seenEvents = new TimedEventDedupe()));
      }
      textId = null;
      textSegment = lastState.segment;
    }
    if (record.blankLines) {
      // the blank lines after this one, counted as the parser would have (ignored)
      quality.records += record.blankLines;
      quality.ignored += record.blankLines;
    }
    if (record.eventId !== null) dedupe.addId(record.eventId, keepsForever(r));
    switch (r.kind) {
      case 'event': {
        if (seenMessages !== null ? seenMessages.seen(record.message, keepsForever(r))
          : r.event.time !== undefined && seenEvents!.seen(r.event, r.event.time, record.message)) {
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
        settleNewest(b);
        addEvent(b, r.event, time);
        if (r.event.event === 'epoch_end') epochsAdded++;
        if (r.event.event === 'run_end') endsAdded++;
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
        if (parser.current.segment !== textSegment) {
          textSegment = parser.current.segment;
          textId = null;
        }
        const b = runFor((textId ??= textRunId(textNames.base(record), parser.current.segment)));
        b.streams.add(record.stream ?? record.source);
        touch(b, isoTime(record.timestamp));
        settleNewest(b);
        if (r.kind === 'header') b.headerFormat ??= r.format;
        else if (b.format === null && (r.kind === 'epoch' || r.kind === 'batch')) b.format = r.format;
        // a trainer may print test loss and accuracy on two lines
        if (r.kind === 'test') b.test = { loss: r.loss ?? b.test?.loss ?? null, accuracy: r.accuracy ?? b.test?.accuracy ?? null };
        if (r.kind === 'stopped') b.stopped = true;
        if (r.kind === 'epoch') {
          for (const e of r.earlier ?? []) addEpoch(b, e, r.revise === true);
          addEpoch(b, r.epoch, r.revise === true);
          epochsAdded += 1 + (r.earlier?.length ?? 0);
        }
        if (r.kind === 'batch') {
          for (const e of r.earlier ?? []) addBatch(b, e);
          addBatch(b, r.batch);
        }
        for (const n of parser.current.notes) (b.notes ??= new Set()).add(n);
        break;
      }
      case 'evaluation': {
        quality.recognised++;
        const b = runFor((textId ??= textRunId(textNames.base(record), parser.current.segment)));
        b.streams.add(record.stream ?? record.source);
        settleNewest(b);
        if (r.evaluation) setEvaluation(b, r.evaluation);
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

  return {
    add(records) {
      if (isRecordArray(records)) {
        for (let i = 0; i < records.length; i++) add(records[i]!);
      } else add(records);
    },
    snapshot() {
      const q = { ...quality, examples: [...quality.examples] };
      gaps.finish(q);
      leave(lastRun);
      const kept = keepRun === null ? [...runs.values()] : [...runs.values()].filter((b) => keepRun(b.run_id));
      return { runs: kept.sort(byFirstSeen).map(finish), quality: q };
    },
    marks() {
      leave(lastRun);
      return [...runs.values()].sort(byFirstSeen).map((b) => ({ run_id: b.run_id, last_record: b.last_record }));
    },
    take(ids) {
      const out: Run[] = [];
      for (const id of ids) {
        const b = runs.get(id);
        if (!b) continue;
        runs.delete(id);
        if (lastRun === b) lastRun = null;
        out.push(finish(b));
      }
      return out;
    },
    get recordsAdded() {
      return recordsAdded;
    },
    get epochsAdded() {
      return epochsAdded;
    },
    get endsAdded() {
      return endsAdded;
    },
  };
}

function isRecordArray(item: LogRecord | readonly LogRecord[]): item is readonly LogRecord[] {
  return Array.isArray(item);
}

function keepsForever(r: ParseResult): boolean {
  return r.kind === 'epoch' || r.kind === 'header' || r.kind === 'test' || r.kind === 'stopped' || r.kind === 'evaluation' || (r.kind === 'event' && r.event.event !== 'batch_end');
}
