// The everyday shapes of an ECS log group (issue 15), each against the CloudWatch test server
// through the real SDK: hangs, sidecar streams, a run over two streams, windows that cut a run,
// duplicated deliveries, prefixes over many streams, what "latest" means, the trainer's stderr.

import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readCloudWatchRecords, type CloudWatchSourceOptions } from '../../src/sources/cloudwatch.js';
import { collectRuns } from '../../src/runs/collect.js';
import { ServiceError, UserError } from '../../src/errors.js';
import type { LogRecord, ParsedLog } from '../../src/types.js';
import { startCloudWatchServer, type CloudWatchServer } from '../support/cloudwatch-server.js';
import { TEST_REGION, useTestServer } from '../support/cloudwatch-sdk.js';
import { once, runLines } from '../support/cloudwatch-runs.js';

const G = '/ecs/mnist-training';
const T0 = Date.UTC(2026, 10, 20, 0, 0, 0);
const serverOf = useTestServer({ before, after, beforeEach }, () => startCloudWatchServer());
let server: CloudWatchServer;
beforeEach(() => { server = serverOf(); });

async function read(opts: Partial<CloudWatchSourceOptions>): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  for await (const page of readCloudWatchRecords({ logGroup: G, region: TEST_REGION, endpointUrl: server.url, run: 'latest', now: T0 + 86400_000, ...opts })) {
    records.push(...page);
  }
  return records;
}

async function runs(opts: Partial<CloudWatchSourceOptions>): Promise<ParsedLog> {
  return collectRuns(readCloudWatchRecords({ logGroup: G, region: TEST_REGION, endpointUrl: server.url, run: 'latest', now: T0 + 86400_000, ...opts }));
}

async function failure(opts: Partial<CloudWatchSourceOptions>): Promise<Error> {
  try { await read(opts); } catch (err) { return err as Error; }
  assert.fail('expected the read to fail');
}

const latestRun = (p: ParsedLog) => p.runs.at(-1)!;
const epochNumbers = (p: ParsedLog) => latestRun(p).epochs.map((e) => e.epoch);

test('1: an endpoint that never answers: each request times out, is retried --max-attempts times, then one line', async () => {
  seedRun('ecs/t/1', 'r1', 2, T0);
  server.faults.hang();
  const e = await failure({ timeoutMs: 300, maxAttempts: 2 });
  assert.ok(e instanceof ServiceError);
  assert.match(e.message, /^reading log group \/ecs\/mnist-training: CloudWatch Logs at http:\/\/127\.0\.0\.1:\d+ did not answer within 0\.3 s after 2 attempts \(raise --timeout or check the endpoint\)$/);
  assert.equal(server.calls.DescribeLogStreams, 2);
  process.env.AWS_MAX_ATTEMPTS = '3';
  server.resetCalls();
  try {
    await failure({ timeoutMs: 300 });
  } finally {
    delete process.env.AWS_MAX_ATTEMPTS;
  }
  assert.equal(server.calls.DescribeLogStreams, 3);
  server.faults.clear();
  server.faults.hang('FilterLogEvents', 1); // one lost answer: the retry gets the page
  assert.equal(epochNumbers(await runs({ timeoutMs: 300, maxAttempts: 2 })).length, 2);
});

test('2: a run that spans two streams (a replaced task) is read whole by --run latest', async () => {
  const lines = runLines('r-span', 5, T0);
  seedRun('ecs/t/old-task', null, 0, 0, lines.slice(0, 4)); // run_start, epochs 1-3
  seedRun('ecs/t/new-task', null, 0, 0, lines.slice(4)); // epochs 4-5, run_end
  const p = await runs({});
  assert.deepEqual(epochNumbers(p), [1, 2, 3, 4, 5]);
  assert.deepEqual(latestRun(p).streams.sort(), ['ecs/t/new-task', 'ecs/t/old-task']);
  assert.equal(latestRun(p).end?.status, 'completed');
});

test('3: a sidecar stream that logs after the trainer is skipped; none in the first 10: a clear message', async () => {
  seedRun('ecs/mnist-training/task1', 'r-main', 3, T0);
  server.seed.stream(G, 'ecs/xray-daemon/task1', Array.from({ length: 50 }, (_, i) => ({ timestamp: T0 + i * 1000, message: `[Info] Successfully sent batch of ${i} segments (0.010 seconds)` })));
  const p = await runs({});
  assert.equal(latestRun(p).run_id, 'r-main');
  assert.deepEqual(epochNumbers(p), [1, 2, 3]);
  for (let i = 0; i < 11; i++) server.seed.stream(G, `ecs/agent/${i}`, [{ timestamp: T0 + 100_000 + i, message: 'agent heartbeat' }]);
  const e = await failure({});
  assert.ok(e instanceof UserError);
  assert.equal(e.message, `log group ${G}: none of the 10 newest log streams holds a training run (sidecar or agent streams?); name the run with --run <id>, the stream with --log-stream, or narrow --log-stream-prefix`);
});

test('4: --since/--until choose runs but never cut one (latest, all and an id)', async () => {
  seedRun('ecs/t/a', 'r-cut', 10, T0);
  const since = new Date(T0 + 6500).toISOString(); // after epoch 6
  const until = new Date(T0 + 3500).toISOString(); // before epoch 4
  for (const opts of [{ since }, { since, run: 'all' }, { since, run: 'r-cut' }, { until, run: 'all' }, { until }]) {
    const p = await runs(opts);
    assert.deepEqual(epochNumbers(p), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], JSON.stringify(opts));
    assert.equal(latestRun(p).end?.status, 'completed');
    assert.ok(latestRun(p).start);
    assert.equal(p.quality.duplicate_records, 0, JSON.stringify(opts));
  }
});

test('5: events stored twice (a PutLogEvents retry, new eventIds) are dropped and counted; so are repeated eventIds', async () => {
  const lines = runLines('r-dup', 5, T0);
  seedRun('ecs/t/dup', null, 0, 0, [...lines.slice(0, 4), ...lines.slice(1, 4), ...lines.slice(4)]); // epochs 1-3 stored twice
  const p = await runs({ run: 'all' });
  assert.deepEqual(epochNumbers(p), [1, 2, 3, 4, 5]);
  assert.deepEqual(latestRun(p).duplicate_epochs, []); // not a restarted task
  assert.equal(p.quality.duplicate_records, 3);
  server.faults.duplicateEvents(1); // the same eventIds twice in a page
  const twice = await runs({ run: 'all' });
  assert.equal(twice.quality.duplicate_records, 3 + lines.length + 3);
  // the same runs, but for the deliveries dropped, which count for the run of their stream
  const { quality, ...run } = latestRun(twice);
  assert.equal(quality.duplicate_records, twice.quality.duplicate_records);
  assert.deepEqual([{ ...run, quality: latestRun(p).quality }], p.runs);
});

test('6: --log-stream-prefix with latest reads streams newest first and stops at the first match', async () => {
  // Every stream matches the prefix (as on ECS: ecs/<container>/<task>); the newest holds the run.
  for (let i = 0; i < 1000; i++) server.seed.stream(G, `ecs/other/${String(i).padStart(4, '0')}`, [{ timestamp: T0 + i, message: 'x' }]);
  seedRun('ecs/t/1', 'r-pre', 2, T0 + 3600_000);
  server.resetCalls();
  const p = await runs({ logStreamPrefix: 'ecs/' });
  assert.equal(latestRun(p).run_id, 'r-pre');
  assert.equal(server.calls.DescribeLogStreams, 1);
});

test('7: latest is the run that started last, for CloudWatch as for files', async () => {
  seedRun('ecs/t/long', 'r-long', 100, T0); // started first, logs last
  seedRun('ecs/t/short', 'r-short', 3, T0 + 10_000);
  const p = await runs({});
  assert.equal(latestRun(p).run_id, 'r-short');
  const file = await collectRuns(once([...runLines('r-long', 100, T0), ...runLines('r-short', 3, T0 + 10_000)]
    .map((e, i) => ({ message: e.message, source: 'f.jsonl', stream: null, timestamp: null, eventId: null, line: i + 1 }))));
  assert.equal(latestRun(file).run_id, 'r-short');
});

test('8: the trainer\'s own stderr lines in its stream are its progress, not unrecognised lines', async () => {
  const lines = runLines('r-err', 2, T0);
  seedRun('ecs/t/1', null, 0, 0, [
    { timestamp: T0 - 10, message: 'mnist-train: backend wasm (tfjs-node is not installed)' },
    ...lines.slice(0, 2),
    { timestamp: T0 + 1001, message: 'mnist-train: epoch 1/2 loss 0.5000 acc 0.9010 val_loss 0.4000 val_acc 0.9110 1.0s' },
    ...lines.slice(2),
  ]);
  const p = await runs({ run: 'all' });
  assert.equal(p.quality.unrecognised, 0);
  assert.equal(p.quality.ignored, 2);
});

test('10: time bounds: a time without a zone is UTC, like a date alone; epoch seconds and ms, now, "2h ago"', async () => {
  seedRun('ecs/t/a', 'r-a', 2, T0); // 2026-11-20T00:00:00Z
  seedRun('ecs/t/b', 'r-b', 2, T0 + 86400_000);
  const ids = async (o: Partial<CloudWatchSourceOptions>) => (await runs({ run: 'all', ...o })).runs.map((r) => r.run_id);
  const tz = process.env.TZ;
  process.env.TZ = 'America/Los_Angeles'; // UTC-8: a local reading would move every bound by 8 hours
  try {
    assert.deepEqual(await ids({ until: '2026-11-20T03:00:00' }), ['r-a']);
    assert.deepEqual(await ids({ until: '2026-11-20T03:00' }), ['r-a']);
    assert.deepEqual(await ids({ since: '2026-11-20 20:00:00' }), ['r-b']);
  } finally {
    if (tz === undefined) delete process.env.TZ; else process.env.TZ = tz;
  }
  assert.deepEqual(await ids({ since: String((T0 + 3600_000) / 1000) }), ['r-b']);
  assert.deepEqual(await ids({ since: String(T0 + 3600_000) }), ['r-b']);
  assert.deepEqual(await ids({ since: '12h ago', now: T0 + 86400_000 + 60_000 }), ['r-b']);
  assert.deepEqual(await ids({ until: 'now', now: T0 + 3600_000 }), ['r-a']);
});

/** One stream: a whole run of `epochs` epochs from `start`, or the given lines. */
function seedRun(stream: string, runId: string | null, epochs: number, start: number, lines = runLines(runId ?? '', epochs, start)): void {
  server.seed.stream(G, stream, lines);
}
