// What a log collector, launcher or logging library puts before every line the trainer printed,
// recognised only at the line's start and only in these shapes (one after another, up to four):
//
//   2026-12-01T10:00:00.123456789Z ␣                   docker logs -t, kubectl logs --timestamps (RFC 3339, any
//                                                      fraction, zone Z or ±hh:mm; also a space for the T)
//   2026-12-01T17:17:17.272000+00:00 ␣STREAM␣          aws logs tail (Python's isoformat in UTC, then the stream)
//   2026-12-01 10:00:00,123 - NAME - LEVEL - ␣         Python logging's "%(asctime)s - %(name)s - %(levelname)s - "
//   2026-12-01 10:00:00,123 - LEVEL - ␣, … LEVEL ␣     and its shorter forms; "[%(asctime)s] LEVEL ", Hydra's
//   [2026-12-01 10:00:00,123][NAME][LEVEL] - ␣         "[%(asctime)s][%(name)s][%(levelname)s] - "
//   INFO:root:                                         Python logging's default "%(levelname)s:%(name)s:"
//   [worker-0] ␣, [rank0]:                             a tag (a letter first: "[0]", "[1/10]" are a line's own)
//   [1,0]<stdout>:, [1,mpirank:0,algo-1]<stderr>:      mpirun/Horovod's --tag-output, and SageMaker's
//   trainer-1  | ␣                                     docker compose (first only, and only when asked: see below)
//
// A timestamp must be followed by a space or one of these forms, so a format's own timestamp
// ("2025-11-24 11:58:28.774132: I tensorflow/…", a CSV's time column) is not a prefix. docker
// compose's "name | " can also be the start of a line of a format (Lightning's model summary
// "0 | model | Net | 1.2 M"), so line.ts reads a line as a whole before it tries that one; the
// others start no line of any format and are read past first. The timestamp is not taken as the line's
// time: docker and kubectl stamp a line when they read it, and Python's stdout, not a terminal in a
// container, is flushed in blocks, so the epochs of a run would seem to stall between bursts.

export interface LinePrefix {
  /** Where the line after the prefix starts. */
  end: number;
  /**
   * The prefix without its timestamps and levels: the lines of one source (a docker compose service,
   * an mpirun rank, a CloudWatch stream) share it, whatever their times.
   */
  key: string;
  /** A logging level that says error (ERROR, CRITICAL, FATAL): the line is no plain text, whatever follows. */
  error: boolean;
  /** docker compose's "name | " came first (read only after the whole line). */
  launcher: boolean;
  /**
   * aws logs tail's stream name was taken as part of the prefix (a word after a UTC timestamp in
   * Python's isoformat): where the line starts if that word was the line's own after all.
   */
  withoutStream: number | null;
}

const LEVELS = 'DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL';
const LEVEL = new RegExp(`^(?:${LEVELS})$`);
const ERROR_LEVEL = /^(?:ERROR|CRITICAL|FATAL)$/;
/** Date and time, a fraction ("." or Python's ","), a zone; a "[" before it needs its "]" after. */
const TIMESTAMP = /(\[)?(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d{1,9})?)(Z|[+-]\d\d(?::?\d\d)?)?(\])?/y;
/**
 * A level and one space, or a level padded to 8 ("%(levelname)-8s") and one space: the line's own
 * indentation after it stays (the source line under a logged warning).
 */
const PADDED_LEVEL = '(?=(' + LEVELS + ') )(?:(?:DEBUG|ERROR|FATAL)(?:   )?|(?:INFO|WARN)(?:    )?|WARNING ?|CRITICAL) ';
/** What follows a timestamp: Python logging's " - name - LEVEL - ", " - LEVEL - ", " LEVEL ", or a space. */
const AFTER_TIMESTAMP = new RegExp(` - (?:[\\w.<>-]{1,100} - )?(${LEVELS}) - | ${PADDED_LEVEL}| |(?=\\[)`, 'y');
/** aws logs tail: isoformat() of a UTC time (microseconds, or none when they are 0). */
const AWS_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{6})?$/;
/** A CloudWatch log stream's name: no ":" or "*" (CloudWatch refuses them), no space. */
const STREAM = /[^\s:*]{1,512} /y;
const PYTHON_LOGGING = new RegExp(`(${LEVELS}):[\\w.<>-]{1,200}:`, 'y');
/** "[worker-0]", "[INFO]": a letter first; then " - ", ": ", ":", a space, or the next "[". */
const TAG = /\[([A-Za-z_][\w.@#:=-]{0,63})\](?: - |: ?| |(?=\[))/y;
const MPIRUN = /\[\d{1,6},(?:mpirank:)?\d{1,6}(?:,[\w.-]{1,64})?\]<std(?:out|err)>:/y;
/** docker compose: "trainer-1  | ", as before this file (line.ts's LAUNCHER_PREFIX). */
export const COMPOSE_PREFIX = /^[A-Za-z0-9][\w.-]{0,62} {1,40}\| ?/;

const MAX_PARTS = 4;

/** One part of a prefix: where it ends, what of it names the source (LinePrefix.key), its logging level. */
interface Part {
  end: number;
  key: string;
  level: string | undefined;
  withoutStream?: number;
}

/**
 * The prefix before a line, or null. `launcher`: docker compose's "name | " may come first (tried
 * only after the whole line was no format's). Cheap on a line without one: a look at its first characters.
 */
export function linePrefix(line: string, launcher = false): LinePrefix | null {
  const compose = launcher ? COMPOSE_PREFIX.exec(line)?.[0] ?? '' : '';
  let part = partAt(line, compose.length);
  // most lines have none: no object made for them (this runs on every text line)
  if (!part && !compose) return null;
  const prefix: LinePrefix = { end: compose.length, key: compose, error: false, launcher: compose !== '', withoutStream: null };
  for (let n = 0; n < MAX_PARTS && part; n++, part = partAt(line, prefix.end)) {
    prefix.end = part.end;
    prefix.key += part.key;
    if (part.level !== undefined && ERROR_LEVEL.test(part.level)) prefix.error = true;
    if (part.withoutStream !== undefined) prefix.withoutStream = part.withoutStream;
  }
  return prefix.end === 0 ? null : prefix;
}

function partAt(line: string, i: number): Part | null {
  const c = line.charCodeAt(i);
  if (c >= 48 && c <= 57) return timestampAt(line, i, false);
  if (c === 91) {
    const m = at(MPIRUN, line, i) ?? at(TAG, line, i);
    if (!m) return timestampAt(line, i, true);
    const level = m[1] !== undefined && LEVEL.test(m[1]) ? m[1] : undefined;
    return { end: i + m[0].length, key: level === undefined ? m[0] : '', level };
  }
  // D(EBUG) I(NFO) W(ARN) E(RROR) C(RITICAL) F(ATAL)
  if (c === 73 || c === 87 || c === 69 || c === 68 || c === 67 || c === 70) {
    const m = at(PYTHON_LOGGING, line, i);
    return m ? { end: i + m[0].length, key: '', level: m[1] } : null;
  }
  return null;
}

/** "2026-12-01T10:00:00.123Z ", "[2026-12-01 10:00:00,123] INFO ", …; with aws logs tail's stream name after it. */
function timestampAt(line: string, i: number, bracketed: boolean): Part | null {
  // "2026-" (after a "["): nothing else starts with four digits and a dash here
  if (line.charCodeAt(i + (bracketed ? 5 : 4)) !== 45) return null;
  const t = at(TIMESTAMP, line, i);
  if (!t || (t[1] !== undefined) !== bracketed || (t[4] !== undefined) !== bracketed) return null;
  const after = at(AFTER_TIMESTAMP, line, i + t[0].length);
  if (!after) return null;
  const end = i + t[0].length + after[0].length;
  const part: Part = { end, key: '', level: after[1] ?? after[2] };
  const stream = after[0] === ' ' && t[3] === '+00:00' && AWS_TIME.test(t[2]!) ? at(STREAM, line, end) : null;
  if (stream) Object.assign(part, { end: end + stream[0].length, key: stream[0], withoutStream: end });
  return part;
}

function at(re: RegExp, line: string, i: number): RegExpExecArray | null {
  re.lastIndex = i;
  return re.exec(line);
}
