// Hugging Face Accelerate's example epoch lines on their real capture (fixtures/formats/accelerate-sagemaker-mpi.log,
// source in fixtures/README.md), then Python's dict reprs the capture does not show, on typed lines.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePythonDict } from '../../src/parse/python-json.js';
import { metricsRow as row, readLines as lines, readRuns as read } from './helpers.js';

test('Accelerate on SageMaker: "epoch 0: {\'accuracy\': …, \'f1\': …}" behind mpirun\'s tag, 3 epochs from 0, accuracy the validation', async () => {
  const log = await read('fixtures/formats/accelerate-sagemaker-mpi.log');
  assert.equal(log.runs.length, 1);
  const run = log.runs[0]!;
  assert.equal(run.format, 'accelerate');
  // "[1,mpirank:0,algo-1]<stdout>:epoch 2: {'accuracy': 0.75, 'f1': 0.838095238095238}"
  assert.deepEqual(run.epochs.map(row), [[1, null, null, null, 0.6838235294117647], [2, null, null, null, 0.7205882352941176], [3, null, null, null, 0.75]]);
  assert.deepEqual(run.format_notes, ['zero_based_epochs']);
  // NCCL's line, DDP's 8 bucket messages and SageMaker's 3 toolkit lines: the launch's chatter (parse/chatter.ts)
  assert.deepEqual([log.quality.recognised, log.quality.runtime_chatter, log.quality.unrecognised], [3, 12, 0]);
});

test('Accelerate, typed lines: eval_loss and train_loss, percent, nan, True/None; a dict of no metric of ours is unread; epoch 0 again is another run', async () => {
  const log = await lines([
    "epoch 0: {'accuracy': 81.5, 'eval_loss': 0.52, 'train_loss': 0.61, 'best': True, 'note': None}",
    "epoch 1: {'accuracy': nan, 'eval_loss': 0.48, 'train_loss': 0.44, 'best': False, 'note': 'it\\'s True'}",
    "epoch 0: {'matthews_correlation': 0.41}",
    "epoch 0: {'accuracy': 0.9}",
  ]);
  assert.deepEqual(log.runs.map((r) => [r.run_id, r.epochs.map((e) => [...row(e), e.non_finite])]), [
    ['test', [[1, 0.61, null, 0.52, 0.815, []], [2, 0.44, null, 0.48, null, ['val_accuracy']]]],
    ['test-fit2', [[1, null, null, null, 0.9, []]]],
  ]);
  assert.deepEqual(log.runs[0]!.format_notes, ['percent_accuracy', 'zero_based_epochs']);
  assert.equal(log.quality.unrecognised, 1); // CoLA's metric: nothing of ours in it
});

test('a dict with Keras\' validation names (a callback printing "epoch {epoch}: {logs}"): bare accuracy and loss are the training\'s, val_* the validation', async () => {
  const log = await lines([
    "epoch 0: {'accuracy': 0.9512, 'loss': 0.1702, 'val_accuracy': 0.9012, 'val_loss': 0.1702}",
    "epoch 1: {'accuracy': 0.9912, 'loss': 0.0301, 'val_accuracy': 0.9650, 'val_loss': 0.1304}",
  ]);
  assert.deepEqual(log.runs[0]!.epochs.map(row), [[1, 0.1702, 0.9512, 0.1702, 0.9012], [2, 0.0301, 0.9912, 0.1304, 0.965]]);
});

test('parsePythonDict: Python\'s words outside quotes only; other Python types are no dict', () => {
  assert.deepEqual(parsePythonDict("{'a': True, 'None': None, 'b': -inf, \"c\": 'nan'}"), { a: true, None: null, b: -Infinity, c: 'nan' });
  assert.equal(parsePythonDict("{'accuracy': np.float64(0.75)}"), null);
  assert.equal(parsePythonDict("{'a': (1, 2)}"), null);
  assert.equal(parsePythonDict('[1, 2]'), null);
  assert.equal(parsePythonDict("{'a': 1"), null);
});
