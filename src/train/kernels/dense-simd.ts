// The elementwise parts of the fused MLP step around its hidden layer, as 128-bit
// SIMD loops (hand-assembled, like adam-simd.ts): in JavaScript each took ~50-60 µs
// of a ~0.9 ms step. The same float32 operations tfjs runs, in the same order:
//
//   biasReluDropout(pre, bias, mask, out, rows, width)   the forward after x·W1
//     pre ← pre + bias (per column);  out ← max(pre, 0) · mask
//   reluDropoutGrad(grad, pre, mask, count)              the backward before xᵀ·grad
//     grad ← pre > 0 ? grad · mask : 0
//
// Byte offsets into the memory they are bound to; width and count multiples of 4.

import {
  BLOCK, END, F32X4_ADD, F32X4_MUL, I32, I32_ADD, I32_GE_U, I32_MUL, IF, LOOP, V128, V128_ZERO,
  boundToMemory, br, brIf, functionBody, get, i32, moduleBytes, set, simd, tee, v128Load, v128Store,
} from './wasm-asm.js';

export type BiasReluDropout = (pre: number, bias: number, mask: number, out: number, rows: number, width: number) => void;
export type ReluDropoutGrad = (grad: number, pre: number, mask: number, count: number) => void;

const F32X4_MAX = simd(0xe9);
const F32X4_GT = simd(0x44);
const V128_AND = simd(0x4e);

function forward(): number[] {
  const [PRE, BIAS, MASK, OUT, ROWS, WIDTH, END_AT, C, Z] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  // one pass over rows·width values; the bias pointer wraps at the end of each row
  const code: number[] = [...get(ROWS), ...get(WIDTH), I32_MUL, ...i32(4), I32_MUL, ...get(PRE), I32_ADD, ...set(END_AT)];
  code.push(...i32(0), ...set(C), ...BLOCK, ...LOOP, ...get(PRE), ...get(END_AT), I32_GE_U, ...brIf(1));
  code.push(...get(PRE), ...get(PRE), ...v128Load(0), ...get(BIAS), ...get(C), I32_ADD, ...v128Load(0), ...F32X4_ADD, ...tee(Z), ...v128Store(0));
  code.push(...get(OUT), ...get(Z), ...V128_ZERO, ...F32X4_MAX, ...get(MASK), ...v128Load(0), ...F32X4_MUL, ...v128Store(0));
  for (const p of [PRE, MASK, OUT]) code.push(...get(p), ...i32(16), I32_ADD, ...set(p));
  code.push(...get(C), ...i32(16), I32_ADD, ...set(C));
  code.push(...get(C), ...get(WIDTH), ...i32(4), I32_MUL, I32_GE_U, ...IF, ...i32(0), ...set(C), END); // if (c >= width·4) c = 0
  code.push(...br(0), END, END);
  return functionBody([[2, I32], [1, V128]], code);
}

function backward(): number[] {
  const [GRAD, PRE, MASK, COUNT, END_AT] = [0, 1, 2, 3, 4];
  const code: number[] = [...get(COUNT), ...i32(4), I32_MUL, ...get(GRAD), I32_ADD, ...set(END_AT)];
  code.push(...BLOCK, ...LOOP, ...get(GRAD), ...get(END_AT), I32_GE_U, ...brIf(1));
  code.push(...get(GRAD), ...get(GRAD), ...v128Load(0), ...get(MASK), ...v128Load(0), ...F32X4_MUL);
  code.push(...get(PRE), ...v128Load(0), ...V128_ZERO, ...F32X4_GT, ...V128_AND, ...v128Store(0));
  for (const p of [GRAD, PRE, MASK]) code.push(...get(p), ...i32(16), I32_ADD, ...set(p));
  code.push(...br(0), END, END);
  return functionBody([[1, I32]], code);
}

/** The forward loop bound to `memory`, or null where the runtime has no wasm SIMD. */
export const biasReluDropoutSimd = boundToMemory<BiasReluDropout>('f', () => moduleBytes('f', new Array<number>(6).fill(I32), forward()));
/** The backward loop bound to `memory`, or null where the runtime has no wasm SIMD. */
export const reluDropoutGradSimd = boundToMemory<ReluDropoutGrad>('g', () => moduleBytes('g', new Array<number>(4).fill(I32), backward()));
