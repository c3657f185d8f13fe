// Other trainers' reports say what they hold in those trainers' terms: Keras has no run_start or
// run_end (its test metrics are model.evaluate's line), and the weak-class sentences agree in number
// with the classes they name and say what the per-class level amounts to.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { collectRuns } from '../../src/runs/collect.js';
import { readFileRecords } from '../../src/sources/file.js';
import { analyzeRun } from '../../src/analyze/analyze.js';
import type { Analysis } from '../../src/analyze/types.js';
import { renderReport } from '../../src/render/report.js';

async function analysisOf(fixture: string): Promise<Analysis> {
  const parsed = await collectRuns(readFileRecords(fileURLToPath(new URL(`../../fixtures/${fixture}`, import.meta.url))));
  assert.equal(parsed.runs.length, 1);
  return analyzeRun(parsed.runs[0]!, parsed.quality, { generatedAt: '2026-11-24T00:00:00.000Z' });
}

async function markdownOf(a: Analysis): Promise<string> {
  return (await renderReport(a, ['md'])).find((f) => f.name === 'report.md')!.data.toString();
}

test('a Keras log\'s test metrics are model.evaluate\'s, and what it lacks is not called run_start', async () => {
  const a = await analysisOf('formats/keras3-download-evaluate.log');
  assert.ok(a.test && a.test.accuracy !== null, 'the capture evaluates after fit()');
  const md = await markdownOf(a);
  assert.match(md, /^### Test Metrics \(from model\.evaluate's line after fit\(\)\)$/m);
  assert.match(md, /The test evaluation model\.evaluate printed after fit\(\): loss 0\.\d{4}, accuracy \d+\.\d\d%\./);
  assert.match(md, /- Configuration: unknown: the log does not say the run's settings/);
  assert.doesNotMatch(md, /run\\_end|run\\_start/);
});

test('mnist-train\'s own report still names run_end as its test metrics\' source', async () => {
  const md = await markdownOf(await analysisOf('mnist-train-5epochs.jsonl'));
  assert.match(md, /^### Test Metrics \(from run\\_end\)$/m);
  assert.match(md, /run\\_end's test evaluation \(loss /);
});

test('two weak classes: "their recalls\' intervals lie", with the level for all classes together', async () => {
  const a = await analysisOf('sklearn-mobilenetv3-mnist.log');
  assert.equal(a.evaluation?.weak_classes.length, 2);
  // the capture's one unread line ("Number of errors: 465/10000") is plain text: no second finding
  assert.match(a.verdict.reason, /: their recalls' 99\.5% intervals \(95% for all 10 classes together\) lie below the others' mean\.$/);
  const recall = a.checks.find((c) => c.id === 'evaluation.recall')!;
  assert.match(recall.message, /the model misses these more often than chance explains, by each one's 99\.5% interval \(95% for all 10 classes together\)\.$/);
  assert.doesNotMatch(`${a.verdict.reason} ${recall.message} ${recall.when}`, /corrected for|its recall's/);
});

test('one weak class: "its recall\'s interval lies"; the recall chart says "each class", not "each classe"', async () => {
  const a = await analysisOf('sklearn-svm-confusion-matrix.log');
  assert.equal(a.evaluation?.weak_classes.length, 1);
  assert.match(a.verdict.reason, /: its recall's 99\.5% interval \(95% for all 10 classes together\) lies below the others' mean\.$/);
  const md = await markdownOf(a);
  assert.match(md, /!\[Recall of each class \(share of its images/);
  assert.match(md, /its 99\.5% interval, 95% for all 10 classes together, lies below their mean/);
  assert.doesNotMatch(md, /classe\b/);
});
