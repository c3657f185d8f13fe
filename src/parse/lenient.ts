// Reading a value liberally against one of the contract's declarations (src/events.ts).
// The declarations are JSON Schema (TypeBox builds them), so this walks the few
// shapes they use: objects (closed or records), arrays, number/integer/string,
// constants, and unions of those (a metric is number|null). What it forgives:
//   - a field that is missing: noted, the rest is kept
//   - a field that cannot be read as declared: dropped and noted as unreadable
//   - numbers written as strings ("0.0912"), and NaN/Infinity/-Infinity (tokens,
//     strings, or overflow such as 1e999): non-finite, so null, named in non_finite
//   - a time with an offset (+00:00) or none (taken as UTC): normalised to ...Z
//   - fields the declaration does not have: ignored
// Paths are relative to the event and generic inside arrays and records
// (model.layers[].type, runtime.versions.*), so their counts add up across events.

import type { Schema } from '../events.js';

export interface ReadNotes {
  missing: string[];
  unreadable: string[];
  /** Paths whose numbers were NaN or ±Infinity (read as null, or dropped where null is not allowed). */
  nonFinite: string[];
  /** Paths the event itself names in non_finite: a null there is non-finite data, not an unreadable field. */
  declaredNonFinite: readonly string[];
}

const FAIL = Symbol('fail');
const NON_FINITE = Symbol('non-finite');
type Scalar = unknown | typeof FAIL | typeof NON_FINITE;

const NUMERIC = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;
const NON_FINITE_NAMES = /^\s*[-+]?(?:nan|inf|infinity)\s*$/i;
// 2026-11-24T07:00:00Z, with a space for the T, fractions, an offset or none (UTC)
const TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/i;

/** A number, or a number written as a string; NaN/±Infinity are kept as such. */
function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  if (NUMERIC.test(v)) return Number(v);
  if (NON_FINITE_NAMES.test(v)) return Number.NaN;
  return undefined;
}

/** An ISO-8601 time as toISOString writes it, or undefined. */
export function normaliseTime(v: string): string | undefined {
  const m = TIME.exec(v);
  if (!m) return undefined;
  const offset = m[3] === undefined || m[3].toUpperCase() === 'Z' ? 'Z' : m[3];
  const ms = Date.parse(`${m[1]}T${m[2]}${offset}`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function scalar(s: Schema, v: unknown): Scalar {
  if (s.const !== undefined) return v === s.const ? v : FAIL;
  switch (s.type) {
    case 'null':
      return v === null ? null : FAIL;
    case 'number':
    case 'integer': {
      const n = toNumber(v);
      if (n === undefined) return FAIL;
      if (!Number.isFinite(n)) return NON_FINITE;
      if (s.type === 'integer' && !Number.isInteger(n)) return FAIL;
      return s.minimum !== undefined && n < s.minimum ? FAIL : n;
    }
    case 'string': {
      if (typeof v !== 'string' || v.length < (s.minLength ?? 0)) return FAIL;
      return s.format === 'date-time' ? normaliseTime(v) ?? FAIL : v;
    }
    default:
      return FAIL;
  }
}

/** The value read as `schema` declares it; undefined when nothing usable is left (noted). */
export function readAs(schema: Schema, v: unknown, path: string, notes: ReadNotes): unknown {
  if (schema.type === 'object') return readObject(schema, v, path, notes);
  if (schema.type === 'array') {
    if (!Array.isArray(v)) return unreadable(v, path, notes);
    const out: unknown[] = [];
    for (const item of v) {
      const r = readAs(schema.items ?? {}, item, `${path}[]`, notes);
      if (r !== undefined) out.push(r);
    }
    return out;
  }
  const branches = schema.anyOf ?? [schema];
  let nonFinite = false;
  for (const b of branches) {
    const r = scalar(b, v);
    if (r === NON_FINITE) nonFinite = true;
    else if (r !== FAIL) return r;
  }
  if (nonFinite) {
    notes.nonFinite.push(path);
    return branches.some((b) => b.type === 'null') ? null : undefined;
  }
  return unreadable(v, path, notes);
}

function unreadable(v: unknown, path: string, notes: ReadNotes): undefined {
  // the writer's own way of saying NaN: null, named in non_finite
  if (v === null && notes.declaredNonFinite.includes(path)) notes.nonFinite.push(path);
  else notes.unreadable.push(path);
  return undefined;
}

function readObject(schema: Schema, v: unknown, path: string, notes: ReadNotes): Record<string, unknown> | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return unreadable(v, path, notes);
  const value = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const prefix = path ? `${path}.` : '';
  const record = schema.patternProperties ? Object.values(schema.patternProperties)[0] : undefined;
  if (record) {
    for (const [k, item] of Object.entries(value)) {
      const r = readAs(record, item, `${prefix}*`, notes);
      if (r !== undefined) out[k] = r;
    }
    return out;
  }
  const required = schema.required ?? [];
  for (const [k, s] of Object.entries(schema.properties ?? {})) {
    const item = value[k];
    if (item === undefined) {
      if (required.includes(k)) notes.missing.push(`${prefix}${k}`);
      continue;
    }
    const r = readAs(s, item, `${prefix}${k}`, notes);
    if (r !== undefined) out[k] = r;
  }
  return out;
}
