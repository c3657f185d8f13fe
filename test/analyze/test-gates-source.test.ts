// The test_* gates read a test result only: run_end's, a printed test line, or an evaluation the log says is of test
// data. Hugging Face's capture (fixtures/formats/hf-trainer.log) ends in scikit-learn's tables under "Validation
// Classification report": its validation set again, no test result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { collectRuns } from '../../src/runs/collect.js';
import { readFileRecords } from '../../src/sources/file.js';
import { analyzeRun } from '../../src/analyze/analyze.js';
import { evaluateGates } from '../../src/analyze/gates.js';
import { parseGateRules } from '../../src/analyze/gates-rules.js';
import type { Analysis } from '../../src/analyze/types.js';
import { iterate, rec } from '../parse/helpers.js';
import { GEN } from './build.js';

const HF = 'fixtures/formats/hf-trainer.log';
const RULES = parseGateRules(['test_accuracy<0.999', 'test_loss>0.01'].map((text) => ({ text, origin: '--fail-on' })));

async function analyse(records: AsyncIterable<unknown>): Promise<Analysis> {
  const log = await collectRuns(records as Parameters<typeof collectRuns>[0]);
  return analyzeRun(log.runs.at(-1)!, log.quality, { generatedAt: GEN });
}

test('hf-trainer.log: the validation classification report after training is no test result: the test gates are not judged', async () => {
  const a = await analyse(readFileRecords(HF));
  assert.ok(a.evaluation, 'the capture has an evaluation');
  assert.equal(a.test, null);
  const [acc, loss] = evaluateGates(a, RULES).results;
  // was: pass/fail on 99.38%, "Test accuracy (the log's evaluation) 99.38% is below 99.90%."
  assert.deepEqual([acc!.status, acc!.value, acc!.shown.value, acc!.message], ['fail', null, 'not judged',
    'Test accuracy is not judged: the log has no test result (its evaluation is not said to be of test data), so the gate cannot pass.']);
  assert.deepEqual([loss!.status, loss!.shown.value], ['fail', 'not judged']);
});

// The Trainer's own dicts, as the capture prints them: its epoch-3 evaluation line printed again after train() ended
// (trainer.evaluate() on its eval_dataset), and the same line with the prefix evaluate(test_ds, metric_key_prefix='test') gives.
const LINES = readFileSync(HF, 'utf8').split('\n');
const EVAL3 = LINES.find((l) => l.startsWith("{'eval_loss'") && l.includes("'epoch': 3.0"))!;
const TRAINED = LINES.findIndex((l) => l.startsWith("{'train_runtime'"));

test('hf-trainer: eval_* printed after train() is the eval set again, no test result; test_* is the test result', async () => {
  const epochs = LINES.slice(0, TRAINED + 1);
  const again = await analyse(iterate([...epochs, EVAL3].map((l) => rec(l))));
  // was: test accuracy 99.38% read from it
  assert.equal(again.test, null);
  assert.equal(again.epochs.length, 3);
  assert.equal(evaluateGates(again, RULES).results[0]!.shown.value, 'not judged');
  const tested = await analyse(iterate([...epochs, EVAL3.replaceAll("'eval_", "'test_")].map((l) => rec(l))));
  assert.deepEqual(tested.test, { loss: 0.03967500478029251, accuracy: 0.9938070662961492 });
  const [acc] = evaluateGates(tested, RULES).results;
  assert.deepEqual([acc!.status, acc!.value, acc!.message], ['fail', 0.9938070662961492, 'Test accuracy 99.38% is below 99.90%.']);
});
