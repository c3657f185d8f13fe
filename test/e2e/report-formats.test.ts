// The built bin on real captures of the formats read last (fixtures/formats/, sources in
// fixtures/README.md): which run it reports, its epochs and metrics in report.json, the verdict
// on stderr, and --log-format NAME reading the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_BIN, runReport, sandbox } from './report-cli.js';

const GEN = ['--generated-at', '2026-11-24T00:00:00Z'];

interface Reported {
  code: number;
  stderr: string;
  verdict: string;
  format: string;
  notes: string[];
  /** [epoch, loss, val_loss, val_accuracy] of each epoch. */
  epochs: (number | null)[][];
}

async function report(capture: string, runId: string, extra: string[] = []): Promise<Reported> {
  const box = sandbox();
  const r = await runReport(['--input', `fixtures/formats/${capture}`, '--out', box.out, ...GEN, ...extra], { bin: DIST_BIN });
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  const json = JSON.parse(readFileSync(join(box.out, runId, 'report.json'), 'utf8')) as {
    verdict: { level: string }; run: { format: string; format_notes: string[] };
    epochs: { epoch: number; loss: number | null; val_loss: number | null; val_accuracy: number | null }[];
  };
  return {
    code: r.code ?? -1, stderr: r.stderr, verdict: json.verdict.level, format: json.run.format, notes: json.run.format_notes,
    epochs: json.epochs.map((e) => [e.epoch, e.loss, e.val_loss, e.val_accuracy]),
  };
}

test('fastai: the latest of the two fits is reported (3 epochs after unfreeze()), needs attention for its rising training loss', async () => {
  const r = await report('fastai-fit-one-cycle.log', 'fastai-fit-one-cycle-fit2');
  assert.equal(r.code, 0);
  assert.match(r.stderr, /mnist-report: 13 records, 11 recognised, 2 runs\n/);
  assert.equal(r.format, 'fastai');
  assert.deepEqual(r.epochs, [[1, 0.162769, 0.204167, 0.93843], [2, 0.168877, 0.211312, 0.928958], [3, 0.178176, 0.202088, 0.937077]]);
  assert.deepEqual(r.notes, ['epochs the log numbers from 0 are numbered from 1 here', 'accuracy is 1 − the error rate the log prints (0.0650 → 0.9350)']);
  assert.equal(r.verdict, 'needs attention');
  assert.match(r.stderr, /verdict for run "fastai-fit-one-cycle-fit2": needs attention: Training loss rose in epochs 2 and 3/);
  // the first fit, by its id; and the same with --log-format fastai
  const first = await report('fastai-fit-one-cycle.log', 'fastai-fit-one-cycle', ['--run', 'fastai-fit-one-cycle', '--log-format', 'fastai']);
  assert.deepEqual([first.code, first.verdict, first.epochs.length, first.epochs[7]], [0, 'healthy', 8, [8, 0.127354, 0.211825, 0.935047]]);
});

test('mmengine: 2 epochs of validation accuracy in percent (7.5, 12.5), needs attention: 12.50% of 10 classes is barely above chance; its WARNING line quoted as plain text', async () => {
  const r = await report('mmengine-epoch.log', 'mmengine-epoch', ['--log-format', 'mmengine']);
  assert.equal(r.code, 0);
  assert.match(r.stderr, /mnist-report: 8 records, 4 recognised, 1 run\n/);
  assert.equal(r.format, 'mmengine');
  assert.deepEqual(r.epochs, [[1, null, null, 0.075], [2, null, null, 0.125]]);
  assert.deepEqual(r.notes, ['accuracies printed as percentages were divided by 100 (98.02 → 0.9802)']);
  assert.equal(r.verdict, 'needs attention');
  assert.match(r.stderr, /verdict for run "mmengine-epoch": needs attention: Final validation accuracy 12\.50% is only 2\.78% of the way from the chance level/);
});

test('Accelerate on SageMaker: 3 epochs read behind mpirun\'s tag (0.684 → 0.75), healthy: the launch\'s INFO lines are chatter', async () => {
  const r = await report('accelerate-sagemaker-mpi.log', 'accelerate-sagemaker-mpi', ['--log-format', 'accelerate']);
  assert.equal(r.code, 0);
  assert.match(r.stderr, /mnist-report: 15 records, 3 recognised, 1 run\n/);
  assert.equal(r.format, 'accelerate');
  assert.deepEqual(r.epochs, [[1, null, null, 0.6838235294117647], [2, null, null, 0.7205882352941176], [3, null, null, 0.75]]);
  assert.deepEqual(r.notes, ['epochs the log numbers from 0 are numbered from 1 here']);
  assert.equal(r.verdict, 'healthy');
  assert.match(r.stderr, /verdict for run "accelerate-sagemaker-mpi": healthy: 3 epochs logged .* and 75\.00% validation accuracy; no check failed or warned/);
});

/** The one line a log of no run ends in, exit 2 and nothing written. */
async function noRun(capture: string, extra: string[] = []): Promise<string> {
  const box = sandbox();
  const r = await runReport(['--input', `fixtures/step-logs/${capture}`, '--out', box.out, ...GEN, ...extra], { bin: DIST_BIN });
  assert.equal(r.code, 2, r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(existsSync(box.out), false);
  return r.stderr.trim().split('\n').pop()!;
}

test('step-based logs (TensorFlow 1 Estimator, detectron2): no run, and the one line names what the log is and why it is not read', async () => {
  assert.equal(await noRun('tf1-estimator-mnist.log'), 'mnist-report: no training run found in fixtures/step-logs/tf1-estimator-mnist.log: 30 records, ' +
    '0 recognised, 30 unrecognised, 0 invalid events; it looks like a TensorFlow 1 Estimator log ("INFO:tensorflow:loss = 2.44919, step = 1"), ' +
    "which counts global steps and prints no epochs: mnist-report reads a trainer's epochs, so it does not read this log");
  // its first unusable line is the model's print (line 2 of 373); the line quoted is the first of its 15 iteration lines (357)
  assert.equal(await noRun('detectron2-balloon.log'), 'mnist-report: no training run found in fixtures/step-logs/detectron2-balloon.log: 373 records, ' +
    '0 recognised, 373 unrecognised, 0 invalid events; it looks like a detectron2 trainer\'s log ("[09/02 02:37:24 d2.utils.events]:  eta: 0:05:22  iter: 19  t…"), ' +
    "which counts iterations and prints no epochs: mnist-report reads a trainer's epochs, so it does not read this log");
  // a format named with --log-format is answered as before: no line was read as one
  assert.match(await noRun('detectron2-balloon.log', ['--log-format', 'mmengine']), /; is it a mmengine log\? no line was read as one: /);
});
