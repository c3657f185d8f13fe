// Counting what the parser could and could not use, and quoting the first few lost lines.

import type { FieldGaps } from '../parse/event-reader.js';
import type { DataQuality, FieldGap, LogRecord, QuotedLine } from '../types.js';

const MAX_EXAMPLES = 5;
const MAX_QUOTE_CHARS = 200;

export function emptyQuality(): DataQuality {
  return {
    records: 0, recognised: 0, ignored: 0, unrecognised: 0, invalid_events: 0,
    fragments: 0, duplicate_records: 0, examples: [], field_gaps: [], unknown_events: [],
  };
}

/** A hostile log could name a million different events; past this many names the rest are counted as one. */
const MAX_UNKNOWN_NAMES = 20;
const OTHER_NAMES = '(other names)';

/** Counts, while reading, of the fields our events went without and of event names we do not know. */
export class GapCounter {
  private fields = new Map<string, FieldGap>();
  private unknown = new Map<string, number>();

  addGaps(gaps: FieldGaps): void {
    for (const field of gaps.missing) this.gap(field).missing++;
    for (const field of gaps.unreadable) this.gap(field).unreadable++;
  }

  addUnknownEvent(name: string): void {
    const key = this.unknown.has(name) || this.unknown.size < MAX_UNKNOWN_NAMES ? name : OTHER_NAMES;
    this.unknown.set(key, (this.unknown.get(key) ?? 0) + 1);
  }

  /** Writes the counts into the quality record, most frequent first. */
  finish(q: DataQuality): void {
    q.field_gaps = [...this.fields.values()].sort((a, b) => b.missing + b.unreadable - (a.missing + a.unreadable) || (a.field < b.field ? -1 : 1));
    q.unknown_events = [...this.unknown].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
  }

  private gap(field: string): FieldGap {
    let g = this.fields.get(field);
    if (!g) this.fields.set(field, (g = { field, missing: 0, unreadable: 0 }));
    return g;
  }
}

/** Lines the report could not use: unrecognised, invalid events and fragments (what the data-quality check counts). */
export function unusableLines(q: DataQuality): number {
  return q.unrecognised + q.invalid_events + q.fragments;
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

/** Keeps the record as an example if fewer than MAX_EXAMPLES are kept. */
export function quoteExample(q: DataQuality, record: LogRecord, reason: string): void {
  if (q.examples.length >= MAX_EXAMPLES) return;
  const example: QuotedLine = {
    source: record.source,
    stream: record.stream,
    line: record.line,
    text: quote(record.message),
    // a line cut to its last 1 MiB is misread for that, whatever it was
    reason: record.cut ? `a line over 1 MiB, kept to its last 1 MiB (its start was dropped), so: ${reason}` : reason,
  };
  q.examples.push(example);
}

/**
 * At most MAX_QUOTE_CHARS characters of the raw text, with control characters
 * (NUL, ESC, \r, \b …) shown as \xNN / \r so that a quote of binary data or a
 * progress bar stays one readable line. Escaping for Markdown/HTML is the renderer's job.
 */
export function quote(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    let piece = ch;
    if (c === 13) piece = '\\r';
    else if (c === 10) piece = '\\n';
    else if (c === 9) piece = '\\t';
    else if (c < 32 || c === 127) piece = `\\x${c.toString(16).padStart(2, '0')}`;
    if (out.length + piece.length > MAX_QUOTE_CHARS - 1) return `${out}…`;
    out += piece;
  }
  return out;
}

/** A quoted line (quote(): controls written \xNN, \r …) cut to `max` characters, never inside an escape. */
export function clipQuote(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max).replace(/\\(?:x[0-9a-f]?)?$/, '')}…`;
}
