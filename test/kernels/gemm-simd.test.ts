import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gemmSimd } from '../../src/train/kernels/gemm-simd.js';
import { WASM_API } from '../../src/train/kernels/wasm-asm.js';
import { values } from './helpers.js';

const memory = new WASM_API.Memory({ initial: 64 }); // 4 MiB
const gemm = gemmSimd(memory);
const f = new Float32Array(memory.buffer);

/** C = A·B in float64 from the same float32 inputs. */
function reference(a: Float32Array, b: Float32Array, m: number, n: number, k: number, transA: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[transA ? p * m + i : i * k + p]! * b[p * n + j]!;
      c[i * n + j] = s;
    }
  }
  return c;
}

// [m, n, k, A stored transposed]: the MLP's shapes (x·W, xᵀ·dy, the padded second layer) and small odd ones
const CASES: [number, number, number, boolean][] = [
  [4, 8, 1, false], [8, 16, 7, false], [12, 24, 5, true], [32, 128, 784, false], [784, 128, 32, true],
  [32, 16, 128, false], [128, 16, 7, true], [32, 128, 16, false],
];

for (const [m, n, k, transA] of CASES) {
  test(`gemm ${m}x${k} · ${k}x${n}${transA ? ' (A stored transposed)' : ''} matches the float64 product, and writes C only`, () => {
    assert.ok(gemm, 'Node 20 has wasm SIMD');
    const a = values(m * k, m + k);
    const b = values(k * n, n + 3 * k);
    // A at 0, B after it, C after B with a row stride of n + 4 floats and a guard between rows
    const [pa, pb, pc] = [0, m * k, m * k + k * n];
    const ldc = n + 4;
    f.set(a, pa);
    f.set(b, pb);
    f.fill(7, pc, pc + m * ldc + 4);
    gemm!(pa * 4, (transA ? 1 : k) * 4, (transA ? m : 1) * 4, pb * 4, n * 4, pc * 4, ldc * 4, m, n, k);
    const want = reference(a, b, m, n, k, transA);
    let err = 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) err = Math.max(err, Math.abs(f[pc + i * ldc + j]! - want[i * n + j]!));
      for (let j = n; j < ldc; j++) assert.equal(f[pc + i * ldc + j], 7, `row ${i}: the gap after the row was written`);
    }
    assert.ok(err <= 1e-5 * Math.max(1, Math.sqrt(k)), `max abs error ${err.toExponential(2)}`);
    assert.equal(f[pc + m * ldc], 7, 'written past the last row');
  });
}

test('gemm with k = 0 writes zeros', () => {
  f.fill(5, 0, 64);
  gemm!(0, 4, 4, 0, 32, 0, 32, 4, 8, 0);
  assert.deepEqual([...f.subarray(0, 32)], new Array(32).fill(0));
});
