// bench:cloudwatch — mnist-report against the CloudWatch test server at the scale of a real group.
//
//   A group of 200 streams, one run each (bench/gen-runs.ts: 5 epochs, a batch_end every 100
//   batches, numbers that differ from run to run), then: --list, --list --format json, --run all
//   with the default formats (md, html, json, SVG + PNG charts) against the issue's target (20 s,
//   200 MB) and beside the same --run all over the same events from a file (the anchor: what
//   the fetch adds), --run latest; and one stream of N events for each N of --big (default
//   100,000, 200,000 and 400,000: the runs stage's dedupe window is 100,000 events), read with --run latest -f json beside the same events from a file:
//   peak RSS of a fetch, which must not grow with N.
//
//   npm run build && npm run bench:cloudwatch [-- --bin OTHER/dist/cli/report.cjs] [--runs 200]
//     [--big 100000,200000,400000] [--only all|big]

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeEvent, SCHEMA } from '../src/events.js';
import { startCloudWatchServer } from '../test/support/cloudwatch-server.js';
import { runLines } from '../test/support/cloudwatch-runs.js';
import type { SeedEvent } from '../test/support/cloudwatch-server.js';
import { runAgainst, type Ran } from './cloudwatch-run.js';
import { BATCHES_PER_EPOCH, EPOCHS, groupRun } from './gen-runs.js';
import { load } from './measure.js';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const BIN = arg('--bin', 'dist/cli/report.cjs');
const RUNS = Number(arg('--runs', '200'));
const BIG = arg('--big', '100000,200000,400000').split(',').map(Number);
const ONLY = arg('--only', '');
const T0 = Date.now() - 3 * 86400_000;
const TARGET = { s: 20, mb: 200 };

/** One stream of `n` events: run_start, batch_end…, epoch_end, run_end of one run. */
function bigStream(n: number): SeedEvent[] {
  const id = `big-${n}`;
  const big: SeedEvent[] = [];
  for (const e of runLines(id, 1, T0)) big.push(e);
  const end = big.pop()!;
  const epochEnd = big.pop()!;
  for (let i = 0; big.length < n - 2; i++) {
    const ts = T0 + 500 + i;
    big.push({ timestamp: ts, message: serializeEvent({ schema: SCHEMA, event: 'batch_end', run_id: id, time: new Date(ts).toISOString(), epoch: 1, batch: i + 1, loss: 1 / (i + 1), accuracy: 0.5 }) });
  }
  big.push({ ...epochEnd, timestamp: T0 + 500 + n }, { ...end, timestamp: T0 + 501 + n });
  return big;
}

const server = await startCloudWatchServer();
const tmp = await mkdtemp(join(tmpdir(), 'bench-cw-'));
const G = '/ecs/mnist-training';
const groupLines: string[] = [];
for (let i = 0; i < RUNS; i++) {
  const events = groupRun(i, T0 + i * 60_000);
  server.seed.stream(G, `ecs/mnist-training/task-${String(i).padStart(5, '0')}`, events);
  for (const e of events) groupLines.push(e.message);
}
const groupFile = join(tmp, 'group.jsonl');
await writeFile(groupFile, groupLines.join('\n') + '\n');

const row = (name: string, r: Ran, note = ''): string =>
  `${name} | ${(r.wallMs / 1000).toFixed(2)} | ${r.cpuS?.toFixed(2) ?? '?'} | ${r.rssMb?.toFixed(0) ?? '?'} | ${r.code} | ${note}`;
const lastLine = (s: string): string => s.trim().split('\n').at(-1) ?? '';
const reports = (r: Ran): string => `${(r.stderr.match(/wrote \d+ files to /g) ?? []).length} reports; ${(r.stderr.match(/run \d+\/\d+/g) ?? []).slice(-1)[0] ?? 'no run i/N progress'}`;

console.log(`# bench:cloudwatch (${BIN}; node ${process.version}; load ${load()})`);
console.log(`group: ${RUNS} streams, one run each: ${EPOCHS} epochs, ${BATCHES_PER_EPOCH} batch_end a epoch, ${groupLines.length} events\n`);
console.log('case | wall s | CPU s (user+sys) | MB peak RSS | exit | note');
console.log('--- | ---: | ---: | ---: | ---: | ---');
const common = ['--log-group', G, '--generated-at', '2026-11-24T00:00:00Z'];
const verdicts: string[] = [];
if (ONLY === '' || ONLY === 'all') {
  const list = await runAgainst(server, BIN, [...common, '--list']);
  console.log(row('--list', list, `${list.stdout.trim().split('\n').filter(Boolean).length} lines on stdout; ${lastLine(list.stderr)}`));
  const listJson = await runAgainst(server, BIN, [...common, '--list', '--format', 'json']);
  let n = -1;
  try { n = (JSON.parse(listJson.stdout) as unknown[]).length; } catch { /* not JSON */ }
  console.log(row('--list --format json', listJson, `${n} runs in the JSON`));
  const all = await runAgainst(server, BIN, [...common, '--run', 'all', '--out', join(tmp, 'all')], 600_000);
  console.log(row('--run all (md, html, json, charts)', all, `load ${load()}; ${reports(all)}`));
  const file = await runAgainst(server, BIN, ['-i', groupFile, '--generated-at', '2026-11-24T00:00:00Z', '--run', 'all', '--out', join(tmp, 'all-file')], 600_000);
  console.log(row('anchor: -i file --run all, the same events', file, `load ${load()}; ${reports(file)}`));
  const latest = await runAgainst(server, BIN, [...common, '--out', join(tmp, 'latest')]);
  console.log(row('--run latest', latest, lastLine(latest.stderr).slice(0, 100)));
  const met = (all.wallMs / 1000 <= TARGET.s ? 'met' : 'NOT met') + ' on time, ' + ((all.rssMb ?? Infinity) <= TARGET.mb ? 'met' : 'NOT met') + ' on memory';
  verdicts.push(`--run all of ${RUNS} runs: ${(all.wallMs / 1000).toFixed(1)} s (${all.cpuS?.toFixed(1)} s CPU), ${all.rssMb?.toFixed(0)} MB against ${TARGET.s} s and ${TARGET.mb} MB: ${met}; ` +
    `x${(all.wallMs / file.wallMs).toFixed(2)} the wall time and x${((all.rssMb ?? 0) / (file.rssMb ?? 1)).toFixed(2)} the peak RSS of the same events from a file`);
}
if (ONLY === '' || ONLY === 'big') {
  const peaks: { n: number; cw: number; file: number }[] = [];
  for (const n of BIG) {
    const events = bigStream(n);
    const group = `/ecs/big-${n}`;
    server.seed.stream(group, 'ecs/mnist-training/big', events);
    const path = join(tmp, `big-${n}.jsonl`);
    await writeFile(path, events.map((e) => e.message).join('\n') + '\n');
    events.length = 0;
    const cw = await runAgainst(server, BIN, ['--log-group', group, '--format', 'json', '--out', join(tmp, `big-cw-${n}`)], 600_000);
    console.log(row(`--run latest -f json, one stream of ${n} events`, cw, lastLine(cw.stderr).slice(0, 90)));
    const file = await runAgainst(server, BIN, ['--input', path, '--format', 'json', '--out', join(tmp, `big-file-${n}`)], 600_000);
    console.log(row(`anchor: -i file -f json, the same ${n} events`, file, ''));
    peaks.push({ n, cw: cw.rssMb ?? NaN, file: file.rssMb ?? NaN });
    server.store.groups.delete(group);
  }
  if (peaks.length > 1) {
    const [a, b] = [peaks[0]!, peaks.at(-1)!];
    verdicts.push(`fetch peak RSS, ${a.n} → ${b.n} events: CloudWatch ${a.cw.toFixed(0)} → ${b.cw.toFixed(0)} MB (x${(b.cw / a.cw).toFixed(2)}), ` +
      `file ${a.file.toFixed(0)} → ${b.file.toFixed(0)} MB (x${(b.file / a.file).toFixed(2)}); CloudWatch / file at ${b.n}: x${(b.cw / b.file).toFixed(2)}`);
  }
}
console.log(`\n${verdicts.map((v) => `- ${v}`).join('\n')}\n\nload now ${load()}`);
await rm(tmp, { recursive: true, force: true });
await server.close();
