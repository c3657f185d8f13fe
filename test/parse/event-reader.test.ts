// The lenient reader of mnist-train/1: each case the contract forgives, and the
// essentials it does not. Lines go through parseLine (the real path), and runs
// through collectRuns, so the data-quality counts are the report's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectRuns } from '../../src/runs/collect.js';
import { createParseState, parseLine, type ParseResult } from '../../src/parse/line.js';
import { epochEvent, iterate, rec } from './helpers.js';

const parse = (message: string): ParseResult => parseLine(rec(message), createParseState());

/** The event and its gaps, or a failure naming what came back instead. */
function read(message: string) {
  const r = parse(message);
  assert.equal(r.kind, 'event', `${message.slice(0, 100)} → ${JSON.stringify(r)}`);
  return r as Extract<ParseResult, { kind: 'event' }>;
}

const without = (line: string, ...keys: string[]): string => {
  const o = JSON.parse(line) as Record<string, unknown>;
  for (const k of keys) delete o[k];
  return JSON.stringify(o);
};

const EPOCH = epochEvent('r1', 2, 0.25);

test('an epoch exactly as mnist-train writes it has no gaps', () => {
  assert.equal(read(EPOCH).gaps, null);
});

test('an epoch without schema, time, duration_ms, samples_per_second or memory is kept, and each lack is named', () => {
  const r = read(without(EPOCH, 'schema', 'time', 'duration_ms', 'samples_per_second', 'memory'));
  assert.equal(r.event.event === 'epoch_end' && r.event.val_loss, 0.125);
  assert.deepEqual(r.gaps, {
    missing: ['epoch_end.schema', 'epoch_end.time', 'epoch_end.duration_ms', 'epoch_end.samples_per_second', 'epoch_end.memory'],
    unreadable: [],
  });
});

test('an epoch needs only event, run_id, epoch and one metric', () => {
  const minimal = read('{"event":"epoch_end","run_id":"r1","epoch":3,"val_accuracy":0.97}');
  assert.deepEqual(minimal.event, { event: 'epoch_end', run_id: 'r1', epoch: 3, val_accuracy: 0.97 });
  assert.deepEqual(parse('{"schema":"mnist-train/1","event":"epoch_end","run_id":"r1","epoch":3}'),
    { kind: 'invalid', errors: ['epoch_end needs at least one of loss, accuracy, val_loss, val_accuracy'], run_id: 'r1' });
  assert.deepEqual(parse('{"schema":"mnist-train/1","event":"epoch_end","run_id":"r1","loss":0.1}'),
    { kind: 'invalid', errors: ['epoch must be an integer >= 1, got nothing'], run_id: 'r1' });
  assert.deepEqual(parse('{"schema":"mnist-train/1","event":"epoch_end","epoch":1,"loss":0.1}'),
    { kind: 'invalid', errors: ['run_id must be a non-empty string, got nothing'] });
});

test('a time with +00:00, another offset, or none (UTC) is read and normalised to Z', () => {
  const at = (time: string) => read(EPOCH.replace(/"time":"[^"]*"/, `"time":"${time}"`)).event.time;
  assert.equal(at('2026-11-24T07:00:02+00:00'), '2026-11-24T07:00:02.000Z');
  assert.equal(at('2026-11-24T09:00:02.5+02:00'), '2026-11-24T07:00:02.500Z');
  assert.equal(at('2026-11-24T07:00:02.123456'), '2026-11-24T07:00:02.123Z');
  assert.equal(at('2026-11-24 07:00:02'), '2026-11-24T07:00:02.000Z');
  const bad = read(EPOCH.replace(/"time":"[^"]*"/, '"time":"yesterday"'));
  assert.equal(bad.event.time, undefined);
  assert.deepEqual(bad.gaps?.unreadable, ['epoch_end.time']);
});

test('an event without a time takes its record\'s (CloudWatch) timestamp', async () => {
  const line = without(EPOCH, 'time');
  const { runs } = await collectRuns(iterate([rec(line, { timestamp: Date.UTC(2026, 10, 24, 7, 30) })]));
  assert.equal(runs[0]!.epochs[0]!.time, '2026-11-24T07:30:00.000Z');
});

test('extra fields are ignored, the event kept without a gap', () => {
  const r = read(EPOCH.replace('}', ',"lr":0.001,"gpu":{"name":"T4"}}'));
  assert.deepEqual(r.gaps, null);
  assert.equal('lr' in r.event, false);
});

test('Python json.dumps: spacing, NaN / Infinity / -Infinity tokens, numbers as strings', () => {
  const line = '{"schema": "mnist-train/1", "run_id": "py", "time": "2026-11-24T07:00:00+00:00", "event": "epoch_end", ' +
    '"epoch": "2", "epochs": 5, "loss": NaN, "accuracy": "0.9712", "val_loss": Infinity, "val_accuracy": "0.0912", ' +
    '"duration_ms": 1200.5, "samples_per_second": -Infinity, "memory": {"rss_bytes": 1, "heap_used_bytes": 2}}';
  const r = read(line);
  assert.ok(r.event.event === 'epoch_end');
  assert.deepEqual(
    [r.event.epoch, r.event.loss, r.event.accuracy, r.event.val_loss, r.event.val_accuracy, r.event.samples_per_second],
    [2, null, 0.9712, null, 0.0912, null],
  );
  assert.deepEqual(r.event.non_finite, ['loss', 'val_loss', 'samples_per_second']);
  assert.equal(r.gaps, null);
});

test('an overflowing number (1e999, -1e999) is non-finite data, not a missing field', () => {
  const r = read(EPOCH.replace('"loss":0.25', '"loss":1e999').replace('"val_accuracy":0.95', '"val_accuracy":-1e999'));
  assert.ok(r.event.event === 'epoch_end');
  assert.deepEqual([r.event.loss, r.event.val_accuracy, r.event.non_finite], [null, null, ['loss', 'val_accuracy']]);
  assert.equal(r.gaps, null);
  const strings = read(EPOCH.replace('"loss":0.25', '"loss":"nan"'));
  assert.deepEqual(strings.event.non_finite, ['loss']);
});

test('a partial run_start is kept: model {name: "x"}, layers "nope", config with one field, runtime {}', () => {
  const start = (body: string) => read(`{"schema":"mnist-train/1","run_id":"r1","time":"2026-11-24T07:00:00.000Z","event":"run_start",${body}}`);
  const a = start('"config":{"epochs":3},"model":{"name":"x"},"runtime":{}');
  assert.ok(a.event.event === 'run_start');
  assert.deepEqual([a.event.config, a.event.model, a.event.runtime], [{ epochs: 3 }, { name: 'x' }, {}]);
  assert.ok(a.gaps!.missing.includes('run_start.model.layers'));
  assert.ok(a.gaps!.missing.includes('run_start.config.validation_samples'));
  assert.ok(a.gaps!.missing.includes('run_start.runtime.backend'));
  const b = start('"config":{"epochs":"3"},"model":{"name":"x","parameters":10,"layers":"nope"}');
  assert.ok(b.event.event === 'run_start');
  assert.deepEqual([b.event.config?.epochs, b.event.model], [3, { name: 'x', parameters: 10 }]);
  assert.deepEqual(b.gaps!.unreadable, ['run_start.model.layers']);
  assert.ok(b.gaps!.missing.includes('run_start.runtime'));
});

test('an unknown event name under our schema is counted as unknown, not invalid', async () => {
  const line = '{"schema":"mnist-train/1","run_id":"r1","time":"2026-11-24T07:00:00.000Z","event":"learning_rate_change","confusion":[[1]]}';
  assert.deepEqual(parse(line), { kind: 'unknown_event', name: 'learning_rate_change', run_id: 'r1' });
  const { quality } = await collectRuns(iterate([rec(line), rec(line), rec(EPOCH)]));
  assert.deepEqual([quality.unknown_events, quality.invalid_events, quality.unrecognised], [[{ name: 'learning_rate_change', count: 2 }], 0, 0]);
  // without our schema tag, an unknown name is someone else's JSON
  assert.equal(parse('{"run_id":"r1","event":"learning_rate_change"}').kind, 'unrecognised');
});

test('collectRuns counts the missing fields per field, across events', async () => {
  const lines = [1, 2, 3].map((e) => without(epochEvent('r1', e, 0.3), 'memory', ...(e === 2 ? ['duration_ms'] : [])));
  const { quality, runs } = await collectRuns(iterate(lines.map((l) => rec(l))));
  assert.equal(runs[0]!.epochs.length, 3);
  assert.deepEqual(quality.field_gaps, [
    { field: 'epoch_end.memory', missing: 3, unreadable: 0 },
    { field: 'epoch_end.duration_ms', missing: 1, unreadable: 0 },
  ]);
});
