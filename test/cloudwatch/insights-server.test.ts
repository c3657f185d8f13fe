// Logs Insights in the CloudWatch test server, driven through the real AWS SDK: the query's
// life (Scheduled → Running → Complete, Cancelled), the row cap, statistics, the concurrency
// limit, strict parsing, and the switch that makes Insights denied or missing.

import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { GetQueryResultsCommand, StartQueryCommand, StopQueryCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { startCloudWatchServer, type CloudWatchServer } from '../support/cloudwatch-server.js';
import { sdkClient, seriesOf } from '../support/cloudwatch-sdk.js';

let server: CloudWatchServer;
let c: CloudWatchLogsClient;
const G = '/ecs/insights';
const T0 = Date.UTC(2026, 10, 20); // whole second
const S0 = T0 / 1000;
const Q = 'fields @timestamp, @logStream, @message | filter @message like /"event" *: *"(run_start|run_end)"/ | sort @timestamp asc | limit 10000';

before(async () => { server = await startCloudWatchServer(); c = sdkClient(server, { maxAttempts: 1 }); });
after(async () => { c.destroy(); await server.close(); });
beforeEach(() => {
  server.faults.clear(); server.resetCalls(); server.store.groups.clear();
  const line = (i: number): string => JSON.stringify({ event: i % 10 === 0 ? 'run_start' : 'batch_end', run_id: `r${Math.floor(i / 10)}`, i });
  server.seed.stream(G, 'a', seriesOf(30, T0, line)); // one event a second: 3 run_starts among 30
  server.seed.stream(G, 'b', seriesOf(5, T0 + 500, (i) => `Epoch ${i + 1}/5 val_loss: 0.1`));
});

async function rejects(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try { await p; } catch (err) { return { name: (err as Error).name, message: (err as Error).message }; }
  assert.fail('expected a rejection');
}

const start = (queryString = Q, extra: Record<string, unknown> = {}) =>
  c.send(new StartQueryCommand({ logGroupName: G, startTime: S0, endTime: S0 + 100, queryString, ...extra }));

test('a query is Scheduled, then Running with partial results, then Complete with rows, @ptr and statistics', async () => {
  const { queryId } = await start();
  assert.match(queryId!, /^[0-9a-f-]{36}$/);
  const polls = [];
  for (let i = 0; i < 3; i++) polls.push(await c.send(new GetQueryResultsCommand({ queryId })));
  assert.deepEqual(polls.map((p) => p.status), ['Scheduled', 'Running', 'Complete']);
  assert.deepEqual(polls.map((p) => p.results?.length), [0, 1, 3]);
  const done = polls[2]!;
  assert.deepEqual(done.results![0]!.map((f) => f.field), ['@timestamp', '@logStream', '@message', '@ptr']);
  assert.deepEqual(done.results!.map((r) => r[0]!.value), ['2026-11-20 00:00:00.000', '2026-11-20 00:00:10.000', '2026-11-20 00:00:20.000']);
  const bytes = server.events(G, 'a').concat(server.events(G, 'b')).reduce((n, e) => n + Buffer.byteLength(e.message), 0);
  assert.deepEqual(done.statistics, { recordsMatched: 3, recordsScanned: 35, bytesScanned: bytes });
  // the window is whole seconds, both ends included: [S0+2, S0+2] holds a's event at 2.000 s and b's at 2.500 s
  for (const [sec, rows, scanned] of [[10, 1, 1], [2, 0, 2]] as const) {
    const narrow = await start(Q, { startTime: S0 + sec, endTime: S0 + sec });
    for (let i = 0; i < 2; i++) await c.send(new GetQueryResultsCommand({ queryId: narrow.queryId }));
    const one = await c.send(new GetQueryResultsCommand({ queryId: narrow.queryId }));
    assert.deepEqual([one.status, one.results?.length, one.statistics?.recordsScanned], ['Complete', rows, scanned]);
  }
});

test('the row cap: limit cuts the rows, of a running query\'s answers too; recordsMatched still counts every match; sort desc and or/not like', async () => {
  const { queryId } = await start('fields @message | filter @message like /batch_end/ or @logStream = "b" | sort @timestamp desc | limit 4');
  let r;
  do r = await c.send(new GetQueryResultsCommand({ queryId })); while (r.status !== 'Complete');
  assert.equal(r.statistics!.recordsMatched, 27 + 5);
  assert.match(r.results![0]![0]!.value!, /"i":29/);
  const notLike = await start('fields @message | filter @message not like /"event"/', { limit: 2 });
  do r = await c.send(new GetQueryResultsCommand({ queryId: notLike.queryId })); while (r.status !== 'Complete');
  assert.deepEqual([r.results!.length, r.statistics!.recordsMatched], [2, 5]);
  // a query still scanning answers the rows found so far, never more than the limit: asked twice in the
  // same turn (no HTTP between), the scan has done one slice of 10 events, 9 of them matches
  server.insights.scanSlice = 10;
  const handle = (op: string, req: Record<string, unknown>) => server.insights.handle(op, req) as { queryId: string; status: string; results: unknown[] };
  const running = handle('StartQuery', { logGroupName: G, startTime: S0, endTime: S0 + 100, queryString: 'fields @message | filter @message like /batch_end/ | limit 3' });
  const sizes = [0, 1].map(() => handle('GetQueryResults', { queryId: running.queryId })).map((a) => [a.status, a.results.length]);
  assert.deepEqual(sizes, [['Scheduled', 0], ['Running', 3]]);
  assert.deepEqual(await rejects(start(Q, { limit: 10_001 })), { name: 'InvalidParameterException', message: "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value between 1 and 10000" });
});

test('StopQuery cancels a running query; a finished or unknown one is an error', async () => {
  const { queryId } = await start();
  assert.deepEqual((await c.send(new StopQueryCommand({ queryId }))).success, true);
  assert.equal((await c.send(new GetQueryResultsCommand({ queryId }))).status, 'Cancelled');
  assert.equal((await rejects(c.send(new StopQueryCommand({ queryId })))).name, 'InvalidParameterException');
  assert.equal((await rejects(c.send(new GetQueryResultsCommand({ queryId: 'nope' })))).name, 'ResourceNotFoundException');
});

test('the concurrency limit: one query too many is LimitExceededException until one completes', async () => {
  server.insights.concurrency = 2;
  const a = await start();
  await start();
  assert.deepEqual(await rejects(start()), { name: 'LimitExceededException', message: 'Account maximum query concurrency limit of [2] reached.' });
  for (let i = 0; i < 3; i++) await c.send(new GetQueryResultsCommand({ queryId: a.queryId }));
  await start();
});

test('what the subset does not know is MalformedQueryException, never a match-all', async () => {
  for (const q of ['stats count(*) by bin(1h)', 'fields @message | filter @message like "x"', 'fields @message | sort run_id', 'fields @nope',
    'fields @message | filter @message like /x', 'fields @message | limit 0', 'fields @message |', 'parse @message "*" as x', '']) {
    const e = await rejects(start(q));
    assert.ok(['MalformedQueryException', 'InvalidParameterException'].includes(e.name), `${q}: ${e.name}`);
  }
  assert.equal((await rejects(start('fields @message | display @message'))).name, 'MalformedQueryException');
  assert.equal((await rejects(start(Q, { endTime: S0 - 1 }))).name, 'InvalidParameterException');
  assert.equal((await rejects(c.send(new StartQueryCommand({ logGroupName: '/missing', startTime: S0, endTime: S0, queryString: Q })))).name, 'ResourceNotFoundException');
});

test('the switch: Insights denied (AccessDeniedException) or missing on the endpoint (UnknownOperationException)', async () => {
  server.insights.mode = 'denied';
  const denied = await rejects(start());
  assert.equal(denied.name, 'AccessDeniedException');
  assert.match(denied.message, /not authorized to perform: logs:StartQuery/);
  server.insights.mode = 'missing';
  assert.equal((await rejects(start())).name, 'UnknownOperationException');
  assert.equal((await rejects(c.send(new GetQueryResultsCommand({ queryId: 'x' })))).name, 'UnknownOperationException');
  server.insights.mode = 'available';
  assert.ok((await start()).queryId);
});
