// The data-quality invariant over a log group read as `--run all` reads it (the CLI's options,
// readCloudWatchRecords, collectRuns), against the CloudWatch test server through the real SDK:
// every count of the whole input is the runs' plus no run's, whatever the engine.

import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cloudWatchOptionsFromArgs } from '../../src/sources/cloudwatch-flags.js';
import { readCloudWatchRecords } from '../../src/sources/cloudwatch.js';
import { collectRuns } from '../../src/runs/collect.js';
import { SCHEMA } from '../../src/events.js';
import type { ParsedLog } from '../../src/types.js';
import { startCloudWatchServer, type CloudWatchServer, type SeedEvent } from '../support/cloudwatch-server.js';
import { TEST_REGION, useTestServer } from '../support/cloudwatch-sdk.js';
import { runLines } from '../support/cloudwatch-runs.js';
import { assertQualitySums } from '../support/quality-sum.js';

const G = '/ecs/mnist-training';
const T0 = Date.UTC(2026, 10, 20, 0, 0, 0);
const NOW = T0 + 86400_000;
const serverOf = useTestServer({ before, after, beforeEach }, () => startCloudWatchServer());
let server: CloudWatchServer;
beforeEach(() => { server = serverOf(); });

const at = (start: number, lines: string[]): SeedEvent[] => lines.map((message, i) => ({ timestamp: start + i * 1000, message }));
const event = (runId: string, name: string, time: number, over: Record<string, unknown> = {}) =>
  JSON.stringify({ schema: SCHEMA, event: name, run_id: runId, time: new Date(time).toISOString(), ...over });

/**
 * A log group of every shape the counts meet: each text capture under fixtures/ as a stream of its
 * own, all over the same minutes so that FilterLogEvents interleaves them; the CloudWatch example
 * as captured; a run whose epochs were delivered twice, with its trainer's stderr, chatter, an
 * unknown event, an implausible epoch and a traceback; a run over two streams (a replaced task);
 * a sidecar's stream; an event naming a run that never begins.
 */
function seedGroup(): void {
  for (const dir of ['fixtures', 'fixtures/formats', 'fixtures/bad']) {
    for (const name of readdirSync(dir)) {
      if (!/\.(log|jsonl|csv)$/.test(name)) continue;
      // CloudWatch holds no empty message
      const lines = readFileSync(join(dir, name), 'utf8').split('\n').filter((l) => l !== '');
      server.seed.stream(G, `files/${dir}/${name}`, at(T0, lines));
    }
  }
  const example = JSON.parse(readFileSync('fixtures/cloudwatch-filter-log-events.json', 'utf8')) as { events: { logStreamName: string; timestamp: number; message: string }[] };
  for (const e of example.events) server.seed.stream(G, e.logStreamName, [{ timestamp: e.timestamp, message: e.message }]);

  const a = runLines('run-a', 5, T0 + 10_000);
  const t = T0 + 20_500;
  server.seed.stream(G, 'ecs/mnist-training/a', [
    { timestamp: T0 + 9000, message: 'Starting training job' },
    { timestamp: T0 + 9100, message: 'mnist-train: backend wasm (tfjs-node is not installed)' },
    { timestamp: T0 + 9200, message: '2026-11-20 00:00:09.200000: I tensorflow/core/platform/cpu_feature_guard.cc:182] This TensorFlow binary is optimized to use available CPU instructions.' },
    ...a.slice(0, 4), ...a.slice(1, 4), ...a.slice(4), // epochs 1-3 stored twice (a PutLogEvents retry)
    { timestamp: t, message: event('run-a', 'learning_rate_change', t, { lr: 0.01 }) },
    { timestamp: t + 100, message: event('run-a', 'epoch_end', t + 100, { epoch: 2_000_000, epochs: 5, loss: 0.1 }) },
    { timestamp: t + 200, message: event('run-a', 'epoch_end', t + 200, { epochs: 5, loss: 0.1 }) },
    { timestamp: t + 300, message: 'Traceback (most recent call last):' },
  ]);
  const b = runLines('run-b', 4, T0 + 5000);
  server.seed.stream(G, 'ecs/mnist-training/b1', b.slice(0, 3));
  server.seed.stream(G, 'ecs/mnist-training/b2', [{ timestamp: T0 + 7500, message: 'Resuming from checkpoint' }, ...b.slice(3)]);
  server.seed.stream(G, 'ecs/xray/a', at(T0 + 500, ['Starting X-Ray daemon', '[Info] Successfully sent batch of 1 segments (0.010 seconds)']));
  server.seed.stream(G, 'ecs/mnist-training/ghost', [{ timestamp: T0 + 3000, message: event('ghost', 'learning_rate_change', T0 + 3000, { lr: 0.1 }) }]);
}

/** The log group read as `mnist-report --log-group G --run all [flags]` reads it. */
async function readAsRunAll(flags: Record<string, string>): Promise<ParsedLog> {
  const options = cloudWatchOptionsFromArgs({ 'log-group': G, region: TEST_REGION, 'endpoint-url': server.url, ...flags }, 'all', () => {}, 'all')!;
  return collectRuns(readCloudWatchRecords({ ...options, now: NOW }));
}

test('--run all over a log group, with FilterLogEvents, Logs Insights and auto: each count of the group is the runs\' plus no run\'s', async () => {
  seedGroup();
  const filter = await readAsRunAll({});
  assert.ok(filter.runs.length >= 30, `${filter.runs.length} runs`);
  assert.ok(filter.no_run && filter.quality.duplicate_records > 0 && filter.quality.unrecognised > 0 && filter.quality.invalid_events > 0
    && filter.quality.fragments > 0 && (filter.quality.runtime_chatter ?? 0) > 0 && filter.quality.unknown_events.length > 0 && filter.quality.field_gaps.length > 0,
  JSON.stringify({ ...filter.quality, examples: undefined }));
  assertQualitySums('--run all (auto: FilterLogEvents)', filter.quality, filter.runs.map((r) => r.quality), filter.no_run);
  for (const engine of ['filter', 'insights']) {
    server.resetCalls();
    const p = await readAsRunAll({ engine });
    assert.equal(server.calls.StartQuery !== undefined, engine === 'insights', `${engine}: ${JSON.stringify(server.calls)}`);
    assertQualitySums(`--run all --engine ${engine}`, p.quality, p.runs.map((r) => r.quality), p.no_run);
  }
});

test('--run all over a log group whose pages repeat events (same eventIds) and with --since cutting runs: the counts still add up', async () => {
  seedGroup();
  server.faults.duplicateEvents(2);
  const twice = await readAsRunAll({});
  assert.ok(twice.quality.duplicate_records > 0);
  assertQualitySums('--run all, pages sent twice', twice.quality, twice.runs.map((r) => r.quality), twice.no_run);
  for (const engine of ['filter', 'insights']) {
    // runs the window selects are read whole beyond its edge, by run_id
    const p = await readAsRunAll({ engine, since: new Date(T0 + 12_000).toISOString(), until: new Date(T0 + 14_000).toISOString() });
    assert.ok(p.runs.length > 0);
    assertQualitySums(`--run all --engine ${engine} --since --until`, p.quality, p.runs.map((r) => r.quality), p.no_run);
  }
});
