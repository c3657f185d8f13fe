// Kernels that make the wasm backend fit for training (bench/kernels.ts times each
// against the stock one):
//   BatchMatMul, _FusedMatMul   transposed operands: transpose first, then plain MatMul
//   Conv2DBackpropFilter        missing on wasm: a dilated convolution (also on cpu)
//   Conv2DBackpropInput         stride 1: a convolution with the turned filter
//   MaxPoolGrad                 one pass over the pooling windows
//   Slice, GatherV2             plain copies on the wasm heap
//   MnistReportAdamUpdate       the Adam step in one SIMD loop (used by createAdam)
// Call once the wasm backend package is imported (before or after tf.setBackend).
// registerCpuKernels() alone: Conv2DBackpropFilter and Adam on cpu, for --backend cpu.

import { tf } from '../tf.js';
import type { KernelConfig } from '@tensorflow/tfjs';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { transposeFirstMatMul } from './matmul.js';
import { gatherConfig, sliceConfig } from './copy.js';
import { ADAM_KERNEL, adamKernelConfig } from './adam.js';
import { WASM, wasmKernel } from './shared.js';

export { createAdam, FusedAdamOptimizer } from './adam.js';

const ours = new WeakSet<KernelConfig['kernelFunc']>();
const registered: string[] = [];

/**
 * Register our wasm kernels, replacing stock ones where they exist, and the fused
 * Adam on wasm and cpu (and, unless `cpu: false`, the rest of registerCpuKernels).
 * Returns the kernel names now served by our code; calling it again changes nothing.
 */
export function registerWasmKernels(options: { cpu?: boolean } = {}): string[] {
  wasmKernel('Transpose'); // throws a clear error if the wasm backend is not imported
  replace('BatchMatMul', (stock) => transposeFirstMatMul(stock));
  replace('_FusedMatMul', (stock) => transposeFirstMatMul(stock));
  replace('Conv2DBackpropFilter', () => conv2dBackpropFilterConfig());
  // tests turn this off to keep cpu stock as the reference they compare against
  if (options.cpu !== false) registerCpuKernels();
  replace('Conv2DBackpropInput', (stock) => conv2dBackpropInputConfig(stock));
  replace('MaxPoolGrad', (stock) => maxPoolGradConfig(stock));
  replace('Slice', (stock) => sliceConfig(stock));
  replace('GatherV2', (stock) => gatherConfig(stock));
  addAdam('wasm');
  addAdam('cpu');
  if (!registered.includes(ADAM_KERNEL)) registered.push(ADAM_KERNEL);
  return [...registered];
}

/**
 * Register our cpu kernels: Conv2DBackpropFilter (cpu's own takes seconds per CNN
 * batch; the same construction as on wasm, on cpu's Conv2D, fixes it) and the fused
 * Adam update (createAdam uses it where it is registered). Needs only
 * @tensorflow/tfjs (the cpu backend), not the wasm package. Calling it again
 * changes nothing.
 */
export function registerCpuKernels(): void {
  replace('Conv2DBackpropFilter', () => conv2dBackpropFilterConfig('cpu'), 'cpu');
  addAdam('cpu');
}

/** Our Adam update kernel on `backend` (a kernel of our own: nothing stock to replace). */
function addAdam(backend: 'wasm' | 'cpu'): void {
  if (tf.getKernel(ADAM_KERNEL, backend) === undefined) tf.registerKernel(adamKernelConfig(backend));
}

function replace(name: string, make: (stock: KernelConfig) => KernelConfig, backend = WASM): void {
  const current = tf.getKernel(name, backend);
  const label = backend === WASM ? name : `${name} (${backend})`;
  if (current !== undefined && ours.has(current.kernelFunc)) return;
  const config = make(current as KernelConfig);
  if (current !== undefined) tf.unregisterKernel(name, backend);
  tf.registerKernel(config);
  ours.add(config.kernelFunc);
  if (!registered.includes(label)) registered.push(label);
}
