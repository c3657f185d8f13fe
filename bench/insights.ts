// bench:insights — --list and --history 1000 over a big log group, Logs Insights against
// FilterLogEvents, against the CloudWatch test server (issue 16: 10,000 runs in 5,000 streams,
// 10 million events with batch_end, in at most 30 s and 200 MB), with the API calls each made.
//
//   npm run build && npm run bench:insights [-- --runs 10000 --streams 5000 --batches 98]
//     [--engines insights,filter] [--bin OTHER/dist/cli/report.cjs]
//
// Run i: run_start, EPOCHS epochs of --batches batch_end and one epoch_end, run_end (10 epochs
// of 98: 992 events a run, 9.92 million for 10,000 runs); two runs a stream, one after the
// other. The events are put straight into the server's store (PutLogEvents would take longer
// than the bench), with short event ids, as flat strings: about 300 bytes an event, 3 GB at the
// full size (the script gives node 6 GB of heap). Texts made at each read instead (100 bytes an
// event) made every scan of the test server 10 times slower, longer than the client's 30 s timeout.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloudWatchServer } from '../test/support/cloudwatch-server.js';
import type { StoredEvent, Stream } from '../test/support/cloudwatch-store.js';
import { runLines } from '../test/support/cloudwatch-runs.js';
import { runAgainst, type Ran } from './cloudwatch-run.js';
import { load } from './measure.js';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const BIN = arg('--bin', 'dist/cli/report.cjs');
const RUNS = Number(arg('--runs', '10000'));
const STREAMS = Number(arg('--streams', String(Math.max(1, RUNS / 2))));
const BATCHES = Number(arg('--batches', '98'));
const ENGINES = arg('--engines', 'insights,filter').split(',');
const EPOCHS = 10;
const TARGET = { s: 30, mb: 200 };
const G = '/ecs/mnist-training';
// Runs 10 minutes apart (a run takes EPOCHS + 1 s of events), ending an hour ago.
const RUN_GAP = 600_000;
const T0 = Date.now() - RUNS * RUN_GAP - 3600_000;

const server = await startCloudWatchServer();
const t0 = performance.now();
let events = 0;
let ids = 0;
const streams = new Map<string, Stream>();
for (let i = 0; i < RUNS; i++) {
  const name = `ecs/mnist-training/task-${String(i % STREAMS).padStart(5, '0')}`;
  let s = streams.get(name);
  if (!s) streams.set(name, (s = { name, creationTime: T0, events: [] }));
  const id = `run-${String(i).padStart(5, '0')}`;
  const start = T0 + i * RUN_GAP;
  const f = 1 + (i % 23) / 7; // numbers that differ from run to run
  const base = runLines(id, EPOCHS, start);
  const add = (timestamp: number, message: string): void => {
    s!.events.push({ eventId: (ids++).toString(36), timestamp, ingestionTime: timestamp + 50, message } satisfies StoredEvent);
  };
  add(base[0]!.timestamp, base[0]!.message);
  for (let k = 1; k <= EPOCHS; k++) {
    for (let b = 1; b <= BATCHES; b++) {
      const ts = start + (k - 1) * 1000 + b * 5;
      // join, not +: concatenation leaves a rope of parts per string, several times the flat size
      add(ts, ['{"schema":"mnist-train/1","event":"batch_end","run_id":"', id, '","time":"', new Date(ts).toISOString(), '","epoch":', k,
        ',"batch":', b * 10, ',"loss":', ((1 + (i % 13) / 5) / (k * b)).toFixed(6), ',"accuracy":', (0.9 - (i % 7) / 100).toFixed(4), '}'].join(''));
    }
    const o = JSON.parse(base[k]!.message) as Record<string, number>;
    o.val_accuracy = 1 - (1 - o.val_accuracy!) * f;
    o.val_loss = o.val_loss! * f;
    add(base[k]!.timestamp, JSON.stringify(o));
  }
  add(base.at(-1)!.timestamp, base.at(-1)!.message);
  events += 2 + EPOCHS * (BATCHES + 1);
}
server.store.groups.set(G, { name: G, creationTime: T0, streams });
server.store.appended++;
const seedS = (performance.now() - t0) / 1000;
const heapMb = process.memoryUsage().rss / 1048576;

const tmp = await mkdtemp(join(tmpdir(), 'bench-insights-'));
console.log(`# bench:insights (${BIN}; node ${process.version}; load ${load()})`);
console.log(`group: ${RUNS} runs in ${streams.size} streams, ${EPOCHS} epochs of ${BATCHES} batch_end + epoch_end each: ${events.toLocaleString('en')} events ` +
  `(seeded in ${seedS.toFixed(1)} s; server process RSS ${heapMb.toFixed(0)} MB)\n`);
console.log('case | engine | wall s | test server\'s query work s | wall − that s | CPU s | MB peak RSS | exit | API calls | note');
console.log('--- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---');

const calls = (): string => Object.entries(server.calls).sort().map(([op, n]) => `${op} ${n}`).join(', ');
const totalCalls = (): number => server.totalCalls();
const verdicts: string[] = [];
// The test server runs each Insights query in this process, in one thread (the service scans on its
// own fleet): that time is shown, and the wall time without it.
let busyBefore = 0;
const row = (name: string, engine: string, r: Ran, note: string): void => {
  const busy = (server.insights.busyMs - busyBefore) / 1000;
  busyBefore = server.insights.busyMs;
  console.log(`${name} | ${engine} | ${(r.wallMs / 1000).toFixed(1)} | ${busy.toFixed(1)} | ${(r.wallMs / 1000 - busy).toFixed(1)} | ${r.cpuS?.toFixed(1) ?? '?'} | ${r.rssMb?.toFixed(0) ?? '?'} | ${r.code} | ${calls()} (${totalCalls()}) | ${note}`);
  const met = ((r.wallMs / 1000 - busy) <= TARGET.s ? 'met' : 'NOT met') + ' on time, ' + ((r.rssMb ?? Infinity) <= TARGET.mb ? 'met' : 'NOT met') + ' on memory';
  verdicts.push(`${name}, ${engine}: ${(r.wallMs / 1000).toFixed(1)} s (${(r.wallMs / 1000 - busy).toFixed(1)} s without the test server's query work), ${r.rssMb?.toFixed(0)} MB, ${totalCalls()} API calls; against ${TARGET.s} s and ${TARGET.mb} MB: ${met}`);
};
const common = ['--log-group', G, '--generated-at', '2026-11-24T00:00:00Z'];
const insightsLine = (stderr: string): string => stderr.split('\n').find((l) => l.includes('Logs Insights:'))?.replace(/^mnist-report: /, '') ?? '';

for (const engine of ENGINES) {
  server.resetCalls();
  const list = await runAgainst(server, BIN, [...common, '--list', '--format', 'json', '--engine', engine], 1_800_000);
  let n = -1;
  try { n = (JSON.parse(list.stdout) as unknown[]).length; } catch { /* not JSON */ }
  row('--list --format json', engine, list, `${n} runs listed; ${insightsLine(list.stderr) || list.stderr.trim().split('\n').at(-1)}`);
  server.resetCalls();
  const history = await runAgainst(server, BIN, [...common, '--history', '1000', '--format', 'json', '--out', join(tmp, engine), '--engine', engine], 1_800_000);
  const said = history.stderr.split('\n').find((l) => /previous \d+ runs|no band|History/.test(l)) ?? history.stderr.trim().split('\n').at(-1) ?? '';
  row('--history 1000 -f json', engine, history, `${insightsLine(history.stderr)}; ${said.replace(/^mnist-report: /, '').slice(0, 160)}`);
}
console.log(`\n${verdicts.map((v) => `- ${v}`).join('\n')}\n\nload now ${load()}`);
await rm(tmp, { recursive: true, force: true });
await server.close();
