// Our Conv2DBackpropFilter on the cpu backend against cpu's own (stock) kernel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from '../../src/train/kernels/index.js';
import { relativeError, tensor } from './helpers.js';

const stock = tf.getKernel('Conv2DBackpropFilter', 'cpu')!;
registerWasmKernels();

const cases = [
  { x: [2, 13, 13, 8], dy: [2, 11, 11, 16], strides: 1, pad: 'valid' },
  { x: [2, 8, 8, 3], dy: [2, 8, 8, 4], strides: 1, pad: 'same' },
  { x: [2, 10, 10, 2], dy: [2, 4, 4, 5], strides: 2, pad: 'valid' },
  { x: [3, 7, 9, 3], dy: [3, 4, 5, 2], strides: 2, pad: 'same' },
] as const;

for (const c of cases) {
  test(`cpu Conv2DBackpropFilter (ours) equals cpu's stock kernel: x ${c.x.join('x')}, stride ${c.strides}, ${c.pad}`, async () => {
    await tf.setBackend('cpu');
    assert.notEqual(tf.getKernel('Conv2DBackpropFilter', 'cpu'), stock, 'ours is registered');
    const x = tensor([...c.x], 111);
    const dy = tensor([...c.dy], 112);
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [3, 3, c.x[3], c.dy[3]] };
    const ours = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
    const ref = stock.kernelFunc({ inputs: { x, dy }, backend: tf.backend(), attrs: attrs as unknown as tf.NamedAttrMap }) as tf.TensorInfo;
    const want = tf.backend().readSync(ref.dataId) as Float32Array;
    assert.deepEqual(ours.shape, [3, 3, c.x[3], c.dy[3]]);
    const err = relativeError(ours.dataSync() as Float32Array, want);
    assert.ok(err <= 1e-4, `differs by ${err.toExponential(2)} relative`);
    tf.backend().disposeData(ref.dataId);
    tf.dispose([x, dy, ours]);
  });
}
