// Log records → runs, incrementally: add records as they come, ask for the runs at any time.
// One pass, bounded memory:
//   record ──▶ drop a CloudWatch duplicate (same eventId)                        dedupe.ts
//          ──▶ the parse stage reads it with the state of its stream              parse/log-parser.ts
//          ──▶ drop an mnist-train event seen before in the same stream, byte for byte, or in the
//              same file when it has a time of its own (trainer text is never dropped: a restart repeats it),
//              or in another local input that held its run (a file and its export): with a time of its own, the
//              same event at that time; without one, the same line byte for byte
//          ──▶ add it to its run: our events by run_id; trainer text by stream, or by file   builder.ts
//          ──▶ count it in DataQuality, the whole input's and its run's (quote the first few unusable lines)  quality.ts
//              A line of no run (unrecognised, blank, invalid, a fragment) counts for the run before it in
//              its file or stream, or, before any, for the first run there; in a file or stream with no
//              run at all, for no run (ParsedLog.no_run).
//              A Python traceback's exception line (parse/traceback.ts) ends the text run it counts for
//              (Run.raised), until a line of that run comes after it (a retried step, the next epoch);
//              the traceback's lines are then counted apart as the run's end (DataQuality.traceback).
//              (whole, or as a summary: what --list and --history's earlier runs read)
//   snapshot ──▶ epochs sorted (the latest-logged occurrence wins), duplicate and missing epochs,
//                runs by first time; the collector's state is not touched, so adding goes on after it

import type { LineFormat } from '../parse/format.js';
import { createLogParser, type LogParser } from '../parse/log-parser.js';
import type { ParseResult, ParseState } from '../parse/line.js';
import { isoTime } from '../parse/text.js';
import { TRACEBACK_LINE } from '../parse/traceback.js';
import type { ReadTrainEvent } from '../events.js';
import type { LogRecord, ParsedLog, Run } from '../types.js';
import { addBatch, addEpoch, addEvent, byFirstSeen, dropDetail, finish, newRunBuilder, normaliseTime, summarise, TextRunNames, setEvaluation, textRunId, touch, unhandled, type RunBuilder } from './builder.js';
import { EventIdDedupe, MessageDedupe, TimedEventDedupe } from './dedupe.js';
import { implausibleEpoch, implausibleMatrix, QualityCounter, type Tally } from './quality.js';

export interface RunCollector {
  /** Adds one record, or an array of them as the file source hands them over. */
  add(records: LogRecord | readonly LogRecord[]): void;
  /** The runs and data quality (the whole input's, each run's, no run's) of everything added so far; callable any number of times. */
  snapshot(): ParsedLog;
  /** How many epoch results have been added so far (a follower re-renders when it grows). */
  readonly epochsAdded: number;
  /**
   * How many run_end events, and tracebacks that end a text run (Run.raised), have been added so far (a follower
   * looks for its run's end when it grows).
   */
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

/** What the collector remembers of one file or log stream (one ParseState). */
interface StreamSide {
  /** Log streams only (CloudWatch, aws exports repeat deliveries): any event line seen before in it. */
  seen: MessageDedupe | null;
  /** Files and stdin only (cat f f): an event with a time seen before in it; trainer text is never dropped. */
  seenEvents: TimedEventDedupe | null;
  /**
   * Local inputs only (not a log group): the events with a time of their own that the side's input held,
   * which the inputs after it look in (the same run given twice: a file and its CloudWatch export). A
   * file's lines: seenEvents itself; an aws export's streams: one for the whole file.
   */
  input: TimedEventDedupe | null;
  /**
   * The id of the run the stream's last record of a run went to: a line of no run after it counts for
   * it while the collector holds it. An id, not the run: a run handed over (take) is let go, and a file
   * of one run would otherwise keep it alive to the end of a --run all (~60 KB a run).
   */
  open: string | null;
  /** Lines of no run before the stream's first run: they count for that run when it begins. */
  pending: QualityCounter | null;
}

export function createRunCollector(options: CollectOptions = {}): RunCollector {
  const parser = options.parser ?? createLogParser({ format: options.format ?? null });
  const quality = new QualityCounter();
  const dedupe = new EventIdDedupe();
  const sides = new Map<ParseState, StreamSide>();
  const runs = new Map<string, RunBuilder>();
  let lastState: ParseState | null = null;
  let lastSource: string | null = null;
  let side: StreamSide = { seen: null, seenEvents: null, input: null, open: null, pending: null };
  // Local inputs by name (an aws export's streams share one), and the inputs each run's timed events were in,
  // the last one looked up kept apart (consecutive records nearly always share a run id string)
  const inputs = new Map<string, TimedEventDedupe>();
  const inputsOfRun = new Map<string, TimedEventDedupe[]>();
  let inputsId: string | null = null;
  let inputsOf: TimedEventDedupe[] = [];
  // Counts for runs an event named before they began (an implausible epoch_end, an unknown event, a cut
  // line ahead of its run_start): merged into the run when it begins; of no run if it never does.
  const later = new Map<string, QualityCounter>();
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
  // the latest first time of any run so far: where a run without times begins (RunBuilder.after)
  let latestStart: string | null = null;
  /** A record's time noted for run b (none for trainer text in a local file). */
  const noteTime = (b: RunBuilder, time: string | null): void => {
    touch(b, time);
    if (b.first_time !== null && (latestStart === null || b.first_time > latestStart)) latestStart = b.first_time;
    settleNewest(b);
  };
  // a run not kept is stripped when the records move on to another run (runs come in stretches)
  const leave = (b: RunBuilder | null): void => {
    if (b !== null && keepRun !== null && !keepRun(b.run_id)) dropDetail(b);
  };

  /** The current record counts for run b: the stream's lines of no run before it too, and those after it until another run. */
  const claim = (b: RunBuilder): RunBuilder => {
    b.last_record = recordsAdded;
    side.open = b.run_id;
    if (side.pending !== null) {
      b.quality?.merge(side.pending);
      side.pending = null;
    }
    return b;
  };

  const runFor = (id: string): RunBuilder => {
    if (lastRun !== null && (id === lastId || lastRun.run_id === id)) {
      lastId = id;
      return claim(lastRun);
    }
    leave(lastRun);
    let b = runs.get(id);
    if (!b) {
      const counted = keepRun === null || keepRun(id);
      runs.set(id, (b = newRunBuilder(id, created++, summaries !== null && !summaries.newest && !summaries.whole(id), counted, latestStart)));
      const early = later.get(id);
      if (early !== undefined) {
        b.quality?.merge(early);
        later.delete(id);
      }
    }
    lastId = id;
    return claim((lastRun = b));
  };

  /** The run a record of no run of its own (or one naming a run by id) counts for: see the top of this file. */
  const ownerOf = (id: string | null): RunBuilder | null => {
    const named = id === null ? undefined : runs.get(id);
    if (named !== undefined) return claim(named);
    // a run handed over (take) is no longer in `runs`: a line after it counts for no run of its own;
    // the run last added to is nearly always the stream's open one (a blank line or redraw after it)
    if (side.open === null) return null;
    if (lastRun !== null && lastRun.run_id === side.open) return claim(lastRun);
    const open = runs.get(side.open);
    return open !== undefined ? claim(open) : null;
  };

  /** A record that names its run by id: that run, or the counts kept for it until it begins (`later`). */
  const ownerNamed = (id: string | null): RunBuilder | QualityCounter | null => {
    if (id === null || runs.has(id)) return ownerOf(id);
    let early = later.get(id);
    if (early === undefined) later.set(id, (early = new QualityCounter()));
    return early;
  };

  /** Counts the record in the whole input's quality and in that of the run it counts for (else the stream's lines of no run so far). */
  const tally = (record: LogRecord, what: Tally, owner: RunBuilder | QualityCounter | null, reason: string | null = null): QualityCounter | null => {
    const blank = record.blankLines ?? 0;
    quality.tally(what, blank);
    const plain = what === 'plain_text';
    const quoted = reason !== null ? quality.quote(record, reason, null, plain) : null;
    const q = counterOf(owner);
    if (q === null) return null;
    q.tally(what, blank);
    if (reason !== null) q.quote(record, reason, quoted, plain);
    return q;
  };

  /** `lines` of run b's traceback lines counted, in the whole input's counts and the run's, as the traceback it ended in (negative: no longer). */
  const moveToTraceback = (b: RunBuilder, lines: number): void => {
    quality.moveToTraceback(lines);
    b.quality?.moveToTraceback(lines);
  };

  /** Where a record counts: its run's quality (null for a run not counted), the counts kept for a run not begun, or the stream's lines of no run so far. */
  const counterOf = (owner: RunBuilder | QualityCounter | null): QualityCounter | null =>
    owner === null ? (side.pending ??= new QualityCounter()) : owner instanceof QualityCounter ? owner : owner.quality;

  /**
   * A gzip file whose data ended early (LogRecord.gzipEnded), noted for the input and for the run open in the
   * file at its end; the line the data ended inside, if any, is not parsed (a number cut short would be misread)
   * and counts as a fragment.
   */
  const gzipEnded = (record: LogRecord, at: number): void => {
    // an aws export's record of its cut is of no stream: it stays with the stream of the file's last event
    if (lastSource !== record.source) switchStream(record, parser.select(record));
    const owner = ownerOf(null);
    const ended = { source: record.source, byte: at, partial_line: record.line !== null };
    quality.addGzipEnded(ended);
    const q = ended.partial_line ? tally(record, 'fragments', owner, `fragment: the gzip data ended at byte ${at.toLocaleString('en-US')}, inside this line; the rest of it is not in the file`) : counterOf(owner);
    q?.addGzipEnded(ended);
  };

  /** A line of trainer text or of a printed evaluation: its stream's text run, which it counts for, in, and dates. */
  const textRunOf = (record: LogRecord): RunBuilder => {
    const b = runFor((textId ??= textRunId(textNames.base(record), parser.current.segment)));
    // the run went on after a traceback (a warning's stack, a retried step): it did not end there, and
    // the traceback's lines are unrecognised lines as any other
    if (b.raised !== null) moveToTraceback(b, -b.tracebackLines);
    b.raised = null;
    b.tracebackLines = 0;
    tally(record, 'recognised', b);
    b.streams.add(record.stream ?? record.source);
    noteTime(b, isoTime(record.timestamp));
    return b;
  };

  /** Another stream (or file): its own text run, delivered-twice memory and run of its lines of no run. */
  const switchStream = (record: LogRecord, state: ParseState): void => {
    lastState = state;
    lastSource = record.source;
    let s = sides.get(state);
    if (!s) {
      const stream = record.stream !== null;
      const seenEvents = stream ? null : new TimedEventDedupe();
      let input: TimedEventDedupe | null = null;
      if (!record.source.startsWith(LOG_GROUP)) {
        input = seenEvents ?? inputs.get(record.source) ?? new TimedEventDedupe();
        inputs.set(record.source, input);
      }
      sides.set(state, (s = { seen: stream ? new MessageDedupe() : null, seenEvents, input, open: null, pending: null }));
    }
    side = s;
    textId = null;
    textSegment = state.segment;
  };

  /**
   * Whether another local input held this event (same run, event, contents and time; without a time, the same
   * line byte for byte): the same log given twice. It is remembered as this input's (a stream's, which seenEvents did not) for the inputs after it.
   */
  const inAnotherInput = (e: ReadTrainEvent, time: string | undefined, message: string, forever: boolean): boolean => {
    const mine = side.input!;
    if (time === undefined) mine.seenUntimed(message, forever);
    else if (mine !== side.seenEvents) mine.seen(e, time, message);
    if (e.run_id !== inputsId) {
      inputsId = e.run_id;
      inputsOf = inputsOfRun.get(e.run_id) ?? [];
      if (!inputsOf.length) inputsOfRun.set(e.run_id, inputsOf);
    }
    if (inputsOf.at(-1) !== mine && !inputsOf.includes(mine)) inputsOf.push(mine);
    if (inputsOf.length === 1) return false;
    for (const other of inputsOf) {
      if (other !== mine && (time === undefined ? other.hasUntimed(message) : other.has(e, time, message))) return true;
    }
    return false;
  };

  const add = (record: LogRecord): void => {
    recordsAdded++;
    if (record.gzipEnded !== undefined) return gzipEnded(record, record.gzipEnded);
    if (record.eventId !== null && dedupe.seenId(record.eventId)) {
      // not read again, but counted for the run of its stream
      const state = parser.select(record);
      if (state !== lastState) switchStream(record, state);
      tally(record, 'duplicate_records', ownerOf(null));
      return;
    }
    const r = parser.parse(record);
    if (parser.current !== lastState) switchStream(record, parser.current);
    if (record.eventId !== null) dedupe.addId(record.eventId, keepsForever(r));
    switch (r.kind) {
      case 'event': {
        if (side.seen !== null ? side.seen.seen(record.message, keepsForever(r))
          : r.event.time !== undefined && side.seenEvents!.seen(r.event, r.event.time, record.message)) {
          tally(record, 'duplicate_records', ownerOf(r.event.run_id));
          break;
        }
        if (side.input !== null && inAnotherInput(r.event, r.event.time, record.message, keepsForever(r))) {
          tally(record, 'duplicate_across_inputs', ownerOf(r.event.run_id));
          break;
        }
        const bad = r.event.event === 'evaluation' ? implausibleMatrix(r.event.confusion_matrix)
          : implausibleEpoch(r.event.event === 'epoch_end' ? r.event.epoch : null);
        if (bad) {
          tally(record, 'invalid_events', ownerNamed(r.event.run_id), `invalid mnist-train/1 event: ${bad}`);
          break;
        }
        const b = runFor(r.event.run_id);
        b.format = 'events';
        b.streams.add(record.stream ?? record.source);
        // an event without a time of its own has its record's (CloudWatch's) time, if any
        const time = r.event.time !== undefined ? normaliseTime(r.event.time) : isoTime(record.timestamp);
        noteTime(b, time);
        addEvent(b, r.event, time);
        if (r.event.event === 'epoch_end') epochsAdded++;
        if (r.event.event === 'run_end') endsAdded++;
        const q = tally(record, 'recognised', b);
        if (r.gaps) {
          quality.addGaps(r.gaps);
          q?.addGaps(r.gaps);
        }
        break;
      }
      case 'unknown_event': {
        const q = tally(record, 'recognised', ownerNamed(r.run_id ?? null));
        quality.addUnknownEvent(r.name);
        q?.addUnknownEvent(r.name);
        break;
      }
      case 'header':
      case 'epoch':
      case 'batch':
      case 'test':
      case 'stopped': {
        const bad = implausibleEpoch(r.kind === 'epoch' ? r.epoch.epoch : null);
        if (bad) {
          tally(record, 'unrecognised', ownerOf(null), bad);
          break;
        }
        if (parser.current.segment !== textSegment) {
          textSegment = parser.current.segment;
          textId = null;
        }
        const b = textRunOf(record);
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
        // its lines' times are the run's too (textRunOf): an evaluation alone starts when its first line was logged,
        // and one printed after the epochs (the same script's) ends the run at its last line, as Keras' model.evaluate
        // line does: the run's time, and the span of shipping times its epochs' durations are compared with, include it
        const b = textRunOf(record);
        if (r.evaluation) setEvaluation(b, r.evaluation);
        // a log of scikit-learn's tables alone; with trainer text beside them, the trainer names the format
        b.headerFormat ??= 'scikit-learn';
        break;
      }
      case 'ignored':
        tally(record, r.chatter ? 'runtime_chatter' : 'ignored', ownerOf(null));
        break;
      case 'unrecognised': {
        // a line over 1 MiB is unreadable, but its start may say it was an event of a run: it counts for
        // that run, and a run_start so cut still starts its run (which then says why it has no start)
        const cut = record.cut ? cutEventOf(record.cutHead) : null;
        const b = cut?.event === 'run_start' ? runFor(cut.runId) : null;
        if (b) b.startUnread = true;
        const owner = b ?? ownerNamed(cut?.runId ?? null);
        // a traceback's exception ends the text run open in its stream, unless more of that run follows;
        // a follower looks for the run's end, as at a run_end. The lines of that traceback (from the run's
        // last line of its own) are the run's end, counted apart (DataQuality.traceback), not lost lines.
        const text = owner !== null && !(owner instanceof QualityCounter) && owner.format !== 'events' ? owner : null;
        const inTraceback = text !== null && r.reason === TRACEBACK_LINE;
        if (inTraceback) {
          text.tracebackLines++;
          if (r.raised) {
            if (text.raised === null) moveToTraceback(text, text.tracebackLines - 1);
            text.raised = r.raised;
            endsAdded++;
          }
        }
        // a step-based trainer's line (parse/step-logs.ts): named when the input holds no run
        if (r.stepLog) quality.addStepLog(r.stepLog, record);
        // a cut line is never plain text: its start was an event's
        tally(record, inTraceback && text.raised !== null ? 'traceback' : r.plain && !record.cut ? 'plain_text' : 'unrecognised', owner, r.reason);
        break;
      }
      case 'fragment':
        tally(record, 'fragments', ownerOf(null), 'fragment: part of a line that awslogs cut at 256 KB');
        break;
      case 'invalid':
        tally(record, 'invalid_events', ownerNamed(r.run_id ?? null), `invalid mnist-train/1 event: ${r.errors.join('; ')}`);
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
      leave(lastRun);
      const kept = keepRun === null ? [...runs.values()] : [...runs.values()].filter((b) => keepRun(b.run_id));
      const noRun = new QualityCounter();
      for (const s of sides.values()) if (s.pending !== null) noRun.merge(s.pending);
      for (const early of later.values()) noRun.merge(early);
      return { runs: kept.sort(byFirstSeen).map(finish), quality: quality.result(), ...(noRun.records ? { no_run: noRun.result() } : {}) };
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

/** The source of a log group's records (types.ts, LogRecord.source): one input, whatever its streams. */
const LOG_GROUP = 'cloudwatch:';

function isRecordArray(item: LogRecord | readonly LogRecord[]): item is readonly LogRecord[] {
  return Array.isArray(item);
}

function keepsForever(r: ParseResult): boolean {
  return r.kind === 'epoch' || r.kind === 'header' || r.kind === 'test' || r.kind === 'stopped' || r.kind === 'evaluation' || (r.kind === 'event' && r.event.event !== 'batch_end');
}

/** What a cut line's start says it was: an mnist-train event's name and run id (its schema first), else null. */
export function cutEventOf(head: string | undefined): { event: string; runId: string } | null {
  if (head === undefined || !/^\s*\{\s*"schema"\s*:\s*"mnist-train\//.test(head)) return null;
  const event = /"event"\s*:\s*"([a-z_]{1,40})"/.exec(head)?.[1];
  const runId = /"run_id"\s*:\s*"([^"\\\x00-\x1f]{1,200})"/.exec(head)?.[1];
  return event !== undefined && runId !== undefined ? { event, runId } : null;
}
