// The parse stage as the report's pipeline uses it: records from many files and log streams,
// interleaved, each read with the state of its own stream (parseLine is pure given that state).
//
//   record ──▶ its stream's ParseState (source + stream; made on first sight) ──▶ parseLine ──▶ ParseResult

import type { LogRecord } from '../types.js';
import type { LineFormat } from './format.js';
import { createParseState, parseLine, type ParseResult, type ParseState } from './line.js';

export interface LogParser {
  /** What one record means, read with the state of its (source, stream). */
  parse(record: LogRecord): ParseResult;
  /** Makes the state of the record's (source, stream) current without reading the record (one dropped unread). */
  select(record: LogRecord): ParseState;
  /**
   * The state the last parse() used. The runs stage reads the stream's fit() segment and
   * format notes from it, and a change of object tells it the stream changed.
   */
  readonly current: ParseState;
}

export interface LogParserOptions {
  /** --log-format: read every text line as this format only. */
  format?: LineFormat | null;
}

export function createLogParser(options: LogParserOptions = {}): LogParser {
  const forced = options.format ?? null;
  const states = new Map<string, ParseState>();
  let lastSource: string | null = null;
  let lastStream: string | null = null;
  let current = createParseState(forced);
  const select = (record: LogRecord): ParseState => {
    // Consecutive records nearly always share a stream: the map is looked up on a change only.
    if (record.source !== lastSource || record.stream !== lastStream) {
      const key = `${record.source}\n${record.stream ?? ''}`;
      let s = states.get(key);
      if (!s) states.set(key, (s = createParseState(forced)));
      current = s;
      lastSource = record.source;
      lastStream = record.stream;
    }
    return current;
  };
  return {
    parse(record) {
      return parseLine(record, select(record));
    },
    select,
    get current() {
      return current;
    },
  };
}
