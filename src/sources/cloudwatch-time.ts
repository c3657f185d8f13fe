// --since/--until. One rule for every form, and the clock passed in so this stays pure:
//   now                          the clock
//   2h, 90m, 7d, "2h ago"        a duration back from now (the `ms` package reads it)
//   1763856000, 1763856000000    epoch seconds (up to 11 digits) or milliseconds (12 or 13); more
//                                digits are refused (99999999999999999 was read as ms, past year 9999)
//   2026-11-20, 2026-11-20T06:00 ISO-8601; a time without a zone is UTC (as a date alone
//                                already is in JavaScript), so the two never mean different days

import ms from 'ms';
import { UserError } from '../errors.js';
import { epochTooLong } from '../wording/cloudwatch.js';

/** Epoch milliseconds for one bound; `flag` names the option in the error message. */
export function parseTimeBound(value: string, now: number, flag: string): number {
  const v = value.trim();
  if (v.toLowerCase() === 'now') return now;
  if (/^\d+$/.test(v)) {
    if (v.length > 13) throw new UserError(epochTooLong(flag, value));
    return v.length <= 11 ? Number(v) * 1000 : Number(v);
  }
  const duration = /^(\d+(?:\.\d+)?\s*[a-zA-Z]+)(?:\s+ago)?$/i.exec(v);
  if (duration) {
    const span = ms(duration[1]! as ms.StringValue);
    if (typeof span === 'number' && Number.isFinite(span) && span >= 0) return now - span;
  }
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(v)) {
    const zoned = /[T ]\d{2}:\d{2}/.test(v) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(v) ? `${v.replace(' ', 'T')}Z` : v.replace(' ', 'T');
    const t = Date.parse(zoned);
    if (Number.isFinite(t)) return t;
  }
  throw new UserError(`${flag} ${JSON.stringify(value)}: expected now, a duration like 2h, 7d or "2h ago", epoch seconds or ` +
    'milliseconds, or a timestamp like 2026-11-24T06:00:00Z (a time without a zone is UTC)');
}
