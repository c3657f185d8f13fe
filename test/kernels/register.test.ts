import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from '../../src/train/kernels/index.js';

const stockConvFilter = tf.getKernel('Conv2DBackpropFilter', 'wasm');
const stockMatMul = tf.getKernel('BatchMatMul', 'wasm');
const names = registerWasmKernels();

test('stock wasm lacks Conv2DBackpropFilter (the reason this module exists)', () => {
  assert.equal(stockConvFilter, undefined);
  assert.ok(stockMatMul);
  assert.notEqual(tf.getKernel('BatchMatMul', 'wasm'), stockMatMul);
});

test('registerWasmKernels replaces matmul, slice and gather and adds Conv2DBackpropFilter, once', () => {
  assert.deepEqual(names, ['BatchMatMul', '_FusedMatMul', 'Conv2DBackpropFilter', 'Conv2DBackpropFilter (cpu)', 'Conv2DBackpropInput', 'MaxPoolGrad', 'Slice', 'GatherV2', 'MnistReportAdamUpdate']);
  const before = tf.getKernel('BatchMatMul', 'wasm');
  assert.deepEqual(registerWasmKernels(), names);
  assert.equal(tf.getKernel('BatchMatMul', 'wasm'), before, 'a second call must not wrap the kernel again');
  assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'));
});

