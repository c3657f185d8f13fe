import { test } from 'node:test';
import assert from 'node:assert/strict';
import { biasReluDropoutSimd, reluDropoutGradSimd } from '../../src/train/kernels/dense-simd.js';
import { WASM_API } from '../../src/train/kernels/wasm-asm.js';
import { values } from './helpers.js';

const memory = new WASM_API.Memory({ initial: 4 });
const f = new Float32Array(memory.buffer);
const [rows, width] = [5, 12];
const n = rows * width;
// pre-activations with exact zeros and negatives; a dropout mask of 0 and 1.25
const pre = values(n, 1).map((v, i) => (i % 7 === 0 ? 0 : v));
const bias = values(width, 2);
const mask = values(n, 3).map((v) => (v > -0.6 ? 1.25 : 0));
const grad = values(n, 4);
const [PRE, BIAS, MASK, OUT, GRAD] = [0, 1024, 2048, 3072, 4096] as const;

test('biasReluDropout adds the bias per column, keeps the sum, and writes max(sum, 0) · mask, as float32, nothing more', () => {
  const fn = biasReluDropoutSimd(memory);
  assert.ok(fn, 'Node 20 has wasm SIMD');
  f.set(pre, PRE);
  f.set(bias, BIAS);
  f.set(mask, MASK);
  f.fill(9, OUT, OUT + n + 4);
  fn!(PRE * 4, BIAS * 4, MASK * 4, OUT * 4, rows, width);
  const sums = new Float32Array(n);
  const outs = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    sums[i] = pre[i]! + bias[i % width]!;
    outs[i] = sums[i]! > 0 ? sums[i]! * mask[i]! : 0;
  }
  assert.deepEqual([...f.subarray(PRE, PRE + n)], [...sums]);
  assert.deepEqual([...f.subarray(OUT, OUT + n)], [...outs]);
  assert.equal(f[OUT + n], 9, 'written past rows · width');
});

test('reluDropoutGrad passes grad · mask where the pre-activation is positive, 0 elsewhere, nothing more', () => {
  const fn = reluDropoutGradSimd(memory);
  assert.ok(fn);
  f.set(pre, PRE);
  f.set(mask, MASK);
  f.set(grad, GRAD);
  f[GRAD + n] = 9;
  fn!(GRAD * 4, PRE * 4, MASK * 4, n);
  const want = new Float32Array(n);
  for (let i = 0; i < n; i++) want[i] = pre[i]! > 0 ? grad[i]! * mask[i]! : 0;
  assert.deepEqual([...f.subarray(GRAD, GRAD + n)], [...want]);
  assert.equal(f[GRAD + n], 9, 'written past the count');
});
