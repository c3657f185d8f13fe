// The lenient reader of mnist-train/1: strict in what mnist-train writes
// (src/events.ts), liberal in what the report reads. An event exactly as the
// contract says passes the compiled check and is used as it is; anything else is
// read field by field against the same declaration (lenient.ts), keeping what can
// be read and noting what was missing or unreadable. Only the essentials make an
// event invalid: `event`, `run_id`, and each event's READ_RULES (for an epoch: its
// number and at least one metric).

import {
  EVENTS, READ_RULES, SCHEMA, describeValue, expected, isStrictEvent, type EventName, type ReadTrainEvent, type Schema,
} from '../events.js';
import { readAs, type ReadNotes } from './lenient.js';

/** Fields of one event that the writer should have written and the reader went without. */
export interface FieldGaps {
  /** e.g. "epoch_end.duration_ms", "run_start.model.layers[].type" */
  missing: string[];
  /** Present but not readable as declared (dropped), e.g. "run_start.model.layers" for "nope". */
  unreadable: string[];
}

export type EventReading =
  | { kind: 'event'; event: ReadTrainEvent; gaps: FieldGaps | null }
  | { kind: 'unknown_event'; name: string; run_id?: string }
  | { kind: 'invalid'; errors: string[]; run_id?: string }
  /** Not ours: JSON without our schema or a known event name. */
  | { kind: 'foreign' };

const FOREIGN: EventReading = { kind: 'foreign' };
const isName = (n: unknown): n is EventName => typeof n === 'string' && Object.hasOwn(EVENTS, n);

/** The run a reading that is not an event names, when it names one: it counts for that run's data quality. */
const runIdOf = (v: Record<string, unknown>): { run_id?: string } => (typeof v.run_id === 'string' ? { run_id: v.run_id } : {});

/** Read a parsed JSON value as an mnist-train/1 event, as liberally as the contract allows. */
export function readEvent(value: unknown): EventReading {
  if (isStrictEvent(value)) return { kind: 'event', event: value, gaps: null };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return FOREIGN;
  const v = value as Record<string, unknown>;
  const name = v.event;
  if (v.schema === SCHEMA) {
    if (typeof name === 'string' && !isName(name)) return { kind: 'unknown_event', name, ...runIdOf(v) };
    if (!isName(name)) return { kind: 'invalid', errors: [`event must be one of ${Object.keys(EVENTS).join(', ')}, got ${describeValue(name)}`] };
    return readKnown(name, v);
  }
  // Without our schema tag, an object is ours only if it names one of our events and a run.
  if (v.schema === undefined && isName(name) && v.run_id !== undefined) return readKnown(name, v);
  return FOREIGN;
}

function readKnown(name: EventName, v: Record<string, unknown>): EventReading {
  const schema = EVENTS[name] as unknown as Schema;
  const declared = Array.isArray(v.non_finite) ? v.non_finite.filter((p): p is string => typeof p === 'string') : [];
  const notes: ReadNotes = { missing: [], unreadable: [], nonFinite: [], declaredNonFinite: declared };
  const event = (readAs(schema, v, '', notes) ?? {}) as Record<string, unknown>;

  const rule: { essential: readonly string[]; oneOf?: readonly string[] } = READ_RULES[name];
  const errors: string[] = [];
  for (const field of ['run_id', ...rule.essential]) {
    if (event[field] === undefined) errors.push(`${field} must be ${expected(schema.properties![field]!)}, got ${describeValue(v[field])}`);
  }
  if (rule.oneOf && !rule.oneOf.some((f) => event[f] !== undefined)) {
    errors.push(`${name} needs at least one of ${rule.oneOf.join(', ')}`);
  }
  if (errors.length) return { kind: 'invalid', errors, ...runIdOf(v) };

  const nonFinite = [...new Set([...declared, ...notes.nonFinite])];
  if (nonFinite.length) event.non_finite = nonFinite;
  else delete event.non_finite;
  const gaps = notes.missing.length || notes.unreadable.length
    ? { missing: notes.missing.map((p) => `${name}.${p}`), unreadable: notes.unreadable.map((p) => `${name}.${p}`) }
    : null;
  return { kind: 'event', event: event as ReadTrainEvent, gaps };
}
