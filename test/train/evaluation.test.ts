import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeEvaluation, CALIBRATION_BINS, WRONG_KEPT } from '../../src/train/evaluation.js';
import { AWSLOGS_MAX_MESSAGE_BYTES } from '../../src/parse/events.js';
import type { EvaluationEvent, RunEndEvent } from '../../src/events.js';
import { parseEvents, runTrainer } from './run-trainer.js';

/** n rows of softmax-like outputs: row i puts `conf` on `pred(i)` and spreads the rest. */
function outputs(labels: number[], pred: (i: number) => number, conf: (i: number) => number): Float32Array {
  const probs = new Float32Array(labels.length * 10);
  labels.forEach((_, i) => {
    for (let k = 0; k < 10; k++) probs[i * 10 + k] = (1 - conf(i)) / 9;
    probs[i * 10 + pred(i)] = conf(i);
  });
  return probs;
}

test('summarizeEvaluation: matrix, accuracy, loss, calibration bins and the most confidently wrong images', () => {
  const labels = Array.from({ length: 100 }, (_, i) => i % 10);
  // every 10th image (label 0) is read as 6, with confidence rising with its index
  const pred = (i: number) => (i % 10 === 0 ? 6 : labels[i]!);
  const conf = (i: number) => (i % 10 === 0 ? 0.5 + i / 400 : 0.95);
  const images = new Uint8Array(100 * 784).map((_, p) => Math.floor(p / 784));
  const s = summarizeEvaluation({ set: 'test', probs: outputs(labels, pred, conf), labels, indices: labels.map((_, i) => i), images });
  assert.equal(s.size, 100);
  assert.equal(s.confusion_matrix.flat().reduce((a, b) => a + b, 0), 100);
  assert.equal(s.confusion_matrix[0]![6], 10);
  assert.equal(s.confusion_matrix[0]![0], 0);
  assert.equal(s.accuracy, 0.9);
  assert.equal(s.calibration.length, CALIBRATION_BINS);
  assert.equal(s.calibration.reduce((a, b) => a + b.count, 0), 100);
  const top = s.calibration[CALIBRATION_BINS - 1]!;
  assert.deepEqual([top.count, top.accuracy], [90, 1]); // the 0.95s, all right
  assert.ok(Math.abs(top.mean_confidence! - 0.95) < 1e-6);
  assert.equal(s.calibration[0]!.mean_confidence, null);
  // loss: −log p(true); right answers 0.95, wrong ones (1 − conf) / 9
  const expected = (90 * -Math.log(0.95) + labels.reduce((a, _, i) => a + (i % 10 ? 0 : -Math.log((1 - conf(i)) / 9)), 0)) / 100;
  assert.ok(Math.abs(s.loss - expected) < 1e-5);
  assert.deepEqual(s.most_confident_wrong.map((w) => w.index), [90, 80, 70, 60, 50, 40, 30, 20, 10, 0]);
  const w = s.most_confident_wrong[0]!;
  assert.deepEqual([w.label, w.predicted], [0, 6]);
  assert.deepEqual([...Buffer.from(w.pixels, 'base64')], new Array(784).fill(90));
});

test('the evaluation event stays under the CloudWatch event limit at its largest', () => {
  // worst case: 10,000 images in one cell (5 digits everywhere), 25 wrong images with
  // busy pixels, full-precision doubles everywhere, a long run id
  const n = 10000;
  const labels = Array.from({ length: n }, (_, i) => i % 10);
  const probs = outputs(labels, (i) => (i % 10 + 1 + (i % 7)) % 10, (i) => 0.5 + (i % 997) / 2000 + 1e-9 * i);
  const images = new Uint8Array(n * 784).map((_, p) => (p * 2654435761) % 256);
  const s = summarizeEvaluation({ set: 'test', probs, labels, indices: labels.map((_, i) => i), images });
  assert.equal(s.most_confident_wrong.length, WRONG_KEPT);
  s.confusion_matrix = s.confusion_matrix.map((row) => row.map(() => 99999));
  const line = JSON.stringify({ schema: 'mnist-train/1', event: 'evaluation', run_id: 'x'.repeat(128), time: new Date(0).toISOString(), epochs_completed: 99999, ...s });
  // awslogs: 262,144 bytes per event including 26 bytes of overhead
  assert.ok(Buffer.byteLength(line) <= AWSLOGS_MAX_MESSAGE_BYTES, `${Buffer.byteLength(line)} bytes`);
  assert.ok(Buffer.byteLength(line) < 64 * 1024, `${Buffer.byteLength(line)} bytes: far below, room to grow`);
});

test('mnist-train --epochs 1: one evaluation of the 10,000 test images, its diagonal is run_end\'s test accuracy, valid and under 256 KB', async () => {
  const run = await runTrainer(['--epochs', '1', '--train-samples', '500', '--validation-samples', '1000', '--evaluate-every-epoch', '--run-id', 'eval-1']);
  assert.equal(run.code, 0, run.stderr);
  const events = parseEvents(run.lines); // every line passes validateEvent
  assert.deepEqual(events.map((e) => e.event), ['run_start', 'epoch_end', 'evaluation', 'evaluation', 'run_end']);
  const [perEpoch, final] = events.filter((e): e is EvaluationEvent => e.event === 'evaluation');
  assert.deepEqual([perEpoch!.scope, perEpoch!.epoch, perEpoch!.set, perEpoch!.size], ['epoch', 1, 'validation', 1000]);
  assert.equal(perEpoch!.calibration, undefined); // the lighter reading: the matrix only
  assert.equal(sum(perEpoch!.confusion_matrix.flat()), 1000);
  assert.deepEqual([final!.scope, final!.set, final!.size, final!.epochs_completed], ['final', 'test', 10000, 1]);
  const m = final!.confusion_matrix;
  assert.equal(sum(m.flat()), 10000);
  // MNIST's test digits, row by row
  assert.deepEqual(m.map((row) => sum(row)), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  const end = events.at(-1) as RunEndEvent;
  assert.equal(sum(m.map((row, i) => row[i]!)) / 10000, end.test_accuracy);
  assert.equal(final!.loss, end.test_loss);
  const line = run.lines.find((l) => l.includes('"scope":"final"'))!;
  assert.ok(Buffer.byteLength(line) <= AWSLOGS_MAX_MESSAGE_BYTES, `${Buffer.byteLength(line)} bytes`);
});

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
