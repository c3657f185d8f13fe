// Each text format on its real capture (fixtures/formats/, sources in fixtures/README.md):
// the epoch count and the final metrics exactly as the log prints them. Then detection:
// every fixture is read in its own format, and no other format, forced, finds an epoch in it.

import { test } from 'node:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { collectRuns } from '../../src/runs/collect.js';
import { FORMATS } from '../../src/parse/formats.js';
import type { LineFormat } from '../../src/parse/format.js';
import { readFileRecords } from '../../src/sources/file.js';
import type { LogFormat } from '../../src/types.js';
import { analyzeRun } from '../../src/analyze/analyze.js';
import * as msg from '../../src/wording/checks.js';
import { iterate, metricsRow, rec } from './helpers.js';

async function read(path: string, format: LineFormat | null = null) {
  return collectRuns(readFileRecords(path), { format });
}

async function single(path: string) {
  const log = await read(path);
  assert.equal(log.runs.length, 1);
  return { run: log.runs[0]!, quality: log.quality };
}

test('PyTorch examples/mnist: 10 epochs, "Test set" lines are the validation, n from the count', async () => {
  const { run, quality } = await single('fixtures/formats/pytorch-mnist.log');
  assert.equal(run.format, 'pytorch-mnist');
  assert.equal(run.epochs.length, 10);
  // "Test set: Average loss: 0.2046, Accuracy: 9408/10000 (94%)" … "0.0545, Accuracy: 9817/10000 (98%)"
  assert.deepEqual(run.epochs.map((e) => [e.epoch, e.val_loss, e.val_accuracy, e.val_samples]).filter((_, i) => i === 0 || i === 9),
    [[1, 0.2046, 0.9408, 10000], [10, 0.0545, 0.9817, 10000]]);
  // the training loss is printed per batch only: batch points, not an epoch loss
  assert.equal(run.epochs[9]!.loss, null);
  assert.equal(run.batch_count, 940); // 94 "Train Epoch" lines an epoch (log_interval 10, batch 64)
  assert.deepEqual(run.format_notes, []);
  // "main.py:68: UserWarning: …" and its source line "  return F.log_softmax(x)": the runtime's chatter, ignored
  assert.deepEqual([quality.unrecognised, quality.runtime_chatter], [0, 2]);
});

test('PyTorch examples/mnist: "[5120/60000 (9%)]" is samples seen, kept as the batch point\'s place; the batch number is the line\'s', async () => {
  const { run, quality } = await single('fixtures/formats/pytorch-mnist.log');
  const ninth = run.batches.find((b) => b.epoch === 1 && b.batch === 9)!;
  // "Train Epoch: 1 [5120/60000 (9%)]\tLoss: 2.222649": at batch size 64 that is batch 80, which the log does not say
  assert.deepEqual([ninth.sample, ninth.samples, ninth.loss], [5120, 60000, 2.222649]);
  assert.equal(msg.batchPlace(ninth), 'epoch 1, sample 5,120 of 60,000');
  // this capture's batch losses vary 3-4x from one printed batch to the next (single batches of 64, with
  // dropout): 5 rose above 3x the recent median, each within the spread of the batches before it
  const analysis = analyzeRun(run, quality, { generatedAt: '2026-11-24T00:00:00Z' });
  assert.deepEqual(analysis.stability.spikes, []);
  assert.deepEqual(analysis.stability.noisy_batches.map((s) => [s.epoch, s.sample, s.loss]),
    [[6, 11520, 0.639213], [6, 28800, 0.681483], [6, 48000, 0.567525], [10, 5120, 0.649824], [10, 35840, 0.482569]]);
  for (const s of analysis.stability.noisy_batches) assert.ok(s.ratio > 3 && s.ratio <= s.threshold, JSON.stringify(s));
  const check = analysis.checks.find((c) => c.id === 'stability.batch_spikes')!;
  assert.equal(check.status, 'pass');
  assert.match(check.message, /^No batch loss spike in 940 logged batches: 5 rose above 3× the recent median, each within the spread .*at epoch 10, sample 5,120 of 60,000, where that spread set the bar at \d+\.\d+×\)\.$/);
});

test('PyTorch examples/mnist: a batch loss far beyond the spread of the batches before it is a spike, placed as the log places it', async () => {
  // the capture with one batch loss of epoch 10 raised 20-fold ("Train Epoch: 10 [5120/60000 (9%)]\tLoss: 0.649824" → 12.99648)
  const text = readFileSync('fixtures/formats/pytorch-mnist.log', 'utf8');
  const line = 'Train Epoch: 10 [5120/60000 (9%)]\tLoss: 0.649824';
  assert.ok(text.includes(line));
  const dir = mkdtempSync(join(tmpdir(), 'spike-'));
  try {
    writeFileSync(join(dir, 'spiked.log'), text.replace(line, line.replace('0.649824', '12.99648')));
    const { run, quality } = await single(join(dir, 'spiked.log'));
    const analysis = analyzeRun(run, quality, { generatedAt: '2026-11-24T00:00:00Z' });
    assert.deepEqual(analysis.stability.spikes.map((s) => [s.epoch, s.sample, s.samples, s.loss]), [[10, 5120, 60000, 12.99648]]);
    const check = analysis.checks.find((c) => c.id === 'stability.batch_spikes')!;
    assert.equal(check.status, 'warn');
    // a spike's place is the log's own, not "batch 9"; the other 4 noisy batches are counted after it
    assert.match(check.message, /^1 batch loss spike above 3× the recent median; the largest is 12\.9965 \(86\.\d×\) at epoch 10, sample 5,120 of 60,000\. 4 more above 3× were within the spread of the batches before them\.$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('PyTorch tqdm variant: "EPOCH: 0" headers are 0-based, the bar\'s percent accuracy is the training accuracy', async () => {
  const { run, quality } = await single('fixtures/formats/pytorch-mnist-tqdm.log');
  assert.equal(run.format, 'pytorch-mnist');
  assert.equal(run.epochs.length, 15);
  assert.deepEqual(run.epochs.map((e) => e.epoch), Array.from({ length: 15 }, (_, i) => i + 1));
  const last = run.epochs[14]!;
  // "EPOCH: 14 / Loss=0.0067… Batch_id=468 Accuracy=99.33: 100%|… / Test set: Average loss: 0.0198, Accuracy: 9941/10000 (99.41%)"
  assert.deepEqual([last.accuracy, last.val_loss, last.val_accuracy, last.val_samples], [0.9933, 0.0198, 0.9941, 10000]);
  assert.deepEqual(run.format_notes, ['zero_based_epochs', 'percent_accuracy']);
  assert.equal(quality.unrecognised, 0);
});

test('Hugging Face Trainer dicts: 3 epochs, the last training loss and evaluation of each', async () => {
  const { run } = await single('fixtures/formats/hf-trainer.log');
  assert.equal(run.format, 'hf-trainer');
  assert.equal(run.epochs.length, 3);
  assert.deepEqual(run.duplicate_epochs, []); // an epoch printed in pieces is not a duplicate
  const last = run.epochs[2]!;
  // {'loss': 0.0033, …, 'epoch': 2.86} then {'eval_loss': 0.03967500478029251, 'eval_accuracy': 0.9938070662961492, …, 'epoch': 3.0}
  assert.deepEqual([last.epoch, last.loss, last.val_loss, last.val_accuracy], [3, 0.0033, 0.03967500478029251, 0.9938070662961492]);
  // the final train_runtime dict ends train(): epoch 3 was the last planned one
  assert.equal(last.epochs, 3);
  assert.deepEqual(run.epochs.map((e) => e.val_accuracy), [0.9922191345772132, 0.993092497022628, 0.9938070662961492]);
});

test('plain prints: 4 epochs, percentages divided by 100, the test-set lines are the run\'s test metrics', async () => {
  const { run, quality } = await single('fixtures/formats/plain-print.log');
  assert.equal(run.format, 'plain-print');
  assert.equal(run.epochs.length, 4);
  // "Epoch 4: Train Loss: 0.0951, Train Accuracy: 97.1354%, Validation Loss: 0.1326, Validation Accuracy: 95.9719%"
  const last = run.epochs[3]!;
  assert.deepEqual([last.epoch, last.loss, last.accuracy, last.val_loss, last.val_accuracy], [4, 0.0951, 0.971354, 0.1326, 0.959719]);
  // "Loss on the test set: 0.1276" / "Accuracy on the test set: 96.07%"
  assert.deepEqual(run.text_test, { loss: 0.1276, accuracy: 0.9607 });
  assert.deepEqual(run.format_notes, ['percent_accuracy']);
  assert.equal(quality.unrecognised, 0);
});

test('plain prints behind Python logging\'s "INFO:root:", beside unprefixed prints: read as without the prefix', async () => {
  const path = 'fixtures/formats/plain-print-python-logging.log';
  const log = await read(path);
  const { quality } = log;
  // four cross-validation folds of "Epoch 1/2", "Epoch 2/2": "Epoch 1/2" after "Epoch 2/2" is another fit, so another run
  assert.deepEqual(log.runs.map((r) => [r.run_id, r.format, r.epochs.length]), [
    ['plain-print-python-logging', 'plain-print', 2], ['plain-print-python-logging-fit2', 'plain-print', 2],
    ['plain-print-python-logging-fit3', 'plain-print', 2], ['plain-print-python-logging-fit4', 'plain-print', 2],
  ]);
  // "INFO:root:Epoch 1/2, Train Loss: 0.5536, Train Acc: 0.0087, Val Loss: 0.4072, Val Acc: 0.0034" (fold 1)
  assert.deepEqual(log.runs[0]!.epochs.map((e) => [e.epoch, e.epochs, e.loss, e.accuracy, e.val_loss, e.val_accuracy]),
    [[1, 2, 0.5536, 0.0087, 0.4072, 0.0034], [2, 2, 0.3092, 0.0106, 0.3785, 0.0035]]);
  // "INFO:root:Epoch 2/2, Train Loss: 0.0636, Train Acc: 0.0118, Val Loss: 0.0640, Val Acc: 0.0041" (fold 4)
  const run = log.runs[3]!;
  assert.deepEqual(run.epochs.map((e) => [e.epoch, e.epochs, e.loss, e.accuracy, e.val_loss, e.val_accuracy]),
    [[1, 2, 0.1416, 0.0114, 0.0628, 0.0041], [2, 2, 0.0636, 0.0118, 0.064, 0.0041]]);
  // each fold's confusion matrix, logged over three lines (" [[201  39]", " [ 32 207]]" unprefixed), is its own run's
  assert.deepEqual(log.runs.map((r) => r.evaluation?.confusion_matrix),
    [[[201, 39], [32, 207]], [[208, 31], [18, 222]], [[229, 10], [12, 227]], [[231, 8], [2, 237]]]);
  // the same lines with the prefix taken off read the same, line for line
  const bare = readFileSync(path, 'utf8').replaceAll(/^INFO:root:/gm, '');
  const dir = mkdtempSync(join(tmpdir(), 'prefix-'));
  try {
    writeFileSync(join(dir, 'bare.log'), bare);
    const without = await read(join(dir, 'bare.log'));
    assert.deepEqual(without.runs.map((r) => r.epochs), log.runs.map((r) => r.epochs));
    assert.deepEqual([without.quality.recognised, without.quality.unrecognised, without.quality.plain_text], [quality.recognised, quality.unrecognised, quality.plain_text]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // "Fold: 1", "INFO:root:ROC-AUC Score: …" are the script's prints; the averages after the folds carry metrics no format reads
  assert.deepEqual([quality.recognised, quality.unrecognised, quality.plain_text], [20, 13, 11]);
});

test('plain prints that start again at 1 before reaching their N are a restart of the same run, not another fit', async () => {
  // the capture's lines 2, 9 and 10: fold 1's "Epoch 1/2", then fold 2's "Epoch 1/2" and "Epoch 2/2"
  const lines = readFileSync('fixtures/formats/plain-print-python-logging.log', 'utf8').split('\n');
  const log = await collectRuns(iterate([lines[1]!, lines[8]!, lines[9]!].map((m, i) => rec(m, { line: i + 1 }))));
  assert.deepEqual(log.runs.map((r) => r.epochs.map((e) => [e.epoch, e.val_loss])), [[[1, 0.2894], [2, 0.259]]]);
  assert.deepEqual(log.runs[0]!.duplicate_epochs, [1]);
});

test('Keras 1 verbose 2: four fit() calls are four runs; EarlyStopping is "stopped early"; n from "validate on"', async () => {
  const log = await read('fixtures/formats/keras1-verbose2.log');
  assert.deepEqual(log.runs.map((r) => [r.run_id, r.format, r.epochs.length, r.stopped_early]), [
    ['keras1-verbose2', 'keras2', 21, true],
    ['keras1-verbose2-fit2', 'keras2', 12, true],
    ['keras1-verbose2-fit3', 'keras2', 21, false],
    ['keras1-verbose2-fit4', 'keras2', 12, false],
  ]);
  // "Epoch 21/50 / Epoch 00020: early stopping / 219s - loss: 0.4791 - acc: 0.8639 - val_loss: 0.3789 - val_acc: 0.8938"
  const last = log.runs[0]!.epochs[20]!;
  assert.deepEqual([last.epoch, last.epochs, last.loss, last.accuracy, last.val_loss, last.val_accuracy, last.duration_ms, last.val_samples],
    [21, 50, 0.4791, 0.8639, 0.3789, 0.8938, 219000, 10000]);
  // "Epoch 12/12 / 269s - loss: 0.0538 - acc: 0.9836" (no validation in the last fit)
  const fourth = log.runs[3]!.epochs[11]!;
  assert.deepEqual([fourth.epoch, fourth.loss, fourth.accuracy, fourth.val_accuracy], [12, 0.0538, 0.9836, null]);
  // the script's own "stopped after  21 epochs" prints are the only unknown lines
  assert.equal(log.quality.unrecognised, 2);
});

test('Keras 3 quickstart: the dataset download bar is no epoch; model.evaluate after fit() is the run\'s test metrics', async () => {
  const { run, quality } = await single('fixtures/formats/keras3-download-evaluate.log');
  assert.equal(run.format, 'keras3');
  // "11490434/11490434 ━━━━ 1s 0us/step" before "Epoch 1/5": not an epoch
  assert.deepEqual(run.epochs.map((e) => e.epoch), [1, 2, 3, 4, 5]);
  // "Epoch 5/5 / 1875/1875 ━━━━ 2s 1ms/step - accuracy: 0.9769 - loss: 0.0729" (fit() without validation data)
  const last = run.epochs[4]!;
  assert.deepEqual([last.epochs, last.loss, last.accuracy, last.val_accuracy, last.duration_ms], [5, 0.0729, 0.9769, null, 2000]);
  // "313/313 ━━━━ 0s 484us/step - accuracy: 0.9707 - loss: 0.0955"
  assert.deepEqual(run.text_test, { loss: 0.0955, accuracy: 0.9707 });
  // the UserWarning and its source line are the runtime's chatter; "Downloading data from …" is Keras' own noise
  assert.deepEqual([quality.unrecognised, quality.runtime_chatter], [0, 2]);
});

test('Keras 2 verbose 1 from a terminal: 5 epochs with TensorBoard profiler lines; the download bar is no epoch', async () => {
  const { run, quality } = await single('fixtures/formats/keras2-verbose1-terminal.log');
  assert.equal(run.format, 'keras2');
  // "11493376/11490434 [==============================] - 0s 0us/step" before "Epoch 1/5": not an epoch
  assert.deepEqual(run.epochs.map((e) => e.epoch), [1, 2, 3, 4, 5]);
  // "Epoch 5/5 / 1875/1875 [==============================] - 5s 3ms/step - loss: 0.0398 - accuracy: 0.9869 - val_loss: 0.0646 - val_accuracy: 0.9801"
  const last = run.epochs[4]!;
  assert.deepEqual([last.epochs, last.loss, last.accuracy, last.val_loss, last.val_accuracy, last.duration_ms], [5, 0.0398, 0.9869, 0.0646, 0.9801, 5000]);
  assert.deepEqual(run.epochs.map((e) => e.val_accuracy), [0.9691, 0.9761, 0.9776, 0.9775, 0.9801]);
  assert.equal(run.epochs[0]!.duration_ms, 6000);
  // "   1/1875 [....] - ETA: 14:03 - loss: 2.2938 - accuracy: 0.18752021-02-01 15:50:11.339254: I tensorflow/…": the
  // first redraw, with a profiler log line printed onto its end: the batch's loss is read, the glued accuracy is not
  assert.deepEqual(run.batches.map((b) => [b.epoch, b.batch, b.loss, b.accuracy]), [[1, 1, 2.2938, null]]);
  assert.equal(run.text_test, null);
  // unrecognised: the profiler's four "Dumped tool data for … to …" lines (plain text); TensorFlow's I lines,
  // its three W notes that the machine has no GPU (no CUDA library, cuInit failed) and cpu_feature_guard's
  // "To enable them in other operations, rebuild TensorFlow …" are the runtime's chatter
  assert.deepEqual([quality.unrecognised, quality.plain_text, quality.runtime_chatter], [4, 4, 22]);
  assert.deepEqual(quality.examples.map((e) => [e.line, e.plain]), [[27, true], [28, true], [29, true], [30, true]]);
});

test('Keras 2 verbose 2 with ModelCheckpoint(verbose=1): "Epoch 00001: saving model to …" is Keras\' own line', async () => {
  const { run, quality } = await single('fixtures/formats/keras2-verbose2-checkpoint.log');
  assert.equal(run.format, 'keras2');
  assert.equal(run.epochs.length, 5);
  // "Epoch 5/5 / 1875/1875 - 2s - loss: 0.2807 - accuracy: 0.8950 - val_loss: 0.3432 - val_accuracy: 0.8780"
  const last = run.epochs[4]!;
  assert.deepEqual([last.epoch, last.epochs, last.loss, last.accuracy, last.val_loss, last.val_accuracy, last.duration_ms],
    [5, 5, 0.2807, 0.895, 0.3432, 0.878, 2000]);
  assert.deepEqual(run.epochs.map((e) => e.duration_ms), [5000, 2000, 2000, 3000, 2000]);
  // the checkpoint lines ("Epoch 00003: saving model to weights_best.h5") and the blank line before each are ignored
  assert.equal(run.stopped_early, false);
  assert.deepEqual([quality.records, quality.recognised, quality.ignored, quality.unrecognised], [20, 10, 10, 0]);
  const analysis = analyzeRun(run, quality, { generatedAt: '2026-12-01T00:00:00Z' });
  assert.equal(analysis.checks.find((c) => c.id === 'data.quality')!.status, 'pass');
});

test('tfjs-node ProgbarLogger: 100 epochs of a seq2seq model with loss only, the script\'s prints after them', async () => {
  const { run, quality } = await single('fixtures/formats/tfjs-node-translation.log');
  assert.equal(run.format, 'tfjs-node');
  assert.deepEqual(run.epochs.map((e) => e.epoch), Array.from({ length: 100 }, (_, i) => i + 1));
  // "Epoch 100 / 100 / eta=0.0 ====> / 47819ms 5977us/step - loss=0.205 val_loss=0.509 "
  const last = run.epochs[99]!;
  assert.deepEqual([last.epochs, last.loss, last.accuracy, last.val_loss, last.val_accuracy, last.duration_ms], [100, 0.205, null, 0.509, null, 47819]);
  // "Epoch 1 / 100 / … / 47576ms 5947us/step - loss=1.10 val_loss=1.11 "
  assert.deepEqual([run.epochs[0]!.loss, run.epochs[0]!.val_loss, run.epochs[0]!.duration_ms], [1.1, 1.11, 47576]);
  // lowest val_loss 0.471 at epochs 66 and 69; from 0.473 (epoch 73) it rises to 0.480 and 0.483
  const analysis = analyzeRun(run, quality, { generatedAt: '2026-12-01T00:00:00Z' });
  assert.equal(analysis.best?.epoch, 66);
  assert.equal(analysis.overfitting.onset_epoch, 74);
  // the GPU's properties, the script's prints and the 30 decoded sentences are plain text, nothing else
  assert.equal(quality.unrecognised, quality.plain_text);
  assert.equal(quality.runtime_chatter, 8);
});

test('timm train.py: 2 epochs from 0-based "Train: E [" lines; the last "Test: [30/30]" line\'s averages are the validation', async () => {
  const { run, quality } = await single('fixtures/formats/timm-train.log');
  assert.equal(run.format, 'timm');
  // "Test: [  30/30]  Time: 3.856 (0.732)  Loss:   6.615 ( 6.691)  Acc@1:   0.000 (  0.076)  …" after "Train: 0 […"
  // "Test: [  30/30]  Time: 0.022 (0.126)  Loss:   1.462 ( 1.867)  Acc@1:  63.529 ( 39.261)  …" after "Train: 1 […"
  assert.deepEqual(run.epochs.map(metricsRow), [[1, null, null, 6.691, 0.00076], [2, null, null, 1.867, 0.39261]]);
  // the capture logs batches 0 and 50 of 73, not the last: no epoch covers its whole epoch's running average
  assert.deepEqual(run.batches.map((b) => [b.epoch, b.batch, b.loss]), [[1, 1, 6.86], [1, 51, 6.77], [2, 1, 6.69], [2, 51, 3.23]]);
  assert.equal(run.epochs[1]!.epochs, null); // no "Scheduled epochs: N" in it
  assert.deepEqual(run.format_notes, ['zero_based_epochs', 'percent_accuracy']);
  assert.equal(quality.unrecognised, 0);
});

test('timm train.py, typed lines: the last batch\'s running average is the epoch\'s training loss; EMA revises; older number formats', async () => {
  const lines = [
    'Scheduled epochs: 3',
    'Model resnet50 created, param count:25557032',
    'Train: 0 [   0/33 (  0%)]  Loss:  8.863000 (8.8630)  Time: 1.663s,    9.62/s  (1.663s,    9.62/s)  LR: 5.000e-04  Data: 0.460 (0.460)',
    'Train: 0 [  32/33 (100%)]  Loss:  1.336000 (4.0012)  Time: 0.934s,    8.57/s  (0.218s,   36.68/s)  LR: 5.000e-04  Data: 0.000 (0.014)',
    'Test: [   0/29]  Time: 0.560 (0.560)  Loss:  0.6912 (0.6912)  Acc@1: 87.5000 (87.5000)  Acc@5: 100.0000 (100.0000)',
    'Test: [  29/29]  Time: 0.041 (0.064)  Loss:  0.5951 (0.5882)  Acc@1: 81.2500 (87.5000)  Acc@5: 100.0000 (99.3750)',
    'Test (EMA): [  29/29]  Time: 0.041 (0.064)  Loss:  0.6000 (0.6100)  Acc@1: 81.2500 (86.2500)  Acc@5: 100.0000 (99.3750)',
    'Current checkpoints:',
    " ('./output/train/20210609-153821-resnet50-224/checkpoint-0.pth.tar', 86.25)",
    '',
    'Train: 1 [  32/33 (100%)]  Loss:  nan (nan)  Time: 0.089s,   90.32/s  (0.166s,   48.17/s)  LR: 5.000e-04  Data: 0.000 (0.016)',
    'Test: [  29/29]  Time: 0.043 (0.066)  Loss:  nan (nan)  Acc@1:  0.0000 (10.0000)  Acc@5: 100.0000 (100.0000)',
    '*** Best metric: 86.25 (epoch 0)',
  ];
  const { runs, quality } = await collectRuns(iterate(lines.map((l) => rec(l))));
  assert.equal(runs.length, 1);
  const [first, second] = runs[0]!.epochs;
  // the EMA model's averages replace the epoch's own, as timm keeps them; not a duplicate epoch
  assert.deepEqual([...metricsRow(first!), first!.epochs], [1, 4.0012, null, 0.61, 0.8625, 3]);
  assert.deepEqual(runs[0]!.duplicate_epochs, []);
  assert.deepEqual([...metricsRow(second!), second!.non_finite], [2, null, null, null, 0.1, ['loss', 'val_loss']]);
  // 3 training lines, 2 epoch ends and the EMA revision; the rest (the planned count, timm's own noise, progress) ignored
  assert.deepEqual([quality.unrecognised, quality.recognised], [0, 6]);
});

test('timm: a "Test:" line with no training line before it (validate.py) is no epoch', async () => {
  const line = 'Test: [  29/29]  Time: 0.041 (0.064)  Loss:  0.5951 (0.5882)  Acc@1: 81.2500 (87.5000)  Acc@5: 100.0000 (99.3750)';
  const { runs, quality } = await collectRuns(iterate([rec(line)]));
  assert.deepEqual([runs.length, quality.unrecognised], [0, 1]);
});

test('Ultralytics YOLO classify: 50 epochs from "N/50" rows and their "all" rows; best.pt\'s validation is no epoch; the ERROR line stays', async () => {
  const { run, quality } = await single('fixtures/formats/ultralytics-classify.log');
  assert.equal(run.format, 'ultralytics');
  assert.equal(run.epochs.length, 50);
  assert.deepEqual([run.duplicate_epochs, run.missing_epochs], [[], []]);
  // "       1/50     0.679G     0.2584         11         64: 100%|…| 30/30 […]" then "                   all      0.591          1"
  assert.deepEqual(metricsRow(run.epochs[0]!), [1, 0.2584, null, null, 0.591]);
  // "      50/50     0.661G   0.004417 …" and its "all      0.864          1" ("val: Scanning …/test... 22 images");
  // "all      0.909          1" after "Validating runs/classify/train3/weights/best.pt..." is not read
  const last = run.epochs[49]!;
  assert.deepEqual([...metricsRow(last), last.epochs, last.val_samples], [50, 0.004417, null, null, 0.864, 50, 22]);
  // "      44/50     0.661G   0.007111 …" after "      43/50     0.661G    0.00298 …"
  assert.deepEqual(run.epochs.slice(42, 44).map((e) => e.loss), [0.00298, 0.007111]);
  assert.equal(run.stopped_early, false);
  // "Overriding model.yaml nc=1000 with nc=3" and "test: …/test... found 22 images in 3 classes ✅": every epoch's model has 3 classes
  assert.ok(run.epochs.every((e) => e.classes === 3));
  // "val: None..." then "val: Scanning /content/datasets/New-Animals-Classification-1/test... 22 images, 0 corrupt": every epoch scored the test split
  assert.ok(run.epochs.every((e) => e.val_split === 'test'));
  // the two "train: … found 465 images in 4 classes: ERROR ❌️ requires 3 classes, not 4" lines are quoted, not plain;
  // the rest: Ultralytics' deprecation WARNINGs, the note and code under them, "/content"
  assert.deepEqual([quality.unrecognised, quality.plain_text], [10, 8]);
  const errors = quality.examples.filter((e) => e.text.includes('ERROR ❌️ requires 3 classes, not 4'));
  assert.equal(errors.length, 2);
  assert.ok(errors.every((e) => !e.plain));
});

test('Ultralytics, typed lines: a bar before 100% is progress; EarlyStopping is "stopped early"; a detection row is not read', async () => {
  const lines = [
    '      Epoch    GPU_mem       loss  Instances       Size',
    '       1/30         0G      1.097         16        224:  50%|█████     | 15/30 [00:03<00:03,  4.10it/s]',
    '       1/30         0G      1.052         16        224: 100%|██████████| 30/30 [00:07<00:00,  4.02it/s]',
    '               classes   top1_acc   top5_acc: 100%|██████████| 2/2 [00:00<00:00,  5.01it/s]',
    '                   all      0.625          1',
    '      Epoch    GPU_mem   box_loss   cls_loss   dfl_loss  Instances       Size',
    '       2/30      2.61G      1.234      2.345      1.111         11        640: 100%|██████████| 30/30 [00:09<00:00,  3.30it/s]',
    'EarlyStopping: Training stopped early as no improvement observed in last 1 epochs. Best results observed at epoch 1, best model saved as best.pt.',
  ];
  const { runs, quality } = await collectRuns(iterate(lines.map((l) => rec(l))));
  assert.equal(runs.length, 1);
  assert.deepEqual(runs[0]!.epochs.map(metricsRow), [[1, 1.052, null, null, 0.625]]);
  assert.equal(runs[0]!.stopped_early, true);
  // the detection header is Ultralytics' own noise, its row a bar of no format's: neither is read
  assert.deepEqual([quality.unrecognised, quality.recognised], [0, 3]);
});

test('Ultralytics, typed lines: the class count a split\'s "found … in N classes ✅" or "Overriding model.yaml … nc=N" states is the run\'s, not the next fit\'s', async () => {
  const engine = 'engine/trainer: task=classify, mode=train, model=yolov8m-cls.pt, data=/content/datasets/New-Animals-Classification-1, epochs=2';
  const epochLines = (n: number) => [
    `       ${n}/2     0.661G    0.1061         11         64: 100%|██████████| 30/30 [00:03<00:00,  9.85it/s]`,
    '                   all      0.727          1',
  ];
  const lines = [
    engine,
    'test: /content/datasets/New-Animals-Classification-1/test... found 22 images in 3 classes ✅ ',
    ...epochLines(1), ...epochLines(2),
    engine,
    'Overriding model.yaml nc=1000 with nc=5',
    ...epochLines(1), ...epochLines(2),
    engine,
    ...epochLines(1), ...epochLines(2),
  ];
  const { runs, quality } = await collectRuns(iterate(lines.map((l) => rec(l))));
  assert.deepEqual(runs.map((r) => r.epochs.map((e) => e.classes)), [[3, 3], [5, 5], [undefined, undefined]]);
  assert.equal(quality.unrecognised, 0);
});

test('Ultralytics, typed lines: the split the validation scans is named by its folder (test, or val), else not at all', async () => {
  const split = async (folder: string) => {
    const lines = [
      `val: Scanning /content/datasets/New-Animals-Classification-1/${folder}... 22 images, 0 corrupt: 100%|██████████| 22/22 [00:00<?, ?it/s]`,
      '       1/2     0.661G    0.1061         11         64: 100%|██████████| 30/30 [00:03<00:00,  9.85it/s]',
      '                   all      0.727          1',
    ];
    const { runs } = await collectRuns(iterate(lines.map((l) => rec(l))));
    const e = runs[0]!.epochs[0]!;
    assert.equal(e.val_samples, 22, folder);
    return e.val_split;
  };
  assert.deepEqual([await split('test'), await split('valid'), await split('val'), await split('images')], ['test', 'val', 'val', undefined]);
});

/** Every fixture a format must claim, with the format its run is read in. */
const FIXTURES: [string, LogFormat][] = [
  ['fixtures/formats/pytorch-mnist.log', 'pytorch-mnist'],
  ['fixtures/formats/pytorch-mnist-tqdm.log', 'pytorch-mnist'],
  ['fixtures/formats/hf-trainer.log', 'hf-trainer'],
  ['fixtures/formats/keras1-verbose2.log', 'keras2'],
  ['fixtures/formats/plain-print.log', 'plain-print'],
  ['fixtures/formats/plain-print-python-logging.log', 'plain-print'],
  ['fixtures/formats/keras3-download-evaluate.log', 'keras3'],
  ['fixtures/formats/lightning-bar.log', 'lightning'],
  ['fixtures/formats/lightning-metrics.csv', 'lightning-csv'],
  ['fixtures/formats/keras-csvlogger.csv', 'keras-csv'],
  ['fixtures/formats/generic-json.jsonl', 'generic-json'],
  ['fixtures/formats/keras2-verbose1-terminal.log', 'keras2'],
  ['fixtures/formats/keras2-verbose2-checkpoint.log', 'keras2'],
  ['fixtures/formats/tfjs-node-translation.log', 'tfjs-node'],
  ['fixtures/formats/timm-train.log', 'timm'],
  ['fixtures/formats/ultralytics-classify.log', 'ultralytics'],
  ['fixtures/formats/fastai-fit-one-cycle.log', 'fastai'],
  ['fixtures/formats/mmengine-epoch.log', 'mmengine'],
  ['fixtures/formats/accelerate-sagemaker-mpi.log', 'accelerate'],
  ['fixtures/keras2-verbose1.log', 'keras2'],
  ['fixtures/keras2-verbose2.log', 'keras2'],
  ['fixtures/keras3.log', 'keras3'],
  ['fixtures/tfjs-node.log', 'tfjs-node'],
  ['fixtures/mnist-train-5epochs.jsonl', 'events'],
];

test('detection by content: each fixture is read in its own format', async () => {
  for (const [path, format] of FIXTURES) {
    const log = await read(path);
    assert.ok(log.runs.length > 0, path);
    for (const r of log.runs) {
      assert.equal(r.format, format, path);
      assert.ok(r.epochs.length > 0, path);
    }
  }
});

test('no format reads another format\'s fixture as epochs, even when forced with --log-format', async () => {
  for (const [path, format] of FIXTURES) {
    for (const f of FORMATS) {
      if (format in f.titles) continue;
      const log = await read(path, f);
      const textEpochs = log.runs.filter((r) => r.format !== 'events').reduce((n, r) => n + r.epochs.length, 0);
      assert.equal(textEpochs, 0, `${f.name} on ${path}`);
    }
  }
});

/** What a collector, launcher or logging library puts before each line (src/parse/line-prefix.ts), by the line's index. */
const PREFIXES: Record<string, (i: number) => string> = {
  'docker logs -t': (i) => `2026-12-01T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.123456789Z `,
  'aws logs tail': () => '2026-12-01T17:17:17.272000+00:00 ecs/mnist-training/0123abcd ',
  'logging default': () => 'INFO:root:',
  'logging asctime': () => '2026-12-01 10:00:00,123 - __main__ - INFO - ',
  'logging [asctime] LEVEL-8': () => '[2026-12-01 10:00:00,123] INFO     ',
  '[tag]': () => '[worker-0] ',
  'SageMaker mpirun': () => '[1,mpirank:0,algo-1]<stdout>:',
  'docker compose': () => 'trainer-1  | ',
  'every other line, docker logs -t': (i) => (i % 2 ? '2026-12-01T10:00:00.5Z ' : ''),
};

test('every capture reads the same behind each line prefix as without it: runs, epochs, notes, quality', async () => {
  const reading = (log: Awaited<ReturnType<typeof read>>) => ({
    runs: log.runs.map((r) => ({ ...r, run_id: null, streams: null, quality: null, first_time: null, last_time: null })),
    quality: [log.quality.recognised, log.quality.unrecognised, log.quality.ignored, log.quality.plain_text, log.quality.runtime_chatter],
  });
  const dir = mkdtempSync(join(tmpdir(), 'prefix-'));
  try {
    for (const [path] of FIXTURES) {
      const lines = readFileSync(path, 'utf8').split('\n');
      const last = lines.pop()!; // '' after a final newline: no line to prefix
      const plain = reading(await read(path));
      for (const [name, prefix] of Object.entries(PREFIXES)) {
        const file = join(dir, path.split('/').pop()!);
        writeFileSync(file, lines.map((l, i) => prefix(i) + l).join('\n') + (last === '' ? '\n' : `\n${prefix(lines.length)}${last}`));
        assert.deepEqual(reading(await read(file)), plain, `${path} behind ${name}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--log-format reads a fixture in the format it names', async () => {
  const forced = FORMATS.find((f) => f.name === 'pytorch-mnist')!;
  const log = await read('fixtures/formats/pytorch-mnist.log', forced);
  assert.equal(log.runs[0]!.epochs.length, 10);
});

test('--log-format: a line of another format is "not a keras line", not "of any known log format"', async () => {
  const keras = FORMATS.find((f) => f.name === 'keras')!;
  const log = await read('fixtures/formats/pytorch-mnist.log', keras);
  const train = log.quality.examples.find((e) => e.text.startsWith('Train Epoch: 1 [0/60000'));
  assert.equal(train?.reason, 'not a keras line (--log-format keras)');
});
