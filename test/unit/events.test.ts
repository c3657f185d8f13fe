import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serializeEvent, deserializeEvent, validateEvent, SCHEMA, type EpochEndEvent } from '../../src/events.js';

function epoch(over: Partial<EpochEndEvent> = {}): EpochEndEvent {
  return {
    schema: SCHEMA, event: 'epoch_end', run_id: 'r1', time: '2026-11-24T07:00:00.000Z',
    epoch: 1, epochs: 5, loss: 0.3, accuracy: 0.91, val_loss: 0.15, val_accuracy: 0.955,
    duration_ms: 4000, samples_per_second: 15000, memory: { rss_bytes: 200_000_000, heap_used_bytes: 20_000_000 }, ...over,
  };
}

test('serializeEvent writes NaN and Infinity as null and names them', () => {
  const line = serializeEvent(epoch({ loss: Number.NaN, val_loss: Number.POSITIVE_INFINITY }));
  const parsed = JSON.parse(line);
  assert.equal(parsed.loss, null);
  assert.equal(parsed.val_loss, null);
  assert.deepEqual(parsed.non_finite, ['loss', 'val_loss']);
  assert.equal(deserializeEvent(line).ok, true);
});

test('serializeEvent leaves finite events without non_finite', () => {
  const parsed = JSON.parse(serializeEvent(epoch()));
  assert.equal('non_finite' in parsed, false);
  assert.equal(parsed.val_accuracy, 0.955);
});

test('validateEvent names every bad field', () => {
  const r = validateEvent({ ...epoch(), epoch: 0, loss: 'x', time: 'yesterday' });
  assert.equal(r.ok, false);
  assert.deepEqual(!r.ok && r.errors, [
    'time must be an ISO-8601 UTC timestamp, got "yesterday"',
    'epoch must be an integer >= 1, got 0',
    'loss must be a number or null, got "x"',
  ]);
});

test('validateEvent rejects other schemas and unknown events', () => {
  assert.deepEqual(validateEvent({ ...epoch(), schema: 'other/2' }), { ok: false, errors: ['schema must be "mnist-train/1", got "other/2"'] });
  assert.equal(validateEvent({ ...epoch(), event: 'epoch_start' }).ok, false);
  assert.equal(deserializeEvent('{not json').ok, false);
});
