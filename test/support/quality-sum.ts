// The data-quality invariant a reader relies on: every count of the whole input is the sum of the
// runs' counts and the count of the records of no run (README, "Whose lines count").

import assert from 'node:assert/strict';
import { unusableLines } from '../../src/runs/quality.js';
import type { DataQuality } from '../../src/types.js';

/** Every count of a quality record, by name: each numeric field, and each field gap's and unknown event's count. */
export function countsOf(q: DataQuality): Map<string, number> {
  const m = new Map<string, number>();
  for (const [k, v] of Object.entries(q)) if (typeof v === 'number') m.set(k, v);
  // runtime_chatter is left out of the record when it is 0 (a report without chatter is as it was): absent is 0
  if (!m.has('runtime_chatter')) m.set('runtime_chatter', 0);
  for (const g of q.field_gaps) {
    m.set(`field_gaps[${g.field}].missing`, g.missing);
    m.set(`field_gaps[${g.field}].unreadable`, g.unreadable);
  }
  m.set('unknown_events (all names)', q.unknown_events.reduce((n, u) => n + u.count, 0));
  for (const u of q.unknown_events) m.set(`unknown_events[${u.name}]`, u.count);
  return m;
}

/** A counter keeps its first 20 event names and counts the rest as this one: quality.ts, MAX_UNKNOWN_NAMES. */
const OTHER_NAMES = 'unknown_events[(other names)]';
const MAX_EXAMPLES = 5;

/**
 * Asserts, field by field, that the whole input's counts are the runs' plus no run's, naming `label`
 * and the field when one is not. What is not additive by design is checked for what does hold:
 * - examples: each record keeps at most 5 quoted lines, so they do not add up; each quotes its first
 *   min(5, unusable lines) and every line the whole input quotes is quoted by the part it counts for,
 *   unless that part had already quoted 5;
 * - unknown_events by name: each counter names the first 20 names it meets and counts the others as
 *   "(other names)", and which names those are depends on the counter; past 20 only the total over
 *   all names adds up (checked always, as "unknown_events (all names)").
 */
export function assertQualitySums(label: string, whole: DataQuality, runs: readonly DataQuality[], noRun: DataQuality | null | undefined): void {
  const parts = noRun ? [...runs, noRun] : [...runs];
  const sum = new Map<string, number>();
  for (const q of parts) for (const [k, v] of countsOf(q)) sum.set(k, (sum.get(k) ?? 0) + v);
  const own = countsOf(whole);
  const folded = [whole, ...parts].some((q) => countsOf(q).has(OTHER_NAMES));
  const wrong: string[] = [];
  for (const field of new Set([...own.keys(), ...sum.keys()])) {
    if (folded && field.startsWith('unknown_events[')) continue;
    if ((sum.get(field) ?? 0) !== (own.get(field) ?? 0)) wrong.push(`${field}: the runs and no run add up to ${sum.get(field) ?? 0}, the whole input counts ${own.get(field) ?? 0}`);
  }
  assert.deepEqual(wrong, [], `${label} (${runs.length} runs${noRun ? ' and no run' : ''}): ${wrong.join('; ')}`);
  for (const [i, q] of [whole, ...parts].entries()) {
    const which = i === 0 ? 'the whole input' : i <= runs.length ? `run ${i}` : 'no run';
    assert.equal(q.examples.length, Math.min(MAX_EXAMPLES, unusableLines(q)), `${label}: ${which} quotes ${q.examples.length} of its ${unusableLines(q)} unusable lines`);
  }
  const full = parts.some((q) => q.examples.length === MAX_EXAMPLES);
  for (const e of whole.examples) {
    const quoted = parts.some((q) => q.examples.some((x) => x.source === e.source && x.stream === e.stream && x.line === e.line && x.text === e.text));
    assert.ok(quoted || full, `${label}: the whole input quotes ${JSON.stringify(e)}, which no run and not no run quotes`);
  }
}
