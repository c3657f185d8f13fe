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

/** Python's bare words in a repr, as JSON5 spells them. */
const PYTHON_WORDS: Record<string, string> = { True: 'true', False: 'false', None: 'null', nan: 'NaN', inf: 'Infinity' };

/**
 * A dict as Python's print shows it ("{'accuracy': 0.75, 'f1': nan, 'best': True}"), or null when the text
 * is not one. Its bare words are rewritten outside quotes only (a key 'None' stays), then JSON5 reads
 * the single quotes and NaN/Infinity. A value of any other Python type (np.float64(0.5), a tuple) makes it null.
 */
export function parsePythonDict(text: string): Record<string, unknown> | null {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      // to the closing quote, past escaped characters
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (!/[A-Za-z]/.test(c)) continue;
    let j = i;
    while (j < text.length && /\w/.test(text[j]!)) j++;
    const word = PYTHON_WORDS[text.slice(i, j)];
    if (word !== undefined) {
      out += text.slice(from, i) + word;
      from = j;
    }
    i = j - 1;
  }
  try {
    const value: unknown = JSON5.parse(out + text.slice(from));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : null;
  } catch {
    return null;
  }
}
