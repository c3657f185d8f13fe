// Step-based trainers' logs (parse/step-logs.ts) are not read, but named: on the real captures
// (fixtures/step-logs/tf1-estimator-mnist.log, detectron2-balloon.log), then the variants they do not show.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stepLog } from '../../src/parse/step-logs.js';
import { readLines as lines, readRuns as read } from './helpers.js';

test('the captures: no run, and the first step-based line is kept with its trainer', async () => {
  const tf = await read('fixtures/step-logs/tf1-estimator-mnist.log');
  assert.deepEqual([tf.runs.length, tf.quality.step_log], [0, { trainer: 'tf-estimator', text: 'INFO:tensorflow:loss = 2.44919, step = 1' }]);
  const d2 = await read('fixtures/step-logs/detectron2-balloon.log');
  assert.equal(d2.runs.length, 0);
  assert.equal(d2.quality.step_log?.trainer, 'detectron2');
  assert.match(d2.quality.step_log!.text, /^\[09\/02 02:37:24 d2\.utils\.events\]:  eta: 0:05:22  iter: 19  total_loss: 1\.986 /);
});

test('stepLog: detectron2\'s log.txt form, mmengine by iteration, TensorFlow\'s evaluation; not a line of an epoch-based format', () => {
  assert.equal(stepLog('[09/02 02:37:24] d2.utils.events INFO:  eta: 0:05:22  iter: 19  total_loss: 1.986  loss_cls: 0.595'), 'detectron2');
  assert.equal(stepLog('08/18 20:27:22 - mmengine - INFO - Iter(train) [  100/90000]  lr: 2.0000e-02  eta: 1 day, 0:00:00  loss: 1.1'), 'mmengine-iter');
  assert.equal(stepLog('Saving dict for global step 1000: accuracy = 0.9189, global_step = 1000, loss = 0.26'), 'tf-estimator');
  for (const line of ['Epoch(train) [1][5/5]  lr: 1.0000e-03  loss: 6.7576', 'loss = 0.3', 'step = 1, loss = 2.4', 'Train Epoch: 1 [0/60000 (0%)]\tLoss: 2.3']) {
    assert.equal(stepLog(line), null, line);
  }
});

test('a step-based line beside a run is counted as unread, and kept for the whole input only', async () => {
  const log = await lines(['Epoch 1, Loss: 0.5, Accuracy: 90.1', 'INFO:tensorflow:loss = 0.344767, step = 101 (0.167 sec)']);
  assert.equal(log.runs.length, 1);
  assert.equal(log.quality.step_log?.trainer, 'tf-estimator');
  assert.equal(log.runs[0]!.quality.step_log, undefined);
});
