import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createSklearnReader } from '../../src/parse/sklearn.js';
import { analyzeEvaluation } from '../../src/analyze/evaluation.js';
import { buildEvaluationCharts } from '../../src/render/evaluation-charts.js';
import { renderCharts } from '../../src/render/chart-render.js';
import type { EvaluationRecord } from '../../src/evaluation.js';

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
