// A Python traceback in a trainer's text log, read as one block: every line of it is unusable
// (never plain text), and its last line names the exception, which the runs stage keeps as the
// run's end when nothing of the run comes after it (runs/collect.ts).
//
//   Traceback (most recent call last):                                 header: the block opens
//     File "train.py", line 40, in <module>                            a frame
//       model.fit(x_train, y_train, epochs=5, ...)                     its line of code (3.11+: ^^^^ under it)
//     [Previous line repeated 996 more times]                          (indented too)
//   KeyboardInterrupt                                                  the exception: the block closes
//   RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB …     (or one with a message)
//
// Chained exceptions print "During handling of the above exception, another exception occurred:"
// or "The above exception was the direct cause of the following exception:" between two blocks;
// the last block's exception is the one that ended the process. Tried only on a line no format
// took, except inside an open block, where an indented line is the traceback's before any format.

import type { ParseResult, ParseState } from './state.js';

/** The reason every line of a traceback is quoted with in Data Quality. */
export const TRACEBACK_LINE = 'part of a Python traceback: the script raised an exception';

const HEADER = /^Traceback \(most recent call last\):\s*$/;
const CHAIN = /^(?:During handling of the above exception, another exception occurred|The above exception was the direct cause of the following exception):\s*$/;
/**
 * The line Python prints before the traceback of an exception that does not end the script: one raised
 * in a __del__ or at interpreter exit ("Exception ignored in: <function Pool.__del__ at 0x…>"), or in a
 * thread other than the main one ("Exception in thread Thread-1 (worker):").
 */
const NON_FATAL = /^(?:Exception ignored in: |Exception in thread .{1,200}:\s*$)/;
const INDENTED = /^[ \t]+\S/;
/** `KeyboardInterrupt`, `ValueError: …`, `torch.cuda.OutOfMemoryError: …`: a dotted name, then `: message` or nothing. */
const EXCEPTION = /^([A-Za-z_][\w.]{0,200})(?::(?: (.*))?)?\s*$/;

const LINE: ParseResult = { kind: 'unrecognised', reason: TRACEBACK_LINE };

/**
 * A line of the launcher prefix `prefix` (without it) while a traceback is open or just closed
 * (state.traceback): in its frames, an indented line is one of them, and the exception line closes
 * them; after that line, indented lines carry on its message (`RuntimeError: Error(s) in loading
 * state_dict for Net:` then `\tMissing key(s) …`). Any other line ends the block and is null: it is read
 * as any line is (a traceback cut short by the log's end or by other output). Lines of another prefix
 * (another docker compose service) are not the block's: the caller does not ask.
 */
export function inTraceback(line: string, state: ParseState): ParseResult | null {
  const t = state.traceback!;
  if (INDENTED.test(line)) return LINE;
  if (t.at === 'message') {
    state.traceback = null;
    // "During handling of the above exception …" next: the chained blocks are as fatal as this one
    state.nonFatal = t.nonFatal;
    return null;
  }
  const m = EXCEPTION.exec(line);
  if (!m) {
    state.traceback = null;
    return null;
  }
  t.at = 'message';
  // an exception that did not end the script is a line of the block, no end of the run
  return t.nonFatal ? LINE : { kind: 'unrecognised', reason: TRACEBACK_LINE, raised: { name: m[1]!, message: (m[2] ?? '').trim() } };
}

/**
 * A traceback's header (which opens it, its lines then those of `prefix`), the line between two chained
 * ones, or the line that says the next one is of an exception that did not end the script; or null.
 * `nonFatal`: the line before this one (blank lines aside) said so (ParseState.nonFatal, which the caller
 * takes back for every line, so that it holds for the next line only).
 */
export function tracebackStart(line: string, state: ParseState, prefix: string, nonFatal: boolean): ParseResult | null {
  const c = line.charCodeAt(0);
  if (c === 84 && HEADER.test(line)) {
    state.traceback = { at: 'frames', prefix, nonFatal };
    return LINE;
  }
  if (c === 69 && NON_FATAL.test(line)) {
    state.nonFatal = true;
    return LINE;
  }
  // chained: the blocks after it are of the same exception's handling, fatal or not as the first
  if ((c === 68 || c === 84) && CHAIN.test(line)) {
    state.nonFatal = nonFatal;
    return LINE;
  }
  return null;
}
