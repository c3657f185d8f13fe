// mmengine's runner log on its real capture (fixtures/formats/mmengine-epoch.log, source in
// fixtures/README.md), then the variants the capture does not show, on typed lines.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metricsRow as row, readLines as lines, readRuns as read } from './helpers.js';

test('mmengine: 2 epochs; "Epoch(val) [e][5/5]    accuracy: 7.5000" is the validation accuracy in percent, train lines batch points', async () => {
  const log = await read('fixtures/formats/mmengine-epoch.log');
  assert.equal(log.runs.length, 1);
  const run = log.runs[0]!;
  assert.equal(run.format, 'mmengine');
  assert.deepEqual(run.epochs.map(row), [[1, null, null, null, 0.075], [2, null, null, null, 0.125]]);
  // "Epoch(train) [1][5/5]  … loss: 6.7576", "Epoch(train) [2][5/5]  … loss: 5.3044": smoothed over the logging window, not the epoch's loss
  assert.deepEqual(run.batches.map((b) => [b.epoch, b.batch, b.loss]), [[1, 5, 6.7576], [2, 5, 5.3044]]);
  assert.deepEqual(run.format_notes, ['percent_accuracy']);
  // "Saving checkpoint at N epochs" and "Exp name: …" are mmengine's own; its WARNING line stays unread, as plain text
  assert.deepEqual([log.quality.recognised, log.quality.ignored, log.quality.unrecognised, log.quality.plain_text], [4, 3, 1, 1]);
  assert.match(log.quality.examples[0]!.text, / - mmengine - WARNING - `save_param_scheduler` is True/);
});

test('mmengine, typed lines: MMPretrain\'s accuracy/top1 and a val loss, padded brackets, progress lines, a second fit, a val line with no training', async () => {
  const log = await lines([
    '02/20 14:43:11 - mmengine - INFO - Epoch(train)   [1][ 100/3125]  lr: 1.0000e-01  eta: 6:12:01  time: 0.0149  data_time: 0.0003  memory: 214  loss: 2.0611',
    '02/20 14:50:11 - mmengine - INFO - Epoch(val)   [1][100/313]    eta: 0:00:01  time: 0.0050  data_time: 0.0003  memory: 214',
    '02/20 14:50:12 - mmengine - INFO - Epoch(val) [1][313/313]    accuracy/top1: 45.5000  accuracy/top5: 91.2000  loss: 1.5  data_time: 0.0010  time: 0.0040',
    '02/20 14:50:13 - mmengine - INFO - Epoch(train)   [2][ 100/3125]  lr: 1.0000e-01  eta: 6:10:00  time: 0.0149  data_time: 0.0003  memory: 214  loss: nan',
    '02/20 14:56:12 - mmengine - INFO - Epoch(val) [2][313/313]    accuracy/top1: 0.5000  data_time: 0.0010  time: 0.0040',
    'Epoch(train) [1][5/5]  lr: 1.0000e-03  eta: 0:00:02  time: 0.4566  data_time: 0.0074  memory: 477  loss: 6.7576',
    'Epoch(val) [1][5/5]    accuracy: 7.5000  data_time: 0.0044  time: 0.0146',
  ]);
  assert.deepEqual(log.runs.map((r) => [r.run_id, r.epochs.map(row)]), [
    // top-1 in percent even below 1 (0.5%); the progress line of the validation is no epoch
    ['test', [[1, null, null, 1.5, 0.455], [2, null, null, null, 0.005]]],
    // epoch 1 again, without the prefix: another fit
    ['test-fit2', [[1, null, null, null, 0.075]]],
  ]);
  assert.deepEqual(log.runs[0]!.batches.map((b) => [b.epoch, b.batch, b.loss]), [[1, 100, 2.0611], [2, 100, null]]);
  assert.equal(log.quality.unrecognised, 0);
  // tools/test.py's evaluation, or a log that starts at a validation: no training epoch to give it to
  const valOnly = await lines(['08/18 20:27:23 - mmengine - INFO - Epoch(val) [1][5/5]    accuracy: 7.5000  data_time: 0.0044  time: 0.0146']);
  assert.deepEqual([valOnly.runs.length, valOnly.quality.unrecognised], [0, 1]);
});
