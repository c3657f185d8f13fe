// Every confidence level in the report's words comes from the configured level: at
// --level 0.999 nothing says "95%" and nothing rounds 99.9% to "100%".

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeEvaluation } from '../../src/analyze/evaluation.js';
import type { EvaluationRecord } from '../../src/evaluation.js';
import { evaluationLevel } from '../../src/wording/document.js';
import { flagInterval, recallCheck } from '../../src/wording/evaluation.js';
import { buildEvaluationCharts } from '../../src/render/evaluation-charts.js';

const digits = Array.from({ length: 10 }, (_, i) => String(i));
const matrix = digits.map((_, i) => digits.map((_, j) => (j === i ? 990 : j === (i + 1) % 10 ? 10 : 0)));
const record: EvaluationRecord = { source: 'mnist-train', set: 'test', loss: 0.1, labels: digits, confusion_matrix: matrix, reported: null, calibration: null, most_confident_wrong: [] };

test('the evaluation\'s sentences, table heading and chart print the configured level, unrounded', () => {
  const e = analyzeEvaluation(record, 0.999);
  assert.equal(evaluationLevel(e), '99.9%');
  assert.equal(flagInterval(e), '99.99% interval (99.9% for all 10 digits together)');
  assert.doesNotMatch(recallCheck(e), /95%|100%/);
  const recall = buildEvaluationCharts(e).find((c) => c.name === 'recall');
  assert.ok(recall, 'a recall chart');
  assert.match(recall.title, /99\.9% interval/);
  assert.match(recall.alt, /99\.9% Wilson interval.*99\.99% interval/);
});
