import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerWasmKernels } from '../../src/train/kernels/index.js';
import { assertSameOnWasmAndCpu, on, tensor } from './helpers.js';

registerWasmKernels({ cpu: false }); // cpu stays stock: it is the reference

test('slice equals cpu for contiguous and strided boxes of rank 1 to 5', async () => {
  await assertSameOnWasmAndCpu(() => {
    const x4 = tensor([6, 5, 4, 3], 61);
    const x5 = tensor([3, 4, 2, 5, 3], 62);
    return [
      tf.slice(tensor([10], 63), [3], [5]),
      tf.slice(x4, [2, 0, 0, 0], [3, -1, -1, -1]), // rows of a batch: one run
      tf.slice(x4, [1, 2, 0, 0], [2, 2, -1, -1]),
      tf.slice(x4, [0, 1, 1, 1], [6, 3, 2, 2]), // innermost dimension partial
      tf.slice(x5, [1, 1, 0, 2, 0], [2, 2, 2, 3, 3]),
      tf.slice(tensor([7, 9], 64), [2, 3], [4, 5]),
      tf.slice(x4, [5, 4, 3, 2], [1, 1, 1, 1]),
    ];
  }, 'slice');
});

test('slice keeps int32 and bool values and empty slices', async () => {
  const f = () => {
    const ints = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3], 'int32');
    return [tf.slice(ints, [1, 1], [2, 2]), tf.slice(tf.greater(ints, 4), [0, 1], [3, 2]).cast('int32'), tf.slice(ints, [1, 0], [0, 3])];
  };
  const want = await on('cpu', f);
  const got = await on('wasm', f);
  assert.deepEqual(got.map((g) => [g.shape, Array.from(g.data)]), want.map((w) => [w.shape, Array.from(w.data)]));
  assert.deepEqual(Array.from(got[0]!.data), [5, 6, 8, 9]);
});

test('gather along the first axis equals cpu, including repeated and 2-D indices', async () => {
  await assertSameOnWasmAndCpu(() => {
    const images = tensor([50, 4, 4, 1], 71);
    return [
      tf.gather(images, tf.tensor1d([49, 0, 7, 7, 23], 'int32')),
      tf.gather(tensor([50], 72), tf.tensor2d([[1, 2], [3, 49]], [2, 2], 'int32')),
      tf.gather(tensor([5, 6], 73), tf.tensor1d([4, 1], 'int32'), 1), // other axes: stock kernel
    ];
  }, 'gather');
  const labels = await on('wasm', () => [tf.gather(tf.tensor1d([3, 1, 4, 1, 5], 'int32'), tf.tensor1d([4, 2, 0], 'int32'))]);
  assert.deepEqual(Array.from(labels[0]!.data), [5, 4, 3]);
});

test('gather rejects an index out of range', async () => {
  await tf.setBackend('wasm');
  const x = tf.zeros([3, 2]);
  const i = tf.tensor1d([0, 3], 'int32');
  assert.throws(() => tf.gather(x, i), /index value 3 is not in \[0, 2\]/);
  tf.dispose([x, i]);
});

test('gradients through slice equal cpu', async () => {
  // (GatherV2's gradient needs UnsortedSegmentSum, which wasm lacks; training never needs it.)
  await assertSameOnWasmAndCpu(() => {
    const x = tensor([8, 6], 81);
    const f = (v: tf.Tensor) => tf.sum(tf.mul(tf.slice(v, [1, 1], [6, 4]), tensor([6, 4], 82)));
    return [tf.grad(f)(x)];
  }, 'grads');
});
