// One log record → what it means. Pure: the only memory is the per-stream ParseState.
//   continuation of a cut line? ──▶ fragment
//   starts with "{"             ──▶ our events (or other JSON)       parse/events.ts
//                                   not JSON (a Python dict)? ──▶ the text formats below
//   "mnist-train: …"            ──▶ the trainer's own stderr progress (awslogs ships stderr to the
//                                   same stream on ECS): expected noise, its epochs are in the events
//   otherwise                   ──▶ Ctrl-C's "^C" echo read past, last redraw, ANSI removed
//                               ──▶ each text format in FORMATS
//                                   (parse/formats.ts) whose detect() takes the line; the
//                                   stream's last recognised format first, or only --log-format's;
//                                   another format's header/epoch/batch starts the next run (anotherTrainer)
//                               ──▶ else scikit-learn's printed tables (parse/sklearn.ts), with any format
//                               ──▶ else, after docker compose's prefix: the same again (a collector's timestamp,
//                                   a logging library's level, mpirun's tag: read past before the formats,
//                                   parse/line-prefix.ts)
//                               ──▶ else the runtime's own chatter (TensorFlow's log lines, a Python warning
//                                   and the source line under it: parse/chatter.ts): ignored, said apart
//                               ──▶ else a Python traceback's header: the block's lines, up to its exception
//                                   line, are its own before any format (parse/traceback.ts); never plain text
//                               ──▶ else unrecognised: plain text (a script's own print, parse/plain-text.ts)
//                                   or a line that looks like it carried a metric, numbers or an error, and
//                                   maybe a step-based trainer's, which is named (parse/step-logs.ts)

import type { LogRecord } from '../types.js';
import { continuesFragment, parseJsonLine } from './events.js';
import type { LineContext, LineFormat } from './format.js';
import { FORMATS } from './formats.js';
import { IGNORED, nextTrainer, type ParseResult, type ParseState } from './state.js';
import { lastRedraw, stripAnsi } from './text.js';
import { createSklearnReader } from './sklearn.js';
import { isWarningSource, runtimeChatter } from './chatter.js';
import { plural } from '../wording/plural.js';
import { isPlainText } from './plain-text.js';
import { inTraceback, tracebackStart } from './traceback.js';
import { linePrefix, type LinePrefix } from './line-prefix.js';
import { stepLog } from './step-logs.js';

/** The reason of a line that is not text (a NUL, or mostly bytes that do not decode): never quoted raw. */
export const BINARY_DATA = 'binary data';

export { createParseState } from './state.js';
export type { ParseResult, ParseState, TextFormat } from './state.js';

const FRAGMENT: ParseResult = { kind: 'fragment' };
const CHATTER: ParseResult = { kind: 'ignored', chatter: true };

export function parseLine(record: LogRecord, state: ParseState): ParseResult {
  if (state.warned) return afterWarning(record, state);
  return readLine(record, state);
}

/** The line after a Python warning: its indented source line, when no format reads it, is chatter too. */
function afterWarning(record: LogRecord, state: ParseState): ParseResult {
  state.warned = false;
  const r = readLine(record, state);
  if (r.kind !== 'unrecognised') return r;
  const p = linePrefix(record.message, true);
  return isWarningSource(p ? record.message.slice(p.end) : record.message) ? CHATTER : r;
}

function readLine(record: LogRecord, state: ParseState): ParseResult {
  const msg = record.message;
  if (state.fragmentOpen && continuesFragment(msg, state)) return FRAGMENT;
  // A cheap first-character test keeps JSON.parse away from text lines.
  const c = msg.charCodeAt(0);
  if (c === 123) return jsonOrText(msg, record, state);
  if (c === 32 || c === 9) {
    const t = msg.trimStart();
    if (t.charCodeAt(0) === 123) return jsonOrText(t, record, state);
  }
  if (c === 109 && msg.startsWith(TRAINER_STDERR)) return IGNORED;
  return parseText(record, state);
}

/** JSON first; a line that is not JSON at all (Hugging Face prints Python dicts) is tried as text. */
function jsonOrText(json: string, record: LogRecord, state: ParseState): ParseResult {
  const r = parseJsonLine(json, state);
  if (r.kind !== 'unrecognised') return r;
  const t = parseText(record, state);
  return t.kind === 'unrecognised' ? r : t;
}

/** The prefix of every line mnist-train writes to stderr (its `say`). */
const TRAINER_STDERR = 'mnist-train: ';

/**
 * A terminal echoes Ctrl-C as "^C" where the cursor was, so a pasted log has it glued to the start of
 * the next output ("^CTraceback (most recent call last):"): the line is read after it.
 */
const CTRL_C_ECHO = '^C';

function parseText(record: LogRecord, state: ParseState): ParseResult {
  const msg = record.message.startsWith(CTRL_C_ECHO) ? record.message.slice(CTRL_C_ECHO.length) : record.message;
  const seg = msg.includes('\r') || msg.includes('\b') ? lastRedraw(msg) : msg;
  const hadAnsi = seg.includes('\x1b');
  const clean = hadAnsi ? stripAnsi(seg) : seg;
  if (!clean.trim()) return IGNORED;
  // a collector's timestamp, a logging library's level, mpirun's tag (line-prefix.ts): read after it
  const p = linePrefix(clean);
  // a traceback's frames and code are indented, and its code could look like a format's line; only the
  // lines of its header's prefix are its (another docker compose service's are not), whatever their times
  if (state.traceback) {
    const q = p ?? linePrefix(clean, true);
    if ((q?.key ?? '') === state.traceback.prefix) {
      const t = inTraceback(q ? clean.slice(q.end) : clean, state);
      if (t) return t;
    }
  }
  // "Exception ignored in: …" holds for the next line only (blank lines aside)
  const nonFatal = state.nonFatal;
  state.nonFatal = false;
  // a redrawn line's prefix is before its first drawing, from which a Lightning bar's earlier epochs are read
  const ctx = { hadAnsi, timestamp: record.timestamp, raw: pastPrefix(msg, clean === msg ? p : linePrefix(msg)) };
  let prefix = p;
  if (p === null) {
    const r = readFormats(clean, ctx, state);
    if (r) return r;
    // docker compose ("trainer-1  | …") puts its prefix before every line the trainer printed, but
    // "name | " can start a format's line too: it is tried only when the line as a whole is no format's
    prefix = linePrefix(clean, true);
    if (prefix) ctx.raw = pastPrefix(msg, clean === msg ? prefix : linePrefix(msg, true));
  }
  let rest = clean;
  if (prefix) {
    rest = clean.slice(prefix.end);
    const r = readAfterPrefix(rest, ctx, state);
    if (r) return r;
    // aws logs tail's stream name, if the word after the timestamp was the line's own after all
    if (prefix.withoutStream !== null) {
      const own = readAfterPrefix(clean.slice(prefix.withoutStream), ctx, state);
      if (own) return own;
    }
  }
  // The scikit-learn reader keeps tables across lines, so it sees each line once, without the prefix.
  return readSklearn(rest, state) ?? chatter(rest, state) ?? tracebackStart(rest, state, prefix?.key ?? '', nonFatal)
    ?? unrecognised(msg, rest, prefix?.error ?? false, state.forced);
}

/** The whole record after its prefix `p`. */
function pastPrefix(msg: string, p: LinePrefix | null): string {
  return p ? msg.slice(p.end) : msg;
}

/** The line after a prefix: our events (`docker compose logs`, `docker logs -t`), the trainer's stderr, a format's line. */
function readAfterPrefix(rest: string, ctx: LineContext, state: ParseState): ParseResult | null {
  const t = rest.trim();
  if (!t) return IGNORED;
  if (t.charCodeAt(0) === 123) {
    const j = parseJsonLine(t, state);
    if (j.kind !== 'unrecognised') return j;
    // a line that is not JSON at all (Hugging Face prints Python dicts) is tried as text, and is the JSON's when no format reads it
    return readFormats(rest, ctx, state) ?? j;
  }
  if (t.startsWith(TRAINER_STDERR)) return IGNORED;
  return readFormats(rest, ctx, state);
}

/** A line nothing took: plain text (parse/plain-text.ts) is said apart from one that looks like it carried something. */
function unrecognised(msg: string, text: string, error: boolean, forced: LineFormat | null): ParseResult {
  const reason = unrecognisedReason(msg, forced);
  const binary = msg.includes('\u0000') || msg.includes('\ufffd');
  // a logger's ERROR before it ("ERROR:root:…") makes a line no plain text, as the word in the line would
  if (!binary && !error && isPlainText(text)) return { kind: 'unrecognised', reason, plain: true };
  // a step-based trainer's line carries a metric, so it is never plain text
  const steps = binary ? null : stepLog(text);
  return steps ? { kind: 'unrecognised', reason, stepLog: steps } : { kind: 'unrecognised', reason };
}

/** A line no format took that is the runtime's own start-up chatter (parse/chatter.ts), or null. */
function chatter(line: string, state: ParseState): ParseResult | null {
  const kind = runtimeChatter(line);
  if (kind === null) return null;
  if (kind === 'python-warning') state.warned = true;
  return CHATTER;
}

/** scikit-learn's tables, beside any format: the stream's reader takes the line or not. */
function readSklearn(line: string, state: ParseState): ParseResult | null {
  const sklearn = (state.sklearn ??= createSklearnReader());
  return sklearn.read(line) ? { kind: 'evaluation', evaluation: sklearn.result() } : null;
}

function readFormats(line: string, ctx: LineContext, state: ParseState): ParseResult | null {
  for (const f of candidates(state)) {
    if (!f.detect(line)) continue;
    const r = (state.locked !== null && f !== state.locked ? anotherTrainer(f, line, ctx, state) : null) ?? f.read(line, ctx, state);
    if (r === null) continue;
    if (isTrainerOutput(r)) state.locked = f;
    return r;
  }
  return null;
}

const isTrainerOutput = (r: ParseResult): boolean => r.kind === 'header' || r.kind === 'epoch' || r.kind === 'batch';

/**
 * A header, epoch or batch of another format than the one this fit() was read in is another
 * trainer's output (a plain-print loop's log and a Keras fit() catted into one file): it starts
 * the next run, read from a fresh state (state.ts nextTrainer), whatever its epoch number. Its
 * other lines (noise, test metrics) do not, and are read with the stream's state as they were.
 */
function anotherTrainer(f: LineFormat, line: string, ctx: LineContext, state: ParseState): ParseResult | null {
  const next = nextTrainer(state);
  const r = f.read(line, ctx, next);
  if (r === null || !isTrainerOutput(r)) return null;
  Object.assign(state, next);
  return r;
}

/** The order to try formats in, with a given one first: built once per format, not per line. */
const ORDER = new Map<LineFormat, readonly LineFormat[]>(FORMATS.map((f) => [f, [f, ...FORMATS.filter((g) => g !== f)]]));
const ONLY = new Map<LineFormat, readonly LineFormat[]>(FORMATS.map((f) => [f, [f]]));

function candidates(state: ParseState): readonly LineFormat[] {
  if (state.forced) return ONLY.get(state.forced)!;
  return state.locked === null ? FORMATS : ORDER.get(state.locked)!;
}

/** Why a line was not read: binary data, or not a line of the formats tried (only --log-format's when it is given). */
function unrecognisedReason(msg: string, forced: LineFormat | null): string {
  if (msg.includes('\u0000')) return BINARY_DATA;
  const undecoded = msg.includes('\ufffd') ? msg.split('\ufffd').length - 1 : 0;
  // random bytes are mostly not UTF-8; a line of text in another encoding (Latin-1 "é") has a few such characters
  if (undecoded * 10 > msg.length) return BINARY_DATA;
  if (undecoded) return `not UTF-8: ${plural(undecoded, 'character', 'characters')} could not be decoded; another encoding, such as Latin-1?`;
  return forced ? `not a ${forced.name} line (--log-format ${forced.name})` : 'not a line of any known log format';
}
