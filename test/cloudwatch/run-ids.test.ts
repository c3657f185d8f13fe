// Run ids on a log group, end to end (the built bin against the CloudWatch test server, through
// the real AWS SDK): a --baseline run id is read from the log group whatever --run reads, and
// every id --list prints is one --run can read (a text run's id is its stream's name, -fitN its
// N-th fit in that stream).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloudWatchServer, type CloudWatchServer } from '../support/cloudwatch-server.js';
import { childEnv } from '../support/cloudwatch-sdk.js';
import { toFilterLogEvents } from '../support/to-filter-log-events.js';
import { problemLines, runBin, REPORT_BIN, ROOT } from '../support/cloudwatch-cli.js';
import { safeRunId } from '../../src/render/escape.js';

const G = '/ecs/mnist-training';
const REPORTED = '20261130T070537Z-f4b168'; // the CloudWatch example fixture's run (the latest)
const BASELINE = '20261130T044123Z-27761c'; // fixtures/mnist-train-1epoch-evaluation.jsonl, earlier the same day
const TEXT_STREAM = 'keras/job-1'; // a Keras 1 capture: four fit() calls, four runs
let server: CloudWatchServer;
let tmp: string;

before(async () => {
  server = await startCloudWatchServer();
  tmp = await mkdtemp(join(tmpdir(), 'cw-run-ids-'));
  const example = JSON.parse(readFileSync(join(ROOT, 'fixtures/cloudwatch-filter-log-events.json'), 'utf8')) as { events: { logStreamName: string; timestamp: number; message: string }[] };
  const earlier = toFilterLogEvents(readFileSync(join(ROOT, 'fixtures/mnist-train-1epoch-evaluation.jsonl'), 'utf8').split('\n'));
  for (const e of [...earlier.events, ...example.events]) server.seed.stream(G, e.logStreamName, [{ timestamp: e.timestamp, message: e.message }]);
  // the day before, so that the latest run stays the example's
  const keras = readFileSync(join(ROOT, 'fixtures/formats/keras1-verbose2.log'), 'utf8').split('\n').filter((l) => l !== '');
  const t0 = Date.UTC(2026, 10, 29);
  server.seed.stream(G, TEXT_STREAM, keras.map((message, i) => ({ timestamp: t0 + i * 1000, message })));
});
after(async () => {
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

/** What the user is told went wrong: stderr without progress, what is read and the read's counts. */
const problems = (stderr: string): string[] => problemLines(stderr).filter((l) => !/^mnist-report: ([\d,]+ records?, |reading )/.test(l));

const report = (args: string[]) => runBin(REPORT_BIN, ['--log-group', G, '--generated-at', '2026-12-01T00:00:00Z', ...args], childEnv(server));

interface Report { run: { run_id: string }; baseline?: { source: string; run_id?: string } & Record<string, unknown>; epochs: unknown[] }

/** The report.json of `runId` written under `out`. */
async function reportJson(out: string, runId: string): Promise<Report> {
  return JSON.parse(await readFile(join(out, safeRunId(runId), 'report.json'), 'utf8')) as Report;
}

/** The one report.json -o - prints. */
async function stdoutReport(args: string[]): Promise<Report> {
  const r = await report([...args, '-f', 'json', '-o', '-', '--no-verdict-gate']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Report;
}

test('--baseline RUN_ID with --run latest or --run ID reads that run from the log group: the same deltas as --run all gives', async () => {
  const out = join(tmp, 'all');
  const all = await report(['--run', 'all', '--baseline', BASELINE, '-f', 'json', '--out', out, '--no-verdict-gate']);
  assert.equal(all.code, 0, all.stderr);
  const expected = (await reportJson(out, REPORTED)).baseline;
  assert.ok(expected, 'the --run all report has a baseline section');
  for (const run of [[], ['--run', 'latest'], ['--run', REPORTED]]) {
    const a = await stdoutReport([...run, '--baseline', BASELINE]);
    assert.equal(a.run.run_id, REPORTED);
    assert.deepEqual(a.baseline, expected, `${run.join(' ')}`);
  }
  // --since after the baseline run: the window chooses the reported run, not the baseline, which is read whole
  const windowed = await stdoutReport(['--since', '2026-11-30T06:00:00Z', '--until', '2026-12-01T00:00:00Z', '--baseline', BASELINE]);
  assert.equal(windowed.run.run_id, REPORTED);
  assert.deepEqual(windowed.baseline, expected);
  // --follow hands over the followed run alone: the baseline run is read before
  const followed = join(tmp, 'follow');
  const f = await report(['--follow', '--poll-interval', '0.2', '--run', REPORTED, '--baseline', BASELINE, '-f', 'json', '--out', followed, '--no-verdict-gate']);
  assert.equal(f.code, 0, f.stderr);
  assert.deepEqual((await reportJson(followed, REPORTED)).baseline, expected);
});

test('--baseline naming a text run (its stream, -fitN) reads that stream', async () => {
  const out = join(tmp, 'all-text');
  const all = await report(['--run', 'all', '--baseline', `${TEXT_STREAM}-fit2`, '-f', 'json', '--out', out, '--no-verdict-gate']);
  assert.equal(all.code, 0, all.stderr);
  const expected = (await reportJson(out, REPORTED)).baseline;
  assert.ok(expected);
  assert.deepEqual((await stdoutReport(['--run', REPORTED, '--baseline', `${TEXT_STREAM}-fit2`])).baseline, expected);
});

test('--baseline naming no run of the log group: exit 2, one line that names the log group', async () => {
  const r = await report(['--baseline', '20261130T000000Z-000000', '-f', 'json', '-o', '-']);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  const told = problems(r.stderr);
  assert.equal(told.length, 1, r.stderr);
  assert.match(told[0]!, new RegExp(`--baseline 20261130T000000Z-000000: no run with that id in log group ${G}`));
  assert.doesNotMatch(told[0]!, /at .*\.js:\d+/);
  // read whole (--run all), the log group's runs are named
  const all = await report(['--run', 'all', '--baseline', '20261130T000000Z-000000', '-f', 'json', '--out', join(tmp, 'none')]);
  assert.equal(all.code, 2, all.stderr);
  assert.match(all.stderr, new RegExp(`--baseline 20261130T000000Z-000000: no run with that id in log group ${G}, and no file of that name \\((the last \\d+ of \\d+ )?runs in log group ${G}: .*${REPORTED}`));
});

test('every run id --list prints is one --run reads on the same log group, listed the same way', async () => {
  const listing = await report(['--list']);
  assert.equal(listing.code, 0, listing.stderr);
  const lines = listing.stdout.trim().split('\n');
  const ids = lines.map((l) => l.split('\t')[0]!);
  // the Keras capture's four fit() calls are runs named by their stream, and both mnist-train runs
  assert.deepEqual(ids.filter((id) => id.startsWith(TEXT_STREAM)), [TEXT_STREAM, `${TEXT_STREAM}-fit2`, `${TEXT_STREAM}-fit3`, `${TEXT_STREAM}-fit4`]);
  assert.ok(ids.includes(REPORTED) && ids.includes(BASELINE));
  for (const [i, id] of ids.entries()) {
    const one = await report(['--list', '--run', id]);
    assert.equal(one.code, 0, `${id}: ${one.stderr}`);
    assert.equal(one.stdout, `${lines[i]}\n`, id);
    const a = await stdoutReport(['--run', id]);
    assert.equal(a.run.run_id, id);
    assert.ok(a.epochs.length > 0, id);
  }
  // ...and the same report as --log-stream gives for that stream's first fit
  assert.deepEqual(await stdoutReport(['--run', TEXT_STREAM]), await stdoutReport(['--log-stream', TEXT_STREAM, '--run', TEXT_STREAM]));
});

test('--run naming neither a run id nor a stream: exit 2, one line saying how to find the ids (--list) or read a stream (--log-stream)', async () => {
  for (const args of [['--run', 'keras/job-9'], ['--list', '--run', 'keras/job-9']]) {
    const r = await report([...args, '-f', 'json', '-o', '-']);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    const told = problems(r.stderr);
    assert.equal(told.length, 1, r.stderr);
    assert.match(told[0]!, /keras\/job-9/);
    assert.match(told[0]!, /--list/);
    assert.match(told[0]!, /--log-stream/);
  }
  // a fit the stream does not have: the runs the stream holds are named
  const r = await report(['--run', `${TEXT_STREAM}-fit9`, '-f', 'json', '-o', '-']);
  assert.equal(r.code, 2, r.stderr);
  const q = (id: string): string => JSON.stringify(id);
  assert.deepEqual(problems(r.stderr), [`mnist-report: run ${q(`${TEXT_STREAM}-fit9`)} not found; runs in the input: ${['', '-fit2', '-fit3', '-fit4'].map((f) => q(`${TEXT_STREAM}${f}`)).join(', ')}`]);
});
