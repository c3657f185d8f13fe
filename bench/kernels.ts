// bench:kernels: the ops our wasm kernels replace, timed with the stock kernels
// and with ours, each side in its own process, at the shapes of the MLP and CNN
// at batch 32. Prints one table: ms per op call (median of 5 rounds).
//
//   npm run bench:kernels

import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';

type Case = [name: string, setup: () => () => tf.Tensor | tf.Tensor[]];

const cases: Case[] = [
  ['MatMul xᵀ·dy (dense dW) 784x32 · 32x128', () => { const x = tf.randomNormal([32, 784]); const dy = tf.randomNormal([32, 128]); return () => tf.matMul(x, dy, true, false); }],
  ['MatMul dy·Wᵀ (dense dx) 32x128 · (784x128)ᵀ', () => { const dy = tf.randomNormal([32, 128]); const w = tf.randomNormal([784, 128]); return () => tf.matMul(dy, w, false, true); }],
  ['Slice 32 rows of 60000x28x28x1', () => { const x = tf.zeros([60000, 28, 28, 1]); return () => tf.slice(x, [640, 0, 0, 0], [32, -1, -1, -1]); }],
  ['GatherV2 32 rows of 60000x28x28x1', () => { const x = tf.zeros([60000, 28, 28, 1]); const i = tf.tensor1d(Array.from({ length: 32 }, (_, k) => k * 1871), 'int32'); return () => tf.gather(x, i); }],
  ['Conv2DBackpropFilter 32x13x13x32 → 3x3x32x64', () => conv('filter')],
  ['Conv2DBackpropInput 32x11x11x64 → 32x13x13x32', () => conv('input')],
  ['MaxPoolGrad 2x2 of 32x26x26x32', () => { const x = tf.randomNormal([32, 26, 26, 32]) as tf.Tensor4D; const y = tf.maxPool(x, 2, 2, 'valid'); const dy = tf.randomNormal([32, 13, 13, 32]); return () => tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: y }, { filterSize: 2, strides: 2, pad: 'valid' }) as tf.Tensor; }],
  ['Adam update of the MLP (101,770 weights)', () => adam()],
];

function conv(which: 'filter' | 'input'): () => tf.Tensor {
  const x = tf.randomNormal([32, 13, 13, 32]);
  const w = tf.randomNormal([3, 3, 32, 64]);
  const dy = tf.randomNormal([32, 11, 11, 64]);
  const attrs = { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 32, 64], inputShape: [32, 13, 13, 32] } as unknown as tf.NamedAttrMap;
  return which === 'filter'
    ? () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as tf.Tensor
    : () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, attrs) as tf.Tensor;
}

function adam(): () => tf.Tensor[] {
  const vars = [[784, 128], [128], [128, 10], [10]].map((s) => tf.variable(tf.randomNormal(s)));
  const grads = vars.map((v) => ({ name: v.name, tensor: tf.randomNormal(v.shape) }));
  const opt = process.argv[2] === 'ours' ? createAdamRef!(1e-3) : tf.train.adam(1e-3);
  return () => { opt.applyGradients(grads); return []; };
}

let createAdamRef: ((lr: number) => tf.Optimizer) | null = null;

async function side(which: string): Promise<void> {
  await import('@tensorflow/tfjs-backend-wasm');
  if (which === 'ours') {
    const k = await import('../src/train/kernels/index.js');
    k.registerWasmKernels();
    createAdamRef = k.createAdam;
  }
  await tf.setBackend('wasm');
  const out: Record<string, number | string> = {};
  for (const [name, setup] of cases) {
    try {
      const f = setup();
      const once = () => { const r = f(); const list = Array.isArray(r) ? r : [r]; for (const t of list) t.dataSync(); tf.dispose(list); };
      once();
      const rounds: number[] = [];
      for (let round = 0; round < 5; round++) {
        const n = name.startsWith('Slice') && which === 'stock' ? 3 : 20;
        const t0 = performance.now();
        for (let i = 0; i < n; i++) once();
        rounds.push((performance.now() - t0) / n);
      }
      out[name] = rounds.sort((a, b) => a - b)[2]!;
    } catch (err) {
      out[name] = `fails: ${(err as Error).message.split('\n')[0]}`;
    }
  }
  process.stdout.write(JSON.stringify(out));
}

if (process.argv[2]) {
  await side(process.argv[2]);
} else {
  const me = fileURLToPath(import.meta.url);
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  const [stock = {}, ours = {}] = ['stock', 'ours'].map((s) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', me, s], { encoding: 'utf8', maxBuffer: 1 << 24 });
    return JSON.parse(r.stdout || '{}') as Record<string, number | string>;
  });
  const cell = (v: number | string | undefined) => (typeof v === 'number' ? v.toFixed(3) : v ?? '?');
  const lines = [`# bench:kernels (wasm backend, ms per call, median of 5 rounds; load ${load})`, '', 'op | stock wasm | ours | speed-up', '--- | ---: | ---: | ---:'];
  for (const [name] of cases) {
    const s = stock[name];
    const o = ours[name];
    lines.push(`${name} | ${cell(s)} | ${cell(o)} | ${typeof s === 'number' && typeof o === 'number' ? `${(s / o).toFixed(1)}x` : ''}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
