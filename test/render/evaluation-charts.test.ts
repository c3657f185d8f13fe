import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSklearnReader } from '../../src/parse/sklearn.js';
import { analyzeEvaluation } from '../../src/analyze/evaluation.js';
import { buildEvaluationCharts } from '../../src/render/evaluation-charts.js';
import { renderCharts } from '../../src/render/chart-render.js';
import type { EvaluationRecord } from '../../src/evaluation.js';
import { DIST_BIN, runReport, sandbox } from '../e2e/report-cli.js';

function capture(): EvaluationRecord {
  const reader = createSklearnReader();
  for (const line of readFileSync(new URL('../../fixtures/sklearn-mobilenetv3-mnist.log', import.meta.url), 'utf8').split('\n')) reader.read(line);
  return reader.result()!;
}

test('heatmap of a printed matrix: every non-zero count is written in its cell, labels as printed', async () => {
  const e = analyzeEvaluation(capture(), 0.95);
  const charts = buildEvaluationCharts(e);
  assert.deepEqual(charts.map((c) => c.name), ['confusion', 'recall']); // no calibration or pixels in an sklearn log
  const [confusion] = await renderCharts(charts);
  const texts = [...confusion!.svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
  for (const count of e.confusion_matrix!.flat().filter((c) => c > 0)) assert.ok(texts.includes(String(count)), `count ${count}`);
  assert.ok(texts.includes('5 - five'));
  assert.equal((await confusion!.png).subarray(1, 4).toString(), 'PNG');
});

test('gallery: each wrong image drawn from its pixels with true → predicted and confidence; labels escaped', async () => {
  const pixels = Buffer.alloc(784);
  for (let r = 4; r < 24; r++) pixels[r * 28 + 14] = 255; // a vertical stroke
  const e = analyzeEvaluation({
    ...capture(), source: 'mnist-train', labels: capture().labels.map((_, i) => (i === 7 ? '<7>' : String(i))),
    most_confident_wrong: [{ index: 42, label: 7, predicted: 1, confidence: 0.987, pixels: pixels.toString('base64') }],
  }, 0.95);
  const gallery = buildEvaluationCharts(e).find((c) => c.name === 'wrong-digits')!;
  assert.ok('svg' in gallery);
  assert.match(gallery.svg, /&lt;7&gt; → 1, 98\.7%/);
  // 20 lit pixels, all at full intensity: one path with 20 squares
  const paths = [...gallery.svg.matchAll(/<path fill="rgb\((\d+),\d+,\d+\)" d="([^"]*)"/g)];
  assert.equal(paths.length, 1);
  assert.equal(paths[0]![1], '255');
  assert.equal(paths[0]![2]!.split('M').length - 1, 20);
  const [rendered] = await renderCharts([gallery]);
  assert.equal((await rendered!.png).subarray(1, 4).toString(), 'PNG');
});

test('recall, reliability and confusion marks of the real trainer fixture say what they are, numbers formatted (not "recall: 98.1%; high: 0.994448026422")', async () => {
  const { out } = sandbox();
  const r = await runReport(['-i', 'fixtures/mnist-train-5epochs.jsonl', '-o', out, '-f', 'md', '--generated-at', '2026-11-30T12:00:00Z'], { bin: DIST_BIN });
  assert.equal(r.code, 0, r.stderr);
  const [run] = readdirSync(out);
  const titles = (chart: string): string[] =>
    [...readFileSync(join(out, run!, `${chart}.svg`), 'utf8').matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]!); // the chart's own has an id
  const labels = (chart: string): string[] =>
    [...readFileSync(join(out, run!, `${chart}.svg`), 'utf8').matchAll(/ aria-label="([^"]*)"/g)].map((m) => m[1]!).filter((l) => !/-axis|^Symbol legend|^Title text/.test(l)); // vega's own for axes, legend, title
  const recall = titles('recall');
  // 10 interval bars, 10 points, the mean: each a sentence; the digit-0 numbers are the event's matrix (970 of 980)
  assert.equal(recall.length, 21, recall.join('\n'));
  assert.ok(recall.includes('digit 0: 95% interval of the recall 98.13% to 99.44%'), recall.join('\n'));
  assert.ok(recall.includes('digit 0: recall 98.98% (970 of 980 images), 95% interval 98.13% to 99.44%'), recall.join('\n'));
  assert.ok(recall.includes('mean recall of the 10 digits 97.63%'), recall.join('\n'));
  const reliability = titles('reliability');
  assert.ok(reliability.includes('confidence 26.7% to 33.3%: accuracy 0.0% (0 of 2 images)'), reliability.join('\n'));
  assert.ok(reliability.includes('confidence 26.7% to 33.3%: mean confidence 31.1%, accuracy 0.0%'), reliability.join('\n'));
  for (const t of [...recall, ...reliability]) {
    assert.doesNotMatch(t, /\d\.\d{4,}|label:|high:|upper:|Mean of/, t); // no raw fraction, no vega field dump
    assert.match(t, /^(digit \d|mean recall|confidence \d)/, t);
  }
  // the confusion matrix's cells (were "predicted: 0; true: 0; share of row: 99%"): the rect and its count say the same
  const confusion = titles('confusion');
  assert.ok(confusion.includes('digit 0 predicted right: 970 of 980 images (99.0%)'), confusion.slice(0, 5).join('\n'));
  assert.ok(confusion.includes('digit 0 predicted as 2: 1 of 980 images (0.1%)'), confusion.slice(0, 5).join('\n'));
  for (const t of confusion) assert.match(t, /^digit \d predicted (right|as \d): [\d,]+ of [\d,]+ images \(\d+\.\d%\)$/, t);
  // the screen reader's names are the same sentences
  assert.deepEqual(labels('recall'), recall);
  assert.deepEqual(labels('reliability'), [...reliability.slice(0, reliability.length / 2), 'dashed diagonal: perfect calibration, accuracy equal to confidence',
    ...reliability.slice(reliability.length / 2)]);
});
