import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerWasmKernels } from '../../src/train/kernels/index.js';
import { assertSameOnWasmAndCpu, on, tensor } from './helpers.js';

registerWasmKernels({ cpu: false }); // cpu stays stock: it is the reference

for (const [ta, tb] of [[true, false], [false, true], [true, true], [false, false]] as const) {
  test(`matMul forward with transposeA=${ta} transposeB=${tb} equals cpu`, async () => {
    await assertSameOnWasmAndCpu(() => {
      const a = tensor(ta ? [33, 17] : [17, 33], 1);
      const b = tensor(tb ? [9, 33] : [33, 9], 2);
      const batched = tf.matMul(tensor(ta ? [3, 33, 17] : [3, 17, 33], 3), tensor(tb ? [3, 9, 33] : [3, 33, 9], 4), ta, tb);
      return [tf.matMul(a, b, ta, tb), batched];
    }, `matMul ${ta} ${tb}`);
  });
}

test('fused matMul (bias + relu) with a transposed operand equals cpu', async () => {
  await assertSameOnWasmAndCpu(() => [
    tf.fused.matMul({ a: tensor([20, 6], 5), b: tensor([20, 4], 6), transposeA: true, bias: tensor([4], 7), activation: 'relu' }),
  ], 'fused matMul');
});

test('gradients of a dense layer (the backward pass uses transposed matmuls) equal cpu', async () => {
  await assertSameOnWasmAndCpu(() => {
    const x = tensor([32, 784], 11);
    const w = tensor([784, 128], 12).mul(0.05);
    const b = tensor([128], 13);
    const w2 = tensor([128, 10], 14).mul(0.1);
    const loss = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor, ww2: tf.Tensor) => {
      const h = tf.fused.matMul({ a: xx as tf.Tensor2D, b: ww as tf.Tensor2D, bias: bb, activation: 'relu' });
      return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 10), 'int32'), 10), tf.matMul(h, ww2));
    };
    return tf.grads(loss)([x, w, b, w2]);
  }, 'dense grads');
});

test('a two-layer model gets the same gradients on wasm as on cpu', async () => {
  const run = () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [50], units: 16, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      ],
    });
    const x = tensor([8, 50], 21);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10);
    const { grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.predict(x) as tf.Tensor).asScalar(), model.trainableWeights.map((w) => w.read() as tf.Variable));
    const out = Object.values(grads);
    model.dispose();
    return out;
  };
  assert.equal((await on('wasm', run)).length, 4, 'kernel and bias of both layers');
  await assertSameOnWasmAndCpu(run, 'model grads');
});
