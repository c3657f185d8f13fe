// The CloudWatch inputs of both bins, checked before any work (an endpoint that is not a URL, a
// --since window that is empty), and the retries of a CloudWatch request said one line each.
// The built bins against the CloudWatch test server (npm test builds dist/ first).

import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloudWatchServer, type CloudWatchServer } from '../support/cloudwatch-server.js';
import { childEnv } from '../support/cloudwatch-sdk.js';
import { runLines } from '../support/cloudwatch-runs.js';
import { runBin, problemLines, REPORT_BIN, TRAIN_BIN } from '../support/cloudwatch-cli.js';

const G = '/ecs/mnist-training';
const T0 = Date.UTC(2026, 10, 20);
let server: CloudWatchServer;

before(async () => { server = await startCloudWatchServer(); });
after(async () => { await server.close(); });
beforeEach(() => {
  server.faults.clear();
  server.resetCalls();
  server.store.groups.clear();
  server.seed.stream(G, 'ecs/t/1', runLines('r1', 2, T0));
});

// (--list prints no md: --format md is a usage error with it)
const report = (args: string[], env: Record<string, string> = {}) =>
  runBin(REPORT_BIN, ['--log-group', G, '--out', '-', ...(args.includes('--list') ? [] : ['--format', 'md']), ...args], childEnv(server, env));

/** Exit 2, and one line on stderr besides progress, with no request made. */
function usageError(r: { code: number | null; stderr: string }, pattern: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
  const problems = problemLines(r.stderr).filter((l) => !/^mnist-report: reading /.test(l));
  assert.equal(problems.length, 1, r.stderr);
  assert.match(problems[0]!, pattern);
  assert.equal(server.totalCalls(), 0, 'no request made');
}

test('--endpoint-url or AWS_ENDPOINT_URL that is not a URL: a usage error naming it (was "TypeError: Invalid URL", exit 1)', async () => {
  usageError(await report(['--endpoint-url', 'not-a-url']),
    /^mnist-report: --endpoint-url "not-a-url" is not an http:\/\/ or https:\/\/ URL: give the CloudWatch Logs endpoint with its scheme, e\.g\. http:\/\/127\.0\.0\.1:4566/);
  usageError(await report([], { AWS_ENDPOINT_URL: 'garbage' }), /^mnist-report: AWS_ENDPOINT_URL "garbage" is not an http:\/\/ or https:\/\/ URL/);
  usageError(await report(['--list', '--endpoint-url', 'localhost:4566']), /^mnist-report: --endpoint-url "localhost:4566" is not/);
});

test('an endpoint that answers with an HTML page (a wrong --endpoint-url, a proxy): one line naming it, exit 2, with --follow and --list too (was "SyntaxError: Unexpected token \'<\'", exit 1)', async () => {
  const follow = () => runBin(REPORT_BIN, ['--log-group', G, '--follow', '--out', join(tmpdir(), 'not-written'), '--format', 'md'], childEnv(server));
  for (const [status, run] of [[200, () => report([])], [200, follow], [200, () => report(['--list'])], [403, () => report([])]] as const) {
    server.faults.clear();
    server.faults.notJson(undefined, status);
    const r = await run();
    assert.equal(r.code, 2, r.stderr);
    assert.doesNotMatch(r.stderr, /SyntaxError|internal error|\n\s+at /);
    assert.deepEqual(problemLines(r.stderr).filter((l) => !/^mnist-report: following log group /.test(l)),
      [`mnist-report: reading log group ${G}: the answer of ${server.url} (HTTP ${status}, text/html) is not CloudWatch Logs' JSON ` +
        '(a wrong --endpoint-url or AWS_ENDPOINT_URL, or a proxy?)'], r.stderr);
  }
});

test('--since after now or not before --until: one line naming both times, before any request (was the service\'s own words, or "no events")', async () => {
  const future = new Date(Date.now() + 400 * 86400_000).toISOString().slice(0, 10);
  const futureIso = `${future}T00:00:00.000Z`;
  const sinceNow = new RegExp(`^mnist-report: --since "${future}" is ${futureIso.replace(/\./g, '\\.')}, after now \\(\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\): no log has events there yet`);
  for (const extra of [['--list'], ['--history', '3'], []]) usageError(await report(['--since', future, ...extra]), sinceNow);
  usageError(await report(['--since', '2026-11-20T12:00', '--until', '2026-11-20']),
    /^mnist-report: --since "2026-11-20T12:00" is 2026-11-20T12:00:00\.000Z, not before --until "2026-11-20" \(2026-11-20T00:00:00\.000Z\): give --since the earlier time$/);
});

test('--since with more digits than epoch seconds (11) or milliseconds (13): refused, not read as a time past year 9999', async () => {
  usageError(await report(['--since', '99999999999999999']),
    /^mnist-report: --since "99999999999999999": an epoch time is seconds \(up to 11 digits\) or milliseconds \(12 or 13 digits\), this one has 17 digits$/);
  const ms = await report(['--since', String(T0), '--list']); // 13 digits: milliseconds, as before
  assert.equal(ms.code, 0, ms.stderr);
  assert.match(ms.stdout, /r1/);
});

test('mnist-report: each retry of a CloudWatch request is one stderr line (what failed, attempt k of n, the wait), then the final line', async () => {
  server.faults.hang();
  const r = await report(['--timeout', '0.3', '--max-attempts', '3']);
  assert.equal(r.code, 1, r.stderr);
  const retries = r.stderr.split('\n').filter((l) => l.includes('retrying in'));
  assert.equal(retries.length, 2, r.stderr);
  retries.forEach((line, i) => assert.match(line,
    new RegExp(`^mnist-report: cloudwatch: DescribeLogStreams did not answer within 0\\.3 s \\(attempt ${i + 1} of 3\\); retrying in \\d+\\.\\d+ s$`)));
  assert.deepEqual(problemLines(r.stderr), [
    `mnist-report: reading log group ${G}: CloudWatch Logs at ${server.url} did not answer within 0.3 s after 3 attempts (raise --timeout or check the endpoint)`,
  ]);
  // throttling: the SDK's retries wait longer (from 1 s), and say so
  server.faults.clear();
  server.faults.error('ThrottlingException', { op: 'DescribeLogStreams', status: 400, times: 1 });
  const throttled = await report([]);
  assert.equal(throttled.code, 0, throttled.stderr);
  assert.match(throttled.stderr, /^mnist-report: cloudwatch: DescribeLogStreams was throttled \(ThrottlingException\) \(attempt 1 of 8\); retrying in \d+\.\d+ s$/m);
});

test('mnist-train: each retry of a PutLogEvents shipment is one stderr line; training goes on', async () => {
  server.faults.hang('CreateLogStream');
  const r = await runBin(TRAIN_BIN, ['--epochs', '1', '--train-samples', '100', '--validation-samples', '100', '--log-group', G, '--endpoint-url', server.url,
    '--timeout', '0.3', '--max-attempts', '2', '--flush-deadline', '5'], childEnv(server));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^mnist-train: cloudwatch: CreateLogStream did not answer within 0\.3 s \(attempt 1 of 2\); retrying in \d+\.\d+ s$/m);
  assert.equal(r.stderr.split('\n').filter((l) => l.includes('retrying in')).length, 1, r.stderr);
  assert.match(r.stderr, /did not answer within 0\.3 s after 2 attempts/);
});
