// readCloudWatchRecords against the test server, through the real SDK.

import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { runIdPattern, type CloudWatchSourceOptions } from '../../src/sources/cloudwatch.js';
import { ServiceError, UserError } from '../../src/errors.js';
import { RUN_IDS_HINT } from '../../src/wording/cli.js';
import type { LogRecord, ParsedLog } from '../../src/types.js';
import { collectRuns } from '../../src/runs/collect.js';
import { startCloudWatchServer, type CloudWatchServer } from '../support/cloudwatch-server.js';
import { TEST_REGION, useTestServer } from '../support/cloudwatch-sdk.js';
import { once, readAll, runLines, seedRuns } from '../support/cloudwatch-runs.js';

const G = '/ecs/mnist-training';
const T0 = Date.UTC(2026, 10, 20, 0, 0, 0);
const serverOf = useTestServer({ before, after, beforeEach }, () => startCloudWatchServer());
let server: CloudWatchServer;
beforeEach(() => { server = serverOf(); });

function read(opts: Partial<CloudWatchSourceOptions>): Promise<{ records: LogRecord[]; progress: string[] }> {
  return readAll({ logGroup: G, region: TEST_REGION, endpointUrl: server.url, run: 'latest', now: T0 + 86400_000, ...opts });
}

async function failure(opts: Partial<CloudWatchSourceOptions>): Promise<Error> {
  try { await read(opts); } catch (err) { return err as Error; }
  assert.fail('expected the read to fail');
}

test('--run latest in a log group of 2,000 streams makes at most 3 API calls', async () => {
  const { latest, latestRun } = seedRuns(server, G, 2000, 5, T0);
  const { records, progress } = await read({});
  const messages = records.map((r) => JSON.parse(r.message) as { run_id: string; event: string });
  assert.equal(records.length, 7);
  assert.ok(messages.every((m) => m.run_id === latestRun));
  assert.deepEqual(messages.map((m) => m.event), ['run_start', ...Array(5).fill('epoch_end'), 'run_end']);
  assert.ok(records.every((r) => r.stream === latest && r.source === `cloudwatch:${G}` && r.timestamp !== null));
  assert.deepEqual(server.calls, { DescribeLogStreams: 1, GetLogEvents: 1, FilterLogEvents: 1 });
  assert.ok(server.totalCalls() <= 3);
  assert.ok(progress.some((p) => p.includes(latest)));
});

test('--run latest with a stream prefix takes the newest matching stream', async () => {
  server.seed.stream(G, 'a/1', runLines('a1', 2, T0));
  server.seed.stream(G, 'a/2', runLines('a2', 2, T0 + 3600_000));
  server.seed.stream(G, 'b/1', runLines('b1', 2, T0 + 7200_000));
  const { records } = await read({ logStreamPrefix: 'a/' });
  assert.deepEqual([...new Set(records.map((r) => r.stream))], ['a/2']);
  const named = await read({ logStream: 'a/1' });
  assert.deepEqual([...new Set(named.records.map((r) => JSON.parse(r.message).run_id))], ['a1']);
});

test('--since/--until select the window; durations are counted back from now', async () => {
  server.seed.stream(G, 's/old', runLines('old', 3, T0));
  server.seed.stream(G, 's/new', runLines('new', 3, T0 + 86400_000));
  const now = T0 + 86400_000 + 3600_000;
  const { records } = await read({ now, since: '2h' });
  assert.deepEqual([...new Set(records.map((r) => JSON.parse(r.message).run_id))], ['new']);
  const old = await read({ now, until: '2h' });
  assert.deepEqual([...new Set(old.records.map((r) => JSON.parse(r.message).run_id))], ['old']);
  const part = await read({ now, logStream: 's/new', since: new Date(T0 + 86400_000 + 1000).toISOString(), until: new Date(T0 + 86400_000 + 3000).toISOString() });
  assert.equal(part.records.length, 2); // epochs 1 and 2; endTime is exclusive
  const e = await failure({ now, since: '5m' });
  assert.ok(e instanceof UserError);
  // the window named as --list names it ("no events in any stream between … and now")
  assert.equal(e.message, `log group ${G}: no log stream has events between ${new Date(now - 300_000).toISOString()} and now`);
  const until = await failure({ now, since: '5m', until: '1m', logStreamPrefix: 's/' });
  assert.equal(until.message, `log group ${G}: no log stream starting with s/ has events between ${new Date(now - 300_000).toISOString()} and ${new Date(now - 60_000).toISOString()}`);
  assert.match((await failure({ since: 'yesterday' })).message, /^--since "yesterday": expected now, a duration/);
});

test('--run <id> and --run all use FilterLogEvents with a JSON pattern; sorted by time', async () => {
  const { names } = seedRuns(server, G, 30, 3, T0);
  server.seed.stream(G, 'keras/1', [{ timestamp: T0 + 5, message: 'Epoch 1/5' }]);
  const one = await read({ run: 'run-7' });
  assert.equal(one.records.length, 5);
  assert.ok(one.records.every((r) => r.stream === names[7] && r.eventId !== null));
  assert.equal(server.calls.FilterLogEvents, 1);
  const all = await read({ run: 'all', logStreamPrefix: 'ecs/' });
  assert.equal(all.records.length, 30 * 5);
  const stamps = all.records.map((r) => r.timestamp!);
  assert.deepEqual(stamps, [...stamps].sort((a, b) => a - b));
  const everything = await read({ run: 'all' });
  assert.equal(everything.records.length, 30 * 5 + 1); // the text line reaches the parser too
  assert.equal(runIdPattern('a"b\\c'), '{ $.run_id = "a\\"b\\\\c" }');
  server.seed.stream(G, 'q', runLines('we"ird', 1, T0));
  assert.equal((await read({ run: 'we"ird' })).records.length, 3);
  // trainer text has no run_id: its run is named by its stream, -fitN its N-th fit there
  for (const id of ['keras/1', 'keras/1-fit2']) {
    const text = await read({ run: id });
    assert.deepEqual(text.records.map((r) => [r.stream, r.message]), [['keras/1', 'Epoch 1/5']], id);
  }
  const none = await failure({ run: 'nope' });
  assert.equal(none.message, `log group ${G}: no events for run nope in any stream; ${RUN_IDS_HINT}`);
});

test('with throttling every third call, a 500, a reset and empty pages the records are identical', async () => {
  seedRuns(server, G, 20, 5, T0);
  server.store.filterScanBudget = 40; // natural empty pages too
  const clean = await read({ run: 'all' });
  const cleanLatest = await read({});
  server.faults.throttleEvery(3);
  server.faults.failOnce();
  server.faults.resetOnce('GetLogEvents');
  server.faults.emptyPages(4);
  server.faults.duplicateEvents(2);
  const faulty = await read({ run: 'all' });
  const faultyLatest = await read({});
  // The source hands over what the service sent, duplicates included; the runs stage drops and counts them.
  const [c, f] = [await collectRuns(once(clean.records)), await collectRuns(once(faulty.records))];
  // the same runs, but for the deliveries dropped, which count for the run of their stream
  const runsOnly = (p: ParsedLog) => p.runs.map(({ quality, ...run }) => run);
  assert.deepEqual(runsOnly(f), runsOnly(c));
  assert.equal(f.runs.reduce((n, r) => n + r.quality.duplicate_records, 0), f.quality.duplicate_records);
  assert.ok(f.quality.duplicate_records > 0);
  assert.equal(f.quality.records - f.quality.duplicate_records, c.quality.records);
  assert.equal(c.quality.duplicate_records, 0);
  assert.deepEqual(faultyLatest.records, cleanLatest.records);
  assert.equal(clean.records.length, 20 * 7);
});

test('each failure is one clear line of the right class', async () => {
  seedRuns(server, G, 2, 1, T0);
  const missing = await failure({ logGroup: '/ecs/missing' });
  assert.ok(missing instanceof UserError);
  assert.equal(missing.message, 'reading log group /ecs/missing: log group /ecs/missing does not exist (check the name and --region)');

  server.faults.error('AccessDeniedException', { op: 'FilterLogEvents' });
  const denied = await failure({ run: 'all' });
  assert.ok(denied instanceof UserError);
  assert.match(denied.message, /^reading log group \/ecs\/mnist-training: access denied; the caller needs logs:FilterLogEvents on the log group \(User: .*\)$/);
  server.faults.clear();

  server.faults.error('UnrecognizedClientException');
  const bad = await failure({});
  assert.ok(bad instanceof UserError);
  assert.match(bad.message, /the AWS credentials were rejected \(UnrecognizedClientException: The security token included in the request is invalid\.\)/);
  server.faults.clear();
  server.faults.error('ExpiredTokenException');
  assert.match((await failure({})).message, /the AWS credentials have expired/);
  server.faults.clear();

  server.faults.error('ThrottlingException', { op: 'GetLogEvents' });
  const throttled = await failure({ maxAttempts: 2 });
  assert.ok(throttled instanceof ServiceError);
  assert.match(throttled.message, /CloudWatch Logs at \S+ kept throttling after 2 attempts \(ThrottlingException\)/);
  server.faults.clear();

  server.store.groups.get(G)!.streams.clear();
  assert.equal((await failure({})).message, `log group ${G} has no log streams`);

  const unreachable = await failure({ endpointUrl: 'http://127.0.0.1:9', maxAttempts: 1 });
  assert.ok(unreachable instanceof ServiceError);
  assert.equal(unreachable.message, `reading log group ${G}: cannot reach CloudWatch Logs at http://127.0.0.1:9 (ECONNREFUSED) after 1 attempt`);
  for (const e of [missing, denied, bad, throttled, unreachable]) assert.ok(!e.message.includes('\n'));
});

test('no region and no credentials are named', async () => {
  const keep = { ...process.env };
  try {
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    const noRegion = await failure({ region: undefined });
    assert.ok(noRegion instanceof UserError);
    assert.equal(noRegion.message, `reading log group ${G}: no AWS region (pass --region or set AWS_REGION)`);
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    const noCreds = await failure({});
    assert.ok(noCreds instanceof UserError);
    assert.match(noCreds.message, /^reading log group \/ecs\/mnist-training: no AWS credentials found/);
    const noProfile = await failure({ profile: 'nosuch' });
    assert.match(noProfile.message, /^reading log group \/ecs\/mnist-training: no AWS credentials for profile nosuch \(/);
  } finally {
    Object.assign(process.env, keep);
  }
});
