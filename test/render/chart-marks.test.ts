// Charts mark what matters (issue 13, item 5), checked on the SVG vega really draws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRun } from '../../src/analyze/analyze.js';
import { baselineCurves } from '../../src/analyze/baseline.js';
import { renderReport } from '../../src/render/report.js';
import { buildCharts } from '../../src/render/charts.js';
import { wantsLogScale } from '../../src/render/chart-marks.js';
import { end, epoch, GEN, quality, run, start } from '../analyze/build.js';

const svgOf = async (a: ReturnType<typeof analyzeRun>, name: string): Promise<string> => {
  const f = (await renderReport(a, ['md'])).find((x) => x.name === `${name}.svg`);
  assert.ok(f, `${name}.svg rendered`);
  return String(f.data);
};
const titles = (svg: string) => [...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]!);
/** The x of each vertex of a line's path ("M0,1L130,2..."). */
const lines = (svg: string) => [...svg.matchAll(/<path aria-label="([^"]*)"[^>]*aria-roledescription="line mark" d="([^"]*)"/g)]
  .map((m) => ({ label: m[1]!, vertices: m[2]!.split(/[ML]/).filter(Boolean).length }));

test('overfitting: the best epoch is a rule and the onset a band to the last epoch, both with hover text', async () => {
  // val_loss bottoms at epoch 3 and rises while the training loss keeps falling
  const vl = [0.2, 0.15, 0.12, 0.13, 0.15, 0.18, 0.22, 0.27];
  const a = analyzeRun(run({ start: start({ epochs: 8 }), epochs: vl.map((v, i) => epoch(i + 1, { epochs: 8, val_loss: v })) }), quality(), { generatedAt: GEN });
  assert.equal(a.best?.epoch, 3);
  assert.equal(a.overfitting.onset_epoch, 4);
  const svg = await svgOf(a, 'loss');
  const t = titles(svg);
  assert.ok(t.includes('best epoch 3 (lowest validation loss)'), t.join(' | '));
  assert.ok(t.includes('overfitting from epoch 4: validation loss rose while training loss fell'));
  assert.match(svg, /<text[^>]*>overfitting from 4<\/text>/);
  const loss = buildCharts(a).find((c) => c.name === 'loss')!;
  assert.match(loss.alt, /best epoch \(3\).*overfitting from epoch 4/);
  // on the accuracy and gap charts too
  for (const name of ['accuracy', 'gap']) assert.ok(titles(await svgOf(a, name)).includes('best epoch 3 (lowest validation loss)'), name);
});

test('a best epoch chosen by validation accuracy (no validation loss in the log) is marked and labelled so', async () => {
  const a = analyzeRun(run({ epochs: [0.6, 0.9, 0.8].map((v, i) => epoch(i + 1, { epochs: 3, val_loss: null, val_accuracy: v })) }), quality(), { generatedAt: GEN });
  assert.deepEqual([a.best?.epoch, a.best?.by], [2, 'val_accuracy']);
  const t = titles(await svgOf(a, 'accuracy'));
  assert.ok(t.includes('best epoch 2 (highest validation accuracy)'), t.join(' | '));
});

test('the best-epoch label sits above the plot, so it never covers a point (even when the best epoch is the last)', async () => {
  const a = analyzeRun(run({ epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { epochs: 5, val_loss: 0.3 - n * 0.04 })) }), quality(), { generatedAt: GEN });
  assert.equal(a.best?.epoch, 5);
  for (const name of ['loss', 'accuracy', 'gap']) {
    const labels = [...(await svgOf(a, name)).matchAll(/<text[^>]*transform="translate\(([-\d.]+),([-\d.]+)\)"[^>]*>best 5<\/text>/g)];
    assert.ok(labels.length, `${name}: a "best 5" label`);
    // y is in the plot's own coordinates: below 0 is above its top edge, where no mark is drawn
    for (const m of labels) assert.ok(Number(m[2]) < 0, `${name}: label at y ${m[2]}, inside the plot`);
  }
});

test('non-finite values are crosses on the top edge and no line is drawn across them', async () => {
  const a = analyzeRun(run({ epochs: [
    epoch(1), epoch(2), epoch(3, { loss: null, val_loss: null, non_finite: ['loss', 'val_loss'] }), epoch(4), epoch(5),
  ] }), quality(), { generatedAt: GEN });
  const svg = await svgOf(a, 'loss');
  const t = titles(svg);
  assert.ok(t.includes('epoch 3: training loss is not finite (NaN or infinite)'), t.join(' | '));
  assert.ok(t.includes('epoch 3: validation loss is not finite (NaN or infinite)'));
  // four lines (two per series, either side of epoch 3), none of them with a vertex at epoch 3
  const drawn = lines(svg);
  assert.deepEqual(drawn.map((l) => l.vertices), [2, 2, 2, 2], JSON.stringify(drawn));
  assert.ok(!t.some((x) => /^epoch 3: (training|validation) loss \d/.test(x)), 'no point at epoch 3');
  // the accuracy chart, whose values are finite, is one line per series
  assert.deepEqual(lines(await svgOf(a, 'accuracy')).map((l) => l.vertices), [5, 5]);
});

test('a series spanning more than two decades gets a log scale with a tick per power of ten', async () => {
  assert.equal(wantsLogScale([2.3, 0.05]), false);
  assert.equal(wantsLogScale([2.3, 0.01]), true);
  assert.equal(wantsLogScale([0, 1, 0.5]), false, 'zeros are not part of the span');
  const losses = [2.3, 0.5, 0.1, 0.02, 0.004];
  const a = analyzeRun(run({ epochs: losses.map((l, i) => epoch(i + 1, { loss: l, val_loss: l * 1.2 })) }), quality(), { generatedAt: GEN });
  const svg = await svgOf(a, 'loss');
  assert.match(svg, />loss \(log scale\)</);
  for (const tick of ['0.001', '0.01', '0.1', '1', '10']) assert.match(svg, new RegExp(`>${tick.replace('.', '\\.')}</text>`), tick);
  const flat = analyzeRun(run(), quality(), { generatedAt: GEN });
  assert.doesNotMatch(await svgOf(flat, 'loss'), /log scale/);
});

test('a cut-short run: the x axis runs to the planned epochs and the rest is a "not run" band', async () => {
  const a = analyzeRun(run({ start: start({ epochs: 10 }), epochs: [1, 2, 3].map((n) => epoch(n, { epochs: 10 })), end: end('interrupted') }),
    quality(), { generatedAt: GEN });
  for (const name of ['loss', 'accuracy', 'gap']) {
    const svg = await svgOf(a, name);
    const labels = /role-axis-label[^>]*>((?:<text[^>]*>[^<]*<\/text>)*)/.exec(svg)!;
    assert.deepEqual([...labels[1]!.matchAll(/>([^<]*)<\/text>/g)].map((m) => m[1]), ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'], name);
    assert.ok(titles(svg).includes('epochs 4-10 of 10 planned: not run'), name);
  }
});

test('every epoch has its tick and label on a short run\'s axes (3 epochs: "1 2 3", not "1 3"; batches: "0 1 2")', async () => {
  const xLabels = (svg: string): string[] => {
    // the first axis drawn with labels is the x axis
    const labels = /role-axis-label[^>]*>((?:<text[^>]*>[^<]*<\/text>)*)/.exec(svg)!;
    return [...labels[1]!.matchAll(/>([^<]*)<\/text>/g)].map((m) => m[1]!);
  };
  for (const n of [2, 3, 4]) {
    const a = analyzeRun(run({ start: start({ epochs: n }), epochs: Array.from({ length: n }, (_, i) => epoch(i + 1, { epochs: n })) }), quality(), { generatedAt: GEN });
    for (const name of ['loss', 'accuracy', 'gap']) assert.deepEqual(xLabels(await svgOf(a, name)), Array.from({ length: n }, (_, i) => String(i + 1)), `${n} epochs, ${name}`);
  }
  const batches = [1, 2].flatMap((e) => [1, 2, 3].map((b) => ({ epoch: e, batch: b, loss: 1 / (e * b), accuracy: 0.5 })));
  const a = analyzeRun(run({ start: start({ epochs: 2 }), epochs: [1, 2].map((n) => epoch(n, { epochs: 2 })), batches, batch_count: batches.length }), quality(), { generatedAt: GEN });
  assert.deepEqual(xLabels(await svgOf(a, 'batch-loss')), ['0', '1', '2']);
});

test('the training line\'s legend says what the format\'s epoch value is: an epoch average, fastai\'s smoothed loss, or no more than "training"', async () => {
  const legend = (svg: string): string[] => [...svg.matchAll(/role-legend-label[^>]*><text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
  for (const [format, training] of [['events', 'training (epoch average)'], ['keras3', 'training (epoch average)'], ['fastai', 'training (smoothed)'],
    ['timm', 'training (epoch average)'], ['pytorch-mnist', 'training'], ['generic-json', 'training']] as const) {
    const a = analyzeRun(run({ format, epochs: [1, 2, 3].map((n) => epoch(n, { epochs: 3 })) }), quality(), { generatedAt: GEN });
    for (const name of ['loss', 'accuracy']) {
      const svg = await svgOf(a, name);
      assert.deepEqual(legend(svg), [training, 'validation'], `${format} ${name}`);
      // the line keeps its colour whatever it is called
      assert.match(svg, /aria-label="[^"]*"[^>]*stroke="#4c78a8"/, `${format} ${name}`);
    }
  }
});

test('the baseline run\'s curves are overlaid, each line with its own colour and dash', async () => {
  const base = analyzeRun(run({ run_id: 'base', epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { val_accuracy: 0.9 + n * 0.015 })) }), quality(), { generatedAt: GEN });
  const a = analyzeRun(run(), quality(), { generatedAt: GEN });
  a.baseline = { baseline: { run_id: 'base', source: 'base/report.json', generated_at: GEN }, rows: [], settings: [], improved: 0, regressed: 0, summary: '',
    curves: baselineCurves(base) };
  const svg = await svgOf(a, 'accuracy');
  const drawn = [...svg.matchAll(/aria-roledescription="line mark" d="[^"]*" stroke="([^"]*)"[^>]*stroke-dasharray="([^"]*)"/g)].map((m) => `${m[1]} ${m[2]}`);
  assert.equal(drawn.length, 4, svg.slice(0, 300));
  assert.equal(new Set(drawn.map((d) => d.split(' ')[0])).size, 4, `four colours: ${drawn.join(' | ')}`);
  assert.equal(new Set(drawn.map((d) => d.split(' ')[1])).size, 4, `four dashes: ${drawn.join(' | ')}`);
  assert.ok(titles(svg).includes('epoch 5: baseline validation accuracy 97.50%'));
  assert.match(buildCharts(a).find((c) => c.name === 'accuracy')!.alt, /baseline run base/);
});

test('charts are accessible images: role="img", a <title> and <desc>, hover titles on points, no scripts', async () => {
  const a = analyzeRun(run(), quality(), { generatedAt: GEN });
  const files = await renderReport(a, ['md', 'html']);
  for (const name of ['loss', 'accuracy', 'gap']) {
    const svg = String(files.find((f) => f.name === `${name}.svg`)!.data);
    assert.match(svg, new RegExp(`^<svg [^>]*role="img" aria-labelledby="chart-${name}-title" aria-describedby="chart-${name}-desc"><title id="chart-${name}-title">[^<]+</title><desc id="chart-${name}-desc">[^<]+</desc>`));
    assert.doesNotMatch(svg, /<script/i);
    const points = svg.match(/aria-roledescription="point"[^>]*><title>epoch \d: [^<]+<\/title><\/path>/g) ?? [];
    assert.equal(points.length, 10, `${name}: every point has a hover title`);
  }
  const html = String(files.find((f) => f.name === 'report.html')!.data);
  assert.doesNotMatch(html, /<script/i);
});
