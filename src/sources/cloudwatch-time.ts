// --since/--until: a duration back from now ("90m", "2h", "7d", via the `ms` package) or a
// timestamp (ISO-8601, or epoch milliseconds). The clock is passed in so this stays pure.

import ms from 'ms';
import { UserError } from '../errors.js';

/** Epoch milliseconds for one bound; `flag` names the option in the error message. */
export function parseTimeBound(value: string, now: number, flag: string): number {
  const v = value.trim();
  if (/^\d{12,}$/.test(v)) return Number(v);
  if (/^\d+(\.\d+)?\s*[a-zA-Z]+$/.test(v)) {
    const span = ms(v as ms.StringValue);
    if (typeof span === 'number' && Number.isFinite(span) && span >= 0) return now - span;
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) {
    const t = Date.parse(v);
    if (Number.isFinite(t)) return t;
  }
  throw new UserError(`${flag} ${JSON.stringify(value)}: expected a duration like 2h or 7d, or a timestamp like 2026-11-24T06:00:00Z`);
}
