// JSON as Python's json.dumps writes it: standard JSON except for the bare tokens
// NaN, Infinity and -Infinity, which it writes for non-finite floats (allow_nan is
// on by default). JSON5 reads those tokens; it runs only when JSON.parse has failed
// on a line that holds one of them, so ordinary lines pay nothing for it.

import JSON5 from 'json5';

const NON_FINITE_TOKEN = /(?:^|[\s:,[])-?(?:NaN|Infinity)\s*[,}\]]/;

/** The parsed value, or the JSON.parse error when the line is not JSON even with Python's tokens. */
export function parseJsonOrPython(text: string): { ok: true; value: unknown } | { ok: false; error: Error } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    if (NON_FINITE_TOKEN.test(text)) {
      try {
        return { ok: true, value: JSON5.parse(text) };
      } catch {
        // fall through: report JSON.parse's message, the standard one
      }
    }
    return { ok: false, error: err as Error };
  }
}
