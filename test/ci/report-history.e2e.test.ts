// End to end: the real mnist-report bin (dist/, built by `npm test`) with --history over a log
// of 25 runs made from the real trainer fixture (test/support/history-runs.ts): the last run
// regresses (gate below_history exits 3) or stays within the band (exit 0).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST_BIN, ROOT, runReport, type CliResult } from '../e2e/report-cli.js';
import { historyLog } from '../support/history-runs.js';

const AT = '2026-11-30T12:00:00Z';
const LAST = 'hist-25';

let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'report-history-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

function report(...args: string[]): Promise<CliResult> {
  return runReport(['--generated-at', AT, ...args], { bin: DIST_BIN });
}

interface HistoryJson {
  history: {
    runs: { run_id: string }[]; position: string | null; summary: string;
    bands: { val_accuracy: { n: number; median: number; low: number; high: number; position: string } };
    changes: { against: string; run_id: string; settings: { setting: string; baseline: string; current: string }[] }[];
  };
  gates: { results: { rule: string; status: string }[] };
  next_steps: string[];
}

test('25 runs, the last regresses: History section, trend chart, and --fail-on below_history exits 3', async () => {
  const input = join(dir, 'regressed.jsonl');
  await writeFile(input, historyLog(ROOT, {
    runs: 25,
    final: (i) => (i === 24 ? { val_accuracy: 0.965, val_loss: 0.101 } : null),
    config: (i) => (i === 24 ? { learning_rate: 0.01 } : null),
  }));
  const out = join(dir, 'regressed');
  const r = await report('--input', input, '--out', out, '--history', '--fail-on', 'below_history');
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /mnist-report: Final validation accuracy 96\.50% is below the band of the previous 20 runs of model mlp, /);
  assert.match(r.stderr, new RegExp(`1 quality gate failed for run ${LAST}: below_history \\(96\\.50%\\)`));

  const json = JSON.parse(await readFile(join(out, LAST, 'report.json'), 'utf8')) as HistoryJson;
  const h = json.history;
  assert.deepEqual(h.runs.map((x) => x.run_id), Array.from({ length: 20 }, (_, i) => `hist-${String(i + 5).padStart(2, '0')}`));
  assert.equal(h.position, 'below');
  assert.equal(h.bands.val_accuracy.n, 20);
  // the runs' spread (3 × 1.4826 × MAD) widened by this run's sampling noise (half its 95% interval, 0.36 pp at 96.50%)
  assert.ok(h.bands.val_accuracy.low > 0.965 && h.bands.val_accuracy.high < 0.99, JSON.stringify(h.bands.val_accuracy));
  assert.deepEqual(h.changes.map((c) => [c.against, c.settings.map((s) => `${s.setting} ${s.baseline} → ${s.current}`)]),
    [['previous', ['learning rate 0.001 → 0.01']], ['best', ['learning rate 0.001 → 0.01']]]);
  // below the band is a next step too, naming the runs to compare with and what changed against them
  const best = h.changes.find((c) => c.against === 'best')!.run_id;
  assert.match(json.next_steps.at(-1)!, new RegExp('^Final validation accuracy 96\\.50% is below the band of the previous 20 runs, 9\\d\\.\\d\\d% to 9\\d\\.\\d\\d% with median 97\\.\\d\\d%: ' +
    "compare this run's Training Configuration with the earlier runs' under History\\. " +
    `Against the previous run hist-24, learning rate 0\\.001 → 0\\.01 differs; against the best run ${best}, learning rate 0\\.001 → 0\\.01 differs\\.$`));

  const md = await readFile(join(out, LAST, 'report.md'), 'utf8');
  const at = md.indexOf('## History');
  assert.ok(at > 0 && at < md.indexOf('## Overview'), 'the History section sits near the top');
  assert.match(md, /!\[This run against the previous 20 runs of model mlp: .*\]\(history\.svg\)/);
  assert.match(md, /\| Final validation accuracy \| 96\.50% \| 9\d\.\d\d% to 9\d\.\d\d% \(median 97\.\d\d%\) \| 20 \| below \|/);
  assert.match(md, /\| Setting \| Previous run hist-24 \| Best run hist-\d\d \| This run \|\n\| --- \| --- \| --- \| --- \|\n\| learning rate \| 0\.001 \| 0\.001 \| 0\.01 \|/);
  const html = await readFile(join(out, LAST, 'report.html'), 'utf8');
  assert.match(html, /<h2 id="history">History<\/h2>/);
  assert.match(html, /<figure id="chart-history">\n<svg [^>]*role="img"/);
  for (const f of ['history.svg', 'history.png']) assert.ok((await stat(join(out, LAST, f))).size > 1000, f);
  const svg = await readFile(join(out, LAST, 'history.svg'), 'utf8');
  assert.match(svg, /<title>this run, hist-25: final validation accuracy 96\.50%<\/title>/);
  assert.match(svg, /aria-roledescription="rect mark"/, 'the band is drawn');
});

test('25 runs, the last within the band: exit 0, "inside", the gate passes', async () => {
  const input = join(dir, 'normal.jsonl');
  await writeFile(input, historyLog(ROOT, { runs: 25 }));
  const out = join(dir, 'normal');
  const r = await report('--input', input, '--out', out, '--history', '24', '--fail-on', 'below_history', '--format', 'json,summary');
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(await readFile(join(out, LAST, 'report.json'), 'utf8')) as HistoryJson;
  assert.equal(json.history.runs.length, 24);
  assert.equal(json.history.position, 'inside');
  assert.deepEqual(json.gates.results.map((g) => [g.rule, g.status]), [['failed', 'pass'], ['below_history', 'pass']]);
  assert.match(await readFile(join(out, LAST, 'summary.md'), 'utf8'), /\*\*History:\*\* Final validation accuracy 97\.\d\d% is inside the band of the previous 24 runs/);
});

test('--history takes a whole number; a bad one is one line, exit 2', async () => {
  const r = await report('--input', join(ROOT, 'fixtures/mnist-train-5epochs.jsonl'), '--out', join(dir, 'bad'), '--history', 'ten');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^mnist-report: --history "ten": give a whole number of earlier runs from 1 to 10000 \(default 20\)/);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
});

test('--history 2 of 6 runs: says N was too small and what to give, not that the input has only 2', async () => {
  const input = join(dir, 'six.jsonl');
  await writeFile(input, historyLog(ROOT, { runs: 6 }));
  const out = join(dir, 'six');
  const r = await report('--input', input, '--out', out, '--history', '2', '--format', 'md');
  assert.equal(r.code, 0, r.stderr);
  const said = '--history 2 compares with 2 earlier completed runs of model mlp; a band needs at least 3 ' +
    '(the input has 5 earlier runs of that model: give --history 3 or more), so this run is not compared with its history.';
  assert.ok(r.stderr.includes(`mnist-report: ${said}`), r.stderr);
  const md = await readFile(join(out, 'hist-06', 'report.md'), 'utf8');
  assert.ok(md.includes(`## History\n\n${said}`), md.slice(md.indexOf('## History'), md.indexOf('## History') + 400));
  // the table of the runs compared names their count in the right number (it said "The 2 runs", and "The 1 runs")
  assert.ok(md.includes('<details><summary>The 2 runs compared (model mlp), oldest first</summary>'), md);
  const one = join(dir, 'six-1');
  assert.equal((await report('--input', input, '--out', one, '--history', '1', '--format', 'md,html')).code, 0);
  assert.ok((await readFile(join(one, 'hist-06', 'report.md'), 'utf8')).includes('<details><summary>The 1 run compared (model mlp), oldest first</summary>'));
  assert.ok((await readFile(join(one, 'hist-06', 'report.html'), 'utf8')).includes('<details><summary>The 1 run compared (model mlp), oldest first</summary>'));
});

test('--fail-on below_history on a log that names no model: the gate fails (not judged), exit 3, not "Both quality gates passed."', async () => {
  const out = join(dir, 'no-model');
  const r = await report('-i', join(ROOT, 'fixtures/formats/keras1-verbose2.log'), '--history', '--fail-on', 'below_history',
    '--run', 'keras1-verbose2-fit2', '-o', out, '--format', 'json');
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /mnist-report: 1 quality gate failed for run keras1-verbose2-fit2: below_history \(not judged\)/);
  assert.doesNotMatch(r.stderr, /quality gates passed/);
  const json = JSON.parse(await readFile(join(out, 'keras1-verbose2-fit2', 'report.json'), 'utf8')) as { gates: { results: { rule: string; status: string; message: string }[] } };
  const gate = json.gates.results.find((g) => g.rule === 'below_history')!;
  assert.equal(gate.status, 'fail');
  assert.match(gate.message, /does not name this run's model.*The gate cannot pass: without a model to match earlier runs by/);
});
