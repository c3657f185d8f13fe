// The Adam update as a 128-bit SIMD loop in a tiny hand-assembled WebAssembly
// module that shares the wasm backend's memory, so it reads and writes tensors in
// place on the heap. In JavaScript the same loop costs ~8 ns per weight (0.8 ms a
// step for the MLP's 101,770 weights); here it is memory-bound.
//
// Exported function (byte offsets into the backend's memory, bytes a multiple of 16):
//   adam(w, m, v, g, W, M, V, bytes, β1, 1−β1, β2, 1−β2, lr/(1−β1ᵗ), 1/√(1−β2ᵗ), ε)
//   M = β1·m + (1−β1)·g;  V = β2·v + (1−β2)·g²;  W = w − a·M / (√V·s + ε)

import {
  BLOCK, END, F32, F32X4_ADD, F32X4_DIV, F32X4_MUL, F32X4_SPLAT, F32X4_SQRT, F32X4_SUB, I32, I32_ADD, I32_GE_U, LOOP, V128,
  br, brIf, functionBody, get, i32, boundToMemory, moduleBytes, set, tee, v128Load, v128Store,
} from './wasm-asm.js';

export type { WasmMemory } from './wasm-asm.js';

export type AdamSimd = (w: number, m: number, v: number, g: number, W: number, M: number, V: number, bytes: number,
  b1: number, ob1: number, b2: number, ob2: number, a: number, s: number, eps: number) => void;

/** tf.train.adam's default β1 and β2, which both our Adams use. */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;

/** One Adam step's settings: the hyperparameters and the bias corrections 1 − β1ᵗ, 1 − β2ᵗ of step t. */
export interface AdamStep {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  correction1: number;
  correction2: number;
}

/** Step t's settings (t counts from 1). */
export function adamStep(learningRate: number, t: number, epsilon: number, beta1 = ADAM_BETA1, beta2 = ADAM_BETA2): AdamStep {
  return { learningRate, beta1, beta2, epsilon, correction1: 1 - beta1 ** t, correction2: 1 - beta2 ** t };
}

/** The loop's scalar arguments for a step: β1, 1−β1, β2, 1−β2, lr/(1−β1ᵗ), 1/√(1−β2ᵗ), ε. */
export function simdScalars(a: AdamStep): [number, number, number, number, number, number, number] {
  return [a.beta1, 1 - a.beta1, a.beta2, 1 - a.beta2, a.learningRate / a.correction1, 1 / Math.sqrt(a.correction2), a.epsilon];
}

const [splat, sqrt, add, sub, mul, div] = [F32X4_SPLAT, F32X4_SQRT, F32X4_ADD, F32X4_SUB, F32X4_MUL, F32X4_DIV];
const load = v128Load();
const store = v128Store();

// Parameters 0-6 pointers, 7 bytes, 8-14 scalars; locals 15 p, 16-22 splats, 23 g, 24 M, 25 V.
const [P, G, MV, VV] = [15, 23, 24, 25];
const at = (ptr: number) => [...get(ptr), ...get(P), I32_ADD];

function body(): number[] {
  const code: number[] = [];
  for (let k = 0; k < 7; k++) code.push(...get(8 + k), ...splat, ...set(16 + k));
  const [b1, ob1, b2, ob2, a, s, eps] = [16, 17, 18, 19, 20, 21, 22];
  code.push(...BLOCK, ...LOOP);
  code.push(...get(P), ...get(7), I32_GE_U, ...brIf(1)); // p >= bytes: out
  code.push(...at(3), ...load, ...set(G));
  code.push(...at(5), ...at(1), ...load, ...get(b1), ...mul, ...get(G), ...get(ob1), ...mul, ...add, ...tee(MV), ...store);
  code.push(...at(6), ...at(2), ...load, ...get(b2), ...mul, ...get(G), ...get(G), ...mul, ...get(ob2), ...mul, ...add, ...tee(VV), ...store);
  code.push(...at(4), ...at(0), ...load, ...get(a), ...get(MV), ...mul, ...get(VV), ...sqrt, ...get(s), ...mul, ...get(eps), ...add, ...div, ...sub, ...store);
  code.push(...get(P), ...i32(16), I32_ADD, ...set(P), ...br(0), END, END); // p += 16; again
  return functionBody([[1, I32], [10, V128]], code);
}

const PARAMS = [I32, I32, I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32];

/** The SIMD update bound to `memory`, or null where the runtime has no wasm SIMD. */
export const adamSimd = boundToMemory<AdamSimd>('adam', () => moduleBytes('adam', PARAMS, body()));
