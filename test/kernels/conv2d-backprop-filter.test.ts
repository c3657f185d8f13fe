import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerWasmKernels } from '../../src/train/kernels/index.js';
import { assertSameOnWasmAndCpu, tensor } from './helpers.js';

registerWasmKernels({ cpu: false }); // cpu stays stock: it is the reference

type Pad = 'valid' | 'same';
const cases: { x: [number, number, number, number]; k: [number, number]; out: number; stride: number | [number, number]; pad: Pad; why: string }[] = [
  { x: [2, 8, 8, 3], k: [3, 3], out: 4, stride: 1, pad: 'valid', why: 'plain' },
  { x: [2, 8, 8, 3], k: [3, 3], out: 4, stride: 1, pad: 'same', why: 'same padding' },
  { x: [2, 9, 9, 2], k: [3, 3], out: 5, stride: 2, pad: 'valid', why: 'stride 2, every row read' },
  { x: [2, 10, 10, 2], k: [3, 3], out: 5, stride: 2, pad: 'valid', why: 'stride 2, last row never read (crop)' },
  { x: [2, 7, 7, 3], k: [3, 3], out: 4, stride: 2, pad: 'same', why: 'stride 2, same padding' },
  { x: [3, 9, 11, 2], k: [2, 3], out: 3, stride: [1, 2], pad: 'same', why: 'non-square kernel and strides' },
  { x: [1, 6, 5, 4], k: [5, 5], out: 2, stride: 1, pad: 'valid', why: 'kernel nearly as large as the input' },
  { x: [4, 28, 28, 1], k: [3, 3], out: 32, stride: 1, pad: 'valid', why: 'the CNN first layer' },
  { x: [4, 13, 13, 32], k: [3, 3], out: 64, stride: 1, pad: 'valid', why: 'the CNN second layer' },
];

for (const c of cases) {
  test(`conv2d gradients on wasm equal cpu: ${c.why} (x ${c.x.join('x')}, k ${c.k.join('x')}, stride ${c.stride}, ${c.pad})`, async () => {
    await assertSameOnWasmAndCpu(() => {
      const x = tensor(c.x, 31) as tf.Tensor4D;
      const w = tensor([...c.k, c.x[3], c.out], 32).mul(0.3) as tf.Tensor4D;
      const y = tf.conv2d(x, w, c.stride, c.pad);
      const r = tensor(y.shape, 33); // a non-uniform upstream gradient
      return tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, c.stride, c.pad), r)))([x, w]);
    }, c.why);
  });
}

test('the CNN (conv, pool, dense, dropout off) gets the same weight gradients on wasm as on cpu', async () => {
  await assertSameOnWasmAndCpu(() => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
      ],
    });
    const x = tensor([6, 28, 28, 1], 41).abs();
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5], 'int32'), 10);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.predict(x) as tf.Tensor).asScalar(), vars);
    const out = vars.map((v) => grads[v.name]!);
    model.dispose();
    return out;
  }, 'cnn grads');
});

test('an unsupported layout gets a clear error, not a wrong answer', async () => {
  await tf.setBackend('wasm');
  const x = tf.zeros([1, 2, 5, 5]);
  const dy = tf.zeros([1, 2, 3, 3]);
  assert.throws(
    () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'valid', dataFormat: 'NCHW', filterShape: [3, 3, 2, 2] }),
    /Conv2DBackpropFilter \(wasm\): only NHWC is supported/,
  );
  tf.dispose([x, dy]);
});

test('the kernel leaks no backend memory', async () => {
  await tf.setBackend('wasm');
  const x = tensor([2, 10, 10, 3], 51) as tf.Tensor4D;
  const dy = tensor([2, 4, 4, 5], 52) as tf.Tensor4D;
  const once = () => (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 2, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 3, 5] }) as tf.Tensor).dispose();
  once();
  const before = tf.memory().numBytes;
  const dataIds = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
  for (let i = 0; i < 5; i++) once();
  assert.equal(tf.memory().numBytes, before);
  assert.equal((tf.backend() as unknown as { numDataIds(): number }).numDataIds(), dataIds, 'intermediates are released');
  tf.dispose([x, dy]);
});
