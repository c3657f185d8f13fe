// fastai's console table (ProgressCallback) on its real capture (fixtures/formats/fastai-fit-one-cycle.log,
// source in fixtures/README.md), then the variants the capture does not show, on typed lines.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metricsRow as row, readLines as lines, readRuns as read } from './helpers.js';

test('fastai: fit_one_cycle(8) then, after unfreeze(), fit_one_cycle(3): two tables, two runs, epochs from 0, accuracy = 1 - error_rate', async () => {
  const log = await read('fixtures/formats/fastai-fit-one-cycle.log');
  assert.deepEqual(log.runs.map((r) => [r.run_id, r.format, r.epochs.length]),
    [['fastai-fit-one-cycle', 'fastai', 8], ['fastai-fit-one-cycle-fit2', 'fastai', 3]]);
  const [first, second] = log.runs;
  // "0         0.741927    0.342162    0.103518    01:15     "
  assert.deepEqual([...row(first!.epochs[0]!), first!.epochs[0]!.duration_ms], [1, 0.741927, null, 0.342162, 0.896482, 75_000]);
  // "7         0.127354    0.211825    0.064953    01:16 " (no padding after the last row's time)
  assert.deepEqual(row(first!.epochs[7]!), [8, 0.127354, null, 0.211825, 0.935047]);
  // the second table starts at 0 again: "2         0.178176    0.202088    0.062923    01:43 "
  assert.deepEqual([...row(second!.epochs[2]!), second!.epochs[2]!.duration_ms], [3, 0.178176, null, 0.202088, 0.937077, 103_000]);
  for (const r of log.runs) assert.deepEqual(r.format_notes, ['zero_based_epochs', 'accuracy_from_error_rate']);
  // the two headers are the format's own; no line unread
  assert.deepEqual([log.quality.recognised, log.quality.ignored, log.quality.unrecognised], [11, 2, 0]);
});

test('fastai, typed tables: an accuracy column is read as is, "#na#" (no validation) is no value, h:mm:ss times; a row without its header is not read', async () => {
  const log = await lines([
    'epoch     train_loss  valid_loss  accuracy  time    ',
    '0         0.500000    0.400000    0.880000  1:02:03     ',
    '1         nan         #na#        #na#      00:59     ',
  ]);
  assert.equal(log.runs.length, 1);
  assert.deepEqual(log.runs[0]!.epochs.map((e) => [...row(e), e.duration_ms, e.non_finite]),
    [[1, 0.5, null, 0.4, 0.88, 3_723_000, []], [2, null, null, null, null, 59_000, ['loss']]]);
  assert.deepEqual(log.runs[0]!.format_notes, ['zero_based_epochs']);
  // the table's rows alone: numbers in columns of no known header
  const rows = await lines(['0         0.741927    0.342162    0.103518    01:15     ']);
  assert.deepEqual([rows.runs.length, rows.quality.unrecognised], [0, 1]);
  // a header without a loss column is some other table
  const other = await lines(['epoch  lr  time', '0  0.1  00:01']);
  assert.equal(other.runs.length, 0);
});
