// Run the same computation on cpu and on wasm (with our kernels) and compare.

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import assert from 'node:assert/strict';

/** Deterministic values in [-1, 1): the same numbers on every backend. */
export function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

export function tensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(values(shape.reduce((a, b) => a * b, 1), seed), shape);
}

/** Run `f` on `backend` and return its outputs as plain arrays (tensors disposed). */
export async function on(backend: string, f: () => tf.Tensor[]): Promise<{ shape: number[]; data: Float32Array }[]> {
  await tf.setBackend(backend);
  await tf.ready();
  const outs = tf.tidy(f);
  const result = outs.map((t) => ({ shape: t.shape, data: t.dataSync() as Float32Array }));
  tf.dispose(outs);
  return result;
}

/** Max abs difference relative to the largest magnitude of the reference. */
export function relativeError(got: Float32Array, want: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs((got[i] ?? Number.NaN) - (want[i] ?? Number.NaN)));
    scale = Math.max(scale, Math.abs(want[i] ?? 0));
  }
  return scale === 0 ? diff : diff / scale;
}

/** f on wasm equals f on cpu, output by output, to 1e-4 relative. */
export async function assertSameOnWasmAndCpu(f: () => tf.Tensor[], label: string): Promise<void> {
  const want = await on('cpu', f);
  const got = await on('wasm', f);
  assert.equal(got.length, want.length, label);
  want.forEach((w, i) => {
    const g = got[i]!;
    assert.deepEqual(g.shape, w.shape, `${label}: output ${i} shape`);
    assert.ok(w.data.some((v) => v !== 0), `${label}: output ${i} is all zeros on cpu, the comparison would prove nothing`);
    const err = relativeError(g.data, w.data);
    assert.ok(err <= 1e-4, `${label}: output ${i} differs from cpu by ${err.toExponential(2)} relative`);
  });
}
