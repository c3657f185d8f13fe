// Keeps the test server honest: the real aws CLI, pointed at it with --endpoint-url, works.
// Skipped (with the reason) only when no `aws` is on PATH.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { startCloudWatchServer, type CloudWatchServer } from '../support/cloudwatch-server.js';
import { childEnv } from '../support/cloudwatch-sdk.js';

const run = promisify(execFile);
let awsPath: string | null = null;
try { awsPath = execFileSync('sh', ['-c', 'command -v aws'], { encoding: 'utf8' }).trim() || null; } catch { awsPath = null; }

let server: CloudWatchServer;
before(async () => { server = await startCloudWatchServer(); });
after(async () => { await server.close(); });

async function aws(...args: string[]): Promise<unknown> {
  const env = childEnv(server, { AWS_DEFAULT_REGION: 'us-east-2', AWS_PAGER: '' });
  delete env.AWS_ENDPOINT_URL; // the CLI v1 ignores it; pass the flag like a user would
  const { stdout } = await run('aws', ['logs', ...args, '--endpoint-url', server.url, '--region', 'us-east-2', '--output', 'json'], { env });
  return stdout.trim() ? JSON.parse(stdout) : null;
}

test('the aws CLI creates, puts, gets and filters (with pagination) against the test server',
  { skip: awsPath ? false : 'the aws CLI is not on PATH' }, async () => {
    const group = '/ecs/mnist-training';
    await aws('create-log-group', '--log-group-name', group);
    await aws('create-log-stream', '--log-group-name', group, '--log-stream-name', 'ecs/mnist/1');
    const now = Date.now();
    const events = Array.from({ length: 7 }, (_, i) => ({
      timestamp: now + i,
      message: JSON.stringify({ schema: 'mnist-train/1', event: i === 6 ? 'run_end' : 'epoch_end', run_id: 'cli', epoch: i + 1 }),
    }));
    await aws('put-log-events', '--log-group-name', group, '--log-stream-name', 'ecs/mnist/1', '--log-events', JSON.stringify(events));

    const got = (await aws('get-log-events', '--log-group-name', group, '--log-stream-name', 'ecs/mnist/1', '--start-from-head')) as { events: { message: string }[]; nextForwardToken: string };
    assert.deepEqual(got.events.map((e) => e.message), events.map((e) => e.message));
    const again = (await aws('get-log-events', '--log-group-name', group, '--log-stream-name', 'ecs/mnist/1', '--next-token', got.nextForwardToken)) as { events: unknown[]; nextForwardToken: string };
    assert.deepEqual([again.events.length, again.nextForwardToken], [0, got.nextForwardToken]);

    // --page-size 2 makes the CLI follow nextToken over several pages and merge them.
    const filtered = (await aws('filter-log-events', '--log-group-name', group, '--filter-pattern', '{ $.event = "epoch_end" }', '--page-size', '2')) as { events: { eventId: string; logStreamName: string }[] };
    assert.equal(filtered.events.length, 6);
    assert.ok(filtered.events.every((e) => e.logStreamName === 'ecs/mnist/1' && e.eventId.length === 56));
    assert.ok(server.calls.FilterLogEvents! >= 3);

    const streams = (await aws('describe-log-streams', '--log-group-name', group, '--order-by', 'LastEventTime', '--descending', '--max-items', '1')) as { logStreams: { logStreamName: string; lastEventTimestamp: number }[] };
    assert.deepEqual(streams.logStreams.map((s) => [s.logStreamName, s.lastEventTimestamp]), [['ecs/mnist/1', now + 6]]);

    await assert.rejects(aws('describe-log-streams', '--log-group-name', '/missing'), /ResourceNotFoundException.*The specified log group does not exist/s);
  });

test('the aws CLI runs a Logs Insights query against the test server: start-query, get-query-results, stop-query',
  { skip: awsPath ? false : 'the aws CLI is not on PATH' }, async () => {
    const group = '/ecs/insights-cli';
    const t0 = Date.UTC(2026, 10, 20);
    const lines = ['run_start', 'batch_end', 'epoch_end', 'batch_end', 'run_end'].map((event, i) => ({
      timestamp: t0 + i * 1000, message: JSON.stringify({ schema: 'mnist-train/1', event, run_id: 'cli' }),
    }));
    server.seed.stream(group, 'ecs/mnist/1', lines);
    const query = 'fields @timestamp, @message | filter @message like /"event":"(run_start|epoch_end|run_end)"/ | sort @timestamp asc | limit 100';
    const { queryId } = (await aws('start-query', '--log-group-name', group, '--start-time', String(t0 / 1000), '--end-time', String(t0 / 1000 + 60),
      '--query-string', query)) as { queryId: string };
    let got: { status: string; results: { field: string; value: string }[][]; statistics: Record<string, number> };
    do got = (await aws('get-query-results', '--query-id', queryId)) as typeof got; while (got.status !== 'Complete');
    assert.deepEqual(got.results.map((r) => JSON.parse(r.find((f) => f.field === '@message')!.value).event), ['run_start', 'epoch_end', 'run_end']);
    assert.equal(got.results[0]![0]!.value, '2026-11-20 00:00:00.000');
    assert.deepEqual([got.statistics.recordsMatched, got.statistics.recordsScanned], [3, 5]);
    const second = (await aws('start-query', '--log-group-name', group, '--start-time', String(t0 / 1000), '--end-time', String(t0 / 1000 + 60),
      '--query-string', query)) as { queryId: string };
    assert.deepEqual(await aws('stop-query', '--query-id', second.queryId), { success: true });
    await assert.rejects(aws('start-query', '--log-group-name', group, '--start-time', '0', '--end-time', '1', '--query-string', 'stats count(*)'), /MalformedQueryException/);
  });
