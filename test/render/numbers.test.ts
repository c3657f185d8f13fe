// Numbers keep their meaning in the document: a small loss is never printed as
// 0.0000, and a fraction never stands beside a percentage in the checks table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRun } from '../../src/analyze/analyze.js';
import { fixedApart, fmtEpochs, fmtLoss, fmtRatio, fmtRelApart, fmtSigned } from '../../src/analyze/format.js';
import { renderReport } from '../../src/render/report.js';
import { epoch, GEN, quality, run } from '../analyze/build.js';

test('small values print with significant digits, the rest with 4 decimals as before', () => {
  assert.equal(fmtLoss(4.2216e-5), '4.222e-5');
  // 4 decimals when they lose nothing of its 4 significant digits: as a column's other rows print (it was 1e-3 and −5e-4)
  assert.equal(fmtLoss(0.00099996), '0.0010');
  assert.equal(fmtSigned(0.0743 - 0.0748), '−0.0005');
  assert.equal(fmtLoss(0.00012346), '1.235e-4');
  assert.equal(fmtLoss(0.0749), '0.0749');
  assert.equal(fmtLoss(0.001), '0.0010');
  assert.equal(fmtLoss(0), '0.0000');
  assert.equal(fmtSigned(-3.1e-6), '−3.1e-6');
  assert.equal(fmtSigned(0.0012), '+0.0012');
  assert.equal(fmtRatio(0.2544), '0.25×');
});

test('a run whose losses reach 1e-5 never shows them as 0.0000, in tables or text', async () => {
  const losses = [0.05, 0.002, 4.2216e-5, 3.1e-5];
  const epochs = losses.map((l, i) => epoch(i + 1, { loss: l, val_loss: l * 2, accuracy: 0.999, val_accuracy: 0.998 }));
  const a = analyzeRun(run({ epochs }), quality(), { generatedAt: GEN });
  const files = await renderReport(a, ['md', 'html']);
  for (const name of ['report.md', 'report.html']) {
    const text = String(files.find((f) => f.name === name)!.data);
    assert.doesNotMatch(text, /\b0\.0000\b/, name);
    assert.match(text, /4\.222e-5/, name);
    assert.match(text, /3\.1e-5/, name);
  }
  const svg = String(files.find((f) => f.name === 'loss.svg')?.data ?? '');
  assert.ok(svg.length > 0);
});

test('the checks table shows fractions as percentages or points, never as raw fractions', async () => {
  const a = analyzeRun(run(), quality(), { generatedAt: GEN });
  const md = String((await renderReport(a, ['md'])).find((f) => f.name === 'report.md')!.data);
  const row = (id: string) => md.split('\n').find((l) => l.includes(`(\`${id}\`)`)) ?? '';
  assert.match(row('generalization.gap'), /\| [+−]\d+\.\d\d pp \| warns when &lt; −2\.00 pp \|/);
  assert.match(row('convergence'), /\| -?\d+\.\d% \| /);
  assert.match(row('confidence.val_accuracy'), /\| \d+\.\d\d%–\d+\.\d\d% \|/);
});

test('a value beside the threshold it is compared with gets the decimals that tell them apart', () => {
  // "improved by 1.0%, below 1.0%" and "3.7×, where the bar was 3.7×" read as contradictions
  assert.equal(fmtRelApart(0.0099, 0.01), '0.99%');
  assert.equal(fmtRelApart(0.01 * (1 - 1e-5), 0.01), '0.99999%');
  assert.equal(fmtRelApart(0.123456 / 0.123456 - 0.122222 / 0.123456, 0.01), '0.9995%');
  assert.equal(fmtRelApart(0.0099999999999999, 0.01), '1.0%'); // equal but for floating-point noise
  assert.equal(fmtRelApart(0.25, 0.01), '25.0%');
  assert.deepEqual(fixedApart(3.7021, 3.7133, 1), ['3.70', '3.71']);
  assert.deepEqual(fixedApart(4.32, 5.81, 1), ['4.3', '5.8']);
});

test('lists of epochs: 3 or more in a row as a range, a long list counted and cut in the middle', () => {
  assert.equal(fmtEpochs([4]), 'epoch 4');
  assert.equal(fmtEpochs([2, 3]), 'epochs 2 and 3');
  assert.equal(fmtEpochs([1, 2, 3, 4, 5]), 'epochs 1–5');
  assert.equal(fmtEpochs([1, 2, 3, 7, 9, 10]), 'epochs 1–3, 7, 9 and 10');
  // a 1,000-epoch run's loss rose in every other epoch: the verdict listed all 500
  const every = Array.from({ length: 500 }, (_, i) => 2 * i + 2);
  assert.equal(fmtEpochs(every), '500 epochs (2, 4, 6, 8, 10, …, 998 and 1000)');
  assert.equal(fmtEpochs([1, 2, 3, 5, 7, 9, 11, 13, 15, 17, 18, 19, 20]), 'epochs 1–3, 5, 7, 9, 11, 13, 15 and 17–20');
  assert.equal(fmtEpochs([1, 2, 3, 5, 7, 9, 11, 13, 15, 17, 18, 19, 20, 22]), '14 epochs (1–3, 5, 7, 9, 11, …, 17–20 and 22)');
});
