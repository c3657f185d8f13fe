// The real PyTorch examples/mnist capture (fixtures/formats/pytorch-mnist.log), read and analysed as
// the report CLI does: what the report says about it must be what the log gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRun } from '../../src/analyze/analyze.js';
import { evaluateGates } from '../../src/analyze/gates.js';
import { parseGateRules } from '../../src/analyze/gates-rules.js';
import type { Analysis } from '../../src/analyze/types.js';
import { iterate, readRuns, rec } from '../parse/helpers.js';
import { collectRuns } from '../../src/runs/collect.js';
import { epoch, GEN, quality, run } from './build.js';
import { finalTraining } from '../../src/wording/document.js';

async function analyse(path: string): Promise<Analysis[]> {
  const parsed = await readRuns(path);
  return parsed.runs.map((r) => analyzeRun(r, parsed.quality, { generatedAt: GEN, noRun: parsed.no_run }));
}
async function analyseLines(lines: string[]): Promise<Analysis> {
  const parsed = await collectRuns(iterate(lines.map((l) => rec(l))));
  return analyzeRun(parsed.runs[0]!, parsed.quality, { generatedAt: GEN });
}
const check = (a: Analysis, id: string) => a.checks.find((c) => c.id === id)!;

test('"Test set:" every epoch: validation is the test set, with the caveat mnist-train runs get', async () => {
  for (const path of ['fixtures/formats/pytorch-mnist.log', 'fixtures/formats/pytorch-mnist-tqdm.log']) {
    const [a] = await analyse(path);
    assert.equal(a!.generalization.validation_is_test_set, true, path);
    assert.equal(a!.generalization.validation_named, 'Test set', path);
    const c = check(a!, 'validation.holdout');
    assert.deepEqual([c.status, c.value], ['info', 10_000], path);
    assert.equal(c.message, 'Validation used the test set, as the log names it ("Test set" every epoch, 10,000 samples): ' +
      'the validation metrics were watched during training, so they are not an unbiased test estimate.');
    assert.ok(a!.verdict.caveats.includes(c.message), path);
    assert.ok(a!.next_steps.some((s) => s.startsWith('Validate on a held-out part of the training set')), path);
  }
});

test('a JSON logger\'s per-epoch test_loss names the test set too; a log that names no set still says it does not say', async () => {
  const [json] = await analyse('fixtures/formats/generic-json.jsonl');
  assert.equal(json!.generalization.validation_named, 'test_loss');
  assert.match(check(json!, 'validation.holdout').message, /^Validation used the test set, as the log names it \("test_loss" every epoch\): /);
  for (const path of ['fixtures/keras2-verbose2.log', 'fixtures/formats/lightning-bar.log', 'fixtures/formats/plain-print.log']) {
    const [a] = await analyse(path);
    assert.equal(a!.generalization.validation_is_test_set, null, path);
    assert.equal('validation_named' in a!.generalization, false, path);
    assert.equal(check(a!, 'validation.holdout').message, 'The log does not say which data was used for validation.', path);
  }
});

test('a split the log says its validation scored: the test split is the caveat, said as the log says it; a val split is held out', () => {
  const judge = (split: 'test' | 'val' | undefined) => analyzeRun(run({ format: 'ultralytics', start: null, end: null,
    epochs: [1, 2].map((n) => epoch(n, { val_loss: null, val_accuracy: 0.8, val_samples: 22, ...(split ? { val_split: split } : {}) })) }), quality(), { generatedAt: GEN });
  const onTest = judge('test');
  assert.deepEqual([onTest.generalization.validation_is_test_set, onTest.generalization.validation_split], [true, 'test']);
  const c = check(onTest, 'validation.holdout');
  assert.deepEqual([c.status, c.value], ['info', 22]);
  assert.equal(c.message, "Validation scored the test split, as the log says (its validation reads the dataset's test folder, 22 images): " +
    'where the test split chose the epoch, as a best checkpoint kept by validation does, its accuracy is not a held-out test score.');
  assert.deepEqual(onTest.verdict.caveats, [c.message]);
  assert.ok(onTest.next_steps.some((s) => s.startsWith('Validate on a held-out part of the training set')));
  const val = judge('val');
  assert.deepEqual([val.generalization.validation_is_test_set, check(val, 'validation.holdout').status], [false, 'pass']);
  assert.equal(check(val, 'validation.holdout').message, "Validation scored the dataset's val split, as the log says (its validation reads the val folder, 22 images), not its test split.");
  const none = judge(undefined);
  assert.deepEqual([none.generalization.validation_is_test_set, 'validation_split' in none.generalization], [null, false]);
  assert.equal(check(none, 'validation.holdout').message, 'The log does not say which data was used for validation.');
});

test('a JSON logger\'s test gates name the key they read: test_acc1 for test_accuracy, test_loss for test_loss; test_loss alone is no test accuracy', async () => {
  const rules = parseGateRules(['test_accuracy<0.9', 'test_loss>1'].map((text) => ({ text, origin: '--fail-on' })));
  const [json] = await analyse('fixtures/formats/generic-json.jsonl');
  assert.deepEqual(json!.generalization.validation_named_keys, { val_loss: 'test_loss', val_accuracy: 'test_acc1' });
  const [acc, loss] = evaluateGates(json!, rules).results;
  // {"test_loss": 0.9501463377563567, "test_acc1": 67.2, "test_acc5": 99.9, "epoch": 5, …}: epoch 6 numbered from 1
  assert.deepEqual([acc!.status, acc!.value], ['fail', 0.672]);
  assert.equal(acc!.message, 'Test accuracy (epoch 6\'s "test_acc1": the log validates on its test set, so this is also the final validation accuracy) 67.20% is below 90.00%.');
  assert.equal(loss!.message, 'Test loss (epoch 6\'s "test_loss": the log validates on its test set, so this is also the final validation loss) 0.9501 is not above 1.0000.');
  // test_loss alone: the loss is the test set's, and there is no test accuracy to read (nor one named "test_loss")
  const lossOnly = await analyseLines([1, 2].map((e) => `{"epoch": ${e}, "train_loss": 0.${9 - e}, "test_loss": 0.${8 - e}}`));
  assert.deepEqual(lossOnly.generalization.validation_named_keys, { val_loss: 'test_loss' });
  const [noAcc, lossGate] = evaluateGates(lossOnly, rules).results;
  assert.deepEqual([noAcc!.status, noAcc!.value, noAcc!.message], ['fail', null, 'Test accuracy is missing (not logged, or NaN/Infinity), so the gate cannot pass.']);
  assert.match(lossGate!.message, /^Test loss \(epoch 2's "test_loss": /);
  // a validation accuracy from its own key next to test_loss is no test accuracy either
  const mixed = await analyseLines(['{"epoch": 1, "train_loss": 0.5, "test_loss": 0.4, "val_accuracy": 0.9}']);
  assert.equal(evaluateGates(mixed, rules).results[0]!.value, null);
});

test('per-batch "Train Epoch … Loss:" lines and no epoch loss: the report says so, not that the training loss is missing', async () => {
  const [a] = await analyse('fixtures/formats/pytorch-mnist.log');
  assert.equal(a!.epochs.every((e) => e.loss === null), true, 'no epoch training loss is made up');
  assert.equal(a!.batches.some((b) => b.loss !== null), true);
  // no chart is named: report.json cannot know whether one is drawn (none with -o -)
  const lacks = 'The log has no epoch training loss (only per-batch losses)';
  assert.equal(check(a!, 'overfitting').message, `${lacks}, so overfitting (validation loss rising while training loss falls) cannot be judged.`);
  assert.equal(check(a!, 'loss.divergence').message, `${lacks}, so divergence cannot be judged.`);
  assert.equal(check(a!, 'stability.loss_rises').message,
    'Validation loss fell in every epoch; the log has no epoch training loss (only per-batch losses), so only validation loss is checked.');
  // report.json is the same with charts or without (-o -): none of it names a chart
  assert.doesNotMatch(JSON.stringify(a), /chart/i);
  const gate = evaluateGates(a!, parseGateRules([{ text: 'overfitting', origin: '--fail-on' }])).results[0]!;
  assert.equal(gate.message, `${lacks}, so overfitting cannot be ruled out and the gate cannot pass.`);
});

test('a log with no training accuracy says so: not "no finite training accuracy", no "averaged over the epoch" beside n/a', async () => {
  const [a] = await analyse('fixtures/formats/pytorch-mnist.log');
  assert.ok(a!.epochs.every((e) => e.accuracy === null));
  assert.match(check(a!, 'generalization.gap').message, /^The log has no training accuracy, so the gap between training and validation accuracy cannot be judged/);
  assert.deepEqual(finalTraining(a!).find((f) => f.label === 'Accuracy'), { label: 'Accuracy', value: 'n/a' });
});

test('test_accuracy and test_loss gates read the final "Test set" line, the log\'s own test metrics, and say it is also the validation', async () => {
  const [a] = await analyse('fixtures/formats/pytorch-mnist.log');
  const rules = parseGateRules(['test_accuracy<0.9', 'test_accuracy<0.99', 'test_loss>0.1'].map((text) => ({ text, origin: '--fail-on' })));
  const [passed, failed, loss] = evaluateGates(a!, rules).results;
  assert.deepEqual([passed!.status, passed!.value, passed!.shown.value], ['pass', 0.9817, '98.17%']);
  assert.equal(passed!.message, 'Test accuracy (epoch 10\'s "Test set" line: the log validates on its test set, so this is also the final validation accuracy) 98.17% is not below 90.00%.');
  assert.deepEqual([failed!.status, failed!.value], ['fail', 0.9817]);
  assert.equal(loss!.message, 'Test loss (epoch 10\'s "Test set" line: the log validates on its test set, so this is also the final validation loss) 0.0545 is not above 0.1000.');
  // a log that does not name its validation the test set still has no test accuracy
  const [keras] = await analyse('fixtures/formats/keras1-verbose2.log');
  assert.equal(evaluateGates(keras!, rules).results[0]!.value, null);
});
