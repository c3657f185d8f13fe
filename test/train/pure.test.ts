import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holdOut, mulberry32, permutation, selectSubset } from '../../src/train/sampling.js';
import { withEmf } from '../../src/train/emf.js';
import { createEventFactory } from '../../src/train/event-factory.js';
import { serializeEvent, validateEvent } from '../../src/events.js';

const stats = { epoch: 2, loss: 0.1, accuracy: 0.97, valLoss: 0.08, valAccuracy: 0.975, durationMs: 4000.4, samplesPerSecond: 15000.04 };
const T0 = Date.parse('2026-11-24T07:00:00.000Z');

test('mulberry32 is deterministic per seed and permutation is a permutation', () => {
  const a = mulberry32(7);
  const b = mulberry32(7);
  const c = mulberry32(8);
  const xs = [a(), a(), a()];
  assert.deepEqual(xs, [b(), b(), b()]);
  assert.notDeepEqual(xs, [c(), c(), c()]);
  const p = permutation(1000, mulberry32(1));
  assert.deepEqual([...p].sort((x, y) => x - y), [...Array(1000).keys()]);
});

test('selectSubset: same seed same subset, different seed different subset, full size keeps all', () => {
  assert.deepEqual(selectSubset(60000, 2000, 42), selectSubset(60000, 2000, 42));
  assert.notDeepEqual(selectSubset(60000, 2000, 42), selectSubset(60000, 2000, 43));
  assert.equal(new Set(selectSubset(60000, 2000, 42)).size, 2000);
  assert.deepEqual([...selectSubset(5, 5, 42)], [0, 1, 2, 3, 4]);
});

test('holdOut: a seeded fraction of the given indices, disjoint from the rest, together all of them', () => {
  const idx = selectSubset(60000, 1000, 42);
  const { train, validation } = holdOut(idx, 0.2, 42);
  assert.deepEqual([train.length, validation.length], [800, 200]);
  assert.deepEqual([...new Set([...train, ...validation])].sort((a, b) => a - b), [...idx]);
  assert.deepEqual(holdOut(idx, 0.2, 42), { train, validation });
  assert.notDeepEqual(holdOut(idx, 0.2, 43).validation, validation);
  assert.equal(holdOut(Int32Array.from([1, 2]), 0.01, 1).validation.length, 1); // at least one image each side
});

test('epoch_end carries an EMF block pointing at its top-level metrics, dimension run_id', () => {
  const events = createEventFactory('run-9', () => T0, 'MyNS');
  const parsed = JSON.parse(serializeEvent(events.epochEnd(stats, 5, { rss_bytes: 1, heap_used_bytes: 2 })));
  assert.equal(validateEvent(parsed).ok, true);
  assert.deepEqual(parsed._aws, {
    Timestamp: T0,
    CloudWatchMetrics: [{
      Namespace: 'MyNS',
      Dimensions: [['run_id']],
      Metrics: ['loss', 'accuracy', 'val_loss', 'val_accuracy'].map((Name) => ({ Name, Unit: 'None' })),
    }],
  });
  assert.equal(parsed.run_id, 'run-9');
  assert.equal(parsed.val_accuracy, 0.975);
  assert.equal(parsed.duration_ms, 4000);
});

test('a non-finite metric becomes null, is named in non_finite and left out of the EMF metrics', () => {
  const events = createEventFactory('r', () => T0, 'NS');
  const parsed = JSON.parse(serializeEvent(events.epochEnd({ ...stats, loss: Number.NaN }, 5, { rss_bytes: 1, heap_used_bytes: 2 })));
  assert.equal(parsed.loss, null);
  assert.deepEqual(parsed.non_finite, ['loss']);
  assert.deepEqual(parsed._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name), ['accuracy', 'val_loss', 'val_accuracy']);
  assert.equal(validateEvent(parsed).ok, true);
});

test('withEmf leaves the event itself untouched', () => {
  const events = createEventFactory('r', () => T0, 'NS');
  const plain = { ...events.epochEnd(stats, 5, { rss_bytes: 1, heap_used_bytes: 2 }), _aws: undefined };
  const emf = withEmf(plain, 'Other');
  assert.equal(plain._aws, undefined);
  assert.equal((emf._aws as { CloudWatchMetrics: { Namespace: string }[] }).CloudWatchMetrics[0]!.Namespace, 'Other');
});

test('run_end: failed carries the error, completed the test metrics; all validate', () => {
  const events = createEventFactory('r', () => T0, 'NS');
  const failed = JSON.parse(serializeEvent(events.runEnd({ status: 'failed', durationMs: 12.6, epochsCompleted: 1, error: { name: 'Error', message: 'boom' } })));
  assert.deepEqual(failed, {
    schema: 'mnist-train/1', run_id: 'r', time: '2026-11-24T07:00:00.000Z', event: 'run_end',
    status: 'failed', duration_ms: 13, epochs_completed: 1, error: { name: 'Error', message: 'boom' },
  });
  const done = JSON.parse(serializeEvent(events.runEnd({ status: 'completed', durationMs: 1, epochsCompleted: 5, testLoss: 0.07, testAccuracy: 0.978 })));
  assert.equal(done.test_accuracy, 0.978);
  assert.equal(validateEvent(failed).ok && validateEvent(done).ok, true);
});
