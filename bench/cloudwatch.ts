// bench:cloudwatch — mnist-report against the CloudWatch test server at the scale of a real group.
//
//   200 streams, one run each (5 epochs, a batch_end every 100 batches: what `--log-every-batches
//   100` logs), then: --list, --list --format json, --run all with the default formats (md, html,
//   json, charts), --run latest; and one stream of 200,000 events read with --run latest -f json
//   beside the same events from a file (peak memory of a fetch).
//
//   npm run build && npm run bench:cloudwatch [-- --bin OTHER/dist/cli/report.cjs] [--runs 200]

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeEvent, SCHEMA } from '../src/events.js';
import { startCloudWatchServer } from '../test/support/cloudwatch-server.js';
import { runLines } from '../test/support/cloudwatch-runs.js';
import type { SeedEvent } from '../test/support/cloudwatch-server.js';
import { runAgainst, type Ran } from './cloudwatch-run.js';
import { load } from './measure.js';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const BIN = arg('--bin', 'dist/cli/report.cjs');
const RUNS = Number(arg('--runs', '200'));
const EPOCHS = 5;
const BATCHES_PER_EPOCH = 18;
const BIG_STREAM = Number(arg('--big', '200000'));
const T0 = Date.now() - 3 * 86400_000;

/** One run as mnist-train --log-every-batches 100 writes it: run_start, batch_end…, epoch_end per epoch, run_end. */
function runWithBatches(id: string, start: number): SeedEvent[] {
  const base = runLines(id, EPOCHS, start);
  const out: SeedEvent[] = [base[0]!];
  for (let k = 1; k <= EPOCHS; k++) {
    for (let b = 1; b <= BATCHES_PER_EPOCH; b++) {
      const ts = start + (k - 1) * 1000 + b * 50;
      out.push({ timestamp: ts, message: serializeEvent({ schema: SCHEMA, event: 'batch_end', run_id: id, time: new Date(ts).toISOString(), epoch: k, batch: b * 100, loss: 1 / (k * b), accuracy: 0.9 }) });
    }
    out.push(base[k]!);
  }
  out.push(base.at(-1)!);
  return out;
}

const server = await startCloudWatchServer();
const G = '/ecs/mnist-training';
let events = 0;
for (let i = 0; i < RUNS; i++) {
  const lines = runWithBatches(`run-${String(i).padStart(4, '0')}`, T0 + i * 60_000);
  server.seed.stream(G, `ecs/mnist-training/task-${String(i).padStart(5, '0')}`, lines);
  events += lines.length;
}
const BIG = '/ecs/big-stream';
const big: SeedEvent[] = [];
const bigRun = `big-${BIG_STREAM}`;
for (const e of runLines(bigRun, 1, T0)) big.push(e);
for (let i = 0; big.length < BIG_STREAM; i++) {
  const ts = T0 + 1500 + i;
  big.splice(big.length - 1, 0, { timestamp: ts, message: serializeEvent({ schema: SCHEMA, event: 'batch_end', run_id: bigRun, time: new Date(ts).toISOString(), epoch: 1, batch: i + 1, loss: 1 / (i + 1), accuracy: 0.5 }) });
}
big.at(-1)!.timestamp = T0 + 1500 + BIG_STREAM;
server.seed.stream(BIG, 'ecs/mnist-training/big', big);
const tmp = await mkdtemp(join(tmpdir(), 'bench-cw-'));
const bigFile = join(tmp, 'big.jsonl');
await writeFile(bigFile, big.map((e) => e.message).join('\n') + '\n');

const row = (name: string, r: Ran, note = ''): string =>
  `${name} | ${(r.wallMs / 1000).toFixed(2)} | ${r.rssMb?.toFixed(0) ?? '?'} | ${r.code} | ${note}`;
const lastLine = (s: string): string => s.trim().split('\n').at(-1) ?? '';

console.log(`# bench:cloudwatch (${BIN}; node ${process.version}; load ${load()})`);
console.log(`group: ${RUNS} streams, one run each: ${EPOCHS} epochs, ${BATCHES_PER_EPOCH} batch_end a epoch, ${events} events; big stream: ${big.length} events\n`);
console.log('case | s | MB peak RSS | exit | note');
console.log('--- | ---: | ---: | ---: | ---');
const common = ['--log-group', G, '--generated-at', '2026-11-24T00:00:00Z'];
const list = await runAgainst(server, BIN, [...common, '--list']);
console.log(row('--list', list, `${list.stdout.trim().split('\n').filter(Boolean).length} lines on stdout; ${lastLine(list.stderr)}`));
const listJson = await runAgainst(server, BIN, [...common, '--list', '--format', 'json']);
let n = -1;
try { n = (JSON.parse(listJson.stdout) as unknown[]).length; } catch { /* not JSON */ }
console.log(row('--list --format json', listJson, `${n} runs in the JSON`));
const all = await runAgainst(server, BIN, [...common, '--run', 'all', '--out', join(tmp, 'all')], 600_000);
console.log(row('--run all (md, html, json, charts)', all, `${(all.stderr.match(/^mnist-report: wrote \d+ files/gm) ?? []).length} reports; ${(all.stderr.match(/run \d+\/\d+/g) ?? []).slice(-1)[0] ?? 'no run i/N progress'}`));
const latest = await runAgainst(server, BIN, [...common, '--out', join(tmp, 'latest')]);
console.log(row('--run latest', latest, lastLine(latest.stderr).slice(0, 100)));
const fetchBig = await runAgainst(server, BIN, ['--log-group', BIG, '--format', 'json', '--out', join(tmp, 'big-cw')], 600_000);
console.log(row(`--run latest -f json, one stream of ${big.length} events`, fetchBig, lastLine(fetchBig.stderr).slice(0, 100)));
const fileBig = await runAgainst(server, BIN, ['--input', bigFile, '--format', 'json', '--out', join(tmp, 'big-file')], 600_000);
console.log(row(`-i file -f json, the same ${big.length} events`, fileBig, ''));
console.log(`\nload now ${load()}`);
await rm(tmp, { recursive: true, force: true });
await server.close();
