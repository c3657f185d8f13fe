// The one contract between mnist-train and mnist-report: schema "mnist-train/1".
// Both sides use validateEvent; the trainer writes with serializeEvent so that a
// non-finite number becomes null and is named in `non_finite` instead of vanishing
// (JSON.stringify would silently turn NaN into null and lose the fact that it was NaN).

import type { CalibrationBin, WrongImage } from './evaluation.js';

export const SCHEMA = 'mnist-train/1' as const;

/** A metric value: null when the trainer saw NaN or ±Infinity (see `non_finite`). */
export type Metric = number | null;

export type RunStatus = 'completed' | 'failed' | 'interrupted';

export interface EventBase {
  schema: typeof SCHEMA;
  run_id: string;
  /** ISO-8601 UTC, e.g. 2026-11-24T07:00:00.000Z */
  time: string;
  /** JSON paths (e.g. "loss", "memory.rss_bytes") of numbers that were NaN/Infinity. */
  non_finite?: string[];
}

export interface RunConfig {
  epochs: number;
  batch_size: number;
  optimizer: string;
  learning_rate: number;
  model: string;
  seed: number;
  train_samples: number;
  validation_samples: number;
  log_every_batches?: number;
}

export interface LayerInfo {
  name: string;
  type: string;
  output_shape: (number | null)[];
  parameters: number;
}

export interface ModelInfo {
  name: string;
  parameters: number;
  layers: LayerInfo[];
}

export interface EcsInfo {
  task_arn?: string;
  cluster?: string;
  launch_type?: string;
  availability_zone?: string;
  region?: string;
}

export interface RuntimeInfo {
  backend: string;
  /** Why this backend ran, e.g. "tfjs-node not installed; wasm SIMD loaded". */
  backend_reason: string;
  versions: Record<string, string>;
  platform: string;
  arch: string;
  host: string;
  ecs?: EcsInfo;
}

export interface RunStartEvent extends EventBase {
  event: 'run_start';
  config: RunConfig;
  model: ModelInfo;
  runtime: RuntimeInfo;
}

export interface MemoryInfo {
  rss_bytes: number;
  heap_used_bytes: number;
  tensors?: number;
}

export interface EpochEndEvent extends EventBase {
  event: 'epoch_end';
  /** 1-based. */
  epoch: number;
  epochs: number;
  loss: Metric;
  accuracy: Metric;
  val_loss: Metric;
  val_accuracy: Metric;
  duration_ms: number;
  samples_per_second: Metric;
  memory?: MemoryInfo;
  /** CloudWatch Embedded Metric Format block; opaque to the report. */
  _aws?: unknown;
}

export interface BatchEndEvent extends EventBase {
  event: 'batch_end';
  epoch: number;
  /** 1-based within the epoch. */
  batch: number;
  loss: Metric;
  accuracy: Metric;
}

export interface RunEndEvent extends EventBase {
  event: 'run_end';
  status: RunStatus;
  duration_ms: number;
  epochs_completed: number;
  test_loss?: Metric;
  test_accuracy?: Metric;
  error?: { name: string; message: string };
}

/**
 * The model evaluated on a set: after the last epoch (or the interruption) on the whole
 * test set (`scope: "final"`), and with --evaluate-every-epoch a lighter reading of the
 * validation set after each epoch (`scope: "epoch"`: the matrix only).
 */
export interface EvaluationEvent extends EventBase {
  event: 'evaluation';
  scope: 'final' | 'epoch';
  /** scope "epoch": the epoch just finished. */
  epoch?: number;
  /** scope "final": epochs trained before the evaluation. */
  epochs_completed?: number;
  set: string;
  size: number;
  /** confusion_matrix[true][predicted] = count (10 × 10). */
  confusion_matrix: number[][];
  loss?: Metric;
  accuracy?: Metric;
  /** 15 equal-width bins of the top-class probability. */
  calibration?: CalibrationBin[];
  most_confident_wrong?: WrongImage[];
}

export type TrainEvent = RunStartEvent | EpochEndEvent | BatchEndEvent | RunEndEvent | EvaluationEvent;
export type EventName = TrainEvent['event'];
export const EVENT_NAMES: readonly EventName[] = ['run_start', 'epoch_end', 'batch_end', 'run_end', 'evaluation'];

export type Validation = { ok: true; event: TrainEvent } | { ok: false; errors: string[] };

// ---------------------------------------------------------------------------
// Validation: hand-rolled because it runs once per log line (a million lines in
// the benchmark) and the schema is small; every failure names the field.

type Check = (v: unknown) => boolean;
const isNum: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const isInt: Check = (v) => Number.isInteger(v);
const isPosInt: Check = (v) => Number.isInteger(v) && (v as number) >= 1;
const isNonNegInt: Check = (v) => Number.isInteger(v) && (v as number) >= 0;
const isStr: Check = (v) => typeof v === 'string';
const isMetric: Check = (v) => v === null || isNum(v);
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

type Spec = Record<string, [Check, string, boolean?]>; // field -> [check, expected, optional]

const BASE: Spec = {
  run_id: [(v) => isStr(v) && (v as string).length > 0, 'a non-empty string'],
  time: [(v) => isStr(v) && ISO_UTC.test(v as string), 'an ISO-8601 UTC timestamp'],
  non_finite: [(v) => Array.isArray(v) && v.every(isStr), 'an array of field paths', true],
};

const SPECS: Record<EventName, Spec> = {
  run_start: {
    config: [isObj, 'an object'],
    model: [isObj, 'an object'],
    runtime: [isObj, 'an object'],
  },
  epoch_end: {
    epoch: [isPosInt, 'an integer >= 1'],
    epochs: [isPosInt, 'an integer >= 1'],
    loss: [isMetric, 'a number or null'],
    accuracy: [isMetric, 'a number or null'],
    val_loss: [isMetric, 'a number or null'],
    val_accuracy: [isMetric, 'a number or null'],
    duration_ms: [isNum, 'a number'],
    samples_per_second: [isMetric, 'a number or null'],
    memory: [isObj, 'an object', true],
  },
  batch_end: {
    epoch: [isPosInt, 'an integer >= 1'],
    batch: [isPosInt, 'an integer >= 1'],
    loss: [isMetric, 'a number or null'],
    accuracy: [isMetric, 'a number or null'],
  },
  run_end: {
    status: [(v) => v === 'completed' || v === 'failed' || v === 'interrupted', 'completed|failed|interrupted'],
    duration_ms: [isNum, 'a number'],
    epochs_completed: [isNonNegInt, 'an integer >= 0'],
    test_loss: [isMetric, 'a number or null', true],
    test_accuracy: [isMetric, 'a number or null', true],
    error: [(v) => isObj(v) && isStr(v.message), 'an object with a message', true],
  },
  evaluation: {
    scope: [(v) => v === 'final' || v === 'epoch', 'final|epoch'],
    epoch: [isPosInt, 'an integer >= 1', true],
    epochs_completed: [isNonNegInt, 'an integer >= 0', true],
    set: [isStr, 'a string'],
    size: [isNonNegInt, 'an integer >= 0'],
    confusion_matrix: [(v) => Array.isArray(v) && v.every((r) => Array.isArray(r) && r.length === v.length && r.every(isNonNegInt)),
      'a square array of arrays of counts'],
    loss: [isMetric, 'a number or null', true],
    accuracy: [isMetric, 'a number or null', true],
    calibration: [(v) => Array.isArray(v) && v.every((b) => isObj(b) && isNonNegInt(b.count)), 'an array of bins with counts', true],
    most_confident_wrong: [(v) => Array.isArray(v) && v.every((w) => isObj(w) && isNonNegInt(w.label) && isNonNegInt(w.predicted) && isStr(w.pixels)),
      'an array of images (label, predicted, pixels)', true],
  },
};

const CONFIG_SPEC: Spec = {
  epochs: [isPosInt, 'an integer >= 1'],
  batch_size: [isPosInt, 'an integer >= 1'],
  optimizer: [isStr, 'a string'],
  learning_rate: [isNum, 'a number'],
  model: [isStr, 'a string'],
  seed: [isInt, 'an integer'],
  train_samples: [isPosInt, 'an integer >= 1'],
  validation_samples: [isPosInt, 'an integer >= 1'],
};

// Object.entries(spec) on every call was half the cost of validating a million lines.
const SPEC_ENTRIES = new WeakMap<Spec, [string, Spec[string]][]>();

function checkSpec(obj: Record<string, unknown>, spec: Spec, prefix: string, errors: string[]): void {
  let entries = SPEC_ENTRIES.get(spec);
  if (!entries) SPEC_ENTRIES.set(spec, (entries = Object.entries(spec)));
  for (const [field, [check, expected, optional]] of entries) {
    const value = obj[field];
    if (value === undefined && optional) continue;
    if (!check(value)) errors.push(`${prefix}${field} must be ${expected}, got ${describe(value)}`);
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** Validate a parsed JSON value against schema mnist-train/1. */
export function validateEvent(value: unknown): Validation {
  if (!isObj(value)) return { ok: false, errors: ['event must be a JSON object'] };
  if (value.schema !== SCHEMA) return { ok: false, errors: [`schema must be "${SCHEMA}", got ${describe(value.schema)}`] };
  const name = value.event;
  if (typeof name !== 'string' || !(EVENT_NAMES as readonly string[]).includes(name)) {
    return { ok: false, errors: [`event must be one of ${EVENT_NAMES.join(', ')}, got ${describe(name)}`] };
  }
  const errors: string[] = [];
  checkSpec(value, BASE, '', errors);
  checkSpec(value, SPECS[name as EventName], '', errors);
  if (name === 'run_start' && isObj(value.config)) checkSpec(value.config, CONFIG_SPEC, 'config.', errors);
  if (name === 'run_start' && isObj(value.runtime) && !isStr(value.runtime.backend)) {
    errors.push(`runtime.backend must be a string, got ${describe(value.runtime.backend)}`);
  }
  return errors.length ? { ok: false, errors } : { ok: true, event: value as unknown as TrainEvent };
}

// ---------------------------------------------------------------------------
// Serialisation

/**
 * One event as one JSON line (no trailing newline). Non-finite numbers anywhere
 * in the event are written as null and their paths listed in `non_finite`.
 */
export function serializeEvent(event: TrainEvent): string {
  const nonFinite: string[] = [];
  const clean = scrub(event, '', nonFinite) as Record<string, unknown>;
  if (nonFinite.length) {
    const before = Array.isArray(clean.non_finite) ? (clean.non_finite as string[]) : [];
    clean.non_finite = [...new Set([...before, ...nonFinite])];
  }
  return JSON.stringify(clean);
}

function scrub(value: unknown, path: string, out: string[]): unknown {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    out.push(path);
    return null;
  }
  if (Array.isArray(value)) return value.map((v, i) => scrub(v, `${path}[${i}]`, out));
  if (isObj(value)) {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      copy[k] = scrub(v, path ? `${path}.${k}` : k, out);
    }
    return copy;
  }
  return value;
}

/** Parse one JSON line into a validated event; never throws. */
export function deserializeEvent(line: string): Validation {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { ok: false, errors: [`not JSON: ${(err as Error).message}`] };
  }
  return validateEvent(value);
}
