// A log that holds scikit-learn's printed evaluation and no training epochs (a script that fits an
// SVM and prints its confusion matrix): something to judge, not a failed training run or bad input.
// The built bin, on the capture as a file and in a log group of the CloudWatch test server.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloudWatchServer, type CloudWatchServer } from '../support/cloudwatch-server.js';
import { childEnv } from '../support/cloudwatch-sdk.js';
import { runBin, REPORT_BIN, ROOT } from '../support/cloudwatch-cli.js';
import { safeRunId } from '../../src/render/escape.js';
import { runLines } from '../support/cloudwatch-runs.js';

const G = '/ecs/sklearn';
const T0 = Date.UTC(2026, 10, 20);
const FIXTURE = join(ROOT, 'fixtures/sklearn-svm-confusion-matrix.log');
const STREAM = 'ecs/svm/1';
/** A log group of two mnist-train runs and, started after both, the SVM's evaluation alone. */
const MIXED = '/ecs/mixed';
/** The real mnist-train capture: its final evaluation alone is a healthy evaluation-only log. */
const TRAIN = join(ROOT, 'fixtures/mnist-train-5epochs.jsonl');
/** Hand-written bad input: what a crashed script leaves after its output. */
const TRACEBACK = ['Traceback (most recent call last):', '  File "evaluate.py", line 88, in <module>', '    main()',
  'OSError: [Errno 28] No space left on device'];
let server: CloudWatchServer;
let tmp: string;

before(async () => {
  server = await startCloudWatchServer();
  tmp = await mkdtemp(join(tmpdir(), 'cw-eval-only-'));
  const lines = readFileSync(FIXTURE, 'utf8').split('\n').filter((l) => l.trim());
  server.seed.stream(G, STREAM, lines.map((message, i) => ({ timestamp: T0 + i, message })));
  server.seed.stream(MIXED, 'ecs/t/a', runLines('r-a', 3, T0));
  server.seed.stream(MIXED, 'ecs/t/c', runLines('r-c', 2, T0 + 60_000));
  server.seed.stream(MIXED, STREAM, lines.map((message, i) => ({ timestamp: T0 + 120_000 + i * 1000, message })));
});
after(async () => {
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

interface Report {
  verdict: { level: string; reason: string; findings: { rule: string; check: string | null }[] };
  run: { outcome: string };
  quality: { recognised: number; unrecognised: number; records: number };
  evaluation?: { accuracy: number };
  checks: { id: string; status: string; message: string }[];
}

const ARGS = ['--generated-at', '2026-11-24T00:00:00Z', '-f', 'json'];

async function reportOf(dir: string, runId: string): Promise<Report> {
  return JSON.parse(await readFile(join(dir, safeRunId(runId), 'report.json'), 'utf8')) as Report;
}

function assertEvaluationOnly(a: Report, stderr: string): void {
  assert.equal(a.run.outcome, 'evaluation only');
  // "Confusion matrix:" and "Accuracy=0.985238095238" belong to the evaluation: no line is unread
  assert.deepEqual([a.quality.records, a.quality.recognised, a.quality.unrecognised], [12, 12, 0]);
  assert.notEqual(a.verdict.level, 'failed');
  assert.doesNotMatch(a.verdict.reason, /could not be read|no epoch results/);
  assert.equal(a.evaluation?.accuracy.toFixed(12), '0.985238095238');
  assert.doesNotMatch(stderr, /could not be read|has no epoch results/);
}

test('a scikit-learn-only file: an evaluation without training epochs, judged (exit 0), no line unread', async () => {
  const out = join(tmp, 'file');
  const r = await runBin(REPORT_BIN, ['-i', FIXTURE, '-o', out, ...ARGS], childEnv(server));
  assert.equal(r.code, 0, r.stderr);
  assertEvaluationOnly(await reportOf(out, 'sklearn-svm-confusion-matrix'), r.stderr);
});

test('in a log group, --list and --run latest agree that the stream holds a run', async () => {
  const list = await runBin(REPORT_BIN, ['--log-group', G, '--list', ...ARGS], childEnv(server));
  assert.equal(list.code, 0, list.stderr);
  const rows = JSON.parse(list.stdout) as { run_id: string; outcome: string; epochs: number }[];
  assert.deepEqual(rows.map((x) => [x.run_id, x.outcome, x.epochs]), [[STREAM, 'evaluation only', 0]]);

  const out = join(tmp, 'latest');
  const latest = await runBin(REPORT_BIN, ['--log-group', G, '--run', 'latest', '-o', out, ...ARGS], childEnv(server));
  assert.equal(latest.code, 0, latest.stderr);
  assert.doesNotMatch(latest.stderr, /holds no training run/);
  assertEvaluationOnly(await reportOf(out, STREAM), latest.stderr);
});

test('a traceback after an evaluation alone makes it "needs attention" by its data quality, as it does a training run', async () => {
  const train = readFileSync(TRAIN, 'utf8').split('\n').filter((l) => l);
  const evaluation = train.filter((l) => /"event":"evaluation"/.test(l) && /"scope":"final"/.test(l));
  assert.equal(evaluation.length, 1);
  const write = async (name: string, lines: string[]): Promise<string> => {
    const path = join(tmp, name);
    await writeFile(path, `${lines.join('\n')}\n`);
    return path;
  };
  const judge = async (path: string, out: string): Promise<Report> => {
    const r = await runBin(REPORT_BIN, ['-i', path, '-o', join(tmp, out), ...ARGS], childEnv(server));
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /at .*\.(js|cjs|ts):\d+/);
    return reportOf(join(tmp, out), '20261130T070537Z-f4b168');
  };
  const clean = await judge(await write('evaluation.jsonl', evaluation), 'clean');
  assert.deepEqual([clean.run.outcome, clean.verdict.level], ['evaluation only', 'healthy']);
  assert.equal(clean.checks.find((c) => c.id === 'data.quality')?.status, 'pass');

  const crashed = await judge(await write('evaluation-traceback.jsonl', [...evaluation, ...TRACEBACK]), 'crashed');
  const run = await judge(await write('run-traceback.jsonl', [...train, ...TRACEBACK]), 'run');
  assert.equal(crashed.run.outcome, 'evaluation only');
  assert.equal(run.run.outcome, 'completed');
  for (const a of [crashed, run]) {
    assert.equal(a.verdict.level, 'needs attention');
    assert.deepEqual(a.verdict.findings.map((f) => [f.rule, f.check]), [['data-quality', 'data.quality']]);
    assert.equal(a.checks.find((c) => c.id === 'data.quality')?.status, 'warn');
  }
  // every line of the traceback warns, its line of code ("    main()") too: one block, none of it plain text
  // (an mnist-train run ends at its run_end, an evaluation alone stays one: the outcomes above are unchanged)
  assert.equal(crashed.verdict.reason, `4 unrecognised out of ${evaluation.length + 4} records; see Data Quality.`);
  assert.equal(run.verdict.reason, `4 unrecognised out of ${train.length + 4} records; see Data Quality.`);

  // the scikit-learn capture, already "needs attention" (class 9): the unread lines are a finding too
  const svm = await runBin(REPORT_BIN, ['-i', await write('svm-traceback.log', [...readFileSync(FIXTURE, 'utf8').split('\n').filter((l) => l.trim()), ...TRACEBACK]),
    '-o', join(tmp, 'svm'), ...ARGS], childEnv(server));
  assert.equal(svm.code, 0, svm.stderr);
  const s = await reportOf(join(tmp, 'svm'), 'svm-traceback');
  assert.deepEqual(s.verdict.findings.map((f) => f.rule), ['weak-class', 'data-quality']);
  assert.equal(s.run.outcome, 'evaluation only');
});

test('a log group with an evaluation alone started last: --list, --run latest and the --run all index agree, its start its first event\'s time', async () => {
  const list = await runBin(REPORT_BIN, ['--log-group', MIXED, '--list', '--generated-at', '2026-11-24T00:00:00Z'], childEnv(server));
  assert.equal(list.code, 0, list.stderr);
  assert.deepEqual(list.stdout.trim().split('\n').map((l) => l.split('\t').slice(0, 5)), [
    ['r-a', '2026-11-20T00:00:00.000Z', '2026-11-20T00:00:04.000Z', 'ecs/t/a', 'completed'],
    ['r-c', '2026-11-20T00:01:00.000Z', '2026-11-20T00:01:03.000Z', 'ecs/t/c', 'completed'],
    [STREAM, '2026-11-20T00:02:00.000Z', '2026-11-20T00:02:11.000Z', STREAM, 'evaluation only'],
  ]);

  const latest = await runBin(REPORT_BIN, ['--log-group', MIXED, '--run', 'latest', '-o', join(tmp, 'mixed-latest'), ...ARGS], childEnv(server));
  assert.equal(latest.code, 0, latest.stderr);
  assert.match(latest.stderr, new RegExp(`wrote 1 file to .*\\(run "${STREAM}", evaluation only, 0 epochs\\)`));

  const all = join(tmp, 'mixed-all');
  const r = await runBin(REPORT_BIN, ['--log-group', MIXED, '--run', 'all', '-o', all, ...ARGS], childEnv(server));
  assert.equal(r.code, 0, r.stderr);
  // oldest first as they are written; the index lists the newest first, so it opens with what --run latest reports
  assert.deepEqual([...r.stderr.matchAll(/run (\d)\/3: wrote .*\(run "([^"]+)"/g)].map((m) => m[2]), ['r-a', 'r-c', STREAM]);
  const index = JSON.parse(await readFile(join(all, 'index.json'), 'utf8')) as { runs: { run_id: string }[] };
  assert.deepEqual(index.runs.map((x) => x.run_id), [STREAM, 'r-c', 'r-a']);
});
