import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeEvaluation } from '../../src/analyze/evaluation.js';
import type { CalibrationBin, EvaluationRecord } from '../../src/evaluation.js';
import { allTogether, confusedPair } from '../../src/wording/evaluation.js';
import { everyOf } from '../../src/wording/plural.js';
import { gatesSummary } from '../../src/wording/gates.js';
import { dataQuality } from '../../src/wording/checks.js';
import { analyzeRun } from '../../src/analyze/analyze.js';
import type { Run } from '../../src/types.js';
import { epoch, GEN, quality, run } from './build.js';
import { readRuns } from '../parse/helpers.js';

const digits = Array.from({ length: 10 }, (_, i) => String(i));

/** A 10×10 matrix with `right` on the diagonal and `wrong` spread over the row's next cell. */
function matrix(right: number[], wrong: number[]): number[][] {
  return right.map((r, i) => digits.map((_, j) => (j === i ? r : j === (i + 1) % 10 ? wrong[i]! : 0)));
}

function record(m: number[][], calibration: CalibrationBin[] | null = null): EvaluationRecord {
  return { source: 'mnist-train', set: 'test', loss: 0.1, labels: digits, confusion_matrix: m, reported: null, calibration, most_confident_wrong: [] };
}

test('per-class precision, recall, F1 and the Wilson interval of recall', () => {
  const a = analyzeEvaluation(record(matrix(new Array(10).fill(980), new Array(10).fill(20))), 0.95);
  const c = a.classes[3]!;
  assert.equal(c.support, 1000);
  assert.equal(c.recall, 0.98);
  assert.equal(c.precision, 0.98); // column 3: 980 right + 20 from row 2
  assert.ok(Math.abs(c.f1! - 0.98) < 1e-12);
  assert.ok(Math.abs(c.recall_low! - 0.96931) < 1e-5 && Math.abs(c.recall_high! - 0.98702) < 1e-5);
  assert.equal(a.level, 0.95);
  assert.equal(a.accuracy, 0.98);
  assert.deepEqual(a.weak_classes, []);
});

test('a digit whose recall interval lies wholly below the others\' mean is flagged; a small dip is not', () => {
  const right = new Array(10).fill(990);
  const wrong = new Array(10).fill(10);
  right[5] = 930; wrong[5] = 70;
  right[2] = 985; wrong[2] = 15;
  const a = analyzeEvaluation(record(matrix(right, wrong)), 0.95);
  assert.deepEqual(a.weak_classes.map((w) => w.label), ['5']);
  assert.equal(a.min_recall, 0.93);
  assert.deepEqual(a.confused_pairs[0], { label: '5', predicted: '6', count: 70, share: 0.07 });
});

test('expected calibration error and its reading', () => {
  const bin = (lower: number, count: number, conf: number, acc: number): CalibrationBin =>
    ({ lower, upper: lower + 0.1, count, mean_confidence: conf, accuracy: acc });
  const m = matrix(new Array(10).fill(100), new Array(10).fill(0));
  const over = analyzeEvaluation(record(m, [bin(0.5, 100, 0.55, 0.45), bin(0.9, 900, 0.99, 0.95)]), 0.95).calibration!;
  assert.ok(Math.abs(over.ece - (0.1 * 0.1 + 0.9 * 0.04)) < 1e-12);
  assert.equal(over.reading, 'over-confident');
  const under = analyzeEvaluation(record(m, [bin(0.9, 1000, 0.9, 0.97)]), 0.95).calibration!;
  assert.equal(under.reading, 'under-confident');
  assert.equal(analyzeEvaluation(record(m, [bin(0.9, 1000, 0.95, 0.953)]), 0.95).calibration!.reading, 'well calibrated');
});

test('the recall intervals follow the analysis level', () => {
  const m = matrix(new Array(10).fill(980), new Array(10).fill(20));
  const at95 = analyzeEvaluation(record(m), 0.95);
  const at99 = analyzeEvaluation(record(m), 0.99);
  assert.equal(at99.level, 0.99);
  const c95 = at95.classes[0]!, c99 = at99.classes[0]!;
  assert.ok(c99.recall_low! < c95.recall_low! && c99.recall_high! > c95.recall_high!, '99% is wider than 95%');
  // Wilson at 95% for 980/1000: 0.9692 to 0.9871
  assert.ok(Math.abs(c95.recall_low! - 0.9692) < 1e-3 && Math.abs(c95.recall_high! - 0.9871) < 1e-3, `${c95.recall_low} ${c95.recall_high}`);
});

test('confused pairs in words', () => {
  assert.equal(confusedPair({ label: '4', predicted: '9', count: 23, share: 23 / 1000 }), '4 read as 9: 23 times, 2.3% of the 4s');
  assert.equal(confusedPair({ label: '0 - zero', predicted: '6 - six', count: 1, share: 1 / 980 }), '0 - zero read as 6 - six: 1 time, 0.1% of the images of 0 - zero');
});

test('above chance: a log whose evaluation has 2 classes has a chance level of 50%, said with where the count came from; a log without one keeps MNIST\'s 10', () => {
  const two = (reported: boolean): EvaluationRecord => ({
    source: 'scikit-learn', set: 'validation', loss: null, labels: ['FAKTA(0)', 'HOAX(1)'],
    confusion_matrix: reported ? null : [[6670, 21], [57, 5847]],
    reported: reported ? [{ label: 'FAKTA(0)', precision: 0.99, recall: 0.99, f1: 0.99, support: 6691 }, { label: 'HOAX(1)', precision: 0.99, recall: 0.99, f1: 0.99, support: 5904 }] : null,
    calibration: null, most_confident_wrong: [],
  });
  const epochs = [1, 2, 3].map((n) => epoch(n, { val_accuracy: 0.45 + n * 0.01 }));
  const chance = (r: Run) => analyzeRun(r, quality(), { generatedAt: GEN, sources: ['f.log'] }).checks.find((c) => c.id === 'accuracy.chance')!;
  const matrixRun = chance(run({ epochs, evaluation: two(false) }));
  assert.equal(matrixRun.threshold, 0.5);
  // 48% is not above 50% (against MNIST's 10% it passed); the matrix's own 99.37% contradicts it, so the check warns (rule contradicts)
  assert.equal(matrixRun.status, 'warn');
  assert.match(matrixRun.message, /^The log contradicts itself: its final validation accuracy 48\.00% is not above the chance level of 50% for the 2 classes of the log's confusion matrix/);
  assert.match(chance(run({ epochs, evaluation: two(true) })).message, /the chance level of 50% for the 2 classes of the log's classification report/);
  const none = chance(run({ epochs }));
  assert.equal(none.threshold, 0.1);
  assert.match(none.message, /the chance level of 10% for MNIST's 10 classes/);
});

test('above chance: the class count the log states for the model (Ultralytics\' nc) sets chance; another trainer\'s log without one says 10% is assumed', () => {
  const chance = (r: Run) => analyzeRun(r, quality(), { generatedAt: GEN }).checks.find((c) => c.id === 'accuracy.chance')!;
  const text = { format: 'ultralytics' as const, start: null, end: null };
  // 3 classes: 30% is chance-level (against 10% it passed), 60% is above it; n = 22 as the capture's
  const three = (acc: number) => chance(run({ ...text, epochs: [1, 2].map((n) => epoch(n, { val_loss: null, val_accuracy: acc, classes: 3, val_samples: 22 })) }));
  const low = three(0.3);
  assert.deepEqual([low.threshold, low.status], [1 / 3, 'fail']);
  assert.match(low.message, /^Final validation accuracy 30\.00% is not above the chance level of 33% for the 3 classes the log gives the model \(nc=3\) with 95% confidence /);
  assert.equal(three(0.6).status, 'pass');
  // a confusion matrix's count (what was scored) comes before the stated one
  const matrix: EvaluationRecord = { source: 'scikit-learn', set: 'validation', loss: null, labels: ['a', 'b'], confusion_matrix: [[50, 0], [0, 50]],
    reported: null, calibration: null, most_confident_wrong: [] };
  assert.equal(chance(run({ ...text, epochs: [epoch(1, { classes: 3 })], evaluation: matrix })).threshold, 0.5);
  // no count in the log: MNIST's 10, assumed for another trainer's log, as it is for mnist-train's own events
  const assumed = chance(run({ ...text, epochs: [1, 2].map((n) => epoch(n, { val_samples: 22 })) }));
  assert.equal(assumed.threshold, 0.1);
  assert.match(assumed.message, /for MNIST's 10 classes with 95% confidence \(interval from [\d.]+%\)\. The 10 classes are assumed from MNIST: the log does not say how many classes its model has\.$/);
  assert.doesNotMatch(chance(run()).message, /assumed/);
});

test('validation size from the evaluation: n when its accuracy is an epoch\'s validation accuracy to every logged digit, else only what is known', async () => {
  // fixtures/formats/hf-trainer.log: epoch 3's eval_accuracy 0.9938070662961492 is the matrix's 12,517 of 12,595
  const parsed = await readRuns('fixtures/formats/hf-trainer.log');
  const hf = analyzeRun(parsed.runs[0]!, parsed.quality, { generatedAt: GEN });
  assert.deepEqual([hf.confidence?.n, hf.confidence?.n_from_evaluation], [12_595, { epoch: 3 }]);
  const check = (a: typeof hf, id: string) => a.checks.find((c) => c.id === id)!;
  const from = "n = 12,595, the size of the log's evaluation, whose accuracy is epoch 3's validation accuracy to every logged digit";
  assert.equal(check(hf, 'accuracy.chance').message,
    `Final validation accuracy 99.38% is above the chance level of 50% for the 2 classes of the log's confusion matrix with 95% confidence (interval from 99.23%; ${from}).`);
  assert.equal(check(hf, 'confidence.val_accuracy').message,
    `Final validation accuracy 99.38%; 95% Wilson interval 99.23% to 99.50% (${from}), so differences smaller than about 0.14 pp are within sampling noise.`);
  // an evaluation whose accuracy is no epoch's validation accuracy: its size is said, not taken as n
  const evaluation: EvaluationRecord = { source: 'scikit-learn', set: null, loss: null, labels: ['0', '1'], confusion_matrix: [[6670, 21], [57, 5847]],
    reported: null, calibration: null, most_confident_wrong: [] };
  const other = analyzeRun(run({ format: 'plain-print', start: null, end: null, epochs: [1, 2].map((n) => epoch(n, { val_accuracy: 0.99 + n * 0.001 })), evaluation }),
    quality(), { generatedAt: GEN });
  assert.equal(other.confidence, null);
  const known = "the log's evaluation has 12,595 samples, but nothing in the log ties it to the validation set";
  assert.equal(check(other, 'accuracy.chance').message,
    `Final validation accuracy 99.20% is above the chance level of 50% for the 2 classes of the log's confusion matrix (the validation size is not in the log and ${known}, so without an interval).`);
  assert.equal(check(other, 'confidence.val_accuracy').message, `The number of validation samples is not in the log (${known}), so the uncertainty of 99.20% is unknown.`);
});

test('"all 2 classes" and "all 1 class" read as both and the one, here and wherever a report says "all N"', () => {
  const e = (n: number, source: EvaluationRecord['source'] = 'scikit-learn') =>
    ({ source, level: 0.95, classes: analyzeEvaluation(record(matrix(new Array(10).fill(980), new Array(10).fill(20))), 0.95).classes.slice(0, n) });
  assert.equal(allTogether(e(2)), '95% for both classes together');
  assert.equal(allTogether(e(1)), '95% for the one class');
  assert.equal(allTogether(e(10, 'mnist-train')), '95% for all 10 digits together');
  assert.equal(everyOf(2, 'quality gate', 'quality gates'), 'both quality gates');
  assert.equal(everyOf(1200, 'line', 'lines'), 'all 1,200 lines');
  const passed = { rule: 'nan', kind: 'flag', origin: '--fail-on', status: 'pass', value: 0, threshold: 0, shown: { value: '', threshold: '' }, message: '' } as const;
  assert.equal(gatesSummary([passed, { ...passed, rule: 'incomplete' }]), 'Both quality gates passed.');
  assert.equal(gatesSummary([passed, passed, passed]), 'All 3 quality gates passed.');
  assert.match(dataQuality(quality({ records: 1, recognised: 1 })), /^The one meaningful line was recognised \(/);
  assert.match(dataQuality(quality({ records: 2, recognised: 2 })), /^Both meaningful lines were recognised \(/);
});
