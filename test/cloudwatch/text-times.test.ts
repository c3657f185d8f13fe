// What a trainer's text log read from CloudWatch can say about time: its events' timestamps are
// when the lines were shipped (PutLogEvents), not when the trainer printed them. Python's stdout is
// block-buffered on ECS, so a Keras log arrives in bursts: its run must not "take 1 s" next to five
// epochs of 4 s each, and gaps between such times show no stall. Our own events carry their `time`.
// Each case seeds a real capture into the CloudWatch test server and reads it through the real SDK.

import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readCloudWatchRecords } from '../../src/sources/cloudwatch.js';
import { collectRuns } from '../../src/runs/collect.js';
import { analyzeRun } from '../../src/analyze/analyze.js';
import type { Analysis } from '../../src/analyze/types.js';
import * as msg from '../../src/wording/checks.js';
import { startCloudWatchServer, type CloudWatchServer } from '../support/cloudwatch-server.js';
import { TEST_REGION, useTestServer } from '../support/cloudwatch-sdk.js';

const G = '/ecs/keras-training';
const T0 = Date.UTC(2026, 10, 20, 0, 0, 0);
const serverOf = useTestServer({ before, after, beforeEach }, () => startCloudWatchServer());
let server: CloudWatchServer;
beforeEach(() => { server = serverOf(); });

const linesOf = (fixture: string): string[] => readFileSync(new URL(`../../fixtures/${fixture}`, import.meta.url), 'utf8').split('\n').filter((l) => l.trim());

async function analysisOf(): Promise<Analysis> {
  const parsed = await collectRuns(readCloudWatchRecords({ logGroup: G, region: TEST_REGION, endpointUrl: server.url, run: 'latest', now: T0 + 86400_000 }));
  assert.equal(parsed.runs.length, 1);
  return analyzeRun(parsed.runs[0]!, parsed.quality, { generatedAt: '2026-11-24T00:00:00.000Z' });
}

const stallsCheck = (a: Analysis) => a.checks.find((c) => c.id === 'timing.stalls')!;
const timingSentences = (a: Analysis): string => a.observations.find((o) => o.topic === 'Resources and timing')!.sentences.join(' ');
const sum = (xs: (number | null)[]): number => xs.reduce<number>((s, x) => s + (x ?? 0), 0);

for (const fixture of ['keras2-verbose2.log', 'keras3.log']) {
  test(`${fixture} shipped in one burst: its epochs' printed durations, not the event times, and no stall verdict`, async () => {
    server.seed.stream(G, 'ecs/trainer/burst', linesOf(fixture).map((message) => ({ timestamp: T0, message })));
    const a = await analysisOf();
    assert.ok(a.epochs.length >= 2 && a.epochs.every((e) => e.duration_ms !== null && e.time !== null));
    const printed = sum(a.epochs.map((e) => e.duration_ms));
    assert.deepEqual(a.timing.shipped, { span_ms: 0, in_bursts: true, total_from: 'epoch durations' });
    assert.equal(a.timing.total_ms, printed);
    assert.equal(a.run.duration_ms, printed);
    const said = timingSentences(a);
    assert.match(said, /by the durations the trainer printed \(their sum\)/);
    assert.match(said, /cannot be the training's times/);
    assert.doesNotMatch(said, /first to last event/);
    const stalls = stallsCheck(a);
    assert.equal(stalls.status, 'info');
    assert.equal(stalls.value, null);
    assert.equal(stalls.message, msg.stalls([], 3, a.timing.median_epoch_ms, true, false, a.timing.shipped));
    assert.match(stalls.message, /cannot be measured/);
  });
}

test('a Keras log shipped line by line as printed: the time is said to be CloudWatch\'s, and gaps are measured from it', async () => {
  // each epoch's result line shipped when its epoch ended: the header at T0, then the printed durations added up
  const lines = linesOf('keras2-verbose2.log');
  let at = T0;
  const seeded = lines.map((message) => {
    const d = /^\d+\/\d+ - (\d+)s - /.exec(message);
    if (d) at += Number(d[1]) * 1000 + 50;
    return { timestamp: at, message };
  });
  server.seed.stream(G, 'ecs/trainer/unbuffered', seeded);
  const a = await analysisOf();
  assert.equal(a.timing.shipped?.in_bursts, false);
  assert.equal(a.timing.shipped?.total_from, 'event times');
  assert.equal(a.timing.total_ms, at - T0);
  assert.match(timingSentences(a), /by CloudWatch's event times \(when the lines were shipped, which for buffered output can be far from when they were printed\)/);
  const stalls = stallsCheck(a);
  assert.equal(stalls.status, 'pass');
  assert.match(stalls.message, /CloudWatch event times \(when their lines were shipped\)/);
});

test('mnist-train events shipped in one burst keep their own times: stalls are measured from their time field', async () => {
  const lines = linesOf('mnist-train-5epochs.jsonl');
  server.seed.stream(G, 'mnist-train/burst', lines.map((message) => ({ timestamp: T0, message })));
  const a = await analysisOf();
  assert.equal(a.timing.shipped, undefined);
  assert.equal(stallsCheck(a).status, 'pass');
  assert.match(stallsCheck(a).message, /^No stall: no gap between epoch timestamps/);
  assert.doesNotMatch(timingSentences(a), /CloudWatch/);
});
