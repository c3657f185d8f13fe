// --run latest on a log group never reports an older run in silence: GetLogEvents' empty pages
// (the service may answer them while events remain) do not end a look at a stream, and a newest
// stream whose last 100 events hold no run is read back to its start before it is passed over.
// Against the CloudWatch test server, through the real SDK, in-process and through the built bin.

import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudWatchSourceOptions } from '../../src/sources/cloudwatch.js';
import { MAX_EMPTY_PAGES, SCAN_EVENTS } from '../../src/sources/cloudwatch-latest.js';
import { collectRuns } from '../../src/runs/collect.js';
import { ServiceError, UserError } from '../../src/errors.js';
import * as lw from '../../src/wording/latest.js';
import type { LogRecord } from '../../src/types.js';
import { startCloudWatchServer, type CloudWatchServer, type SeedEvent } from '../support/cloudwatch-server.js';
import { childEnv, TEST_REGION, useTestServer } from '../support/cloudwatch-sdk.js';
import { readAll, runLines } from '../support/cloudwatch-runs.js';
import { problemLines, REPORT_BIN, ROOT, runBin } from '../support/cloudwatch-cli.js';

const G = '/ecs/mnist-training';
const T0 = Date.UTC(2026, 10, 20);
const HOUR = 3600_000;
const serverOf = useTestServer({ before, after, beforeEach }, () => startCloudWatchServer());
let server: CloudWatchServer;
beforeEach(() => { server = serverOf(); });

const fixture = (path: string): string[] => readFileSync(join(ROOT, 'fixtures', path), 'utf8').split('\n').filter((l) => l !== '');
/** A real Keras 2 verbose=2 capture: 5 epochs. */
const KERAS = fixture('keras2-verbose2.log');
/** Not training: another capture's first lines (the dataset download and a UserWarning). */
const DOWNLOAD = fixture('formats/keras3-download-evaluate.log').slice(0, 4);
const WARNING = DOWNLOAD.slice(2);
const cycle = (lines: string[], n: number): string[] => Array.from({ length: n }, (_, i) => lines[i % lines.length]!);
const at = (start: number, lines: string[]): SeedEvent[] => lines.map((message, i) => ({ timestamp: start + i * 1000, message }));

/** The tester's shape: a Keras run with 120 download lines before it and 150 other lines after it. */
const NOISY = [...cycle(DOWNLOAD, 120), ...KERAS, ...cycle(WARNING, 150)];

function read(opts: Partial<CloudWatchSourceOptions> = {}): Promise<{ records: LogRecord[]; progress: string[] }> {
  return readAll({ logGroup: G, region: TEST_REGION, endpointUrl: server.url, run: 'latest', now: T0 + 86400_000, ...opts });
}

async function failure(): Promise<Error> {
  try { await read(); } catch (err) { return err as Error; }
  assert.fail('expected the read to fail');
}

const runIds = (records: LogRecord[]): string[] => [...new Set(records.map((r) => (JSON.parse(r.message) as { run_id: string }).run_id))];

function threeRuns(): void {
  for (let k = 0; k < 3; k++) server.seed.stream(G, `ecs/mnist-training/task${k}`, runLines(`run-${k}`, 3, T0 + k * HOUR));
}

test('empty pages with a new token do not end a look: the newest run is reported, and no stream is said to hold none', async () => {
  threeRuns();
  server.faults.emptyPages(10);
  const { records, progress } = await read();
  assert.deepEqual(runIds(records), ['run-2']);
  assert.ok(!progress.some((p) => p.includes('holds no training run')), progress.join('\n'));
  assert.ok(progress.includes(lw.latestRun('run-2', 'ecs/mnist-training/task2')));
});

test('a stream that answers only empty pages ends in one line naming it, never in an older run', async () => {
  threeRuns();
  server.faults.emptyPages(10 * MAX_EMPTY_PAGES);
  const e = await failure();
  assert.ok(e instanceof ServiceError);
  assert.equal(e.message, lw.endlessEmptyPages(G, 'ecs/mnist-training/task2', MAX_EMPTY_PAGES));
  assert.match(e.message, /--log-stream ecs\/mnist-training\/task2/);
  assert.equal(server.calls.FilterLogEvents ?? 0, 0);
});

test('a text run with more than 100 other lines before and after it, in the newest stream, is the latest run', async () => {
  server.seed.stream(G, 'ecs/mnist-training/old', runLines('yesterday', 3, T0));
  server.seed.stream(G, 'ecs/mnist-training/new', at(T0 + 24 * HOUR, NOISY));
  const { records, progress } = await read();
  assert.deepEqual([...new Set(records.map((r) => r.stream))], ['ecs/mnist-training/new']);
  assert.deepEqual(records.map((r) => r.message), NOISY);
  const p = await collectRuns((async function* () { yield records; })());
  assert.equal(p.runs.length, 1);
  assert.match(p.runs[0]!.format, /^keras/);
  assert.deepEqual(p.runs[0]!.epochs.map((e) => e.epoch), [1, 2, 3, 4, 5]);
  assert.ok(progress.includes(lw.readingBack('ecs/mnist-training/new', 100)), progress.join('\n'));
  assert.ok(progress.includes(lw.latestText('ecs/mnist-training/new')));
});

test('a newer stream passed over was read whole and holds no run, and stderr says so', async () => {
  server.seed.stream(G, 'ecs/mnist-training/old', runLines('yesterday', 3, T0));
  server.seed.stream(G, 'ecs/sidecar/new', at(T0 + 24 * HOUR, cycle(DOWNLOAD, 250)));
  const { records, progress } = await read();
  assert.deepEqual(runIds(records), ['yesterday']);
  assert.ok(progress.includes(lw.holdsNoRun('ecs/sidecar/new', 250)), progress.join('\n'));
});

test('a newest stream too long to read back for a run ends in one line naming it', async () => {
  server.seed.stream(G, 'ecs/mnist-training/old', runLines('yesterday', 3, T0));
  server.seed.stream(G, 'ecs/agent/new', at(T0 + 24 * HOUR, cycle(WARNING, SCAN_EVENTS + 20_000)));
  const e = await failure();
  assert.ok(e instanceof UserError);
  // how many were read depends on the page sizes (1 MB a page): at least SCAN_EVENTS, not the whole stream
  const read = Number(/in its last ([\d,]+) events/.exec(e.message)?.[1]?.replace(/,/g, ''));
  assert.ok(read >= SCAN_EVENTS && read < SCAN_EVENTS + 20_000, e.message);
  assert.equal(e.message, lw.tooLongToSearch(G, 'ecs/agent/new', read));
  assert.match(e.message, /--log-stream ecs\/agent\/new, or report every run with --run all/);
});

test('the built bin: the noisy newest stream under empty pages is reported (rc 0); endless empty pages exit 1 with one line', async () => {
  const out = await mkdtemp(join(tmpdir(), 'cw-latest-'));
  try {
    server.seed.stream(G, 'ecs/mnist-training/old', runLines('yesterday', 3, T0));
    server.seed.stream(G, 'ecs/mnist-training/new', at(T0 + 24 * HOUR, NOISY));
    server.faults.emptyPages(10);
    const args = ['--log-group', G, '--endpoint-url', server.url, '--format', 'json', '--generated-at', '2026-11-24T00:00:00Z'];
    const ok = await runBin(REPORT_BIN, [...args, '--out', out], childEnv(server));
    assert.equal(ok.code, 0, ok.stderr);
    const [folder, ...more] = await readdir(out);
    assert.deepEqual(more, []);
    const report = JSON.parse(await readFile(join(out, folder!, 'report.json'), 'utf8')) as { run: { format: string }; epochs: unknown[] };
    assert.match(report.run.format, /^keras/);
    assert.equal(report.epochs.length, 5);
    assert.doesNotMatch(ok.stderr, /yesterday|holds no training run/);

    server.faults.clear();
    server.faults.emptyPages(10 * MAX_EMPTY_PAGES);
    const bad = await runBin(REPORT_BIN, [...args, '--out', join(out, 'bad')], childEnv(server));
    assert.equal(bad.code, 1);
    assert.deepEqual(problemLines(bad.stderr), [`mnist-report: ${lw.endlessEmptyPages(G, 'ecs/mnist-training/new', MAX_EMPTY_PAGES)}`]);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
