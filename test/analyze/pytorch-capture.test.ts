// The real PyTorch examples/mnist capture (fixtures/formats/pytorch-mnist.log), read and analysed as
// the report CLI does: what the report says about it must be what the log gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRun } from '../../src/analyze/analyze.js';
import { evaluateGates } from '../../src/analyze/gates.js';
import { parseGateRules } from '../../src/analyze/gates-rules.js';
import type { Analysis } from '../../src/analyze/types.js';
import { readRuns } from '../parse/helpers.js';
import { GEN } from './build.js';
import { finalTraining } from '../../src/wording/document.js';

async function analyse(path: string): Promise<Analysis[]> {
  const parsed = await readRuns(path);
  return parsed.runs.map((r) => analyzeRun(r, parsed.quality, { generatedAt: GEN, noRun: parsed.no_run }));
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

test('per-batch "Train Epoch … Loss:" lines and no epoch loss: the report says so, not that the training loss is missing', async () => {
  const [a] = await analyse('fixtures/formats/pytorch-mnist.log');
  assert.equal(a!.epochs.every((e) => e.loss === null), true, 'no epoch training loss is made up');
  assert.equal(a!.batches.some((b) => b.loss !== null), true);
  const lacks = 'The log has no epoch training loss (only per-batch losses, shown in the batch loss chart)';
  assert.equal(check(a!, 'overfitting').message, `${lacks}, so overfitting (validation loss rising while training loss falls) cannot be judged.`);
  assert.equal(check(a!, 'loss.divergence').message, `${lacks}, so divergence cannot be judged.`);
  assert.equal(check(a!, 'stability.loss_rises').message,
    'Validation loss fell in every epoch; the log has no epoch training loss (only per-batch losses, shown in the batch loss chart), so only validation loss is checked.');
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
