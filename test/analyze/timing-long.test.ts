// A run of many epochs with durations (fastai's time column, 200,000 rows): the timing's min and max
// are found without spreading every duration as arguments, which overflowed the stack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { timingReading } from '../../src/analyze/stability.js';
import { epochRows } from '../../src/analyze/metrics.js';
import { DEFAULT_OPTIONS } from '../../src/analyze/types.js';
import { epoch } from './build.js';

test('timing of 200,000 epochs with durations: min and max, no stack overflow', () => {
  const epochs = Array.from({ length: 200_000 }, (_, i) => epoch(i + 1, { epochs: 200_000, duration_ms: 1000 + (i % 7) }));
  const t = timingReading(epochRows(epochs), null, DEFAULT_OPTIONS);
  assert.deepEqual([t.min_epoch_ms, t.max_epoch_ms], [1000, 1006]);
});
