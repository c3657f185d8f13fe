// Our own JSON lines (schema mnist-train/1), and the JSON that is not ours.

import { SCHEMA, type BatchEndEvent } from '../events.js';
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

// A batch_end line exactly as mnist-train writes it (serializeEvent of the trainer's
// event factory: these keys in this order, no whitespace, no escapes, finite numbers).
// Such lines are nearly all of a big log, and one regular expression reads them in
// half the time of JSON.parse + validateEvent. Every line of another shape, valid or
// not, takes the general path, so what counts as valid and the messages are the same.
const NUMBER = '(-?(?:0|[1-9]\\d*)(?:\\.\\d+)?(?:[eE][+-]?\\d+)?|null)';
const POSITIVE_INT = '([1-9]\\d{0,14})';
const BATCH_END_AS_WRITTEN = new RegExp(
  `^\\{"schema":"${SCHEMA}","run_id":"([^"\\\\\\x00-\\x1f]+)","time":"(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?Z)",` +
  `"event":"batch_end","epoch":${POSITIVE_INT},"batch":${POSITIVE_INT},"loss":${NUMBER},"accuracy":${NUMBER}\\}$`,
);

/** The event of a batch_end line in exactly the trainer's shape (valid, too), else null. */
export function batchEndAsWritten(message: string): BatchEndEvent | null {
  const m = BATCH_END_AS_WRITTEN.exec(message);
  if (!m) return null;
  const loss = m[5] === 'null' ? null : Number(m[5]);
  const accuracy = m[6] === 'null' ? null : Number(m[6]);
  // 1e999 is valid JSON but not a finite metric: the general path says so
  if (!(loss === null || Number.isFinite(loss)) || !(accuracy === null || Number.isFinite(accuracy))) return null;
  return { schema: SCHEMA, run_id: m[1]!, time: m[2]!, event: 'batch_end', epoch: Number(m[3]), batch: Number(m[4]), loss, accuracy };
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
