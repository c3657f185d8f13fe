// bench:train: epoch time and samples/s of the default MLP and of the CNN on each
// backend that loads, stock tfjs against ours, in one run. Every cell runs in its
// own process (bench/train-worker.ts), one at a time.
//
//   npm run bench:train                      full: 60,000 training / 10,000 validation images
//   npm run bench:train -- --quick           12,000 / 2,000 and fewer CNN batches
//   npm run bench:train -- --skip-cnn-accuracy   leave out the 3-epoch CNN run on wasm
//   npm run bench:train -- --models=mlp      only the MLP rows (or --models=cnn)
//
// Sides: "stock fit" = tfjs model.fit on the stock kernels; "fit + kernels" = the
// same with our wasm kernels; "ours" = the project's trainer loop (src/train/loop.ts)
// with our kernels. Wall time is what a user waits; CPU time is printed beside it
// because other jobs share this machine's 2 cores.

import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Side, WorkerResult } from './train-worker.js';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const TRAIN = quick ? 12000 : 60000;
const VAL = quick ? 2000 : 10000;
const CNN_BATCHES = quick ? 40 : 200;
const CPU_CNN_BATCHES = quick ? 2 : 4; // ~10 s a batch: cpu's Conv2DBackpropFilter
const models = (process.argv.find((a) => a.startsWith('--models='))?.slice(9) ?? 'mlp,cnn').split(',');
const worker = fileURLToPath(new URL('./train-worker.ts', import.meta.url));

interface Cell {
  model: 'mlp' | 'cnn';
  backend: string;
  side: Side;
  maxBatches: number;
}

function runWorker(cell: Cell, epochs = 1): WorkerResult & { load: string } {
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  process.stderr.write(`bench:train: ${cell.model} ${cell.backend} ${cell.side} (load ${load}) ...\n`);
  const argv = [cell.backend, cell.side, cell.model, String(TRAIN), String(VAL), String(epochs), String(cell.maxBatches)];
  const child = spawnSync(process.execPath, ['--import', 'tsx', worker, ...argv], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  try {
    return { ...(JSON.parse(line) as WorkerResult), load };
  } catch {
    const why = child.stderr.trim().split('\n').slice(-1)[0] ?? `exit ${child.status}`;
    return { backend: cell.backend, side: cell.side, model: cell.model, trainSamples: TRAIN, ok: false, error: why, epochMs: [], epochCpuMs: [], valAccuracy: [], load };
  }
}

const SIDE_LABEL: Record<Side, string> = { stock: 'stock tfjs fit', kernels: 'fit + our kernels', ours: 'ours (loop + kernels)' };

function row(r: WorkerResult & { load: string }): string {
  const ms = r.epochMs[0];
  const cpu = r.epochCpuMs[0];
  const cols = [r.model, r.backend, SIDE_LABEL[r.side]];
  if (!r.ok || ms === undefined) return [...cols, `fails: ${r.error ?? 'no epoch finished'}`].join(' | ');
  const note = r.extrapolatedFrom ? `${r.extrapolatedFrom} batches timed, extrapolated to ${Math.ceil(TRAIN / 32)}; no validation` : 'full epoch incl. validation';
  return [
    ...cols,
    (ms / 1000).toFixed(2),
    cpu === undefined ? '' : (cpu / 1000).toFixed(2),
    Math.round(TRAIN / (ms / 1000)).toLocaleString('en-US'),
    r.valAccuracy[0] === undefined ? '' : r.valAccuracy[0].toFixed(4),
    `${note}; load ${r.load}`,
  ].join(' | ');
}

function probeTensorflow(): string | null {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', "await import('@tensorflow/tfjs-node')"], { encoding: 'utf8' });
  if (child.status === 0) return null;
  const lines = child.stderr.split('\n').filter((l) => /Error|Cannot find/.test(l));
  return lines[0]?.trim().slice(0, 140) ?? `exit ${child.status}`;
}

const tfNode = probeTensorflow();
const backends = tfNode === null ? ['tensorflow', 'wasm', 'cpu'] : ['wasm', 'cpu'];
const cells: Cell[] = [];
for (const backend of models.includes('mlp') ? backends : []) {
  const sides: Side[] = backend === 'wasm' ? ['stock', 'kernels', 'ours'] : ['stock', 'ours'];
  for (const side of sides) cells.push({ model: 'mlp', backend, side, maxBatches: 0 });
}
for (const backend of models.includes('cnn') ? backends : []) {
  const n = backend === 'cpu' ? CPU_CNN_BATCHES : CNN_BATCHES;
  for (const side of ['stock', 'ours'] as const) cells.push({ model: 'cnn', backend, side, maxBatches: n });
}

const started = Date.now();
const results = cells.map((c) => runWorker(c));

let accuracy: (WorkerResult & { load: string }) | null = null;
if (!quick && models.includes('cnn') && !args.has('--skip-cnn-accuracy')) accuracy = runWorker({ model: 'cnn', backend: 'wasm', side: 'ours', maxBatches: 0 }, 3);

const out: string[] = [];
out.push(`# bench:train (${quick ? 'quick: ' : ''}${TRAIN.toLocaleString('en-US')} training / ${VAL.toLocaleString('en-US')} validation images, batch 32, 1 epoch per cell)`);
out.push(`node ${process.version}, ${process.platform}/${process.arch}; tensorflow backend: ${tfNode === null ? 'loaded' : `not available (${tfNode})`}`);
out.push('');
out.push('model | backend | side | epoch s | CPU s | samples/s (training images / epoch s) | val acc | how');
out.push('--- | --- | --- | ---: | ---: | ---: | ---: | ---');
for (const r of results) out.push(row(r));
out.push('');

const find = (model: string, backend: string, side: Side) => results.find((r) => r.model === model && r.backend === backend && r.side === side);
const secs = (r: WorkerResult | undefined) => (r?.ok && r.epochMs[0] !== undefined ? r.epochMs[0] / 1000 : null);
const cpuSecs = (r: WorkerResult | undefined) => (r?.ok && r.epochCpuMs[0] !== undefined ? r.epochCpuMs[0] / 1000 : null);
const ours = find('mlp', 'wasm', 'ours');
const stock = find('mlp', 'wasm', 'stock');
const oursS = secs(ours);
out.push('## Targets');
if (quick) out.push('(quick run: the MLP target is for a full 60,000-image epoch; scale accordingly)');
if (!models.includes('mlp')) out.push('- MLP rows: not run (--models)');
else out.push(`- MLP epoch on wasm <= 4 s: ours ${fmt(oursS)} s wall (${fmt(cpuSecs(ours))} s CPU) vs stock fit ${fmt(secs(stock))} s wall (${fmt(cpuSecs(stock))} s CPU) -> ${oursS === null ? 'NOT MEASURED' : oursS <= 4 * (TRAIN / 60000) ? 'MET' : 'NOT MET'}`);
const cnnStock = find('cnn', 'wasm', 'stock');
const cnnOurs = find('cnn', 'wasm', 'ours');
if (!models.includes('cnn')) out.push('- CNN rows: not run (--models)');
else out.push(`- CNN trains on wasm: stock ${cnnStock?.ok ? 'trains' : `fails (${cnnStock?.error ?? '?'})`}; ours ${cnnOurs?.ok ? `trains, ${fmt(secs(cnnOurs))} s/epoch (extrapolated)` : `fails (${cnnOurs?.error ?? '?'})`}`);
if (accuracy) {
  const acc = accuracy.valAccuracy;
  const last = acc[acc.length - 1];
  out.push(`- CNN on wasm, 3 epochs, val accuracy >= 0.988: per epoch ${acc.map((a) => a.toFixed(4)).join(', ') || accuracy.error} (epoch s: ${accuracy.epochMs.map((m) => (m / 1000).toFixed(1)).join(', ')}) -> ${last !== undefined && last >= 0.988 ? 'MET' : 'NOT MET'}`);
} else {
  out.push('- CNN 3-epoch accuracy run: skipped (--quick or --skip-cnn-accuracy)');
}
out.push('');
out.push(`total bench time ${((Date.now() - started) / 1000).toFixed(0)} s; load average now ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
process.stdout.write(`${out.join('\n')}\n`);

function fmt(n: number | null): string {
  return n === null ? 'n/a' : n.toFixed(2);
}
