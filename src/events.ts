// mnist-train/1 for both tools: the declaration (events-schema.ts, re-exported
// here), and the strict side of it: what mnist-train writes must pass validateEvent,
// and serializeEvent refuses anything else. The report reads leniently instead
// (src/parse/event-reader.ts).

import { Compile } from 'typebox/compile';
import { EVENT_NAMES, EVENTS, SCHEMA, TrainEventSchema, type EventName, type TrainEvent } from './events-schema.js';

export * from './events-schema.js';

const strict = Compile(TrainEventSchema);

export type Validation = { ok: true; event: TrainEvent } | { ok: false; errors: string[] };

/** True when `value` is an event exactly as the contract says (the reader's fast check). */
export function isStrictEvent(value: unknown): value is TrainEvent {
  return strict.Check(value);
}

/** Validate a parsed JSON value against mnist-train/1, strictly; every failure names its field. */
export function validateEvent(value: unknown): Validation {
  if (strict.Check(value)) return { ok: true, event: value };
  const v = value as Record<string, unknown> | null;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, errors: ['event must be a JSON object'] };
  const name = v.event;
  if (typeof name !== 'string' || !Object.hasOwn(EVENTS, name)) {
    return { ok: false, errors: [`event must be one of ${EVENT_NAMES.join(', ')}, got ${describeValue(name)}`] };
  }
  const schema = EVENTS[name as EventName];
  const errors: string[] = [];
  for (const e of Compile(schema).Errors(value)) {
    if (e.keyword === 'boolean') continue; // the same extra field, said again by additionalProperties
    const path = e.instancePath.slice(1).split('/');
    if (e.keyword === 'required') {
      const lacking = (e.params as { requiredProperties?: string[] }).requiredProperties ?? [];
      errors.push(`${path.filter(Boolean).join('.') || name} lacks ${lacking.join(', ')}`);
      continue;
    }
    if (e.keyword === 'additionalProperties') {
      const extra = (e.params as { additionalProperties?: string[] }).additionalProperties ?? [];
      errors.push(`${[...path.filter(Boolean), ''].join('.')}${extra.join(', ')}: not a field of ${name}`);
      continue;
    }
    errors.push(`${path.join('.')} must be ${expected(schemaAt(schema as Schema, path))}, got ${describeValue(valueAt(v, path))}`);
  }
  return { ok: false, errors: [...new Set(errors)] };
}

/** The JSON Schema subset the declarations use (TypeBox's output); the lenient reader walks it too. */
export interface Schema {
  type?: string;
  const?: unknown;
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  patternProperties?: Record<string, Schema>;
  items?: Schema;
  minimum?: number;
  minLength?: number;
  format?: string;
}

function schemaAt(schema: Schema, path: string[]): Schema {
  let s = schema;
  for (const key of path) {
    if (!key) continue;
    s = s.properties?.[key] ?? s.items ?? Object.values(s.patternProperties ?? {})[0] ?? {};
  }
  return s;
}

function valueAt(value: unknown, path: string[]): unknown {
  let v = value;
  for (const key of path) if (key) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/** "an integer >= 1", "a number or null", "completed|failed|interrupted": what a field must be, in words. */
export function expected(schema: Schema): string {
  if (schema.anyOf) {
    if (schema.anyOf.every((b) => b.const !== undefined)) return schema.anyOf.map((b) => String(b.const)).join('|');
    return schema.anyOf.map(expected).join(' or ');
  }
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const min = schema.minimum !== undefined ? ` >= ${schema.minimum}` : '';
  switch (schema.type) {
    case 'integer': return `an integer${min}`;
    case 'number': return `a number${min}`;
    case 'string': return schema.format === 'date-time' ? 'an ISO-8601 UTC timestamp' : schema.minLength ? 'a non-empty string' : 'a string';
    case 'null': return 'null';
    case 'array': return 'an array';
    case 'object': return 'an object';
    default: return 'a value';
  }
}

/** A value as a message quotes it: short, and never a whole (possibly huge or deep) object. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'object' && v !== null) return Array.isArray(v) ? 'an array' : 'an object';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/**
 * One event as one JSON line (no trailing newline). Non-finite numbers anywhere
 * in the event are written as null and their paths listed in `non_finite`
 * (JSON.stringify would turn NaN into null silently). Throws on an event that
 * breaks the contract: the writer is strict, so that is a bug in the trainer.
 */
export function serializeEvent(event: TrainEvent): string {
  const clean = scrubEvent(event);
  if (!strict.Check(clean)) {
    const v = validateEvent(clean);
    throw new Error(`mnist-train wrote an event that breaks ${SCHEMA}: ${v.ok ? '' : v.errors.join('; ')}`);
  }
  return JSON.stringify(clean);
}

/**
 * Any object written as serializeEvent writes an event, but unchecked: for test and
 * fixture inputs that break the contract on purpose (the reader must cope with them).
 */
export function encodeLooseEvent(value: object): string {
  return JSON.stringify(scrubEvent(value));
}

function scrubEvent(event: object): Record<string, unknown> {
  const nonFinite: string[] = [];
  const clean = scrub(event, '', nonFinite) as Record<string, unknown>;
  if (nonFinite.length) {
    const before = Array.isArray(clean.non_finite) ? (clean.non_finite as string[]) : [];
    clean.non_finite = [...new Set([...before, ...nonFinite])];
  }
  return clean;
}

function scrub(value: unknown, path: string, out: string[]): unknown {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    out.push(path);
    return null;
  }
  if (Array.isArray(value)) return value.map((v, i) => scrub(v, `${path}[${i}]`, out));
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      copy[k] = scrub(v, path ? `${path}.${k}` : k, out);
    }
    return copy;
  }
  return value;
}

/** Parse one JSON line into a strictly validated event; never throws. */
export function deserializeEvent(line: string): Validation {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { ok: false, errors: [`not JSON: ${(err as Error).message}`] };
  }
  return validateEvent(value);
}
