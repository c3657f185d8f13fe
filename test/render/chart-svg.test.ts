// A chart's SVG does not depend on what its thread drew before: vega numbers SVG gradients
// across every chart a thread draws, and the confusion matrix's legend is a gradient.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Analysis } from '../../src/analyze/types.js';
import type { ChartSpec } from '../../src/render/charts.js';
import { buildEvaluationCharts } from '../../src/render/evaluation-charts.js';
import { chartSvg } from '../../src/render/chart-svg.js';

test('a chart drawn again by the same thread has the same bytes as the example report\'s', { timeout: 120_000 }, async () => {
  const dir = join('reports', readdirSync('reports').find((d) => !d.includes('.'))!);
  const a = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Analysis;
  const confusion = buildEvaluationCharts(a.evaluation).find((c) => c.name === 'confusion') as ChartSpec;
  for (let round = 0; round < 3; round++) {
    // (round 1 once read fill="url(#gradient_1)", round 2 gradient_2)
    assert.ok(await chartSvg(confusion) === readFileSync(join(dir, 'confusion.svg'), 'utf8'), `round ${round}`);
  }
});
