import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { registerWasmKernels } from '../../src/train/kernels/index.js';
import { assertSameOnWasmAndCpu, tensor } from './helpers.js';

registerWasmKernels({ cpu: false }); // cpu stays stock: it is the reference

const cases: { x: [number, number, number, number]; size: number | [number, number]; stride: number | [number, number]; pad: 'valid' | 'same'; why: string }[] = [
  { x: [2, 26, 26, 8], size: 2, stride: 2, pad: 'valid', why: 'the CNN first pool' },
  { x: [2, 11, 11, 4], size: 2, stride: 2, pad: 'valid', why: 'odd size: last row and column dropped' },
  { x: [2, 7, 9, 3], size: 3, stride: 2, pad: 'same', why: 'overlapping windows with padding' },
  { x: [1, 6, 6, 5], size: [2, 3], stride: 1, pad: 'valid', why: 'stride 1, non-square window' },
];

for (const c of cases) {
  test(`maxPool gradient on wasm equals cpu: ${c.why}`, async () => {
    await assertSameOnWasmAndCpu(() => {
      const x = tensor(c.x, 101);
      const y = tf.maxPool(x as tf.Tensor4D, c.size, c.stride, c.pad);
      const r = tensor(y.shape, 102);
      return [tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, c.size, c.stride, c.pad), r)))(x)];
    }, c.why);
  });
}

test('maxPool gradient with ties (ReLU zeros, repeated values) routes dY like cpu', async () => {
  await assertSameOnWasmAndCpu(() => {
    const x = tf.round(tf.mul(tensor([2, 8, 8, 3], 103), 2)); // values in {-2..2}: many ties
    const r = tensor([2, 4, 4, 3], 104);
    return [tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(tf.relu(v) as tf.Tensor4D, 2, 2, 'valid'), r)))(x)];
  }, 'ties');
});
