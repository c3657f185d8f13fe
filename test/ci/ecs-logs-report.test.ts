// The deployment and the report meet in CloudWatch: streams named the way the task
// definition's awslogs settings name them are found and reported by the exact
// mnist-report command of the CloudWatch workflow (against the CloudWatch test server).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloudWatchServer, type CloudWatchServer } from '../support/cloudwatch-server.js';
import { childEnv } from '../support/cloudwatch-sdk.js';
import { runLines } from '../support/cloudwatch-runs.js';
import { REPORT_BIN, ROOT, runBin } from '../support/cloudwatch-cli.js';

const read = (p: string) => readFile(join(ROOT, p), 'utf8');

let server: CloudWatchServer;
let out: string;
before(async () => {
  server = await startCloudWatchServer();
  out = await mkdtemp(join(tmpdir(), 'ecs-logs-'));
});
after(async () => {
  await server.close();
  await rm(out, { recursive: true, force: true });
});

/** The workflow's `npx mnist-report …` arguments, with the output folder and run input filled in. */
async function workflowReportArgs(outDir: string): Promise<string[]> {
  const wf = await read('.github/workflows/report-cloudwatch.yml');
  const m = /npx mnist-report ([^\n]+(?:\n {10}[^\n]+)*)/.exec(wf);
  assert.ok(m, 'report-cloudwatch.yml runs npx mnist-report');
  return m[1]!.split(/\s+/).filter(Boolean).map((a) => (a === '"$REPORT_RUN"' ? 'latest' : a === 'ci-artifacts/report' ? outDir : a));
}

test('a task\'s stream (ecs/<container>/<task-id>) is what the CloudWatch workflow reports', async () => {
  const td = JSON.parse(await read('deploy/ecs-task-definition.json')) as {
    containerDefinitions: { name: string; logConfiguration: { options: Record<string, string> } }[];
  };
  const c = td.containerDefinitions[0]!;
  const opts = c.logConfiguration.options;
  const group = opts['awslogs-group']!;
  const taskId = '0123456789abcdef0123456789abcdef';
  const stream = `${opts['awslogs-stream-prefix']}/${c.name}/${taskId}`;

  // An older task's run, and the newest task: the bundled CloudWatch fixture's real events.
  const now = Date.now();
  server.seed.group(group);
  const fixture = JSON.parse(await read('fixtures/cloudwatch-filter-log-events.json')) as { events: { timestamp: number; message: string }[] };
  // older than the fixture's run by its events' own times too: --history reads the whole group and picks the latest by them
  server.seed.stream(group, `${opts['awslogs-stream-prefix']}/${c.name}/fedcba9876543210fedcba9876543210`,
    runLines('older-run', 3, Math.min(now, fixture.events[0]!.timestamp) - 7_200_000));
  const shift = now - 3_600_000 - fixture.events[0]!.timestamp;
  server.seed.stream(group, stream, fixture.events.map((e) => ({ timestamp: e.timestamp + shift, message: e.message })));
  const runId = (JSON.parse(fixture.events[0]!.message) as { run_id: string }).run_id;

  const args = await workflowReportArgs(out);
  assert.deepEqual(args.slice(0, 4), ['--log-group', group, '--region', opts['awslogs-region']]);
  const r = await runBin(REPORT_BIN, [...args, '--endpoint-url', server.url], childEnv(server));
  assert.equal(r.code, 0, r.stderr);
  const md = await readFile(join(out, runId, 'report.md'), 'utf8');
  assert.ok(md.includes(stream), 'the report names the task\'s log stream');
  assert.match(md, /✅ All 5 quality gates passed\./);
  // --history reads the whole group: the older task's run is the one earlier run, too few for a band
  assert.match(md, /## History\n\nOnly 1 earlier completed run of model mlp in log streams ecs\/mnist-training\/… with a final validation accuracy is in the input; a band needs at least 3/);
});
