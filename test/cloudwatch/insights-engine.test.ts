// --engine auto|insights|filter over a whole log group, against the CloudWatch test server
// through the real SDK: the same run list either way, the fallback when Insights is denied or
// missing, the split at the 10,000-row cap, and the reported run read whole after Insights.

import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readCloudWatchRecords, type CloudWatchSourceOptions } from '../../src/sources/cloudwatch.js';
import { collectRuns } from '../../src/runs/collect.js';
import type { ParsedLog } from '../../src/types.js';
import { startCloudWatchServer, type CloudWatchServer, type SeedEvent } from '../support/cloudwatch-server.js';
import { childEnv, TEST_REGION, useTestServer } from '../support/cloudwatch-sdk.js';
import { runLines } from '../support/cloudwatch-runs.js';
import { problemLines, REPORT_BIN, runBin } from '../support/cloudwatch-cli.js';

const G = '/ecs/mnist-training';
const T0 = Date.UTC(2026, 10, 20, 0, 0, 0);
const serverOf = useTestServer({ before, after, beforeEach }, () => startCloudWatchServer());
let server: CloudWatchServer;
beforeEach(() => { server = serverOf(); });

/** A run's lines with `perEpoch` batch_end events before each epoch_end (what Insights leaves out). */
function withBatches(id: string, epochs: number, start: number, perEpoch = 5): SeedEvent[] {
  const lines = runLines(id, epochs, start);
  const out: SeedEvent[] = [lines[0]!];
  for (const line of lines.slice(1)) {
    const epoch = (JSON.parse(line.message) as { epoch?: number }).epoch;
    if (epoch !== undefined) {
      for (let b = 1; b <= perEpoch; b++) {
        const ts = line.timestamp - 1000 + b * 100;
        out.push({ timestamp: ts, message: JSON.stringify({ schema: 'mnist-train/1', event: 'batch_end', run_id: id, time: new Date(ts).toISOString(), epoch, batch: b * 10, loss: 1 / b, accuracy: 0.5 }) });
      }
    }
    out.push(line);
  }
  return out;
}

function seedGroup(): void {
  server.seed.stream(G, 'ecs/mnist-training/a', withBatches('run-a', 3, T0));
  const b = withBatches('run-b', 4, T0 + 60_000);
  server.seed.stream(G, 'ecs/mnist-training/b1', b.slice(0, 12)); // a replaced task: the run goes on in b2
  server.seed.stream(G, 'ecs/mnist-training/b2', b.slice(12));
  server.seed.stream(G, 'ecs/mnist-training/c', withBatches('run-c', 2, T0 + 120_000).slice(0, -1)); // no run_end
  server.seed.stream(G, 'ecs/xray/a', [{ timestamp: T0 + 30_000, message: 'Starting X-Ray daemon' }]);
  server.seed.stream(G, 'keras/job', ['Epoch 1/2', '1875/1875 - 4s - loss: 0.29 - accuracy: 0.91 - val_loss: 0.14 - val_accuracy: 0.95',
    'Epoch 2/2', '1875/1875 - 4s - loss: 0.14 - accuracy: 0.95 - val_loss: 0.10 - val_accuracy: 0.96'].map((message, i) => ({ timestamp: T0 + 200_000 + i * 1000, message })));
}

const list = (engine: string, extra: string[] = []) =>
  runBin(REPORT_BIN, ['--log-group', G, '--list', '--format', 'json', '--engine', engine, '--generated-at', '2026-11-24T00:00:00Z', ...extra], childEnv(server));

test('--list: Logs Insights and FilterLogEvents give the same runs (JSON equal); Insights reads no batch_end and says what it scanned', async () => {
  seedGroup();
  const filter = await list('filter');
  assert.equal(filter.code, 0, filter.stderr);
  assert.equal(server.calls.StartQuery, undefined);
  const rows = JSON.parse(filter.stdout) as { run_id: string; epochs: number; streams: string[]; outcome: string }[];
  assert.deepEqual(rows.map((r) => [r.epochs, r.streams.length, r.outcome]), [[3, 1, 'completed'], [4, 2, 'completed'], [2, 1, 'incomplete'], [2, 1, 'completed']]);
  assert.deepEqual(rows.slice(0, 3).map((r) => r.run_id), ['run-a', 'run-b', 'run-c']);
  server.resetCalls();
  for (const engine of ['insights', 'auto']) {
    const insights = await list(engine);
    assert.equal(insights.code, 0, insights.stderr);
    assert.deepEqual(JSON.parse(insights.stdout), JSON.parse(filter.stdout), engine);
    assert.match(insights.stderr, /^mnist-report: cloudwatch: Logs Insights: 1 query \(0 split at the 10,000-row cap\), 64 events and 0\.01 MB scanned \(billed per GB scanned\), 19 rows$/m);
    assert.deepEqual(problemLines(insights.stderr).filter((l) => /Insights is not available/.test(l)), []);
  }
  assert.equal(server.calls.StartQuery, 2);
  assert.equal(server.calls.FilterLogEvents, undefined);
  // the query asked for the three events and the text lines, not the batch points: run-a 5, run-b 6, run-c 3, X-Ray 1, Keras 4
  assert.deepEqual(server.insights.log.map((q) => q.matched), [19, 19]);
});

test('auto falls back to FilterLogEvents when Insights is denied or missing, in one stderr line and with the same runs; --engine insights stops', async () => {
  seedGroup();
  const filter = await list('filter');
  for (const mode of ['denied', 'missing'] as const) {
    server.insights.mode = mode;
    const auto = await list('auto');
    assert.equal(auto.code, 0, auto.stderr);
    assert.deepEqual(JSON.parse(auto.stdout), JSON.parse(filter.stdout));
    const said = problemLines(auto.stderr).filter((l) => /Insights/.test(l));
    assert.equal(said.length, 1, auto.stderr);
    assert.match(said[0]!, new RegExp(`^mnist-report: Logs Insights is not available for log group ${G} \\((AccessDeniedException|UnknownOperationException): .*\\): reading it with FilterLogEvents instead$`));
    const strict = await list('insights');
    assert.equal(strict.code, 2);
    assert.equal(strict.stdout, '');
    assert.deepEqual(problemLines(strict.stderr), [strict.stderr.trim().split('\n').at(-1)]);
    assert.match(strict.stderr, /with Logs Insights: not available .*logs:StartQuery, logs:GetQueryResults and logs:StopQuery, or use --engine filter$/m);
  }
  const bad = await list('fast');
  assert.deepEqual([bad.code, problemLines(bad.stderr)], [2, ['mnist-report: --engine must be one of auto, insights, filter, got "fast"']]);
});

async function parsed(opts: Partial<CloudWatchSourceOptions>): Promise<ParsedLog> {
  return collectRuns(readCloudWatchRecords({ logGroup: G, region: TEST_REGION, endpointUrl: server.url, run: 'all', now: T0 + 86400_000, ...opts }));
}

test('a window with more than 10,000 matching rows is split and re-run: every run is found, none lost to the cap', async () => {
  // 900 runs of 10 epochs: 12 matching rows each, 10,800 in all, plus 5 batch points an epoch
  const runs = 900;
  for (let s = 0; s < 30; s++) {
    const events: SeedEvent[] = [];
    for (let k = 0; k < runs / 30; k++) events.push(...withBatches(`run-${s}-${k}`, 10, T0 + (k * 30 + s) * 20_000, 5));
    events.sort((a, b) => a.timestamp - b.timestamp);
    server.seed.stream(G, `ecs/mnist-training/task-${s}`, events);
  }
  server.insights.concurrency = 2; // fewer than the pieces we run at once: LimitExceededException on the way
  const said: string[] = [];
  // the rows come a window at a time, the first before the last query has started, and the
  // caller hears of each answer (to collect its garbage)
  let pages = 0;
  let queriesAtFirstPage = -1;
  let answers = 0;
  const records = readCloudWatchRecords({ logGroup: G, region: TEST_REGION, endpointUrl: server.url, run: 'all', now: T0 + 86400_000,
    engine: 'insights', readWhole: 'none', onProgress: (m) => said.push(m), afterAnswer: () => answers++ });
  const p = await collectRuns((async function* () {
    for await (const page of records) {
      if (pages++ === 0) queriesAtFirstPage = server.insights.log.length;
      yield page;
    }
  })());
  assert.ok(pages >= 2 && queriesAtFirstPage < server.insights.log.length, `${pages} pages, ${queriesAtFirstPage} of ${server.insights.log.length} queries at the first`);
  assert.ok(answers >= server.calls.GetQueryResults! - 1, `${answers} answers heard of, ${server.calls.GetQueryResults} GetQueryResults`);
  assert.equal(p.runs.length, runs);
  assert.ok(p.runs.every((r) => r.epochs.length === 10 && r.end?.status === 'completed'));
  const log = server.insights.log;
  assert.equal(log[0]!.returned, 10_000);
  assert.equal(log[0]!.matched, runs * 12);
  assert.ok(log.length >= 3 && log.slice(1).every((q) => q.returned < 10_000), JSON.stringify(log));
  assert.match(said.find((l) => l.startsWith('cloudwatch: Logs Insights:'))!, /^cloudwatch: Logs Insights: \d+ queries \(1 split at the 10,000-row cap\)/);
  // FilterLogEvents finds the same runs
  const f = await parsed({ engine: 'filter' });
  assert.deepEqual(p.runs.map((r) => [r.run_id, r.epochs.length]), f.runs.map((r) => [r.run_id, r.epochs.length]));
  // --history's read: every run's rows handed on but the latest's (held back while it was the newest,
  // across the windows), which is read whole; the runs and their order are the same
  const latest = await parsed({ engine: 'insights', readWhole: 'latest' });
  const shape = (x: ParsedLog) => x.runs.map((r) => [r.run_id, r.streams, r.epochs, r.end, r.first_time, r.last_time]);
  assert.deepEqual(shape(latest), shape(f));
  assert.deepEqual(latest.runs.map((r) => r.batches.length > 0), f.runs.map((_, i) => i === f.runs.length - 1));
  assert.deepEqual(latest.runs.at(-1)!.batches, f.runs.at(-1)!.batches);
});

test('--history over Insights: the reported run is read whole (its batch points too), the earlier ones from the query alone', async () => {
  seedGroup();
  server.insights.concurrency = 1; // our own queries wait their turn rather than fail
  const viaInsights = await parsed({ engine: 'insights', readWhole: 'latest' });
  assert.deepEqual([server.calls.StartQuery, server.calls.FilterLogEvents], [1, 1]);
  const viaFilter = await parsed({ engine: 'filter' });
  const byId = (p: ParsedLog, id: string) => p.runs.find((r) => r.run_id === id)!;
  // run-c started last among the mnist-train runs: read whole, batch points and all
  assert.deepEqual(byId(viaInsights, 'run-c').batches, byId(viaFilter, 'run-c').batches);
  assert.ok(byId(viaFilter, 'run-c').batches.length > 0);
  assert.deepEqual(byId(viaInsights, 'run-a').batches, []);
  assert.deepEqual(byId(viaInsights, 'run-b').epochs, byId(viaFilter, 'run-b').epochs);
});

test('--run all --engine insights: every run read whole after the query, as FilterLogEvents reads them', async () => {
  seedGroup();
  const viaInsights = await parsed({ engine: 'insights', readWhole: 'all' });
  assert.deepEqual([server.calls.StartQuery, server.calls.FilterLogEvents], [1, 3]);
  const viaFilter = await parsed({ engine: 'filter' });
  const shape = (p: ParsedLog) => p.runs.map((r) => [r.run_id, r.streams, r.epochs, r.batches, r.end]);
  assert.deepEqual(shape(viaInsights), shape(viaFilter));
  // auto reads --run all with FilterLogEvents alone
  server.resetCalls();
  await parsed({ engine: 'auto', readWhole: 'all' });
  assert.deepEqual([server.calls.StartQuery, server.calls.FilterLogEvents], [undefined, 1]);
});
