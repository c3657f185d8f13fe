// Counting what the parser could and could not use, and quoting the first few lost lines.

import type { DataQuality, LogRecord, QuotedLine } from '../types.js';

const MAX_EXAMPLES = 5;
const MAX_QUOTE_CHARS = 200;

export function emptyQuality(): DataQuality {
  return {
    records: 0, recognised: 0, ignored: 0, unrecognised: 0, invalid_events: 0,
    fragments: 0, duplicate_records: 0, examples: [],
  };
}

/** Lines the report could not use: unrecognised, invalid events and fragments (what the data-quality check counts). */
export function unusableLines(q: DataQuality): number {
  return q.unrecognised + q.invalid_events + q.fragments;
}

/** Keeps the record as an example if fewer than MAX_EXAMPLES are kept. */
export function quoteExample(q: DataQuality, record: LogRecord, reason: string): void {
  if (q.examples.length >= MAX_EXAMPLES) return;
  const example: QuotedLine = {
    source: record.source,
    stream: record.stream,
    line: record.line,
    text: quote(record.message),
    reason,
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
