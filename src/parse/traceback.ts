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
const INDENTED = /^[ \t]+\S/;
/** `KeyboardInterrupt`, `ValueError: …`, `torch.cuda.OutOfMemoryError: …`: a dotted name, then `: message` or nothing. */
const EXCEPTION = /^([A-Za-z_][\w.]{0,200})(?::(?: (.*))?)?\s*$/;

const LINE: ParseResult = { kind: 'unrecognised', reason: TRACEBACK_LINE };

/**
 * A line inside an open traceback (state.traceback): indented, a line of it; else its exception
 * line, which closes it. Any other line closes it too and is null: it is read as any line is (a
 * traceback cut short by the log's end or by other output).
 */
export function inTraceback(line: string, state: ParseState): ParseResult | null {
  if (INDENTED.test(line)) return LINE;
  state.traceback = false;
  const m = EXCEPTION.exec(line);
  return m ? { kind: 'unrecognised', reason: TRACEBACK_LINE, raised: { name: m[1]!, message: (m[2] ?? '').trim() } } : null;
}

/** A traceback's header (which opens it) or the line between two chained ones, or null. */
export function tracebackStart(line: string, state: ParseState): ParseResult | null {
  const c = line.charCodeAt(0);
  if (c === 84 && HEADER.test(line)) {
    state.traceback = true;
    return LINE;
  }
  return (c === 68 || c === 84) && CHAIN.test(line) ? LINE : null;
}
