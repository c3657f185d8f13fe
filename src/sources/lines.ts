// Splits decoded text into log lines for plain-text and JSON-lines files.

import type { LogRecord } from '../types.js';

/**
 * A line longer than this keeps only its last MAX_LINE_CHARS characters. A
 * progress bar redrawn with `\r`/`\b` thousands of times is one "line" whose
 * useful part is the final redraw at its end, and a line with no newline at all
 * (binary data) must not grow without bound. awslogs never ships more than
 * 256 KB per message, so CloudWatch exports stay far below this.
 */
const MAX_LINE_CHARS = 1 << 20;

/** How much of a line over MAX_LINE_CHARS is kept from its start too: enough to tell what it was (an event's name and run id). */
const HEAD_CHARS = 256;

/** A line of text, a line over MAX_LINE_CHARS kept to its end (`cut`) and its first HEAD_CHARS (`head`), or a number: that many blank lines in a row. */
type Line = string | number | { cut: string; head: string };

/**
 * Cuts decoded text, a piece at a time, into lines (without `\n`, and without a trailing
 * `\r` from CRLF files). Blank lines come as counts: a stretch of them is skipped by a
 * tight scan instead of a string and an array slot each (200 MiB of newlines: minutes
 * before, a second now).
 */
class LineSplitter {
  // The start of a line not ended yet, as pieces: joining and cutting it at every
  // chunk copied up to 1 MiB per 64 KB read, which made a gigabyte with no newline
  // (zeros, a gzip bomb) take minutes. Pieces wholly beyond the cap are dropped.
  private readonly pending = new Pending();
  /** The unfinished line was taken (takeIf): the newline that may still come ends no other line. */
  private taken = false;

  /** The lines `chunk` completes (none while it only adds to an unfinished line). */
  push(chunk: string): Line[] {
    if (this.taken && chunk) {
      this.taken = false;
      if (chunk.startsWith('\n')) chunk = chunk.slice(1);
      else if (chunk.startsWith('\r\n')) chunk = chunk.slice(2);
    }
    let nl = chunk.indexOf('\n');
    if (nl === -1) {
      this.pending.add(chunk);
      return [];
    }
    const lines: Line[] = [];
    push(lines, this.pending.takeLine(chunk.slice(0, nl)));
    let start = nl + 1;
    while (true) {
      const blanks = blankRun(chunk, start);
      if (blanks.count) {
        push(lines, blanks.count);
        start = blanks.end;
      }
      nl = chunk.indexOf('\n', start);
      if (nl === -1) break;
      push(lines, lineOf(chunk.slice(start, nl)));
      start = nl + 1;
    }
    this.pending.add(chunk.slice(start));
    return lines;
  }

  /** The unfinished line as a line, when `complete` says it is one already (see LineRecords.takeIf). */
  takeIf(complete: (line: string) => boolean): Line[] {
    const text = this.pending.peek();
    if (!text || !complete(trimCr(text))) return [];
    this.taken = true;
    return [this.pending.takeLine()];
  }

  /** The last line, when the text ends without a newline; the splitter is empty after. */
  end(): Line[] {
    return this.pending.empty ? [] : [this.pending.takeLine()];
  }
}

/**
 * Decoded text, a piece at a time → LogRecords of one source, numbered from 1. A stretch of
 * blank lines is one record (its first line) that counts the rest, held back until the
 * stretch ends: newlines are read at the speed of the split. Used by a file read once and
 * by a file followed as it grows.
 */
export class LineRecords {
  private readonly splitter = new LineSplitter();
  private line = 0;
  private blank: LogRecord | null = null;

  constructor(private readonly source: string) {}

  /** The records of the lines `text` completes (none while it only adds to an unfinished line). */
  push(text: string): LogRecord[] {
    const lines = this.splitter.push(text);
    return lines.length ? this.add(lines) : [];
  }

  /**
   * The unfinished line's record, when `complete` says the line is whole without its newline (a
   * follower that has waited a poll for more: a writer that never ends its last line); a newline
   * that comes after it ends no other line. None otherwise.
   */
  takeIf(complete: (line: string) => boolean): LogRecord[] {
    const lines = this.splitter.takeIf(complete);
    return lines.length ? this.add(lines) : [];
  }

  /**
   * The text's last line when it ends without a newline, and a stretch of blank lines it ended with.
   * `gzipEnded`: the file's gzip data ended early, at that byte (LogRecord.gzipEnded): set on that last
   * line, which the data ended inside, or on a record of no line when the data ended at a line's end.
   */
  end(gzipEnded: number | null = null): LogRecord[] {
    const last = this.splitter.end();
    const records = this.add(last);
    if (this.blank) records.push(this.blank);
    this.blank = null;
    if (gzipEnded === null) return records;
    // (a blank stretch before the last line was handed on before it: that line is the last record)
    if (last.length) records[records.length - 1]!.gzipEnded = gzipEnded;
    else records.push({ ...this.record('', 0), line: null, gzipEnded });
    return records;
  }

  private add(lines: Line[]): LogRecord[] {
    const records: LogRecord[] = [];
    for (let i = 0; i < lines.length; i++) {
      const message = lines[i]!;
      if (typeof message === 'number') {
        if (this.blank) this.blank.blankLines = (this.blank.blankLines ?? 0) + message;
        else {
          this.blank = this.record('', this.line + 1);
          if (message > 1) this.blank.blankLines = message - 1;
        }
        this.line += message;
        continue;
      }
      this.line++;
      if (this.blank) {
        records.push(this.blank);
        this.blank = null;
      }
      if (typeof message === 'string') records.push(this.record(message, this.line));
      else records.push({ ...this.record(message.cut, this.line), cut: true, cutHead: message.head });
    }
    return records;
  }

  private record(message: string, line: number): LogRecord {
    return { message, source: this.source, stream: null, timestamp: null, eventId: null, line };
  }
}

/** Consecutive empty lines ("\n" or "\r\n") from `i`: how many, and where the next line starts. */
function blankRun(s: string, i: number): { count: number; end: number } {
  let count = 0;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 10) i++;
    else if (c === 13 && s.charCodeAt(i + 1) === 10) i += 2;
    else break;
    count++;
  }
  return { count, end: i };
}

function push(lines: Line[], line: Line): void {
  if (line === '') line = 1;
  const last = lines.length - 1;
  if (typeof line === 'number' && last >= 0 && typeof lines[last] === 'number') lines[last] = (lines[last] as number) + line;
  else lines.push(line);
}

class Pending {
  private parts: string[] = [];
  private length = 0;
  /** The line's first HEAD_CHARS characters, kept when its start is dropped. */
  private head = '';
  /** Pieces of the line were dropped for the cap (reset by takeLine). */
  private dropped = false;

  add(s: string): void {
    if (!s) return;
    if (this.head.length < HEAD_CHARS) this.head += s.slice(0, HEAD_CHARS - this.head.length);
    this.parts.push(s);
    this.length += s.length;
    while (this.parts.length > 1 && this.length - this.parts[0]!.length >= MAX_LINE_CHARS) {
      this.length -= this.parts.shift()!.length;
      this.dropped = true;
    }
  }

  peek(): string {
    if (this.parts.length > 1) this.parts = [this.parts.join('')];
    return this.parts[0] ?? '';
  }

  get empty(): boolean {
    return this.length === 0;
  }

  /** The line these pieces start, ended by `rest`, as handed on (lineOf); empty after. */
  takeLine(rest = ''): Line {
    const s = (this.parts.length === 1 ? this.parts[0]! : this.parts.join('')) + rest;
    const line = lineOf(s, this.dropped, this.head);
    this.parts = [];
    this.length = 0;
    this.dropped = false;
    this.head = '';
    return line;
  }
}

/**
 * A line as handed on: its trailing \r gone, and kept to its last MAX_LINE_CHARS (said by `cut`) when
 * longer or when pieces of it were `dropped`, with its first HEAD_CHARS (`head`: `pendingHead` when
 * its start came in pieces that were dropped).
 */
function lineOf(s: string, dropped = false, pendingHead = ''): Line {
  if (!dropped && s.length <= MAX_LINE_CHARS) return trimCr(s);
  return { cut: trimCr(s.length > MAX_LINE_CHARS ? s.slice(-MAX_LINE_CHARS) : s), head: dropped && pendingHead ? pendingHead : s.slice(0, HEAD_CHARS) };
}

function trimCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}
