import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRun } from '../../src/analyze/analyze.js';
import { renderReport } from '../../src/render/report.js';
import { renderIndex } from '../../src/render/index-report.js';
import { buildCharts } from '../../src/render/charts.js';
import { createHandlebars } from '../../src/render/helpers.js';
import { end, epoch, GEN, quality, run, start } from '../analyze/build.js';
import { readRuns } from '../parse/helpers.js';

const text = (files: { name: string; data: string | Buffer }[], name: string): string => {
  const f = files.find((x) => x.name === name);
  assert.ok(f, `${name} rendered`);
  return String(f.data);
};

const SECTIONS = ['## Overview', '## Training Process', '### Infrastructure Setup', '### Training Configuration',
  '## Results Analysis', '### Final Training Metrics', '### Final Validation Metrics', '### Best Epoch', '### Training Progress',
  '### Charts', '## Key Observations', '## Checks', '## Data Quality', '## Conclusion', '## Next Steps', '## Technical Details'];

test('report.md has the seed document sections in order, every linked chart is rendered, PNGs are PNGs', async () => {
  const batches = Array.from({ length: 30 }, (_, i) => ({ epoch: 1 + Math.floor(i / 10), batch: (i % 10 + 1) * 100, loss: 0.3, accuracy: 0.9 }));
  const a = analyzeRun(run({ batches, batch_count: 30 }), quality(), { generatedAt: GEN });
  const files = await renderReport(a, ['md', 'html', 'json']);
  const md = text(files, 'report.md');
  let at = -1;
  for (const s of SECTIONS) {
    const i = md.indexOf(`${s}`, at + 1);
    assert.ok(i > at, `section ${s} after the previous one`);
    at = i;
  }
  const links = [...md.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!);
  assert.deepEqual([...new Set(links)].sort(), ['accuracy.png', 'accuracy.svg', 'batch-loss.png', 'batch-loss.svg', 'gap.png', 'gap.svg', 'loss.png', 'loss.svg']);
  for (const l of links) assert.ok(files.some((f) => f.name === l), `${l} exists`);
  for (const f of files.filter((x) => x.name.endsWith('.png'))) {
    assert.deepEqual([...(f.data as Buffer).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  }
  assert.deepEqual(JSON.parse(text(files, 'report.json')), a);
  const html = text(files, 'report.html');
  const cells = [...html.matchAll(/<tr><td class="(\w+)">(\w+)<\/td><td>[^<]+<code>/g)];
  assert.equal(cells.length, a.checks.length);
  for (const [, cls, label] of cells) assert.ok(['pass', 'warn', 'fail', 'info'].includes(cls!) && cls === label, `${cls} ${label}`);
  // ordered by severity: fail, warn, info, pass
  const order = cells.map(([, cls]) => ['fail', 'warn', 'info', 'pass'].indexOf(cls!));
  assert.deepEqual(order, [...order].sort((x, y) => x - y));
  assert.ok(order.includes(2) && order.includes(3));
  // no fixed claims: nothing about Fargate or ECS unless run_start says so
  assert.doesNotMatch(md, /Fargate|launch type/);
  assert.doesNotMatch(md, /good generalization/i);
});

test('a run_start alone: its wall time is not known in md, html and json, never "0 ms" from one event time', async () => {
  const at = '2026-11-24T07:00:00.000Z';
  const a = analyzeRun(run({ epochs: [], end: null, first_time: at, last_time: at }), quality(), { generatedAt: GEN });
  assert.deepEqual([a.run.duration_ms, a.timing.total_ms], [null, null]);
  const files = await renderReport(a, ['md', 'html', 'json']);
  const unknown = `Wall time: not known (the log holds one moment of the run, ${at}, and no run_end: a time needs two)`;
  assert.ok(text(files, 'report.md').includes(`\n- ${unknown.replace('run_end', 'run\\_end')}\n`));
  assert.ok(text(files, 'report.html').includes(`<li>${unknown}</li>`));
  for (const f of ['report.md', 'report.html']) assert.doesNotMatch(text(files, f), /\b0 ms\b/);
  const json = JSON.parse(text(files, 'report.json')) as { run: { duration_ms: unknown }; timing: { total_ms: unknown } };
  assert.deepEqual([json.run.duration_ms, json.timing.total_ms], [null, null]);
  // run_end's own duration is the run's, whatever the event times
  const ended = analyzeRun(run({ epochs: [], first_time: at, last_time: at, end: end('failed', { epochs_completed: 0, duration_ms: 0 }) }), quality(), { generatedAt: GEN });
  assert.equal(ended.run.duration_ms, 0);
});

test('charts: false (-o -) draws no chart and returns the document alone, with the note where the charts would be; report.json is named only when written', async () => {
  const a = analyzeRun(run(), quality(), { generatedAt: GEN });
  const files = await renderReport(a, ['md'], { charts: false });
  assert.deepEqual(files.map((f) => f.name), ['report.md']);
  const md = text(files, 'report.md');
  assert.match(md, /### Charts\n\nCharts are written only with an output folder \(`-o DIR`\), not with `-o -`\.\n/);
  assert.doesNotMatch(md, /\.(svg|png)\)/);
  // nor does it send the reader to a report.json that is not written
  assert.match(md, /^- Report: schema mnist-report\/1, generated [^;\n]+$/m);
  assert.match(text(await renderReport(a, ['md', 'json'], { charts: false }), 'report.md'), /; the same analysis is in report\.json$/m);
});

test('epoch axes have integer ticks only', async () => {
  const a = analyzeRun(run({ epochs: [1, 2, 3, 4, 5, 6, 7].map((n) => epoch(n)) }), quality(), { generatedAt: GEN });
  const files = await renderReport(a, ['md']);
  for (const name of ['loss.svg', 'accuracy.svg', 'gap.svg']) {
    // vega draws the x axis first: its labels are the first role-axis-label group
    const group = /role-axis-label[^>]*>((?:<text[^>]*>[^<]*<\/text>)*)/.exec(text(files, name));
    assert.ok(group, `${name} has axis labels`);
    const labels = [...group[1]!.matchAll(/>([^<]*)<\/text>/g)].map((m) => m[1]);
    assert.deepEqual(labels, ['1', '2', '3', '4', '5', '6', '7'], name);
  }
  const one = await renderReport(analyzeRun(run({ start: start({ epochs: 1 }), epochs: [epoch(1, { epochs: 1 })] }), quality(), { generatedAt: GEN }), ['md']);
  const oneGroup = /role-axis-label[^>]*>((?:<text[^>]*>[^<]*<\/text>)*)/.exec(text(one, 'loss.svg'));
  assert.deepEqual([...oneGroup![1]!.matchAll(/>([^<]*)<\/text>/g)].map((m) => m[1]), ['1'], 'a one-epoch run has just epoch 1');
  const spec = JSON.stringify(buildCharts(a)[0]!.spec);
  assert.match(spec, /"values":\[1,2,3,4,5,6,7\]/);
  assert.match(spec, /"format":"d"/);
  // too many epochs for a tick each: whole epochs only
  const long = analyzeRun(run({ epochs: Array.from({ length: 30 }, (_, i) => epoch(i + 1)) }), quality(), { generatedAt: GEN });
  assert.match(JSON.stringify(buildCharts(long)[0]!.spec), /"tickMinStep":1/);
  assert.deepEqual(buildCharts(a).map((c) => c.name), ['loss', 'accuracy', 'gap']);
});

test('Training Progress says why Duration and Samples/s do not divide into the training set', async () => {
  // (in a real mnist-train log the training set over the duration is below Samples/s: 60,000 / 5.8 s against 10,654)
  const files = await renderReport(analyzeRun(run(), quality(), { generatedAt: GEN }), ['md', 'html']);
  const note = 'Duration is the whole epoch, its validation included; Samples/s is the training images over the training part alone, without the validation.';
  assert.ok(text(files, 'report.md').includes(`| 10.0 s | 6,000 |\n\n${note}\n\n### Charts`), text(files, 'report.md'));
  assert.ok(text(files, 'report.html').includes(`</table></div>\n<p>${note}</p>\n<h3 id="charts">`));
  // without Samples/s (every text format), no note
  const noRate = await renderReport(analyzeRun(run({ epochs: [1, 2].map((n) => epoch(n, { samples_per_second: null })) }), quality(), { generatedAt: GEN }), ['md']);
  assert.doesNotMatch(text(noRate, 'report.md'), /Duration is the whole epoch/);
});

test('log strings are escaped in Markdown and HTML', async () => {
  const hostile = '../../x/<script>alert(1)</script>|[a](http://e)';
  const s = start();
  s.runtime.host = '<img src=x onerror=alert(2)>';
  const q = quality({ unrecognised: 1, examples: [{ source: 'f.log', stream: null, line: 3, text: '| <iframe> `x` [y](z)', reason: 'unrecognised' }] });
  const a = analyzeRun(run({ run_id: hostile, start: s, end: end('failed', { error: { name: 'Error', message: '*boom* <b>|' } }), quality: q }), q, { generatedAt: GEN });
  const files = await renderReport(a, ['md', 'html']);
  const md = text(files, 'report.md');
  const html = text(files, 'report.html');
  for (const raw of ['<script>', '<img', '<iframe>', '<b>', '[a](http://e)', '[y](z)']) assert.ok(!md.includes(raw), `md has no raw ${raw}`);
  // in HTML a Markdown link is just text; tags are what matter
  for (const raw of ['<script>', '<img', '<iframe>', '<b>']) assert.ok(!html.includes(raw), `html has no raw ${raw}`);
  assert.ok(md.includes('&lt;script&gt;alert(1)&lt;/script&gt;\\|\\[a\\](http://e)'));
  assert.ok(md.includes('\\| &lt;iframe&gt; \\`x\\` \\[y\\](z)'));
  assert.ok(md.includes('\\*boom\\* &lt;b&gt;\\|'));
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(html.includes('&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;'));
  // each quoted-line table row keeps its five cells (the pipe in the log did not add one)
  const row = md.split('\n').find((l) => l.startsWith('| f.log'));
  assert.ok(row);
  assert.equal(row.split(/(?<!\\)\|/).length, 6, row);
});

test('Data Quality of a run in a larger input: one row for the run, the whole input and no run; lines of no run quoted and escaped', async () => {
  const own = quality({ records: 5, recognised: 5 });
  const whole = quality({ records: 9, recognised: 6, unrecognised: 3 });
  const noRun = quality({ records: 2, recognised: 0, unrecognised: 2,
    examples: [{ source: 'side.log', stream: null, line: 1, text: '| <iframe> x', reason: 'unrecognised' }] });
  const files = await renderReport(analyzeRun(run({ quality: own }), whole, { generatedAt: GEN, noRun }), ['md', 'html']);
  const md = text(files, 'report.md');
  const section = md.slice(md.indexOf('## Data Quality'), md.indexOf('## Conclusion'));
  assert.match(section, /The first row is this run's: 5 of the input's 9 records/);
  assert.doesNotMatch(section, /Counts are for the whole input/);
  assert.deepEqual(section.split('\n').filter((l) => /^\| (This run|Whole input|No run) /.test(l)),
    ['| This run | 5 | 5 | 0 | 0 | 0 | 0 | 0 |', '| Whole input | 9 | 6 | 0 | 3 | 0 | 0 | 0 |', '| No run | 2 | 0 | 0 | 2 | 0 | 0 | 0 |']);
  assert.match(section, /No unusable lines\./, "the run's own lines are clean");
  assert.match(section, /Unusable lines of no run \(the first 1, quoted\):/);
  assert.ok(section.includes('| side.log | 1 | unrecognised | \\| &lt;iframe&gt; x |'), section);
  const html = text(files, 'report.html');
  assert.ok(html.includes('<th scope="row">No run</th>'));
  assert.ok(html.includes('<td class="quote">| &lt;iframe&gt; x</td>'));
  assert.ok(!html.includes('<iframe>'));
});

test('a next step\'s command is code in Markdown and HTML; a stray backtick from the log stays text', async () => {
  const files = await renderReport(analyzeRun(run({ epochs: [epoch(1), epoch(2)] }), quality(), { generatedAt: GEN }), ['md', 'html', 'summary']);
  const md = text(files, 'report.md');
  const html = text(files, 'report.html');
  assert.match(md, /^\d\. .*`mnist-train --[a-z-]+ [^`]+`/m);
  assert.match(text(files, 'summary.md'), /^\d\. .*`mnist-train --[a-z-]+ [^`]+`/m);
  assert.match(html, /<li>[^<]*<code>mnist-train --[a-z-]+ [^<]+<\/code>/);
  assert.ok(!md.includes('\\`mnist-train') && !html.includes('&#x60;mnist-train'), 'no escaped backticks around the command');
  const hb = createHandlebars();
  assert.equal(hb.compile('{{proseCode s}}')({ s: 'run `a <b>` then *c*' }), 'run `a <b>` then \\*c\\*');
  assert.equal(hb.compile('{{textCode s}}')({ s: 'run `a <b>` then' }), 'run <code>a &lt;b&gt;</code> then');
  assert.equal(hb.compile('{{textCode s}}')({ s: 'Fix the failure (Err`or)' }), 'Fix the failure (Err&#x60;or)');
  assert.equal(hb.compile('{{proseCode s}}')({ s: 'Fix the failure (Err`or)' }), 'Fix the failure (Err\\`or)');
});

test('a run with no epochs renders a report that says so, without charts', async () => {
  const a = analyzeRun(run({ epochs: [], end: null }), quality(), { generatedAt: GEN });
  const files = await renderReport(a, ['md', 'html', 'json']);
  assert.deepEqual(files.map((f) => f.name).sort(), ['report.html', 'report.json', 'report.md']);
  const md = text(files, 'report.md');
  assert.match(md, /The log holds no epoch metrics for this run/);
  // no end either: not failed, nothing judged yet
  assert.match(md, /⚠️ warn \| Run status/);
});

test('the index: newest run first, settings, gate and verdict columns, an overlay chart, links to each folder', async () => {
  const a = analyzeRun(run({ run_id: 'a' }), quality(), { generatedAt: GEN });
  const b = analyzeRun(run({ run_id: 'b<x>', start: start({ learning_rate: 0.01, batch_size: 64 }), epochs: [epoch(1), epoch(2)], end: null,
    first_time: '2026-11-25T07:00:00.000Z' }), quality(), { generatedAt: GEN });
  const files = await renderIndex([{ analysis: a, folder: 'a' }, { analysis: b, folder: 'b-x-12345678' }], ['md', 'html', 'json'], undefined, GEN);
  const md = text(files, 'index.md');
  const lines = md.split('\n').filter((l) => l.startsWith('| ['));
  assert.match(lines[0]!, /^\| \[b&lt;x&gt;\]\(b-x-12345678\/report\.md\) \| needs attention \| — \| incomplete \| 2 of 5 \| mlp \| 0\.01 \| 64 \| 1 \| wasm \|/);
  assert.match(lines[1]!, /^\| \[a\]\(a\/report\.md\) \| healthy \| — \| completed \| 5 of 5 \| mlp \| 0\.001 \| 32 \| 1 \| wasm \| 96\.00% \|/);
  assert.match(md, /!\[Validation accuracy per epoch, by run[^\]]*\]\(runs-accuracy\.png\)/);
  const html = text(files, 'index.html');
  assert.match(html, /href="b-x-12345678\/report\.html">b&lt;x&gt;</);
  assert.ok(html.indexOf('b-x-12345678/report.html') < html.indexOf('"a/report.html"'), 'newest first');
  assert.match(html, /<figure id="chart-runs-accuracy">\s*<svg [^>]*role="img"/);
  const svg = text(files, 'runs-accuracy.svg');
  assert.equal(svg.match(/aria-roledescription="line mark"/g)?.length, 2, 'one line per run');
  assert.ok(svg.includes('<title>b&lt;x&gt;, epoch 2: validation accuracy 93.00%</title>'), 'hover text names the run');
  assert.deepEqual(JSON.parse(text(files, 'index.json')).runs.map((r: { run_id: string }) => r.run_id), ['b<x>', 'a']);
  // each run's report.html links back to the index when rendered for --run all
  const report = text(await renderReport(a, ['html'], { index: '../index.html' }), 'report.html');
  assert.match(report, /<a href="\.\.\/index\.html">All runs<\/a>/);
  assert.doesNotMatch(text(await renderReport(a, ['html']), 'report.html'), /All runs/);
});

test('per-epoch charts: a point per epoch for short runs; a long run gets the lines alone and one zero rule per gap panel', async () => {
  const count = (svg: string, re: RegExp) => svg.match(re)?.length ?? 0;
  const short = analyzeRun(run({ epochs: Array.from({ length: 5 }, (_, i) => epoch(i + 1)) }), quality(), { generatedAt: GEN });
  const long = analyzeRun(run({ epochs: Array.from({ length: 300 }, (_, i) => epoch(i + 1)) }), quality(), { generatedAt: GEN });
  const shortFiles = await renderReport(short, ['md']);
  const longFiles = await renderReport(long, ['md']);
  const points = /aria-roledescription="point"/g;
  assert.equal(count(text(shortFiles, 'loss.svg'), points), 10, 'short run: one point per epoch and series');
  assert.equal(count(text(longFiles, 'loss.svg'), points), 0, 'long run: no point marks');
  assert.equal(count(text(longFiles, 'loss.svg'), /aria-roledescription="line mark"/g), 2, 'long run: the two lines');
  assert.equal(count(text(shortFiles, 'gap.svg'), /stroke-dasharray="4,4"/g), 10, 'short run: the spec as before (a rule per row)');
  assert.equal(count(text(longFiles, 'gap.svg'), /stroke-dasharray="4,4"/g), 2, 'long run: one zero rule in each gap panel');
});

test('per-epoch charts: a run of more than 256 epochs is drawn through each series\' envelope, said in a subtitle and the alt text', () => {
  const wiggle = (n: number) => 0.2 + 0.05 * Math.sin(n / 5) + (n === 1234 ? 1 : 0);
  const epochs = Array.from({ length: 2000 }, (_, i) => epoch(i + 1, { loss: wiggle(i + 1), val_loss: wiggle(i + 1) + 0.01, epochs: 2000 }));
  const long = analyzeRun(run({ epochs }), quality(), { generatedAt: GEN });
  const loss = buildCharts(long).find((c) => c.name === 'loss')!;
  const rows = (loss.spec as unknown as { data: { values: { epoch: number; series: string; value: number }[] } }).data.values;
  for (const series of ['training (epoch average)', 'validation']) {
    const drawn = rows.filter((r) => r.series === series);
    assert.ok(drawn.length <= 512 && drawn.length >= 125, `${series}: ${drawn.length} points drawn of 2,000`);
    const all = epochs.map((e) => (series === 'validation' ? e.val_loss : e.loss) as number);
    const values = drawn.map((r) => r.value);
    assert.equal(Math.max(...values), Math.max(...all), `${series}: the spike at epoch 1234 is drawn`);
    assert.equal(Math.min(...values), Math.min(...all), `${series}: the lowest value is drawn`);
    assert.deepEqual([drawn[0]!.epoch, drawn[drawn.length - 1]!.epoch], [1, 2000]);
  }
  assert.deepEqual(rows.map((r) => r.epoch), [...rows.map((r) => r.epoch)].sort((a, b) => a - b), 'rows in epoch order');
  assert.deepEqual(loss.spec.title, { text: 'Loss per epoch', subtitle: 'lines through the first, last, min and max of every 16 epochs' });
  assert.match(loss.alt, /every 16 epochs/);
  // 256 epochs or fewer: every epoch is drawn, and the chart says nothing about it
  const short = analyzeRun(run({ epochs: epochs.slice(0, 256) }), quality(), { generatedAt: GEN });
  const shortLoss = buildCharts(short).find((c) => c.name === 'loss')!;
  assert.equal((shortLoss.spec as unknown as { data: { values: unknown[] } }).data.values.length, 512);
  assert.equal(shortLoss.spec.title, 'Loss per epoch');
});

test('summary.md points to the full report only when one is written with it', async () => {
  const a = analyzeRun(run({ epochs: [epoch(1), epoch(2)] }), quality(), { generatedAt: GEN });
  const last = async (formats: Parameters<typeof renderReport>[1]) => text(await renderReport(a, formats), 'summary.md').trimEnd().split('\n').at(-1)!;
  assert.match(await last(['md', 'summary']), /the full report \(report\.md, report\.html, charts\) is in the same folder of the artifact\._$/);
  const alone = await last(['summary']);
  assert.match(alone, /only this summary was written \(--format summary\)/);
  assert.doesNotMatch(alone, /same folder/);
});

test('summary.md says when its epochs are numbered from 1 and the log numbered them from 0 (its "epoch 68" is the log\'s Epoch 67)', async () => {
  const parsed = await readRuns('fixtures/formats/lightning-bar.log');
  const summary = text(await renderReport(analyzeRun(parsed.runs[0]!, parsed.quality, { generatedAt: GEN }), ['summary']), 'summary.md');
  // the capture's largest validation-loss rise is printed under "Epoch 67"; the summary names it epoch 68, and says why
  assert.match(summary, /epoch 68/);
  assert.match(summary, /^Read from PyTorch Lightning progress bar: epochs the log numbers from 0 are numbered from 1 here\.$/m);
  const ours = text(await renderReport(analyzeRun(run({ epochs: [epoch(1), epoch(2)] }), quality(), { generatedAt: GEN }), ['summary']), 'summary.md');
  assert.doesNotMatch(ours, /Read from/);
});

test('the index lists runs without a time (text logs) newest first too: the last one read, which --run latest picks, on top', async () => {
  const untimed = (id: string) => {
    const a = analyzeRun(run({ run_id: id, epochs: [epoch(1), epoch(2)] }), quality(), { generatedAt: GEN });
    return { ...a, run: { ...a.run, first_time: null } };
  };
  // in collectRuns' order: oldest first, latest last
  const files = await renderIndex(['fit1', 'fit2', 'fit3'].map((id) => ({ analysis: untimed(id), folder: id })), ['md'], undefined, GEN);
  const md = text(files, 'index.md');
  const at = (id: string) => md.indexOf(`[${id}](${id}/report.md)`);
  assert.ok(at('fit1') > 0 && at('fit3') > 0);
  assert.ok(at('fit3') < at('fit2') && at('fit2') < at('fit1'), md);
});
