// Plain types that cross pipeline stages (besides the event schema in events.ts).

/** One raw log message as a source yields it, before parsing. */
export interface LogRecord {
  /** The log message (one line of stdout; may still contain \r, \b, ANSI codes). */
  message: string;
  /** Where it came from: a file path, "-" for stdin, or "cloudwatch:<group>". */
  source: string;
  /** Log stream name (CloudWatch) or null for plain files. */
  stream: string | null;
  /** Epoch milliseconds when known (CloudWatch timestamp), else null. */
  timestamp: number | null;
  /** CloudWatch eventId when known; used to dedupe. */
  eventId: string | null;
  /** 1-based line number within a local file, else null. */
  line: number | null;
}
