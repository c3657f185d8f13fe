// --backend cpu (the wasm package never imported) still gets our cpu kernels:
// Conv2DBackpropFilter (the stock one takes seconds per CNN batch) and the fused Adam.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/train/backend.js';
import { createAdam, FusedAdamOptimizer } from '../../src/train/kernels/index.js';

test('selectBackend("cpu") registers our cpu Conv2DBackpropFilter and Adam without loading wasm', async () => {
  const stock = tf.getKernel('Conv2DBackpropFilter', 'cpu');
  assert.ok(stock, 'the cpu backend ships one');
  const choice = await selectBackend('cpu', 'cnn');
  assert.equal(choice.backend, 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
  const ours = tf.getKernel('Conv2DBackpropFilter', 'cpu');
  assert.ok(ours && ours !== stock && ours.kernelFunc !== stock.kernelFunc, 'ours replaces the stock kernel');
  assert.equal(tf.getKernel('Transpose', 'wasm'), undefined, 'the wasm package was not loaded');
  assert.ok(createAdam(0.001) instanceof FusedAdamOptimizer, 'the trainer\'s optimizer is the fused Adam on cpu too');
  // and a convolution's filter gradient runs through it
  const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 7);
  const w = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 8);
  const dw = tf.grad((filter) => tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, 1, 'valid').sum())(w);
  const want = stock.kernelFunc({ inputs: { x, dy: tf.onesLike(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid')) }, backend: tf.backend(),
    attrs: { strides: 1, pad: 'valid', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [3, 3, 3, 4] } as unknown as tf.NamedAttrMap }) as tf.TensorInfo;
  const got = dw.dataSync() as Float32Array;
  const ref = tf.backend().readSync(want.dataId) as Float32Array;
  assert.deepEqual(dw.shape, [3, 3, 3, 4]);
  for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i]! - ref[i]!) <= 1e-4 * Math.max(1, Math.abs(ref[i]!)), `dW[${i}] ${got[i]} vs ${ref[i]}`);
});
