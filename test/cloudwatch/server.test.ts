// The CloudWatch-Logs-compatible test server, driven through the real AWS SDK.

import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, DescribeLogStreamsCommand,
  DescribeLogGroupsCommand, GetLogEventsCommand, paginateGetLogEvents, paginateFilterLogEvents,
  paginateDescribeLogStreams, type FilteredLogEvent, type OutputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { startCloudWatchServer, type CloudWatchServer } from '../support/cloudwatch-server.js';
import { sdkClient, seriesOf } from '../support/cloudwatch-sdk.js';

let server: CloudWatchServer;
const T0 = Date.UTC(2026, 10, 24, 6, 0, 0);
const G = '/ecs/mnist-training';

before(async () => { server = await startCloudWatchServer(); });
after(async () => { await server.close(); });
beforeEach(() => { server.faults.clear(); server.resetCalls(); server.store.groups.clear(); server.store.filterScanBudget = 20_000; });

async function rejects(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try { await p; } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  assert.fail('expected a rejection');
}

test('create, put and read back; errors come back in the service shapes', async () => {
  const c = sdkClient(server);
  await c.send(new CreateLogGroupCommand({ logGroupName: G }));
  assert.deepEqual(await rejects(c.send(new CreateLogGroupCommand({ logGroupName: G }))),
    { name: 'ResourceAlreadyExistsException', message: 'The specified log group already exists', status: 400 });
  await c.send(new CreateLogStreamCommand({ logGroupName: G, logStreamName: 'a' }));
  await c.send(new PutLogEventsCommand({ logGroupName: G, logStreamName: 'a', logEvents: [{ timestamp: Date.now(), message: 'hello' }] }));
  const got = await c.send(new GetLogEventsCommand({ logGroupName: G, logStreamName: 'a', startFromHead: true }));
  assert.deepEqual(got.events?.map((e) => e.message), ['hello']);
  assert.deepEqual(await rejects(c.send(new DescribeLogStreamsCommand({ logGroupName: '/nope' }))),
    { name: 'ResourceNotFoundException', message: 'The specified log group does not exist.', status: 400 });
  const groups = await c.send(new DescribeLogGroupsCommand({}));
  assert.deepEqual(groups.logGroups?.map((g) => g.logGroupName), [G]);
});

test('PutLogEvents enforces the batch limits', async () => {
  const c = sdkClient(server);
  server.seed.stream(G, 's');
  const now = Date.now();
  const put = (logEvents: { timestamp: number; message: string }[]) => rejects(c.send(new PutLogEventsCommand({ logGroupName: G, logStreamName: 's', logEvents })));
  assert.match((await put([{ timestamp: now, message: 'b' }, { timestamp: now - 1, message: 'a' }])).message, /chronological/);
  assert.match((await put([{ timestamp: now - 25 * 3600_000, message: 'a' }, { timestamp: now, message: 'b' }])).message, /24 hours/);
  assert.match((await put([{ timestamp: now, message: 'x'.repeat(262_144 - 25) }])).message, /too large/);
  assert.match((await put(Array.from({ length: 10_001 }, () => ({ timestamp: now, message: 'a' })))).message, /less than or equal to 10000/);
  const big = 'y'.repeat(200_000);
  assert.match((await put(Array.from({ length: 6 }, () => ({ timestamp: now, message: big })))).message, /Upload too large/);
  // exactly at the limits is accepted: 262,144 bytes with the 26-byte overhead
  await c.send(new PutLogEventsCommand({ logGroupName: G, logStreamName: 's', logEvents: [{ timestamp: now, message: 'x'.repeat(262_144 - 26) }] }));
  assert.equal(server.events(G, 's').length, 1);
});

test('paginateGetLogEvents reads a stream forwards across 10,000-event and 1 MB pages, ending on the same token', async () => {
  const c = sdkClient(server);
  server.seed.stream(G, 'many', seriesOf(23_456, T0, (i) => `line ${i}`));
  const seen: string[] = [];
  let pages = 0;
  for await (const page of paginateGetLogEvents({ client: c, stopOnSameToken: true }, { logGroupName: G, logStreamName: 'many', startFromHead: true })) {
    pages++;
    for (const e of page.events ?? []) seen.push(e.message!);
  }
  assert.equal(seen.length, 23_456);
  assert.equal(seen[0], 'line 0');
  assert.equal(seen.at(-1), 'line 23455');
  assert.equal(pages, 4); // 10,000 + 10,000 + 3,456 + the empty page that returns the token it was sent
  assert.equal(server.calls.GetLogEvents, 4);

  server.seed.stream(G, 'big', seriesOf(12, T0, (i) => `${i}`.padEnd(300_000, '.')));
  const sizes: number[] = [];
  for await (const page of paginateGetLogEvents({ client: c, stopOnSameToken: true }, { logGroupName: G, logStreamName: 'big', startFromHead: true })) {
    sizes.push(page.events?.length ?? 0);
  }
  assert.deepEqual(sizes, [3, 3, 3, 3, 0]); // 3 × 300,026 bytes fit in 1 MB, 4 do not
});

test('GetLogEvents honours the time window; forced empty pages carry a fresh token and lose nothing', async () => {
  const c = sdkClient(server);
  server.seed.stream(G, 's', seriesOf(100, T0, (i) => `e${i}`));
  server.faults.emptyPages(3);
  const events: OutputLogEvent[] = [];
  const pageSizes: number[] = [];
  for await (const page of paginateGetLogEvents({ client: c, stopOnSameToken: true, pageSize: 7 },
    { logGroupName: G, logStreamName: 's', startFromHead: true, startTime: T0 + 10_000, endTime: T0 + 40_000 })) {
    pageSizes.push(page.events?.length ?? 0);
    events.push(...(page.events ?? []));
  }
  assert.deepEqual(events.map((e) => e.message), Array.from({ length: 30 }, (_, i) => `e${i + 10}`));
  assert.deepEqual(pageSizes.slice(0, 3), [0, 0, 0]);
});

test('paginateFilterLogEvents: JSON and term patterns across streams, scan-budget empty pages, eventIds', async () => {
  const c = sdkClient(server);
  for (let s = 0; s < 5; s++) {
    server.seed.stream(G, `mnist/run${s}`, seriesOf(40, T0 + s * 10, (i) => JSON.stringify({ event: i % 10 === 9 ? 'run_end' : 'epoch_end', run_id: `r${s}`, i })));
  }
  server.seed.stream(G, 'other/x', seriesOf(40, T0, (i) => (i % 2 ? 'ERROR disk full' : 'plain text')));
  const collect = async (input: Record<string, unknown>, pageSize?: number): Promise<{ events: FilteredLogEvent[]; empty: number }> => {
    const events: FilteredLogEvent[] = [];
    let empty = 0;
    for await (const page of paginateFilterLogEvents({ client: c, ...(pageSize ? { pageSize } : {}) }, { logGroupName: G, ...input })) {
      if ((page.events ?? []).length === 0 && page.nextToken) empty++;
      events.push(...(page.events ?? []));
    }
    return { events, empty };
  };
  const r2 = await collect({ filterPattern: '{ $.run_id = "r2" }' }, 7);
  assert.equal(r2.events.length, 40);
  assert.ok(r2.events.every((e) => e.logStreamName === 'mnist/run2' && /^\d{56}$/.test(e.eventId!)));
  const ends = await collect({ logStreamNamePrefix: 'mnist/', filterPattern: '{ ($.event = "run_end") || ($.i = 0) }' });
  assert.equal(ends.events.length, 5 * 5);
  const errors = await collect({ filterPattern: 'ERROR' });
  assert.equal(errors.events.length, 20);
  assert.equal((await collect({ filterPattern: '"disk full" -plain' })).events.length, 20);
  assert.equal((await collect({ logStreamNames: ['other/x'], startTime: T0, endTime: T0 + 9_000 })).events.length, 10);
  // A small scan budget makes pages end early, some with no events at all, still carrying a token.
  server.store.filterScanBudget = 15;
  const sparse = await collect({ filterPattern: '{ $.event = "run_end" }' });
  assert.equal(sparse.events.length, 5 * 4);
  assert.ok(sparse.empty > 0, 'expected empty pages with a token');
  const stamps = sparse.events.map((e) => e.timestamp!);
  assert.deepEqual(stamps, [...stamps].sort((a, b) => a - b));
  assert.equal((await rejects(c.send(new DescribeLogStreamsCommand({ logGroupName: G, limit: 51 })))).name, 'InvalidParameterException');
  assert.match((await rejects(collect({ filterPattern: '{ $.event = }' }))).name, /InvalidParameterException/);
});

test('DescribeLogStreams: order by LastEventTime, prefixes and 50-stream pages', async () => {
  const c = sdkClient(server);
  for (let i = 0; i < 120; i++) server.seed.stream(G, `p/${String(i).padStart(3, '0')}`, [{ timestamp: T0 + ((i * 37) % 120) * 1000, message: 'x' }]);
  const latest = await c.send(new DescribeLogStreamsCommand({ logGroupName: G, orderBy: 'LastEventTime', descending: true, limit: 1 }));
  assert.equal(latest.logStreams?.[0]?.lastEventTimestamp, T0 + 119_000);
  const names: string[] = [];
  let pages = 0;
  for await (const page of paginateDescribeLogStreams({ client: c }, { logGroupName: G, logStreamNamePrefix: 'p/0' })) {
    pages++;
    names.push(...(page.logStreams ?? []).map((s) => s.logStreamName!));
  }
  assert.equal(names.length, 100);
  assert.equal(pages, 2);
  assert.deepEqual(names, [...names].sort());
  const bad = await rejects(c.send(new DescribeLogStreamsCommand({ logGroupName: G, orderBy: 'LastEventTime', logStreamNamePrefix: 'p/' })));
  assert.deepEqual([bad.name, bad.message], ['InvalidParameterException', 'Cannot order by LastEventTime with a logStreamNamePrefix.']);
});

test('faults: throttling every third call, a 500 and a reset connection are retried by the SDK', async () => {
  const c = sdkClient(server);
  server.seed.stream(G, 's', seriesOf(50, T0, (i) => `e${i}`));
  server.faults.throttleEvery(3);
  server.faults.failOnce('GetLogEvents');
  server.faults.resetOnce('GetLogEvents');
  const got: string[] = [];
  for await (const page of paginateGetLogEvents({ client: c, stopOnSameToken: true, pageSize: 10 }, { logGroupName: G, logStreamName: 's', startFromHead: true })) {
    got.push(...(page.events ?? []).map((e) => e.message!));
  }
  assert.deepEqual(got, Array.from({ length: 50 }, (_, i) => `e${i}`));
  // 6 successful pages; the 500 and the reset each cost a call, and every third call was throttled
  assert.ok(server.calls.GetLogEvents! >= 6 + 2 + 2, `calls: ${server.calls.GetLogEvents}`);
});

test('faults: a permanent error or a slow answer surface as errors', async () => {
  server.seed.stream(G, 's', seriesOf(3, T0, (i) => `e${i}`));
  server.faults.error('AccessDeniedException', { op: 'GetLogEvents' });
  const denied = await rejects(sdkClient(server).send(new GetLogEventsCommand({ logGroupName: G, logStreamName: 's' })));
  assert.equal(denied.name, 'AccessDeniedException');
  assert.equal(server.calls.GetLogEvents, 1); // not retried
  server.faults.clear();
  server.faults.error('ThrottlingException');
  const throttled = await rejects(sdkClient(server, { maxAttempts: 3 }).send(new GetLogEventsCommand({ logGroupName: G, logStreamName: 's' })));
  assert.equal(throttled.name, 'ThrottlingException');
  assert.equal(server.calls.GetLogEvents, 1 + 3);
  server.faults.clear();
  server.faults.delay(1500);
  const slow = await rejects(sdkClient(server, { maxAttempts: 1, requestTimeout: 100 }).send(new GetLogEventsCommand({ logGroupName: G, logStreamName: 's' })));
  assert.equal(slow.name, 'TimeoutError');
});
