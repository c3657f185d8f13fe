// The Evaluation section against the event it was made from: a real mnist-train run
// (fixtures/mnist-train-1epoch-evaluation.jsonl), analysed and rendered in-process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFileRecords } from '../../src/sources/file.js';
import { collectRuns } from '../../src/runs/collect.js';
import { analyzeRun } from '../../src/analyze/analyze.js';
import { renderReport } from '../../src/render/report.js';
import { validateEvent, type EvaluationEvent } from '../../src/events.js';
import { fmtPct } from '../../src/analyze/format.js';
import { parseGateRules } from '../../src/analyze/gates-rules.js';
import { evaluateGates } from '../../src/analyze/gates.js';

const FIXTURE = new URL('../../fixtures/mnist-train-1epoch-evaluation.jsonl', import.meta.url).pathname;
const events = readFileSync(FIXTURE, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const final = events.find((e) => e.event === 'evaluation' && e.scope === 'final') as EvaluationEvent;

async function report() {
  const { runs, quality } = await collectRuns(readFileRecords(FIXTURE));
  const a = analyzeRun(runs[0]!, quality, { generatedAt: '2026-11-30T00:00:00Z' });
  const files = await renderReport(a, ['md', 'json']);
  return { a, md: String(files.find((f) => f.name === 'report.md')!.data), files };
}

test('the trainer\'s evaluation events are valid, the matrix sums to the set and its diagonal is run_end\'s test accuracy', () => {
  for (const e of events) assert.equal(validateEvent(e).ok, true);
  const m = final.confusion_matrix;
  assert.equal(m.flat().reduce((x, y) => x + y, 0), final.size);
  assert.equal(final.size, 10000);
  const runEnd = events.find((e) => e.event === 'run_end');
  assert.equal(m.reduce((s, row, i) => s + row[i]!, 0) / final.size, runEnd.test_accuracy);
  assert.equal(final.calibration!.reduce((s, b) => s + b.count, 0), final.size);
  assert.equal(final.most_confident_wrong!.length, 25);
  assert.equal(events.filter((e) => e.event === 'evaluation' && e.scope === 'epoch').length, 1);
});

test('report: per-digit table, confused pairs, ECE and charts all match the event', async () => {
  const { a, md, files } = await report();
  const m = final.confusion_matrix;
  for (let d = 0; d < 10; d++) {
    const support = m[d]!.reduce((x, y) => x + y, 0);
    const predicted = m.reduce((s, row) => s + row[d]!, 0);
    const recall = m[d]![d]! / support;
    const precision = m[d]![d]! / predicted;
    const row = md.slice(md.indexOf('## Evaluation')).split('\n').find((l) => l.startsWith(`| ${d} | `))!;
    const cells = row.split('|').map((c) => c.trim());
    assert.equal(cells[2], support.toLocaleString('en-US'), `support of ${d}`);
    assert.equal(cells[3], fmtPct(precision), `precision of ${d}`);
    assert.equal(cells[4], fmtPct(recall), `recall of ${d}`);
    assert.equal(cells[6], fmtPct((2 * precision * recall) / (precision + recall)), `F1 of ${d}`);
  }
  // the most frequent off-diagonal cell, in words
  let top = { i: 0, j: 0, n: -1 };
  m.forEach((row, i) => row.forEach((n, j) => { if (i !== j && n > top.n) top = { i, j, n }; }));
  const share = top.n / m[top.i]!.reduce((x, y) => x + y, 0);
  assert.ok(md.includes(`- ${top.i} read as ${top.j}: ${top.n} times, ${fmtPct(share, 1)} of the ${top.i}s`), 'top confused pair');
  const n = final.calibration!.reduce((s, b) => s + b.count, 0);
  const ece = final.calibration!.reduce((s, b) => s + (b.count ? (b.count / n) * Math.abs(b.accuracy! - b.mean_confidence!) : 0), 0);
  assert.ok(md.includes(`Expected calibration error ${fmtPct(ece)}`));
  assert.equal(a.evaluation!.accuracy, events.find((e) => e.event === 'run_end').test_accuracy);
  for (const chart of ['confusion', 'recall', 'reliability', 'wrong-digits']) {
    assert.ok(files.some((f) => f.name === `${chart}.png`), `${chart}.png`);
    assert.ok(md.includes(`](${chart}.svg)`), `${chart} in report.md`);
  }
  const check = a.checks.find((c) => c.id === 'evaluation.recall')!;
  assert.equal(check.status, a.evaluation!.weak_classes.length ? 'warn' : 'pass');
});

test('gates: min_recall and ece read the evaluation; a log without one fails them rather than passing', async () => {
  const { a } = await report();
  const rules = parseGateRules([{ text: 'min_recall<0.95', origin: '--fail-on' }, { text: 'ece>0.05', origin: '--fail-on' }, { text: 'min_recall<0.5', origin: '--fail-on' }]);
  const g = evaluateGates(a, rules);
  assert.deepEqual(g.results.map((r) => [r.rule, r.status, r.value]), [
    ['min_recall<0.95', 'fail', a.evaluation!.min_recall],
    ['ece>0.05', 'fail', a.evaluation!.calibration!.ece],
    ['min_recall<0.5', 'pass', a.evaluation!.min_recall],
  ]);
  assert.match(g.results[0]!.message, /Lowest per-class recall of the evaluation \d+\.\d\d% is below 95\.00%/);
  const none = evaluateGates({ ...a, evaluation: null }, rules);
  assert.deepEqual(none.results.map((r) => r.status), ['fail', 'fail', 'fail']);
});
