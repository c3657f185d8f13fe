// A log that holds scikit-learn's printed evaluation and no training epochs (a script that fits an
// SVM and prints its confusion matrix): something to judge, not a failed training run or bad input.
// The built bin, on the capture as a file and in a log group of the CloudWatch test server.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloudWatchServer, type CloudWatchServer } from '../support/cloudwatch-server.js';
import { childEnv } from '../support/cloudwatch-sdk.js';
import { runBin, REPORT_BIN, ROOT } from '../support/cloudwatch-cli.js';
import { safeRunId } from '../../src/render/escape.js';

const G = '/ecs/sklearn';
const T0 = Date.UTC(2026, 10, 20);
const FIXTURE = join(ROOT, 'fixtures/sklearn-svm-confusion-matrix.log');
const STREAM = 'ecs/svm/1';
let server: CloudWatchServer;
let tmp: string;

before(async () => {
  server = await startCloudWatchServer();
  tmp = await mkdtemp(join(tmpdir(), 'cw-eval-only-'));
  const lines = readFileSync(FIXTURE, 'utf8').split('\n').filter((l) => l.trim());
  server.seed.stream(G, STREAM, lines.map((message, i) => ({ timestamp: T0 + i, message })));
});
after(async () => {
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

interface Report {
  verdict: { level: string; reason: string };
  run: { outcome: string };
  quality: { recognised: number; unrecognised: number; records: number };
  evaluation?: { accuracy: number };
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
