// Must show: each bad input ends in a clear one-line message (exit 2) or a report
// that says what is wrong, and nothing is ever written outside --out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles, runReport, sandbox } from './report-cli.js';

const GEN = ['--generated-at', '2026-11-24T00:00:00Z'];

async function report(fixture: string) {
  const box = sandbox();
  const r = await runReport(['--input', `fixtures/bad/${fixture}`, '--out', box.out, ...GEN]);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.deepEqual(readdirSync(box.dir), r.code === 2 && !r.stderr.includes('wrote') ? [] : ['out'], 'nothing outside --out');
  return { ...r, ...box };
}

const lastLine = (s: string): string => s.trim().split('\n').pop() ?? '';

test('empty file: one clear line, exit 2, nothing written', async () => {
  const r = await report('empty.log');
  assert.equal(r.code, 2);
  assert.match(lastLine(r.stderr), /^mnist-report: no training run found in fixtures\/bad\/empty\.log: 0 records/);
});

test('binary garbage: one clear line naming the unusable data, exit 2', async () => {
  const r = await report('garbage.bin');
  assert.equal(r.code, 2);
  assert.match(lastLine(r.stderr), /^mnist-report: no training run found in fixtures\/bad\/garbage\.bin: \d+ records, 0 recognised/);
});

test('no epoch events: a report that says so, exit 2', async () => {
  const r = await report('no-epochs.jsonl');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /run "no-epochs" has no epoch results/);
  const md = readFileSync(join(r.out, 'no-epochs', 'report.md'), 'utf8');
  assert.match(md, /The log holds no epoch metrics for this run/);
  assert.match(md, /❌ fail \| Run status/);
  assert.deepEqual(listFiles(r.out), ['no-epochs/report.html', 'no-epochs/report.json', 'no-epochs/report.md']);
});

test('stopped after epoch 2: report says incomplete after epoch 2 of 5', async () => {
  const r = await report('stopped-after-epoch-2.jsonl');
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(readFileSync(join(r.out, 'stopped', 'report.json'), 'utf8'));
  assert.equal(json.run.outcome, 'incomplete');
  const md = readFileSync(join(r.out, 'stopped', 'report.md'), 'utf8');
  assert.match(md, /⚠️ warn \| Run status .* The log has no run\\_end event: the run stopped, crashed or its log was cut after epoch 2 of 5\./);
});

test('NaN loss: the finite-metrics and divergence checks fail and say where; the failed verdict exits 3', async () => {
  const r = await report('nan-loss.jsonl');
  assert.equal(r.code, 3, r.stderr); // the default gate "failed": a NaN run must not exit 0
  assert.match(r.stderr, /verdict for run "nan-loss": failed: Metrics became NaN or Infinity/);
  assert.match(r.stderr, /1 quality gate failed for run nan-loss: failed \(failed\)/);
  const json = JSON.parse(readFileSync(join(r.out, 'nan-loss', 'report.json'), 'utf8'));
  const finite = json.checks.find((c: { id: string }) => c.id === 'metrics.finite');
  assert.equal(finite.status, 'fail');
  assert.match(finite.message, /^Non-finite metrics \(NaN or Infinity, written as null\) in epoch \d/);
  const md = readFileSync(join(r.out, 'nan-loss', 'report.md'), 'utf8');
  assert.match(md, /❌ fail \| Finite metrics/);
  assert.match(md, /\| n\/a \|/);
});

test('hostile run id (../ and <script>): a safe folder inside --out, escaped everywhere', async () => {
  const r = await report('hostile-run-id.jsonl');
  assert.equal(r.code, 0, r.stderr);
  const files = listFiles(r.out);
  const folders = [...new Set(files.map((f) => f.split('/')[0]))];
  assert.equal(folders.length, 1);
  assert.match(folders[0]!, /^[A-Za-z0-9][A-Za-z0-9._-]*-[0-9a-f]{8}$/);
  const md = readFileSync(join(r.out, folders[0]!, 'report.md'), 'utf8');
  const html = readFileSync(join(r.out, folders[0]!, 'report.html'), 'utf8');
  assert.ok(!md.includes('<script>') && !html.includes('<script>'));
  assert.ok(md.includes('../../etc/&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(html.includes('../../etc/&lt;script&gt;alert(1)&lt;/script&gt;'));
});

test('restarted task: duplicate epochs reported', async () => {
  const r = await report('restarted-task.jsonl');
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(readFileSync(join(r.out, 'restarted', 'report.json'), 'utf8'));
  assert.ok(json.quality.duplicate_epochs.length > 0);
  assert.equal(json.checks.find((c: { id: string }) => c.id === 'epochs.sequence').status, 'warn');
  assert.match(readFileSync(join(r.out, 'restarted', 'report.md'), 'utf8'), /logged more than once \(a restarted task\?\)/);
});

test('a missing input file and bad flags: one line, exit 2', async () => {
  for (const args of [['--input', 'fixtures/bad/does-not-exist.jsonl'], ['--bogus'], ['--input', 'x', '--format', 'pdf'],
    ['--input', 'x', '--generated-at', 'yesterday'], []]) {
    const box = sandbox();
    const r = await runReport([...args, '--out', box.out]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').filter((l) => !l.startsWith('mnist-report: reading')).length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.deepEqual(readdirSync(box.dir), []);
  }
});
