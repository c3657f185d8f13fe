// Counting what the parser could and could not use, and quoting the first few lost lines.

import type { FieldGaps } from '../parse/event-reader.js';
import type { DataQuality, FieldGap, GzipEndedEarly, LogRecord, QuotedLine, StepLog } from '../types.js';

const MAX_EXAMPLES = 5;
const MAX_QUOTE_CHARS = 200;

/** A hostile log could name a million different events; past this many names the rest are counted as one. */
const MAX_UNKNOWN_NAMES = 20;
const OTHER_NAMES = '(other names)';

/** Counts, while reading, of the fields our events went without and of event names we do not know. */
class GapCounter {
  private fields = new Map<string, FieldGap>();
  private unknown = new Map<string, number>();

  addGaps(gaps: FieldGaps): void {
    for (const field of gaps.missing) this.gap(field).missing++;
    for (const field of gaps.unreadable) this.gap(field).unreadable++;
  }

  addUnknownEvent(name: string, count = 1): void {
    const key = this.unknown.has(name) || this.unknown.size < MAX_UNKNOWN_NAMES ? name : OTHER_NAMES;
    this.unknown.set(key, (this.unknown.get(key) ?? 0) + count);
  }

  /** Adds another counter's counts to this one's. */
  merge(other: GapCounter): void {
    for (const g of other.fields.values()) {
      const mine = this.gap(g.field);
      mine.missing += g.missing;
      mine.unreadable += g.unreadable;
    }
    for (const [name, count] of other.unknown) this.addUnknownEvent(name, count);
  }

  /** Writes the counts into the quality record, most frequent first. */
  finish(q: DataQuality): void {
    q.field_gaps = [...this.fields.values()].map((g) => ({ ...g })).sort((a, b) => b.missing + b.unreadable - (a.missing + a.unreadable) || (a.field < b.field ? -1 : 1));
    q.unknown_events = [...this.unknown].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
  }

  private gap(field: string): FieldGap {
    let g = this.fields.get(field);
    if (!g) this.fields.set(field, (g = { field, missing: 0, unreadable: 0 }));
    return g;
  }
}

/** What one record counts as in DataQuality (besides being a record). */
export type Tally = 'recognised' | 'ignored' | 'unrecognised' | 'invalid_events' | 'fragments' | 'duplicate_records'
  /** Ignored, and counted apart as the runtime's chatter. */
  | 'runtime_chatter'
  /** Unrecognised, and counted apart as plain text (parse/plain-text.ts). */
  | 'plain_text'
  /** Unrecognised, and counted apart as a line of the traceback the run ended in (DataQuality.traceback). */
  | 'traceback'
  /** A duplicate record, and counted apart as an event another input held (the same log given twice). */
  | 'duplicate_across_inputs';

const COUNTS = ['records', 'recognised', 'ignored', 'unrecognised', 'invalid_events', 'fragments', 'duplicate_records', 'runtime_chatter', 'plain_text', 'traceback',
  'duplicate_across_inputs'] as const;

/**
 * The DataQuality of some records as they are read: the whole input's, one run's, or the lines of
 * no run a stream held before its first run. Small until something goes wrong (the quoted lines and
 * the gap counts are made at their first entry): --list keeps one per run.
 */
export class QualityCounter {
  records = 0;
  recognised = 0;
  ignored = 0;
  unrecognised = 0;
  invalid_events = 0;
  fragments = 0;
  duplicate_records = 0;
  runtime_chatter = 0;
  plain_text = 0;
  traceback = 0;
  duplicate_across_inputs = 0;
  /** Quote unusable lines (a run kept as a summary keeps its counts only: it is never rendered). */
  private quotes = true;
  private examples: QuotedLine[] | null = null;
  private gaps: GapCounter | null = null;
  private gzipEnded: GzipEndedEarly[] | null = null;
  private stepLog: DataQuality['step_log'] | null = null;

  /** One record, and the blank lines the file source folded into it (counted as ignored). */
  tally(what: Tally, blankLines = 0): void {
    this.records += 1 + blankLines;
    this.ignored += blankLines;
    if (what === 'runtime_chatter') this.ignored++;
    if (what === 'plain_text' || what === 'traceback') this.unrecognised++;
    if (what === 'duplicate_across_inputs') this.duplicate_records++;
    this[what]++;
  }

  /**
   * `lines` unrecognised lines already counted become lines of the traceback the run ended in (its exception
   * line read after them), or, negative, are lines of no such traceback again (more of the run followed).
   */
  moveToTraceback(lines: number): void {
    this.traceback += lines;
  }

  /**
   * Keeps the record as an example if fewer than MAX_EXAMPLES are kept, or in place of the last plain-text
   * one when it is not plain text (a malformed line after five prints is quoted); returns the quoted line
   * (made once: the input's counter and its run's share it), or `made` when given, or null when not kept.
   */
  quote(record: LogRecord, reason: string, made: QuotedLine | null = null, plain = false): QuotedLine | null {
    if (!this.quotes) return made;
    // a line there is no room for is not quoted at all: a log of prints has one plain line after another
    const at = this.placeFor(made?.plain ?? plain);
    if (at === null) return made;
    const line = made ?? quotedLine(record, reason, plain);
    this.put(line, at);
    return line;
  }

  /** Where a quoted line would go: -1 at the end, i to replace the plain-text line at i, null nowhere (MAX_EXAMPLES kept). */
  private placeFor(plain: boolean | undefined): number | null {
    const examples = this.examples;
    if (!examples || examples.length < MAX_EXAMPLES) return -1;
    const at = plain ? -1 : examples.findLastIndex((e) => e.plain);
    return at < 0 ? null : at;
  }

  /** Adds the line where placeFor said. */
  private put(line: QuotedLine, at: number): void {
    const examples = (this.examples ??= []);
    if (at >= 0) examples.splice(at, 1);
    examples.push(line);
  }

  addGaps(gaps: FieldGaps): void {
    (this.gaps ??= new GapCounter()).addGaps(gaps);
  }

  addUnknownEvent(name: string): void {
    (this.gaps ??= new GapCounter()).addUnknownEvent(name);
  }

  /** An unusable line of a step-based trainer (parse/step-logs.ts): the first is kept. */
  addStepLog(trainer: StepLog, record: LogRecord): void {
    this.stepLog ??= { trainer, text: quote(record.message) };
  }

  /** A gzip file whose data ended early (LogRecord.gzipEnded). */
  addGzipEnded(ended: GzipEndedEarly): void {
    (this.gzipEnded ??= []).push(ended);
  }

  /** From now on counts only, no quoted lines (a run made a summary). */
  dropQuotes(): void {
    this.quotes = false;
    this.examples = null;
  }

  /** Adds another counter's counts to this one's; its quoted lines come after this one's, up to the limit. */
  merge(other: QualityCounter): void {
    for (const k of COUNTS) this[k] += other[k];
    if (this.quotes && other.examples) {
      for (const e of other.examples) {
        const at = this.placeFor(e.plain);
        if (at !== null) this.put(e, at);
      }
    }
    if (other.gaps) (this.gaps ??= new GapCounter()).merge(other.gaps);
    if (other.gzipEnded) (this.gzipEnded ??= []).push(...other.gzipEnded);
    this.stepLog ??= other.stepLog;
  }

  /** The counts as DataQuality (all zero for a new counter): a new object each time, as the counter goes on counting. */
  result(): DataQuality {
    const q: DataQuality = {
      records: this.records, recognised: this.recognised, ignored: this.ignored, unrecognised: this.unrecognised,
      invalid_events: this.invalid_events, fragments: this.fragments, duplicate_records: this.duplicate_records,
      examples: this.examples ? [...this.examples] : [], field_gaps: [], unknown_events: [],
    };
    // only when there was some: a report without chatter is as it was
    if (this.runtime_chatter) q.runtime_chatter = this.runtime_chatter;
    if (this.plain_text) q.plain_text = this.plain_text;
    if (this.traceback) q.traceback = this.traceback;
    if (this.duplicate_across_inputs) q.duplicate_across_inputs = this.duplicate_across_inputs;
    if (this.gzipEnded) q.gzip_ended_early = this.gzipEnded.map((e) => ({ ...e }));
    if (this.stepLog) q.step_log = { ...this.stepLog };
    this.gaps?.finish(q);
    return q;
  }
}

/** Lines the report could not use: unrecognised, invalid events and fragments (the lines Data Quality quotes). */
export function unusableLines(q: DataQuality): number {
  return q.unrecognised + q.invalid_events + q.fragments;
}

/**
 * The unusable lines that make the data-quality check warn: all but plain text (a script's own prints),
 * or all of them when plain text is most of the records (then the log is likely not what the report reads);
 * and but `tracebackEnd`, the lines of the traceback the run status reports as the run's end
 * (analyze/metrics.ts tracebackEndLines): one cause, reported once.
 */
export function suspectLines(q: DataQuality, tracebackEnd = 0): number {
  return (plainTextIsMost(q) ? unusableLines(q) : unusableLines(q) - (q.plain_text ?? 0)) - tracebackEnd;
}

/** Plain text is more than half the records: the log is likely not one the report reads (or its format was not sniffed). */
export function plainTextIsMost(q: DataQuality): boolean {
  return (q.plain_text ?? 0) * 2 > q.records;
}

/** Beyond this an epoch number is a corrupt or foreign line, not a training run's epoch. */
export const MAX_EPOCH = 1_000_000;

/** Why an epoch number cannot be a real one (null when it can): it is kept out of the run and counted. */
export function implausibleEpoch(epoch: number | null): string | null {
  if (epoch === null || epoch <= MAX_EPOCH) return null;
  return `epoch ${epoch} is implausible (more than ${MAX_EPOCH.toLocaleString('en-US')}); the line was left out`;
}

/** Classes a confusion matrix may have: MNIST has 10; far more is not a matrix the report can draw. */
export const MAX_CLASSES = 1000;

/** Why an evaluation event's matrix cannot be used (not square, empty, too large), or null. */
export function implausibleMatrix(m: readonly (readonly number[])[]): string | null {
  if (m.length < 2 || m.length > MAX_CLASSES) return `confusion_matrix has ${m.length} rows (2 to ${MAX_CLASSES} classes expected); the line was left out`;
  const bad = m.findIndex((row) => row.length !== m.length);
  return bad < 0 ? null : `confusion_matrix is not square: row ${bad} has ${m[bad]!.length} cells for ${m.length} rows; the line was left out`;
}

/** Nesting kept in an event's fields; deeper values are replaced by a note. */
export const MAX_DEPTH = 32;

/**
 * The event with every top-level field nested deeper than MAX_DEPTH replaced by a
 * note: a run_start whose config is 100,000 objects deep must not overflow the
 * stack of JSON.stringify (report.json) or of a template. Depth is measured
 * without recursion, for the same reason.
 */
export function withinDepth<T extends object>(event: T): T {
  let out: T | null = null;
  for (const [key, value] of Object.entries(event)) {
    if (depthOver(value, MAX_DEPTH)) (out ??= { ...event })[key as keyof T] = `(nested more than ${MAX_DEPTH} levels deep; left out)` as T[keyof T];
  }
  return out ?? event;
}

function depthOver(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d >= max) return true;
    for (const child of Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return false;
}

function quotedLine(record: LogRecord, reason: string, plain: boolean): QuotedLine {
  const line: QuotedLine = {
    source: record.source,
    stream: record.stream,
    line: record.line,
    // a line cut to its last 1 MiB is misread for that, whatever it was: its start, which says what it was, is quoted
    text: quote(record.cut && record.cutHead !== undefined ? record.cutHead : record.message),
    reason: record.cut ? cutLine(record.cutHead !== undefined, reason) : reason,
  };
  // only when it is: a quoted line that is not plain text is as it was
  if (plain) line.plain = true;
  return line;
}

const CONTROL = /[\x00-\x1f\x7f]/;

/** A copy of `s` that holds no reference to a longer string it was sliced from. */
function flatCopy(s: string): string {
  return ` ${s}`.slice(1);
}

/** The reason of a line over 1 MiB: what was quoted and what was read of it (only its last 1 MiB). */
function cutLine(headQuoted: boolean, reason: string): string {
  return `a line over 1 MiB (${headQuoted ? 'its start quoted; only its last 1 MiB was read' : 'kept to its last 1 MiB; its start was dropped'}), so: ${reason}`;
}

/**
 * At most MAX_QUOTE_CHARS characters of the raw text, with control characters
 * (NUL, ESC, \r, \b …) shown as \xNN / \r so that a quote of binary data or a
 * progress bar stays one readable line. Escaping for Markdown/HTML is the renderer's job.
 */
export function quote(text: string): string {
  // most lines have no control character in what is quoted: cut at a character (not inside a
  // surrogate pair) and copy, so the quote keeps neither the whole line nor a chain of pieces
  const head = text.length > MAX_QUOTE_CHARS ? text.slice(0, MAX_QUOTE_CHARS) : text;
  if (!CONTROL.test(head)) {
    if (text.length <= MAX_QUOTE_CHARS - 1) return flatCopy(text);
    let cut = MAX_QUOTE_CHARS - 1;
    const last = head.charCodeAt(cut - 1);
    if (last >= 0xd800 && last <= 0xdbff) cut--;
    return `${flatCopy(head.slice(0, cut))}…`;
  }
  // pieces joined once: a string grown a character at a time is a chain of ~200 small pieces (4-6 KB
  // a quote), and every run of a --run all keeps up to 5 quotes of its own
  const out: string[] = [];
  let length = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    let piece = ch;
    if (c === 13) piece = '\\r';
    else if (c === 10) piece = '\\n';
    else if (c === 9) piece = '\\t';
    else if (c < 32 || c === 127) piece = `\\x${c.toString(16).padStart(2, '0')}`;
    if (length + piece.length > MAX_QUOTE_CHARS - 1) {
      out.push('…');
      return out.join('');
    }
    out.push(piece);
    length += piece.length;
  }
  return out.join('');
}

/** A quoted line (quote(): controls written \xNN, \r …) cut to `max` characters, never inside an escape. */
export function clipQuote(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max).replace(/\\(?:x[0-9a-f]?)?$/, '')}…`;
}
