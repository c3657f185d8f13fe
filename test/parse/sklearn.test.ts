import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createSklearnReader } from '../../src/parse/sklearn.js';
import { analyzeEvaluation } from '../../src/analyze/evaluation.js';
import { collectRuns } from '../../src/runs/collect.js';
import { readFileRecords } from '../../src/sources/file.js';

const fixture = (name: string): string[] => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8').split('\n');

function readAll(lines: string[]) {
  const reader = createSklearnReader();
  const consumed = lines.filter((l) => reader.read(l));
  return { result: reader.result(), consumed };
}

test('MobileNetV3 capture: the printed confusion matrix and classification_report, labels with spaces', () => {
  const { result } = readAll(fixture('sklearn-mobilenetv3-mnist.log'));
  assert.ok(result);
  assert.equal(result.confusion_matrix?.length, 10);
  assert.deepEqual(result.confusion_matrix?.[5], [3, 1, 33, 36, 0, 803, 0, 10, 4, 2]);
  assert.deepEqual(result.labels, ['0 - zero', '1 - one', '2 - two', '3 - three', '4 - four', '5 - five', '6 - six', '7 - seven', '8 - eight', '9 - nine']);
  assert.deepEqual(result.reported?.[5], { label: '5 - five', precision: 0.88, recall: 0.9, f1: 0.89, support: 892 });
  assert.equal(result.reported?.length, 10);
});

test('MobileNetV3 capture: per-class numbers from the matrix print as the classification_report printed them', () => {
  const { result } = readAll(fixture('sklearn-mobilenetv3-mnist.log'));
  const a = analyzeEvaluation(result!, 0.95);
  assert.equal(a.classes_from, 'matrix');
  assert.equal(a.size, 10000);
  // "Number of errors: 465/10000" in the same log
  assert.equal(a.accuracy, 1 - 465 / 10000);
  for (const [i, c] of a.classes.entries()) {
    const printed = result!.reported![i]!;
    assert.equal(c.support, printed.support, `support of ${c.label}`);
    assert.equal(c.precision!.toFixed(2), printed.precision.toFixed(2), `precision of ${c.label}`);
    assert.equal(c.recall!.toFixed(2), printed.recall.toFixed(2), `recall of ${c.label}`);
    assert.equal(c.f1!.toFixed(2), printed.f1.toFixed(2), `f1 of ${c.label}`);
  }
  assert.deepEqual(a.confused_pairs[0], { label: '2 - two', predicted: '5 - five', count: 45, share: 45 / 1032 });
});

test('SVM README capture: a NumPy confusion matrix alone gives the accuracy printed under it', () => {
  const lines = fixture('sklearn-svm-confusion-matrix.log');
  const { result, consumed } = readAll(lines);
  // the title, the ten matrix rows and the accuracy printed under them: every line is the evaluation's
  assert.deepEqual(consumed, lines.filter((l) => l.trim()));
  assert.equal(consumed.length, 12);
  assert.equal(result?.reported, null);
  const a = analyzeEvaluation(result!, 0.95);
  assert.equal(a.classes_from, 'matrix');
  const printed = Number(lines.find((l) => l.startsWith('Accuracy='))!.slice('Accuracy='.length));
  assert.equal(a.accuracy!.toFixed(12), printed.toFixed(12));
});

test('a report alone gives the printed numbers, with a recall interval over the support', () => {
  const { result } = readAll([
    '              precision    recall  f1-score   support',
    '',
    '           0     0.9827    0.9847    0.9837       980',
    '           1     0.9886    0.9894    0.9890      1135',
    '           2     0.9646    0.9777    0.9711      1032',
    '',
    '    accuracy                         0.9695     10000',
  ]);
  const a = analyzeEvaluation(result!, 0.95);
  assert.equal(a.classes_from, 'report');
  assert.deepEqual(a.classes.map((c) => c.recall), [0.9847, 0.9894, 0.9777]);
  assert.ok(a.classes[0]!.recall_low! < 0.9847 && a.classes[0]!.recall_high! > 0.9847);
});

test('nested-list matrices, one line or wrapped, and a later matrix replaces an earlier one', () => {
  const { result } = readAll(['[[5, 1], [2, 7]]', 'cm:', '[[9, 0,', '  1], [0, 3, 0], [1, 1, 8]]']);
  assert.deepEqual(result?.confusion_matrix, [[9, 0, 1], [0, 3, 0], [1, 1, 8]]);
  assert.equal(readAll(['[0.96 0.97 0.95]', '[[1.5, 2], [3, 4]]']).result, null);
});

test('a text log of scikit-learn tables becomes a run with an evaluation, its lines counted as recognised', async () => {
  const path = new URL('../../fixtures/sklearn-mobilenetv3-mnist.log', import.meta.url).pathname;
  const { runs, quality } = await collectRuns(readFileRecords(path));
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.format, 'scikit-learn');
  assert.equal(runs[0]!.evaluation?.confusion_matrix?.[0]?.[0], 955);
  assert.equal(runs[0]!.evaluation?.reported?.length, 10);
  // 10 matrix rows, the report's header and 10 class rows, 3 summary rows, the blank lines inside the report,
  // the two titles ("Confusion Matrix", "Classification Report") and the 10 scores printed after the matrix
  assert.equal(quality.recognised, 36);
  assert.equal(quality.unrecognised, 1); // "Number of errors: 465/10000", the script's own line
});

test('MobileNetV3 capture: titles and the scores printed after a table are read; the script\'s own count and a score before any table are not', () => {
  const lines = fixture('sklearn-mobilenetv3-mnist.log');
  const { consumed } = readAll(lines);
  const unread = lines.filter((l) => l.trim() && !consumed.includes(l));
  assert.deepEqual(unread.map((l) => l.trim()), ['Number of errors: 465/10000']);
  assert.ok(consumed.some((l) => l.trim() === 'Confusion Matrix'));
  assert.ok(consumed.some((l) => l.trim() === 'Weighted F1-score: 0.95'));
  // the same score lines with no table before them are not scikit-learn's: left to the other readers
  const scores = lines.filter((l) => /^(Accuracy|Micro|Macro|Weighted)\b/.test(l));
  assert.equal(scores.length, 10);
  assert.deepEqual(readAll(scores).consumed, []);
});
