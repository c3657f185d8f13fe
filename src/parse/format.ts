// The interface every text log format implements, one file per format under src/parse/.
// parseLine hands a format the line a terminal would show last (redraws taken, ANSI
// removed): `detect` says whether the line looks like the format's own, cheaply and
// without side effects; `read` turns it into a ParseResult, updating the stream's
// shared ParseState, or returns null when a closer look says it is not the format's.
// A new format is one file exporting a LineFormat, one line in FORMATS
// (src/parse/formats.ts), its name in LogFormat (src/types.ts) and a real capture in
// fixtures/formats/.

import type { LogFormat } from '../types.js';
import type { ParseResult, ParseState, TextFormat } from './state.js';

export interface LineContext {
  /** The raw line carried ANSI escapes (Keras 3 writes them even when piped). */
  hadAnsi: boolean;
  /** CloudWatch timestamp (ms), when there is one. */
  timestamp: number | null;
  /**
   * The whole record as it came, redraws and ANSI codes included: for a format whose
   * earlier redraws on the line matter too (a Lightning bar finishes several epochs on one line).
   */
  raw: string;
}

export interface LineFormat {
  /** The name `--log-format` takes. */
  name: string;
  /** The LogFormat(s) its records carry, and how the report names each. */
  titles: Partial<Record<TextFormat, string>>;
  detect(line: string): boolean;
  read(line: string, ctx: LineContext, state: ParseState): ParseResult | null;
}

export type { LogFormat };
