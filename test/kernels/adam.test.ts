import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerWasmKernels, createAdam, FusedAdamOptimizer } from '../../src/train/kernels/index.js';
import { relativeError, tensor } from './helpers.js';

registerWasmKernels();

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
