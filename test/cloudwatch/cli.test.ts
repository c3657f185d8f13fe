// End to end: the built bins against the CloudWatch test server (npm test builds dist/ first).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloudWatchServer, type CloudWatchServer } from '../support/cloudwatch-server.js';
import { childEnv } from '../support/cloudwatch-sdk.js';
import { runLines, seedRuns } from '../support/cloudwatch-runs.js';
import { runBin, problemLines, REPORT_BIN, TRAIN_BIN, ROOT } from '../support/cloudwatch-cli.js';

let server: CloudWatchServer;
let tmp: string;
const AT = '2026-11-24T00:00:00Z';
const T0 = Date.UTC(2026, 10, 20);

before(async () => {
  server = await startCloudWatchServer();
  tmp = await mkdtemp(join(tmpdir(), 'cw-cli-'));
});
after(async () => {
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

async function readTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out[path.slice(dir.length)] = await readFile(path, 'utf8');
    }
  }
  return out;
}

type Row = { epoch: number; loss: number | null; accuracy: number | null; val_loss: number | null; val_accuracy: number | null };
const row = (e: Row): Row => ({ epoch: e.epoch, loss: e.loss, accuracy: e.accuracy, val_loss: e.val_loss, val_accuracy: e.val_accuracy });

async function reportEpochs(dir: string): Promise<Row[]> {
  const [folder] = await readdir(dir);
  const analysis = JSON.parse(await readFile(join(dir, folder!, 'report.json'), 'utf8')) as { epochs: Row[] };
  return analysis.epochs.map(row);
}

test('round trip: mnist-train ships to the server, mnist-report --log-group gives the epoch table of its stdout', async () => {
  const G = '/ecs/mnist-training';
  const train = await runBin(TRAIN_BIN, ['--epochs', '2', '--train-samples', '2000', '--validation-samples', '1000', '--log-group', G, '--endpoint-url', server.url], childEnv(server));
  assert.equal(train.code, 0, train.stderr);
  const lines = train.stdout.trim().split('\n');
  const events = lines.map((l) => JSON.parse(l) as Row & { event: string; run_id: string });
  const streams = [...server.store.groups.get(G)!.streams.keys()];
  assert.deepEqual(streams, [`mnist-train/${events[0]!.run_id}`]);
  assert.deepEqual(server.events(G, streams[0]!).map((e) => e.message), lines); // shipped exactly what stdout has

  const cloudOut = join(tmp, 'rt-cloud');
  const rep = await runBin(REPORT_BIN, ['--log-group', G, '--endpoint-url', server.url, '--out', cloudOut, '--format', 'json', '--generated-at', AT], childEnv(server));
  assert.equal(rep.code, 0, rep.stderr);
  const fromStdout = events.filter((e) => e.event === 'epoch_end').map(row);
  assert.equal(fromStdout.length, 2);
  assert.deepEqual(await reportEpochs(cloudOut), fromStdout);

  // ...and the same table as a report of the saved stdout.
  const file = join(tmp, 'rt.jsonl');
  await writeFile(file, train.stdout);
  const localOut = join(tmp, 'rt-local');
  const local = await runBin(REPORT_BIN, ['--input', file, '--out', localOut, '--format', 'json', '--generated-at', AT], childEnv(server));
  assert.equal(local.code, 0, local.stderr);
  assert.deepEqual(await reportEpochs(localOut), await reportEpochs(cloudOut));
});

test('with every third call throttled, one HTTP 500 and empty pages the reports are identical', async () => {
  const G = '/ecs/faults';
  seedRuns(server, G, 8, 5, T0);
  const env = childEnv(server);
  const report = async (name: string, run: string): Promise<Record<string, string>> => {
    const out = join(tmp, name);
    const r = await runBin(REPORT_BIN, ['--log-group', G, '--run', run, '--out', out, '--format', 'json,md', '--generated-at', AT], env);
    assert.equal(r.code, 0, r.stderr);
    return readTree(out);
  };
  server.store.filterScanBudget = 20; // several FilterLogEvents pages, some naturally empty
  server.resetCalls();
  const clean = { latest: await report('clean-latest', 'latest'), all: await report('clean-all', 'all') };
  const cleanCalls = server.totalCalls();
  server.faults.throttleEvery(3);
  server.faults.failOnce();
  server.faults.emptyPages(4);
  server.resetCalls();
  const faulty = { latest: await report('faulty-latest', 'latest'), all: await report('faulty-all', 'all') };
  server.faults.clear();
  assert.ok(server.totalCalls() > cleanCalls, `faults cost extra calls: ${server.totalCalls()} vs ${cleanCalls}`);
  assert.ok(Object.keys(clean.all).length > 8 * 2);
  assert.deepEqual(faulty, clean);
});

test('a permanent failure writes no report, exits non-zero and says so in one line', async () => {
  const G = '/ecs/broken';
  seedRuns(server, G, 5, 3, T0);
  const cases: { name: string; setup: () => void; args: string[]; group?: string; env?: Record<string, string>; unset?: string[]; code: number; line: RegExp }[] = [
    { name: 'denied', setup: () => server.faults.error('AccessDeniedException', { op: 'GetLogEvents' }), args: [], code: 2,
      line: /^mnist-report: reading log group \/ecs\/broken: access denied; the caller needs logs:GetLogEvents on the log group \(User: .*\)$/ },
    { name: 'half-way', setup: () => server.faults.error('ServiceUnavailableException', { op: 'FilterLogEvents', status: 503, after: 2 }),
      args: ['--run', 'all'], env: { AWS_MAX_ATTEMPTS: '2' }, code: 1,
      line: /^mnist-report: reading log group \/ecs\/broken: CloudWatch Logs failed with HTTP 503 after 2 attempts \(ServiceUnavailableException: .*\)$/ },
    { name: 'missing', setup: () => {}, args: [], group: '/ecs/nope', code: 2,
      line: /^mnist-report: reading log group \/ecs\/nope: log group \/ecs\/nope does not exist \(check the name and --region\)$/ },
    { name: 'no-region', setup: () => {}, args: [], env: { AWS_CONFIG_FILE: '/nonexistent' }, unset: ['AWS_REGION', 'AWS_DEFAULT_REGION'], code: 2,
      line: /^mnist-report: reading log group \/ecs\/broken: no AWS region \(pass --region or set AWS_REGION\)$/ },
  ];
  for (const c of cases) {
    server.faults.clear();
    server.store.filterScanBudget = 5;
    c.setup();
    const out = join(tmp, `fail-${c.name}`);
    const env = childEnv(server, c.env);
    for (const k of c.unset ?? []) delete env[k];
    const r = await runBin(REPORT_BIN, ['--log-group', c.group ?? G, '--out', out, '--format', 'json,md', ...c.args], env);
    assert.equal(r.code, c.code, `${c.name}: ${r.stderr}`);
    const problems = problemLines(r.stderr);
    assert.equal(problems.length, 1, `${c.name}: ${r.stderr}`);
    assert.match(problems[0]!, c.line);
    assert.deepEqual(await readTree(out), {}, `${c.name}: no report file`);
    assert.equal(r.stdout, '');
  }
  server.faults.clear();
  server.store.filterScanBudget = 20_000;
});

test('--run latest in a log group of 2,000 streams makes at most 3 API calls', async () => {
  const G = '/ecs/big';
  const { latestRun } = seedRuns(server, G, 2000, 5, T0);
  server.resetCalls();
  const out = join(tmp, 'big');
  const r = await runBin(REPORT_BIN, ['--log-group', G, '--run', 'latest', '--out', out, '--format', 'json', '--generated-at', AT], childEnv(server));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(server.calls, { DescribeLogStreams: 1, GetLogEvents: 1, FilterLogEvents: 1 });
  assert.ok(server.totalCalls() <= 3);
  const analysis = JSON.parse(await readFile(join(out, latestRun, 'report.json'), 'utf8')) as { epochs: unknown[] };
  assert.equal(analysis.epochs.length, 5);
});

test('SIGTERM: the trainer ships everything up to run_end "interrupted" before it exits 143', async () => {
  const G = '/ecs/interrupted';
  let sent = false;
  const r = await runBin(TRAIN_BIN, ['--epochs', '50', '--train-samples', '1000', '--validation-samples', '500', '--log-group', G, '--log-stream', 'task/1', '--endpoint-url', server.url],
    childEnv(server), (soFar, child) => {
      if (!sent && soFar.includes('"epoch_end"')) { sent = true; child.kill('SIGTERM'); }
    });
  assert.equal(r.code, 143, r.stderr);
  const lines = r.stdout.trim().split('\n');
  const last = JSON.parse(lines.at(-1)!) as { event: string; status: string };
  assert.deepEqual([last.event, last.status], ['run_end', 'interrupted']);
  assert.deepEqual(server.events(G, 'task/1').map((e) => e.message), lines);
});

test('the AWS SDK is loaded only when CloudWatch is used', async () => {
  // A resolve hook that refuses @aws-sdk: a local report must not need it, a CloudWatch one must.
  const hook = `data:text/javascript,${encodeURIComponent(
    'export async function resolve(s, c, next) { if (s.startsWith("@aws-sdk/")) throw new Error("SDK_LOADED " + s); return next(s, c); }')}`;
  const register = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(hook)});`)}`;
  const env = childEnv(server, { NODE_OPTIONS: `--import=${register}` });
  const local = await runBin(REPORT_BIN, ['--input', join(ROOT, 'fixtures/mnist-train-5epochs.jsonl'), '--out', join(tmp, 'lazy'), '--format', 'json', '--generated-at', AT], env);
  assert.equal(local.code, 0, local.stderr);
  const cloud = await runBin(REPORT_BIN, ['--log-group', '/ecs/mnist-training', '--out', join(tmp, 'lazy2'), '--format', 'json'], env);
  assert.notEqual(cloud.code, 0);
  assert.match(cloud.stderr, /SDK_LOADED @aws-sdk\/client-cloudwatch-logs/);
});

test('--run all over a log group with --baseline naming one of its runs: the same comparisons as from a file', async () => {
  // the group's runs are handed over one at a time and let go (report-all.ts, eachHeldRun): the
  // baseline run, reported first here (it started first), must still be there for the last report
  const G = '/ecs/baseline-all';
  const { names } = seedRuns(server, G, 4, 3, T0);
  const file = join(tmp, 'baseline-all.jsonl');
  await writeFile(file, names.flatMap((n) => server.events(G, n).map((e) => `${e.message}\n`)).join(''));
  const env = childEnv(server);
  const baselines = async (args: string[], out: string) => {
    const r = await runBin(REPORT_BIN, [...args, '--run', 'all', '--baseline', 'run-0', '--out', out, '--format', 'json', '--generated-at', AT], env);
    assert.equal(r.code, 0, r.stderr);
    const ids = ['run-1', 'run-2', 'run-3'];
    return Object.fromEntries(await Promise.all(ids.map(async (id) => [id, (JSON.parse(await readFile(join(out, id, 'report.json'), 'utf8')) as { baseline?: unknown }).baseline])));
  };
  const fromGroup = await baselines(['--log-group', G], join(tmp, 'baseline-group'));
  const fromFile = await baselines(['--input', file], join(tmp, 'baseline-file'));
  for (const [id, b] of Object.entries(fromGroup)) assert.ok(b, `${id}: a baseline section`);
  assert.deepEqual(fromGroup, fromFile);
  const none = join(tmp, 'baseline-none');
  const bad = await runBin(REPORT_BIN, ['--log-group', G, '--run', 'all', '--baseline', 'nosuch', '--out', none, '--format', 'json', '--generated-at', AT], env);
  assert.equal(bad.code, 2, bad.stderr);
  assert.equal(problemLines(bad.stderr).at(-1), `mnist-report: --baseline nosuch: no run with that id in log group ${G}, and no file of that name (runs in log group ${G}: run-0, run-3, run-2, run-1)`);
  assert.deepEqual(await readTree(none), {}, 'no report before the check');
});

test('--run ID from a log group reads only the run\'s events (by run_id), and its Data Quality says a traceback in its stream is in no count', async () => {
  const G = '/ecs/traceback';
  const lines = runLines('tb-run', 3, T0);
  const last = lines[lines.length - 1]!.timestamp;
  server.seed.stream(G, 'ecs/mnist-training/task-tb', [...lines,
    { timestamp: last + 1000, message: 'Traceback (most recent call last):' }]);
  const report = async (run: string) => {
    const out = join(tmp, `tb-${run}`);
    const r = await runBin(REPORT_BIN, ['--log-group', G, '--run', run, '--out', out, '--format', 'md,json', '--generated-at', AT], childEnv(server));
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(await readFile(join(out, 'tb-run', 'report.json'), 'utf8')) as { read_by_run_id?: boolean; quality: { records: number; unrecognised: number } };
    return { json, counts: [json.quality.records, json.quality.unrecognised], md: await readFile(join(out, 'tb-run', 'report.md'), 'utf8') };
  };
  const one = await report('tb-run');
  assert.equal(one.json.read_by_run_id, true);
  assert.deepEqual(one.counts, [5, 0]);
  assert.match(one.md, /Counts are for the events of this run read by its run\\_id \(cloudwatch:\/ecs\/traceback\): lines of its log streams without a run\\_id \(a traceback, a runtime warning\) are not read by --run ID or --run latest, so no count here holds them; --run all reads them\./);
  // --run all reads the stream whole: the traceback is this run's unrecognised line, and the line above the counts is the plain one
  const all = await report('all');
  assert.equal(all.json.read_by_run_id, undefined);
  assert.deepEqual(all.counts, [6, 1]);
  assert.match(all.md, /Counts are for the whole input \(cloudwatch:\/ecs\/traceback\), all of which counts for this run\./);
});
