import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeEvaluation } from '../../src/analyze/evaluation.js';
import type { CalibrationBin, EvaluationRecord } from '../../src/evaluation.js';
import { confusedPair } from '../../src/wording/evaluation.js';

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
