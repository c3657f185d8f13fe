// The PutLogEvents sink against the test server (which enforces the service's batch limits).

import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createCloudWatchSink, type CloudWatchSinkOptions } from '../../src/train/cloudwatch-sink.js';
import { serializeEvent, SCHEMA, type TrainEvent } from '../../src/events.js';
import { UserError } from '../../src/errors.js';
import { startCloudWatchServer, type CloudWatchServer } from '../support/cloudwatch-server.js';
import { TEST_CREDENTIALS, TEST_REGION } from '../support/cloudwatch-sdk.js';

const G = '/ecs/mnist-training';
let server: CloudWatchServer;
const saved = { ...process.env };

before(async () => {
  server = await startCloudWatchServer();
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_EC2_METADATA_DISABLED: 'true' });
});
after(async () => {
  await server.close();
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
});
beforeEach(() => { server.faults.clear(); server.resetCalls(); server.store.groups.clear(); });

function sink(extra: Partial<CloudWatchSinkOptions> = {}): { s: ReturnType<typeof createCloudWatchSink>; warnings: string[] } {
  const warnings: string[] = [];
  const s = createCloudWatchSink({ logGroup: G, logStream: 'mnist-train/r1', region: TEST_REGION, endpointUrl: server.url, warn: (m) => warnings.push(m), ...extra });
  return { s, warnings };
}

function batchEvent(i: number, time: number, pad = 0): TrainEvent {
  return { schema: SCHEMA, event: 'batch_end', run_id: 'r1', time: new Date(time).toISOString(), epoch: 1, batch: i + 1, loss: 1 / (i + 1), accuracy: 0.5, ...(pad ? { non_finite: ['x'.repeat(pad)] } : {}) } as TrainEvent;
}

test('25,000 events and 3 MB go out in batches within the limits, in order, creating group and stream', async () => {
  const { s, warnings } = sink();
  const now = Date.now() - 60_000;
  const sent: string[] = [];
  for (let i = 0; i < 25_000; i++) {
    const e = batchEvent(i, now + Math.floor(i / 1000), i % 2500 === 0 ? 100_000 : 0);
    sent.push(serializeEvent(e));
    s.write(e);
  }
  await s.close();
  assert.equal(s.failure, null);
  assert.deepEqual(warnings, []);
  const stored = server.events(G, 'mnist-train/r1');
  assert.equal(stored.length, 25_000);
  assert.deepEqual(stored.map((e) => e.message), sent);
  assert.ok(server.calls.PutLogEvents! >= 3, `PutLogEvents calls: ${server.calls.PutLogEvents}`);
  assert.deepEqual([server.calls.CreateLogStream, server.calls.CreateLogGroup], [2, 1]); // stream failed (no group), group, stream
});

test('an event over 256 KB − 26 bytes is split at a character boundary with a message', async () => {
  server.seed.group(G);
  const { s, warnings } = sink();
  const big = { schema: SCHEMA, event: 'run_start', run_id: 'r1', time: new Date().toISOString(), config: { epochs: 1, batch_size: 32, optimizer: 'adam', learning_rate: 0.001, model: 'mlp', seed: 1, train_samples: 1, validation_samples: 1 }, model: { name: 'é'.repeat(200_000), parameters: 1, layers: [] }, runtime: { backend: 'cpu', backend_reason: 'test', versions: {}, platform: 'linux', arch: 'x64', host: 'test' } } as TrainEvent;
  s.write(big);
  await s.close();
  const stored = server.events(G, 'mnist-train/r1');
  assert.equal(stored.length, 2);
  assert.equal(stored.map((e) => e.message).join(''), serializeEvent(big));
  assert.ok(stored.every((e) => Buffer.byteLength(e.message) + 26 <= 262_144));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^run_start event of 400\d{3} bytes is over the 256 KB CloudWatch limit; shipped in 2 fragments$/);
  assert.equal(server.calls.CreateLogGroup ?? 0, 0); // the group existed
});

test('events more than 24 h apart go in separate batches; out-of-order times are clamped', async () => {
  const { s } = sink();
  const t = Date.now() - 3 * 86400_000;
  s.write(batchEvent(0, t));
  s.write(batchEvent(1, t + 2 * 86400_000));
  s.write(batchEvent(2, t + 2 * 86400_000 - 5000)); // earlier than the one before
  await s.close();
  const stored = server.events(G, 'mnist-train/r1');
  assert.deepEqual(stored.map((e) => e.timestamp), [t, t + 2 * 86400_000, t + 2 * 86400_000]);
  assert.equal(server.calls.PutLogEvents, 2);
});

test('the timer flushes without an explicit flush', async () => {
  const { s } = sink({ flushIntervalMs: 50 });
  s.write(batchEvent(0, Date.now()));
  for (let i = 0; i < 200 && server.events(G, 'mnist-train/r1').length === 0; i++) await new Promise((r) => setTimeout(r, 25));
  assert.equal(server.events(G, 'mnist-train/r1').length, 1);
  await s.close();
});

test('throttling on every third call and a 500 are retried; nothing is lost', async () => {
  server.faults.throttleEvery(3);
  server.faults.failOnce('PutLogEvents');
  const { s } = sink();
  const now = Date.now();
  for (let i = 0; i < 30; i++) { s.write(batchEvent(i, now + i)); if (i % 10 === 9) await s.flush(); }
  await s.close();
  assert.equal(s.failure, null);
  assert.deepEqual(server.events(G, 'mnist-train/r1').map((e) => JSON.parse(e.message).batch), Array.from({ length: 30 }, (_, i) => i + 1));
});

test('a permanent failure is one line, stops shipping and leaves flush resolving', async () => {
  server.faults.error('AccessDeniedException', { op: 'CreateLogStream' });
  const { s, warnings } = sink();
  s.write(batchEvent(0, Date.now()));
  await s.flush();
  s.write(batchEvent(1, Date.now()));
  await s.close();
  assert.ok(s.failure instanceof UserError);
  assert.equal(warnings.length, 2);
  assert.match(warnings[0]!, /^shipping events to log group \/ecs\/mnist-training, stream mnist-train\/r1: access denied; the caller needs logs:CreateLogGroup, logs:CreateLogStream and logs:PutLogEvents on the log group \(.*\); shipping stopped, 1 event not shipped so far \(stdout has every event\)$/);
  assert.match(warnings[1]!, /^2 of 2 events were not shipped to log group \/ecs\/mnist-training, stream mnist-train\/r1 at http:\/\/127\.0\.0\.1:\d+ \(stdout has every event\)$/);
  assert.equal(server.calls.PutLogEvents ?? 0, 0);
});

test('issue 15 (1, 9): a hung PutLogEvents times out; close() keeps its deadline and counts what was not shipped', async () => {
  server.faults.hang('PutLogEvents');
  const hung = sink({ timeoutMs: 200, maxAttempts: 2 });
  for (let i = 0; i < 3; i++) hung.s.write(batchEvent(i, Date.now()));
  await hung.s.close();
  assert.equal(server.calls.PutLogEvents, 2); // a timeout is retried by the SDK, never re-sent by us on top
  assert.deepEqual(hung.warnings.map((w) => w.replace(/127\.0\.0\.1:\d+/, 'HOST').replace(/retrying in \d+\.\d+ s$/, 'retrying in S')), [
    'PutLogEvents did not answer within 0.2 s (attempt 1 of 2); retrying in S', // the retry, said before its wait
    'shipping events to log group /ecs/mnist-training, stream mnist-train/r1: CloudWatch Logs at http://HOST did not answer within 0.2 s after 2 attempts (raise --timeout or check the endpoint); shipping stopped, 3 events not shipped so far (stdout has every event)',
    '3 of 3 events were not shipped to log group /ecs/mnist-training, stream mnist-train/r1 at http://HOST (stdout has every event)',
  ]);
  // Endless throttling: the final flush ends at its deadline and says so.
  server.faults.clear();
  server.faults.throttleEvery(1, 'PutLogEvents');
  // a deadline long enough for the first throttled answer and its retry line on a loaded machine (at 1.5 s the
  // full suite once saw the deadline's line first)
  const throttled = sink({ flushDeadlineMs: 4000 });
  for (let i = 0; i < 4; i++) throttled.s.write(batchEvent(i, Date.now()));
  const t = performance.now();
  await throttled.s.close();
  assert.ok(performance.now() - t < 10_000);
  // each retry is said (the SDK's, then ours after them); then the one line of the deadline
  assert.match(throttled.warnings[0]!, /^PutLogEvents was throttled \(ThrottlingException\) \(attempt 1 of 8\); retrying in \d+\.\d+ s$/);
  const final = throttled.warnings.filter((w) => !/; retrying in |sending the batch again/.test(w));
  assert.equal(final.length, 1, throttled.warnings.join('\n'));
  assert.match(final[0]!, /^the final flush to log group \/ecs\/mnist-training, stream mnist-train\/r1 at http:\/\/127\.0\.0\.1:\d+ did not end within 4 s: 4 of 4 events not shipped \(stdout has every event\)$/);
  assert.doesNotMatch(throttled.warnings.join(' '), /--since|--log-stream-prefix/);
});
