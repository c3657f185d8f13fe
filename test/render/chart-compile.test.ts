// A chart drawn from the shape cache (chartRuntime) is the chart vega-lite and vega
// draw from scratch, byte for byte, whatever came before it in the cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { analyzeRun } from '../../src/analyze/analyze.js';
import { baselineCurves } from '../../src/analyze/baseline.js';
import { buildCharts, type ChartSpec } from '../../src/render/charts.js';
import { indexChart } from '../../src/render/index-chart.js';
import { chartCompileStats, chartRuntime } from '../../src/render/chart-compile.js';
import { epoch, GEN, quality, run } from '../analyze/build.js';

async function svg(runtime: vega.Runtime): Promise<string> {
  const view = new vega.View(runtime, { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Runs of one shape (same epochs, same settings) whose numbers differ by `f`. */
function scaled(f: number, over: { epochs?: number; nan?: boolean; batches?: boolean } = {}) {
  const n = over.epochs ?? 5;
  const epochs = Array.from({ length: n }, (_, i) => epoch(i + 1, {
    epochs: n, loss: (0.3 * f) / (i + 1), val_loss: over.nan && i === 2 ? null : (0.25 * f + 0.01 * i) / (i + 1),
    accuracy: 1 - 0.1 * f / (i + 1), val_accuracy: 1 - 0.09 * f / (i + 2),
  }));
  const batches = over.batches ? Array.from({ length: 40 }, (_, i) => ({ epoch: 1 + Math.floor(i / 8), batch: (i % 8 + 1) * 100, loss: f * (i === 17 ? 3 : 0.4 / (1 + i / 10)), accuracy: 0.9 })) : [];
  return analyzeRun(run({ epochs, batches, batch_count: batches.length }), quality(), { generatedAt: GEN });
}

test('a chart drawn from the shape cache is byte for byte the chart drawn from scratch', async () => {
  const analyses = [
    ...[1, 1.7, 0.4].map((f) => scaled(f, { batches: true })),
    ...[1, 2.3].map((f) => scaled(f, { nan: true })),
    ...[1, 3, 0.01].map((f) => scaled(f, { epochs: 80 })),
    ...[1, 1.5].map((f) => scaled(f, { epochs: 300 })),
  ];
  const withBaseline = [1.2, 0.8].map((f) => {
    const a = scaled(f);
    a.baseline = { baseline: { run_id: 'base', source: 'base/report.json', generated_at: GEN }, rows: [], settings: [], improved: 0, regressed: 0, summary: '',
      curves: baselineCurves(scaled(2 * f)) };
    return a;
  });
  const charts: ChartSpec[] = [...analyses, ...withBaseline].flatMap((a) => buildCharts(a));
  charts.push(indexChart(analyses.slice(0, 3))!, indexChart(analyses.slice(3, 6))!);
  const before = { ...chartCompileStats };
  for (const chart of charts) {
    assert.equal(await svg(chartRuntime(chart.spec)), await svg(vega.parse(compile(chart.spec).spec)), `${chart.name}: ${chart.alt}`);
  }
  // the cache was used: every chart went through it, and most share a shape with an earlier one
  // (the first chart of a shape is compiled the plain way; the second makes the shape, drawn from it)
  assert.equal(chartCompileStats.plain - before.plain, 0);
  const fromShape = chartCompileStats.parsed + chartCompileStats.reused - before.parsed - before.reused;
  assert.ok(fromShape >= charts.length / 3, `drawn from a shape: ${fromShape} of ${charts.length}`);
  assert.ok(chartCompileStats.reused - before.reused > 0, 'some shapes were drawn three times or more');
});

test('two specs that differ in anything but their data do not share a compiled chart', async () => {
  const [a] = buildCharts(scaled(1));
  const b = structuredClone(a!);
  (b.spec as { width: number }).width = 300;
  // the plot's frame: 300 px wide, then the original 520
  assert.match(await svg(chartRuntime(b.spec)), /d="M0\.5,0\.5h300v220h-300Z"/);
  assert.match(await svg(chartRuntime(a!.spec)), /d="M0\.5,0\.5h520v220h-520Z"/);
});
