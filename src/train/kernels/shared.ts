// Helpers shared by our wasm kernels. Most are built from other wasm kernels: a
// kernel body runs below the engine, so its intermediates are raw backend data,
// released with backend.disposeData, never with tf.dispose.

import { tf } from '../tf.js';
import type { DataType, KernelBackend, KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';

export const WASM = 'wasm';

/** The wasm backend's calls our heap-level kernels use (not in its public type). */
export interface WasmHeapBackend<A = Float32Array> {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): A;
}

/** The kernel config currently registered for `name` on `backend`, or an error naming it. */
export function wasmKernel(name: string, backend = WASM): KernelConfig {
  const config = tf.getKernel(name, backend);
  if (config === undefined) {
    throw new Error(`${backend} kernel ${name} is not registered: import '@tensorflow/tfjs-backend-${backend}' before registerWasmKernels()`);
  }
  return config;
}

/** Run another kernel's function directly (no engine, no tape). */
export function run(config: KernelConfig, backend: object, inputs: NamedTensorInfoMap, attrs: NamedAttrMap): TensorInfo {
  const out = config.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error(`kernel ${config.kernelName} returned ${out.length} outputs, expected one`);
  return out;
}

export function release(backend: object, ...infos: TensorInfo[]): void {
  for (const info of infos) (backend as KernelBackend).disposeData(info.dataId);
}

/** Keep the stock setup/dispose hooks: setupFunc binds the wasm export the stock kernelFunc calls. */
export function withStockLifecycle(stock: KernelConfig, kernelFunc: KernelFunc): KernelConfig {
  const config: KernelConfig = { kernelName: stock.kernelName, backendName: WASM, kernelFunc };
  if (stock.setupFunc) config.setupFunc = stock.setupFunc;
  if (stock.disposeFunc) config.disposeFunc = stock.disposeFunc;
  return config;
}

/** The attrs of Conv2DBackpropFilter and Conv2DBackpropInput besides their shape. */
export interface ConvGradAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Attrs for the stride-1 NHWC Conv2D the gradient kernels are built on. */
export function innerConvAttrs(pad: number[][], dilations: [number, number]): NamedAttrMap {
  return { strides: [1, 1], pad, dataFormat: 'NHWC', dilations, dimRoundingMode: null as unknown as string };
}
