// The progress lines of a log-group read, as a tester read them: "1 streams examined", and
// "page 1, 12 events / page 2, 12 events / 12 events fetched" for a 12-line text stream, where the
// count was the read's total so far (page 2 was GetLogEvents' empty last page) but read as the page's.
// Against the CloudWatch test server, through the real SDK.

import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCloudWatchServer, type CloudWatchServer } from '../support/cloudwatch-server.js';
import { TEST_REGION, useTestServer } from '../support/cloudwatch-sdk.js';
import { readAll } from '../support/cloudwatch-runs.js';
import { ROOT } from '../support/cloudwatch-cli.js';

const G = '/ecs/progress-lines';
const T0 = Date.UTC(2026, 10, 20);
const serverOf = useTestServer({ before, after, beforeEach }, () => startCloudWatchServer());
let server: CloudWatchServer;
beforeEach(() => { server = serverOf(); });

const KERAS = readFileSync(join(ROOT, 'fixtures', 'keras2-verbose2.log'), 'utf8').split('\n').filter((l) => l !== '');

test('--run latest on a text stream: one stream examined; each page line says its own events and the total so far', async () => {
  server.seed.stream(G, 'keras/job-1', KERAS.map((message, i) => ({ timestamp: T0 + i * 1000, message })));
  const { records, progress } = await readAll({ logGroup: G, region: TEST_REGION, endpointUrl: server.url, run: 'latest', now: T0 + 86400_000 });
  assert.equal(records.length, KERAS.length);
  assert.ok(progress.includes('cloudwatch: 1 stream examined'), progress.join('\n'));
  const pages = progress.map((p) => /^cloudwatch: page (\d+): (\d+) events?, (\d+) so far$/.exec(p)).filter((m) => m !== null);
  assert.ok(pages.length >= 2, progress.join('\n'));
  let total = 0;
  for (const [i, m] of pages.entries()) {
    assert.equal(Number(m[1]), i + 1);
    total += Number(m[2]);
    assert.equal(Number(m[3]), total, progress.join('\n'));
  }
  // GetLogEvents ends a stream with an empty page that repeats the token: it says 0 events, not the total again
  assert.equal(Number(pages.at(-1)![2]), 0, progress.join('\n'));
  assert.equal(total, KERAS.length);
  assert.equal(progress.at(-1), `cloudwatch: ${KERAS.length} events fetched`);
});
