// Adam as one kernel per variable. tf.train.adam spends about 14 small ops per
// variable per step (plus scalar uploads); at batch 32 on wasm that is a quarter
// of the MLP's step time. Same update rule as tf.train.adam:
//
//   m ← β1·m + (1−β1)·g      v ← β2·v + (1−β2)·g²
//   w ← w − lr · (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε)
//
// On wasm the update runs as a SIMD loop in float32 (adam-simd.ts); on cpu and for
// a tail of < 4 weights, in float64 JavaScript. Either way it agrees with
// tf.train.adam to float32 rounding, not bit for bit.

import { tf } from '../tf.js';
import { ADAM_BETA1, ADAM_BETA2, adamSimd, adamStep, simdScalars, type AdamStep } from './adam-simd.js';
import type { WasmMemory } from './adam-simd.js';
import type { WasmHeapBackend } from './shared.js';
import type { DataType, KernelConfig, KernelFunc, NamedTensorMap, TensorInfo } from '@tensorflow/tfjs';

type NamedTensor = { name: string; tensor: tf.Tensor };

export const ADAM_KERNEL = 'MnistReportAdamUpdate';

function update(w: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array,
  W: Float32Array, M: Float32Array, V: Float32Array, a: AdamStep, from = 0): void {
  const { learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, correction1: c1, correction2: c2 } = a;
  for (let i = from; i < w.length; i++) {
    const gi = g[i]!;
    const mi = b1 * m[i]! + (1 - b1) * gi;
    const vi = b2 * v[i]! + (1 - b2) * gi * gi;
    M[i] = mi;
    V[i] = vi;
    W[i] = w[i]! - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
  }
}

interface HeapBackend extends WasmHeapBackend {
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  wasm: { asm?: { memory?: WasmMemory } };
}
interface CpuBackend {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: DataType, values: Float32Array): TensorInfo;
}

function inputsOf(inputs: Record<string, TensorInfo | undefined>): TensorInfo[] {
  const list = [inputs['value'], inputs['m'], inputs['v'], inputs['grad']];
  if (list.some((t) => t === undefined || t.dtype !== 'float32')) throw new Error(`${ADAM_KERNEL}: needs float32 value, m, v, grad`);
  return list as TensorInfo[];
}

const wasmAdam: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as HeapBackend;
  const list = inputsOf(inputs);
  const outs = [0, 1, 2].map(() => b.makeOutput(list[0]!.shape, 'float32'));
  // Views after allocating: the heap may have grown.
  const [w, m, v, g] = list.map((t) => b.typedArrayFromHeap(t));
  const [W, M, V] = outs.map((t) => b.typedArrayFromHeap(t));
  const a = attrs as unknown as AdamStep;
  const memory = b.wasm.asm?.memory;
  const simd = memory ? adamSimd(memory) : null;
  // SIMD for whole groups of 4 floats, JavaScript for the rest.
  const whole = simd ? w!.length & ~3 : 0;
  if (simd && whole > 0) {
    const [pw, pm, pv, pg, pW, pM, pV] = [...list, ...outs].map((t) => b.dataIdMap.get(t.dataId).memoryOffset);
    simd(pw!, pm!, pv!, pg!, pW!, pM!, pV!, whole * 4, ...simdScalars(a));
  }
  update(w!, m!, v!, g!, W!, M!, V!, a, whole);
  return outs;
};

const cpuAdam: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as CpuBackend;
  const list = inputsOf(inputs);
  const [w, m, v, g] = list.map((t) => b.data.get(t.dataId).values);
  const n = w!.length;
  const [W, M, V] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  update(w!, m!, v!, g!, W, M, V, attrs as unknown as AdamStep);
  return [W, M, V].map((values) => b.makeTensorInfo(list[0]!.shape, 'float32', values));
};

export function adamKernelConfig(backendName: 'wasm' | 'cpu'): KernelConfig {
  return { kernelName: ADAM_KERNEL, backendName, kernelFunc: backendName === 'wasm' ? wasmAdam : cpuAdam };
}

/** Adam whose update is one kernel call per variable; same hyperparameters as tf.train.adam. */
export class FusedAdamOptimizer extends tf.Optimizer {
  static get className(): string {
    return 'FusedAdam';
  }
  private moments = new Map<string, { m: tf.Variable; v: tf.Variable }>();

  constructor(
    readonly learningRate: number,
    readonly beta1 = ADAM_BETA1,
    readonly beta2 = ADAM_BETA2,
    readonly epsilon = tf.backend().epsilon(),
  ) {
    super();
  }

  applyGradients(variableGradients: NamedTensorMap | NamedTensor[]): void {
    const grads: [string, tf.Tensor][] = Array.isArray(variableGradients)
      ? variableGradients.map((v) => [v.name, v.tensor])
      : Object.entries(variableGradients);
    const attrs = adamStep(this.learningRate, this.iterations + 1, this.epsilon, this.beta1, this.beta2);
    for (const [name, grad] of grads) {
      const value = tf.engine().registeredVariables[name];
      if (value === undefined || grad == null) continue;
      const state = this.moment(name, value);
      const [w, m, v] = tf.engine().runKernel(ADAM_KERNEL, { value, m: state.m, v: state.v, grad }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      value.assign(w!);
      state.m.assign(m!);
      state.v.assign(v!);
      tf.dispose([w!, m!, v!]);
    }
    this.incrementIterations();
  }

  private moment(name: string, value: tf.Variable): { m: tf.Variable; v: tf.Variable } {
    let state = this.moments.get(name);
    if (state === undefined) {
      state = tf.tidy(() => ({ m: tf.zerosLike(value).variable(false), v: tf.zerosLike(value).variable(false) }));
      this.moments.set(name, state);
    }
    return state;
  }

  override dispose(): void {
    for (const { m, v } of this.moments.values()) tf.dispose([m, v]);
    this.moments.clear();
    super.dispose();
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/** FusedAdamOptimizer where the current backend has the kernel, else tf.train.adam. */
export function createAdam(learningRate: number): tf.Optimizer {
  return tf.getKernel(ADAM_KERNEL, tf.getBackend()) ? new FusedAdamOptimizer(learningRate) : tf.train.adam(learningRate);
}
