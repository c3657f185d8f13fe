// bench:insights — --list and --history 1000 over a big log group, Logs Insights against
// FilterLogEvents, against the CloudWatch test server (issue 16: 10,000 runs in 5,000 streams,
// 10 million events with batch_end, in at most 30 s and 200 MB), with the API calls each made.
//
//   npm run build && npm run bench:insights [-- --runs 10000 --streams 5000 --batches 98]
//     [--engines insights,filter] [--filter-runs 200] [--bin dist/cli/report.cjs,OTHER/dist/cli/report.cjs]
//
// The group: bench/insights-seed.ts (992 events a run: 9.92 million for 10,000 runs).
// FilterLogEvents cannot read 10 million events in the time (~1,750 pages of 1 MB at the client's
// 4 calls a second, and ~80 minutes at the pace measured here), so the filter engine runs over a
// group of --filter-runs runs of the same shape, seeded beside the big one, and its API calls and
// time are also given scaled to --runs (both grow with the events: the same events a run, the
// same page size); `--filter-runs` equal to `--runs` measures it on the big group itself.
// Several --bin (comma-separated) run one after the other for each case, so that a before and an
// after are measured in the same minutes.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloudWatchServer } from '../test/support/cloudwatch-server.js';
import { seedBigGroup } from './insights-seed.js';
import { runAgainst, type Ran } from './cloudwatch-run.js';
import { load } from './measure.js';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const BINS = arg('--bin', 'dist/cli/report.cjs').split(',');
const RUNS = Number(arg('--runs', '10000'));
const STREAMS = Number(arg('--streams', String(Math.max(1, RUNS / 2))));
const BATCHES = Number(arg('--batches', '98'));
const ENGINES = arg('--engines', 'insights,filter').split(',');
const FILTER_RUNS = Math.min(RUNS, Number(arg('--filter-runs', '200')));
const EPOCHS = 10;
const TARGET = { s: 30, mb: 200 };
const G = '/ecs/mnist-training';
const G_SMALL = '/ecs/mnist-training-small';

const server = await startCloudWatchServer();
const t0 = performance.now();
const events = seedBigGroup(server, { group: G, runs: RUNS, streams: STREAMS, batches: BATCHES, epochs: EPOCHS });
const streams = server.store.groups.get(G)!.streams;
const smallEvents = ENGINES.includes('filter') && FILTER_RUNS < RUNS
  ? seedBigGroup(server, { group: G_SMALL, runs: FILTER_RUNS, streams: Math.max(1, Math.round(FILTER_RUNS * STREAMS / RUNS)), batches: BATCHES, epochs: EPOCHS })
  : events;
const scale = events / smallEvents;
const seedS = (performance.now() - t0) / 1000;
const heapMb = process.memoryUsage().rss / 1048576;

const tmp = await mkdtemp(join(tmpdir(), 'bench-insights-'));
console.log(`# bench:insights (${BINS.join(', ')}; node ${process.version}; load ${load()})`);
console.log(`group: ${RUNS} runs in ${streams.size} streams, ${EPOCHS} epochs of ${BATCHES} batch_end + epoch_end each: ${events.toLocaleString('en')} events ` +
  `(seeded in ${seedS.toFixed(1)} s; server process RSS ${heapMb.toFixed(0)} MB)`);
if (scale !== 1) console.log(`filter engine: over ${G_SMALL}, ${FILTER_RUNS} runs of the same shape (${smallEvents.toLocaleString('en')} events), scaled x${scale.toFixed(1)} to the big group`);
console.log('');
console.log('case | engine | wall s | test server\'s query work s | wall − that s | CPU s | MB peak RSS | exit | API calls | note');
console.log('--- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---');

const calls = (): string => Object.entries(server.calls).sort().map(([op, n]) => `${op} ${n}`).join(', ');
const verdicts: string[] = [];
// The test server runs each Insights query in this process, in one thread (the service scans on its
// own fleet): that time is shown, and the wall time without it.
let busyBefore = 0;
const label = (bin: string): string => (BINS.length > 1 ? ` (${bin})` : '');
const row = (name: string, engine: string, r: Ran, note: string): void => {
  const busy = (server.insights.busyMs - busyBefore) / 1000;
  busyBefore = server.insights.busyMs;
  const wall = r.wallMs / 1000;
  const total = server.totalCalls();
  console.log(`${name} | ${engine} | ${wall.toFixed(1)} | ${busy.toFixed(1)} | ${(wall - busy).toFixed(1)} | ${r.cpuS?.toFixed(1) ?? '?'} | ${r.rssMb?.toFixed(0) ?? '?'} | ${r.code} | ${calls()} (${total}) | ${note}`);
  if (engine.startsWith('filter') && scale !== 1) {
    // calls and time grow with the events (the same events a run, the same 1 MB pages); the client allows 4 FilterLogEvents a second
    const filterCalls = Math.round((server.calls.FilterLogEvents ?? 0) * scale);
    console.log(`${name} | ${engine}, scaled x${scale.toFixed(1)} | ~${(wall * scale).toFixed(0)} (at least ${(filterCalls / 4).toFixed(0)} at 4 calls/s) | | | ~${((r.cpuS ?? NaN) * scale).toFixed(0)} | | | ~${Math.round(total * scale)} (FilterLogEvents ~${filterCalls}) | not run: scaled from ${FILTER_RUNS} runs`);
    const scaledS = Math.max(wall * scale, filterCalls / 4);
    verdicts.push(`${name}, ${engine}: measured at ${FILTER_RUNS} runs ${wall.toFixed(1)} s, ${r.rssMb?.toFixed(0)} MB, ${total} API calls; scaled to ${RUNS} runs ~${scaledS.toFixed(0)} s and ~${Math.round(total * scale)} API calls: ` +
      `${scaledS <= TARGET.s ? 'met' : 'NOT met'} on time (scaled), memory not measured at that size`);
    return;
  }
  const met = ((wall - busy) <= TARGET.s ? 'met' : 'NOT met') + ' on time, ' + ((r.rssMb ?? Infinity) <= TARGET.mb ? 'met' : 'NOT met') + ' on memory';
  verdicts.push(`${name}, ${engine}: ${wall.toFixed(1)} s (${(wall - busy).toFixed(1)} s without the test server's query work), ${r.rssMb?.toFixed(0)} MB, ${total} API calls; against ${TARGET.s} s and ${TARGET.mb} MB: ${met}`);
};
const insightsLine = (stderr: string): string => stderr.split('\n').find((l) => l.includes('Logs Insights:'))?.replace(/^mnist-report: /, '') ?? '';

for (const engine of ENGINES) {
  const group = engine === 'filter' ? (scale !== 1 ? G_SMALL : G) : G;
  const common = ['--log-group', group, '--generated-at', '2026-11-24T00:00:00Z', '--engine', engine];
  for (const bin of BINS) {
    server.resetCalls();
    const list = await runAgainst(server, bin, [...common, '--list', '--format', 'json'], 1_800_000);
    let n = -1;
    try { n = (JSON.parse(list.stdout) as unknown[]).length; } catch { /* not JSON */ }
    row('--list --format json', engine + label(bin), list, `${n} runs listed; ${insightsLine(list.stderr) || list.stderr.trim().split('\n').at(-1)}`);
  }
  for (const bin of BINS) {
    server.resetCalls();
    const history = await runAgainst(server, bin, [...common, '--history', '1000', '--format', 'json', '--out', join(tmp, engine)], 1_800_000);
    const said = history.stderr.split('\n').find((l) => /previous \d+ runs|no band|History/.test(l)) ?? history.stderr.trim().split('\n').at(-1) ?? '';
    row('--history 1000 -f json', engine + label(bin), history, `${insightsLine(history.stderr)}; ${said.replace(/^mnist-report: /, '').slice(0, 160)}`);
  }
}
console.log(`\n${verdicts.map((v) => `- ${v}`).join('\n')}\n\nload now ${load()}`);
await rm(tmp, { recursive: true, force: true });
await server.close();
