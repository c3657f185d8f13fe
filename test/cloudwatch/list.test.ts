// --list, -o - and --run all's progress, end to end: the built bin against the CloudWatch test server.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloudWatchServer, type CloudWatchServer } from '../support/cloudwatch-server.js';
import { childEnv } from '../support/cloudwatch-sdk.js';
import { runLines } from '../support/cloudwatch-runs.js';
import { runBin, REPORT_BIN, ROOT } from '../support/cloudwatch-cli.js';

const G = '/ecs/list';
const T0 = Date.UTC(2026, 10, 20);
let server: CloudWatchServer;
let tmp: string;

before(async () => {
  server = await startCloudWatchServer();
  tmp = await mkdtemp(join(tmpdir(), 'cw-list-'));
  const span = runLines('r-span', 4, T0 + 60_000);
  server.seed.stream(G, 'ecs/t/a', runLines('r-a', 3, T0));
  server.seed.stream(G, 'ecs/t/b1', span.slice(0, 3)); // run_start, epochs 1-2
  server.seed.stream(G, 'ecs/t/b2', span.slice(3)); // epochs 3-4, run_end
  server.seed.stream(G, 'ecs/t/c', runLines('r-c', 2, T0 + 120_000).slice(0, 2)); // run_start, epoch 1: no end
});
after(async () => {
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

const report = (args: string[]) => runBin(REPORT_BIN, ['--log-group', G, '--generated-at', '2026-11-24T00:00:00Z', ...args], childEnv(server));

test('--list: one line per run on stdout (id, start, end, streams, outcome, epochs, final val accuracy as a percentage), no report written', async () => {
  const out = join(tmp, 'list');
  const r = await report(['--list']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.split('\t')), [
    ['r-a', '2026-11-20T00:00:00.000Z', '2026-11-20T00:00:04.000Z', 'ecs/t/a', 'completed', '3', '91.30%'],
    ['r-span', '2026-11-20T00:01:00.000Z', '2026-11-20T00:01:05.000Z', 'ecs/t/b1,ecs/t/b2', 'completed', '4', '91.40%'],
    ['r-c', '2026-11-20T00:02:00.000Z', '2026-11-20T00:02:01.000Z', 'ecs/t/c', 'incomplete', '1', '91.10%'],
  ]);
  // a folder to write into is not taken in silence: --list writes none
  const withOut = await report(['--list', '--out', out]);
  assert.equal(withOut.code, 2, withOut.stderr);
  assert.equal(withOut.stdout, '');
  assert.equal(withOut.stderr, 'mnist-report: --list prints the runs on stdout and writes no report: --out does not go with it\n');
  assert.equal(existsSync(out), false);
  const json = await report(['--list', '--format', 'json']);
  assert.equal(json.code, 0, json.stderr);
  const rows = JSON.parse(json.stdout) as { run_id: string; outcome: string; epochs: number; streams: string[]; final_val_accuracy: number }[];
  assert.deepEqual(rows.map((x) => [x.run_id, x.outcome, x.epochs, x.streams.length]), [['r-a', 'completed', 3, 1], ['r-span', 'completed', 4, 2], ['r-c', 'incomplete', 1, 1]]);
  // the JSON keeps the fraction (the text lines print it as the report does, a percentage)
  assert.deepEqual(rows.map((x) => x.final_val_accuracy), [0.913, 0.914, 0.911]);
  const file = await runBin(REPORT_BIN, ['--input', join(ROOT, 'fixtures/mnist-train-5epochs.jsonl'), '--list'], childEnv(server));
  assert.equal(file.code, 0, file.stderr);
  assert.ok(file.stdout.trim().split('\n').length >= 1);
  assert.ok(file.stdout.trim().split('\n').every((l) => l.split('\t').length === 7));
  // the report of this fixture says 97.66% (test/ci/report-gates.e2e.test.ts); so does its listing
  assert.deepEqual(file.stdout.trim().split('\n').map((l) => l.split('\t')[6]), ['97.66%']);
});

test('--list at a terminal: a first line names the columns (as --format json names the fields); a pipe gets the runs alone', async () => {
  // util-linux's script(1) gives the bin a terminal as its stdout (bsdutils, part of every Debian)
  const bin = ['node', REPORT_BIN, '--input', join(ROOT, 'fixtures/mnist-train-5epochs.jsonl'), '--list'].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', `${bin} 2>/dev/null`, '/dev/null'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.replace(/\r/g, '').trim().split('\n').map((l) => l.split('\t'));
  assert.deepEqual(lines[0], ['run_id', 'start', 'end', 'streams', 'outcome', 'epochs', 'final_val_accuracy']);
  assert.deepEqual(lines.slice(1).map((l) => [l[0], l[4], l[5], l[6]]), [['20261130T070537Z-f4b168', 'completed', '5', '97.66%']]);
  const json = await report(['--list', '--format', 'json']);
  assert.deepEqual(Object.keys((JSON.parse(json.stdout) as object[])[0]!), lines[0]);
  // through a pipe (runBin), the first line is a run's
  const piped = await runBin(REPORT_BIN, ['--input', join(ROOT, 'fixtures/mnist-train-5epochs.jsonl'), '--list'], childEnv(server));
  assert.match(piped.stdout, /^20261130T070537Z-f4b168\t/);
});

test('-o -: one text document on stdout, nothing on disk; other formats or --run all are a usage error', async () => {
  const r = await report(['--run', 'r-span', '-f', 'json', '-o', '-']);
  assert.equal(r.code, 0, r.stderr);
  const a = JSON.parse(r.stdout) as { run: { run_id: string }; epochs: unknown[] };
  assert.deepEqual([a.run.run_id, a.epochs.length], ['r-span', 4]);
  assert.equal(existsSync(join(ROOT, '-')), false);
  const md = await report(['-f', 'md', '-o', '-']);
  assert.equal(md.code, 0, md.stderr);
  assert.match(md.stdout, /^# /);
  // summary.md has no links to chart files, so it is whole on stdout (a CI job summary)
  const summary = await report(['-f', 'summary', '-o', '-']);
  assert.equal(summary.code, 0, summary.stderr);
  assert.match(summary.stdout, /^### .*: (✅ healthy|⚠️ needs attention|❌ failed)\n/);
  assert.doesNotMatch(summary.stdout, /\]\([^)#]+\.(svg|png)\)/);
  for (const args of [['-f', 'md,json', '-o', '-'], ['--run', 'all', '-f', 'json', '-o', '-']]) {
    const bad = await report(args);
    assert.equal(bad.code, 2);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /^mnist-report: -o - writes one /m);
  }
});

test('--run all says where it is on stderr: run i/N', async () => {
  const out = join(tmp, 'all');
  const r = await report(['--run', 'all', '-f', 'json', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stderr.match(/run \d+\/\d+/g), ['run 1/3', 'run 2/3', 'run 3/3']);
  assert.equal((await readdir(out)).filter((f) => f.startsWith('r-')).length, 3);
});
