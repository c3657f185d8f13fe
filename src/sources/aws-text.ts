// The text form of `aws logs filter-log-events --output text` (and get-log-events'): the aws CLI prints each
// event as one tab-separated line headed EVENTS, its scalar fields in the order of their sorted keys
// (awscli/text.py sorts them): filter-log-events' `EVENTS <eventId> <ingestionTime> <logStreamName>
// <message> <timestamp>`, get-log-events' `EVENTS <ingestionTime> <message> <timestamp>`. The message is
// written as it is, so one holding a tab has more fields (the timestamp is the last, the message all
// between) and one holding a newline goes on over the next lines. The CLI's other lines (a page's next
// token, SEARCHEDLOGSTREAMS) are not log events.

import type { LogRecord } from '../types.js';

/** filter-log-events: eventId (digits, 56 in practice), ingestionTime, stream, message…, timestamp. */
const FILTER_EVENT = /^EVENTS\t(\d{17,})\t(\d{1,16})\t([^\t]*)\t([\s\S]*)\t(\d{1,16})$/;
/** get-log-events: ingestionTime, message…, timestamp. */
const GET_EVENT = /^EVENTS\t(\d{1,16})\t([\s\S]*)\t(\d{1,16})$/;
/** An event line whose message goes on over the next lines (it ends without its timestamp). */
const EVENT_START = /^EVENTS\t\d+\t/;
const ENDS_WITH_TIME = /\t\d{1,16}$/;
/** The CLI's own lines: the streams searched, and before the first event a page's token(s). */
const SEARCHED = /^SEARCHEDLOGSTREAMS\t/;
const TOKENS = /^[\w+/=.-]{8,}(\t[\w+/=.-]{8,})?$/;
/** A message is at most 256 KB in CloudWatch: an event line not closed by then is no event, and is read as text. */
const MAX_MESSAGE_CHARS = 256 * 1024;

/** Whether a file's start is the aws CLI's text output of log events: an EVENTS line among its first lines. */
export function looksAwsText(head: string): boolean {
  return head.slice(0, 64 * 1024).split('\n', 8).some((l) => EVENT_START.test(l));
}

/** Records of text lines (sources/lines.ts) → the events they hold, with their stream, time and id; other lines pass as they are. */
export class AwsTextEvents {
  private pending: LogRecord[] = [];
  private pendingChars = 0;
  private seenEvent = false;

  constructor(private readonly source: string) {}

  feed(records: readonly LogRecord[]): LogRecord[] {
    const out: LogRecord[] = [];
    for (const r of records) {
      if (this.pending.length) {
        this.pending.push(r);
        this.pendingChars += r.message.length + 1;
        if (ENDS_WITH_TIME.test(r.message)) out.push(...this.close());
        else if (this.pendingChars > MAX_MESSAGE_CHARS) out.push(...this.giveUp());
        continue;
      }
      const event = this.event(r.message, r.line);
      if (event) out.push(event);
      else if (EVENT_START.test(r.message) && !ENDS_WITH_TIME.test(r.message) && !r.cut) {
        this.pending = [r];
        this.pendingChars = r.message.length;
      } else if (!SEARCHED.test(r.message) && !(!this.seenEvent && TOKENS.test(r.message))) out.push(r);
    }
    return out;
  }

  /** An event left open at the end of the text: its lines, as text. */
  end(): LogRecord[] {
    return this.giveUp();
  }

  private close(): LogRecord[] {
    const lines = this.pending;
    // (a stretch of blank lines inside the message is one record counting the rest)
    const event = this.event(lines.map((l) => l.message + '\n'.repeat(l.blankLines ?? 0)).join('\n'), lines[0]!.line);
    return event ? (this.reset(), [event]) : this.giveUp();
  }

  private giveUp(): LogRecord[] {
    const lines = this.pending;
    this.reset();
    return lines;
  }

  private reset(): void {
    this.pending = [];
    this.pendingChars = 0;
  }

  private event(text: string, line: number | null): LogRecord | null {
    const f = FILTER_EVENT.exec(text);
    const g = f ? null : GET_EVENT.exec(text);
    if (!f && !g) return null;
    this.seenEvent = true;
    return f
      ? { message: f[4]!, source: this.source, stream: f[3] || null, timestamp: Number(f[5]), eventId: f[1]!, line }
      : { message: g![2]!, source: this.source, stream: null, timestamp: Number(g![3]), eventId: null, line };
  }
}
