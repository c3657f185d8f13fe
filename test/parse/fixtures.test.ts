// Each trainer fixture yields the epoch table of the numbers written in it. The
// expected tables are typed here from the numbers in fixtures/*.log, not computed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectRuns } from '../../src/runs/collect.js';
import { readFileRecords } from '../../src/sources/file.js';
import type { EpochRecord } from '../../src/types.js';

type Row = [loss: number, accuracy: number, val_loss: number, val_accuracy: number, duration_ms: number];

function table(rows: Row[]): EpochRecord[] {
  return rows.map(([loss, accuracy, val_loss, val_accuracy, duration_ms], i) => ({
    epoch: i + 1, epochs: 5, loss, accuracy, val_loss, val_accuracy, duration_ms,
    samples_per_second: null, time: null, non_finite: [],
  }));
}

async function single(path: string) {
  const log = await collectRuns(readFileRecords(path));
  assert.equal(log.runs.length, 1);
  return { run: log.runs[0]!, quality: log.quality };
}

test('Keras 2 verbose 1 (\\b and \\r redraws)', async () => {
  const { run, quality } = await single('fixtures/keras2-verbose1.log');
  assert.equal(run.run_id, 'keras2-verbose1');
  assert.equal(run.format, 'keras2');
  assert.deepEqual(run.epochs, table([
    [0.2950, 0.9140, 0.1380, 0.9590, 4000],
    [0.1429, 0.9576, 0.1041, 0.9684, 3000],
    [0.1072, 0.9674, 0.0867, 0.9739, 3000],
    [0.0877, 0.9728, 0.0786, 0.9762, 3000],
    [0.0746, 0.9766, 0.0741, 0.9771, 3000],
  ]));
  assert.deepEqual([run.duplicate_epochs, run.missing_epochs], [[], []]);
  // The TensorFlow info line is runtime chatter: ignored, counted apart; the evaluate bar is the run's test metrics.
  assert.deepEqual(run.text_test, { loss: 0.0741, accuracy: 0.9771 });
  assert.deepEqual(quality, {
    records: 12, recognised: 11, ignored: 1, runtime_chatter: 1, unrecognised: 0, invalid_events: 0, fragments: 0, duplicate_records: 0, field_gaps: [], unknown_events: [],
    examples: [],
  });
});

test('Keras 2 verbose 2 (sparse_categorical_accuracy)', async () => {
  const { run } = await single('fixtures/keras2-verbose2.log');
  assert.equal(run.format, 'keras2');
  assert.deepEqual(run.epochs, table([
    [0.2983, 0.9133, 0.1433, 0.9571, 5000],
    [0.1451, 0.9569, 0.1069, 0.9671, 4000],
    [0.1088, 0.9668, 0.0883, 0.9728, 4000],
    [0.0893, 0.9722, 0.0802, 0.9751, 4000],
    [0.0759, 0.9761, 0.0760, 0.9767, 4000],
  ]));
});

test('Keras 3 (ANSI colours, ━ bars)', async () => {
  const { run, quality } = await single('fixtures/keras3.log');
  assert.equal(run.format, 'keras3');
  assert.deepEqual(run.epochs, table([
    [0.4822, 0.8601, 0.1455, 0.9567, 3000],
    [0.1522, 0.9553, 0.1104, 0.9665, 3000],
    [0.1098, 0.9668, 0.0921, 0.9716, 2000],
    [0.0878, 0.9730, 0.0818, 0.9748, 3000],
    [0.0741, 0.9771, 0.0772, 0.9763, 3000],
  ]));
  assert.equal(quality.unrecognised, 0);
});

test('tfjs-node ProgbarLogger', async () => {
  const { run, quality } = await single('fixtures/tfjs-node.log');
  assert.equal(run.format, 'tfjs-node');
  assert.deepEqual(run.epochs, table([
    [0.302, 0.912, 0.150, 0.955, 3456],
    [0.141, 0.958, 0.112, 0.966, 3120],
    [0.104, 0.969, 0.0921, 0.972, 3087],
    [0.0833, 0.975, 0.0847, 0.974, 3102],
    [0.0688, 0.979, 0.0790, 0.976, 3075],
  ]));
  assert.deepEqual([quality.recognised, quality.ignored, quality.unrecognised], [10, 5, 0]);
});
