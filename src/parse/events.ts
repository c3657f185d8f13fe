// Our own JSON lines (schema mnist-train/1), and the JSON that is not ours.

import { SCHEMA } from '../events.js';
import { batchEndAsWritten } from './batch-line.js';
import { readEvent } from './event-reader.js';
import { parseJsonOrPython } from './python-json.js';
import type { ParseResult, ParseState } from './state.js';

/**
 * awslogs cuts a message at 256 KB including 26 bytes of per-event overhead
 * (262,144 − 26 = 262,118 bytes). A message this close to the limit that is not
 * complete JSON was cut; the slack allows for a cut inside a multi-byte character.
 */
export const AWSLOGS_MAX_MESSAGE_BYTES = 262_118;
const FRAGMENT_MIN_BYTES = AWSLOGS_MAX_MESSAGE_BYTES - 64;

/** True when the message is as long as awslogs lets a message be. */
function atSizeLimit(message: string): boolean {
  // UTF-8 needs at most 3 bytes per UTF-16 unit: short strings cannot be near the limit.
  if (message.length * 3 < FRAGMENT_MIN_BYTES) return false;
  return Buffer.byteLength(message, 'utf8') >= FRAGMENT_MIN_BYTES;
}

/** Parses a message that starts with `{`. */
export function parseJsonLine(message: string, state: ParseState): ParseResult {
  const batch = batchEndAsWritten(message);
  if (batch) return { kind: 'event', event: batch, gaps: null };
  const parsed = parseJsonOrPython(message);
  if (!parsed.ok) {
    if (atSizeLimit(message)) {
      state.fragmentOpen = true;
      return { kind: 'fragment' };
    }
    if (message.includes(`"${SCHEMA}"`)) return { kind: 'invalid', errors: [`not JSON: ${parsed.error.message}`] };
    return { kind: 'unrecognised', reason: 'malformed JSON' };
  }
  const r = readEvent(parsed.value);
  if (r.kind !== 'foreign') return r;
  return { kind: 'unrecognised', reason: `JSON without schema "${SCHEMA}"` };
}

/**
 * The message after a fragment at the size limit: unless it stands on its own as
 * JSON, it is the next piece of the cut line (and may itself be cut again).
 */
export function continuesFragment(message: string, state: ParseState): boolean {
  state.fragmentOpen = false;
  if (message.charCodeAt(0) === 123) {
    try {
      JSON.parse(message);
      return false;
    } catch {
      // fall through: a piece that happens to start with "{"
    }
  }
  state.fragmentOpen = atSizeLimit(message);
  return true;
}
