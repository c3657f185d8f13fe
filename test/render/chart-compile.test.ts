// A chart drawn from the shape cache (chartRuntime) is the chart vega-lite and vega
// draw from scratch, byte for byte, whatever came before it in the cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { analyzeRun } from '../../src/analyze/analyze.js';
import { baselineCurves } from '../../src/analyze/baseline.js';
import { buildCharts, type ChartSpec } from '../../src/render/charts.js';
import { indexChart } from '../../src/render/index-chart.js';
import { readdirSync, readFileSync } from 'node:fs';
import type { Analysis } from '../../src/analyze/types.js';
import { buildEvaluationCharts } from '../../src/render/evaluation-charts.js';
import { BUILD_SHAPE_DIR, chartCompileStats, chartRuntime, useShapeDir } from '../../src/render/chart-compile.js';
import { end, epoch, GEN, quality, run, start } from '../analyze/build.js';
import { tempDir } from '../faults/support.js';

async function svg(runtime: vega.Runtime): Promise<string> {
  const view = new vega.View(runtime, { renderer: 'none' });
  // gradient ids from 0 for each chart, as chart-svg.ts draws them
  vega.resetSVGDefIds();
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
  // shapes made in this process only (not the build's)
  useShapeDir(null);
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

/** The bundled fixture's analysis, as the committed example report holds it. */
function fixtureAnalysis(): Analysis {
  const dir = readdirSync('reports', { withFileTypes: true }).find((d) => d.isDirectory())!.name;
  return JSON.parse(readFileSync(`reports/${dir}/report.json`, 'utf8')) as Analysis;
}

test('the shapes one report writes, as the build does, draw other runs of its kind without vega-lite, byte for byte', async (t) => {
  const dir = tempDir(t, 'mnist-shapes-');
  t.after(() => useShapeDir(BUILD_SHAPE_DIR));
  const fixture = fixtureAnalysis();
  const specs = (a: Analysis) => [...buildCharts(a), ...buildEvaluationCharts(a.evaluation)].flatMap((c) => ('spec' in c ? [c] : []));
  useShapeDir(dir, true);
  for (const chart of specs(fixture)) chartRuntime(chart.spec);
  // one file per vega-lite chart (loss, accuracy, gap, batch loss, confusion, recall, reliability)
  assert.equal(readdirSync(dir).length, 7);

  useShapeDir(dir);
  // completed runs like the fixture's, of other lengths (1 to 20 epochs: other axis domains and
  // ticks) and other numbers, and an evaluation with other counts: every chart drawn from a file
  const like = [1, 3, 12, 20].map((n, k) => {
    const epochs = Array.from({ length: n }, (_, i) => epoch(i + 1, { epochs: n, loss: (0.4 + k) / (i + 1), val_loss: (0.3 + k) / (i + 1.2),
      accuracy: 1 - 0.2 / (i + 1 + k), val_accuracy: 1 - 0.15 / (i + 1 + k) }));
    // (a 1-epoch run's 4 batches have no spike, unlike the fixture's: a batch chart of another kind)
    const batches = Array.from({ length: n > 1 ? 4 * n : 0 }, (_, i) => ({ epoch: 1 + Math.floor(i / 4), batch: (i % 4 + 1) * 400, loss: 0.5 / (1 + i / 7), accuracy: 0.9 }));
    return analyzeRun(run({ epochs, batches, batch_count: batches.length, start: start({ epochs: n }), end: end('completed', { epochs_completed: n }) }),
      quality(), { generatedAt: GEN });
  });
  const evaluated = structuredClone(fixture);
  const e = evaluated.evaluation!;
  e.confusion_matrix = e.confusion_matrix!.map((row, i) => row.map((n, j) => (i === j ? n - 7 * j : n + (i + j) % 3)));
  e.calibration!.bins = e.calibration!.bins.map((b, i) => ({ ...b, accuracy: Math.max(0, b.accuracy! - 0.01 * i) }));
  e.classes = e.classes.map((c, i) => ({ ...c, recall: c.recall! - 0.002 * i }));
  const charts = [...like.flatMap((a) => buildCharts(a)), ...specs(evaluated).filter((c) => ['confusion', 'recall', 'reliability'].includes(c.name))];
  assert.equal(charts.length, 3 + 3 * 4 + 3);
  // and runs of other kinds (planned epochs not run, a missing value, a long run): compiled, the same either way
  const unlike = [scaled(1, { batches: true }), scaled(2.3, { nan: true }), scaled(1, { epochs: 80 })].flatMap((a) => buildCharts(a));
  const compiled = () => chartCompileStats.first + chartCompileStats.parsed + chartCompileStats.plain;
  const before = { ...chartCompileStats, compiled: compiled() };
  for (const chart of charts) {
    assert.equal(await svg(chartRuntime(chart.spec)), await svg(vega.parse(compile(chart.spec).spec)), `${chart.name}: ${chart.alt}`);
  }
  // none compiled by vega-lite: the first of each shape from its file, the next ones from memory
  assert.equal(compiled() - before.compiled, 0);
  assert.equal(chartCompileStats.built - before.built, 7);
  assert.equal(chartCompileStats.reused - before.reused, charts.length - 7);
  for (const chart of unlike) {
    assert.equal(await svg(chartRuntime(chart.spec)), await svg(vega.parse(compile(chart.spec).spec)), `${chart.name}: ${chart.alt}`);
  }
  assert.equal(chartCompileStats.built - before.built, 7);
});

test('a shape file that is not the key\'s, or is damaged, is not used: the chart is compiled as usual', async (t) => {
  const dir = tempDir(t, 'mnist-shapes-');
  t.after(() => useShapeDir(BUILD_SHAPE_DIR));
  const [chart] = buildCharts(scaled(1));
  useShapeDir(dir, true);
  chartRuntime(chart!.spec);
  const [file] = readdirSync(dir);
  const text = readFileSync(`${dir}/${file}`, 'utf8');
  const { writeFileSync } = await import('node:fs');
  for (const bad of [text.replace('"key":"{', '"key":"{ '), text.slice(0, 200), '']) {
    writeFileSync(`${dir}/${file}`, bad);
    useShapeDir(dir);
    const before = { ...chartCompileStats };
    assert.equal(await svg(chartRuntime(chart!.spec)), await svg(vega.parse(compile(chart!.spec).spec)));
    assert.equal(chartCompileStats.built - before.built, 0);
    assert.equal(chartCompileStats.first - before.first, 1);
  }
  // the first line whole, the dataflow cut short (a build that stopped half-way): read, found damaged, compiled
  writeFileSync(`${dir}/${file}`, text.slice(0, text.indexOf('\n') + 50));
  useShapeDir(dir);
  const before = { ...chartCompileStats };
  for (let i = 0; i < 2; i++) assert.equal(await svg(chartRuntime(chart!.spec)), await svg(vega.parse(compile(chart!.spec).spec)));
  assert.equal(chartCompileStats.built - before.built, 1);
  assert.equal(chartCompileStats.plain - before.plain, 2);
});

test('a domain vega-lite reads while it compiles (its length, or whether it spans 0) stays in the key', async () => {
  useShapeDir(null);
  const spec = (domain: number[], over: Record<string, unknown> = {}) => ({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json', width: 200, height: 100, background: 'white',
    data: { values: [{ a: 1, s: 0.2 }, { a: 2, s: 0.8 }, { a: 3, s: 0.45 }] }, mark: 'point',
    encoding: { x: { field: 'a', type: 'quantitative' }, size: { field: 's', type: 'quantitative', scale: { domain, ...over } } },
  }) as unknown as TopLevelSpec;
  // a threshold scale has one range step per domain entry and one more; a domain spanning 0 without `zero` set
  const cases = [spec([0.1, 0.3, 0.5, 0.9], { type: 'threshold' }), spec([0.1, 0.3, 0.7], { type: 'threshold' }), spec([-0.5, 1]), spec([0, 1])];
  for (const s of cases) {
    for (let i = 0; i < 3; i++) {
      // the second and third charts of each come from its shape
      assert.equal(await svg(chartRuntime(structuredClone(s))), await svg(vega.parse(compile(structuredClone(s)).spec)), JSON.stringify(s));
    }
  }
});

test('the build (npm run build) wrote the shape of each vega-lite chart of the bundled fixture to dist/chart-shapes', () => {
  useShapeDir(BUILD_SHAPE_DIR);
  const fixture = fixtureAnalysis();
  const before = { ...chartCompileStats };
  const specs = [...buildCharts(fixture), ...buildEvaluationCharts(fixture.evaluation)].flatMap((c) => ('spec' in c ? [c] : []));
  for (const chart of specs) chartRuntime(chart.spec);
  assert.equal(specs.length, 7);
  assert.equal(chartCompileStats.built - before.built, 7, `${BUILD_SHAPE_DIR} holds ${readdirSync(BUILD_SHAPE_DIR).length} files`);
});
