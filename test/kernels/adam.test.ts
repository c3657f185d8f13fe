import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerWasmKernels, createAdam, FusedAdamOptimizer } from '../../src/train/kernels/index.js';
import { relativeError, tensor, values } from './helpers.js';

registerWasmKernels({ cpu: false }); // cpu stays stock: it is the reference

/** Five Adam steps on a small regression problem; returns the final weights. */
function train(optimizer: tf.Optimizer): Float32Array[] {
  const w = tf.variable(tensor([6, 3], 91), true, `w${Math.random()}`);
  const b = tf.variable(tf.zeros([3]), true, `b${Math.random()}`);
  const x = tensor([10, 6], 92);
  const y = tensor([10, 3], 93);
  for (let i = 0; i < 5; i++) {
    tf.tidy(() => {
      optimizer.minimize(() => tf.losses.meanSquaredError(y, tf.add(tf.matMul(x, w), b)) as tf.Scalar);
    });
  }
  const out = [w.dataSync() as Float32Array, b.dataSync() as Float32Array];
  tf.dispose([w, b, x, y]);
  optimizer.dispose();
  return out;
}

for (const backend of ['wasm', 'cpu']) {
  test(`fused Adam follows tf.train.adam step for step on ${backend}`, async () => {
    await tf.setBackend(backend);
    const fused = createAdam(0.05);
    assert.ok(fused instanceof FusedAdamOptimizer, 'the fused kernel is registered for this backend');
    let before = tf.memory().numTensors;
    const got = train(fused);
    const fusedLeft = tf.memory().numTensors - before;
    before = tf.memory().numTensors;
    const want = train(tf.train.adam(0.05));
    // tfjs itself leaves one tensor per minimize() run; ours must not add to that.
    assert.equal(fusedLeft, tf.memory().numTensors - before, 'tensors left behind, compared with tf.train.adam');
    got.forEach((g, i) => {
      const err = relativeError(g, want[i]!);
      assert.ok(err <= 1e-5, `variable ${i} differs by ${err.toExponential(2)} relative`);
    });
    // The weights moved: the comparison is not between two untouched initialisations.
    assert.ok(relativeError(got[0]!, tensor([6, 3], 91).dataSync() as Float32Array) > 1e-3);
  });
}

test('the SIMD Adam loop matches the update rule on every element it covers, and no others', async () => {
  const { adamSimd } = await import('../../src/train/kernels/adam-simd.js');
  const memory = new (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number }) => { buffer: ArrayBuffer } } }).WebAssembly.Memory({ initial: 1 });
  const simd = adamSimd(memory);
  assert.ok(simd, 'Node 20 has wasm SIMD');
  const n = 1000; // 4000 bytes per array; 7 arrays fit in one 64 KiB page
  const heap = new Float32Array(memory.buffer);
  const [w, m, v, g] = [0, 1, 2, 3].map((k) => values(n, 200 + k));
  [w, m, v, g].forEach((a, k) => heap.set(k === 2 ? a!.map(Math.abs) : a!, k * n));
  heap.fill(7, 4 * n, 7 * n + 4); // outputs, plus one guard element after them
  const [b1, b2, lr, eps] = [0.9, 0.999, 0.01, 1e-7];
  const [c1, c2] = [1 - b1 ** 3, 1 - b2 ** 3];
  simd!(0, 4 * n, 8 * n, 12 * n, 16 * n, 20 * n, 24 * n, 996 * 4, b1, 1 - b1, b2, 1 - b2, lr / c1, 1 / Math.sqrt(c2), eps);
  for (let i = 0; i < n; i++) {
    const vi = Math.abs(v![i]!);
    const mi = b1 * m![i]! + (1 - b1) * g![i]!;
    const vv = b2 * vi + (1 - b2) * g![i]! ** 2;
    const wi = w![i]! - (lr * (mi / c1)) / (Math.sqrt(vv / c2) + eps);
    if (i < 996) {
      assert.ok(Math.abs(heap[4 * n + i]! - wi) <= 1e-5 * Math.max(1, Math.abs(wi)), `w[${i}]`);
      assert.ok(Math.abs(heap[5 * n + i]! - mi) <= 1e-6, `m[${i}]`);
      assert.ok(Math.abs(heap[6 * n + i]! - vv) <= 1e-6, `v[${i}]`);
    } else {
      assert.equal(heap[4 * n + i], 7, `w[${i}] is past the byte count and must be untouched`);
    }
  }
  assert.equal(heap[7 * n], 7, 'guard element untouched');
});
