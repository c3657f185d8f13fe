// Pixel bytes to floats in [0, 1] as a 128-bit SIMD loop (hand-assembled, like
// adam-simd.ts), for the fused MLP step's batches: in JavaScript the 25,088 pixels
// of a batch took ~90 µs, a sixth of the step. Each value is the float32 division
// b / 255, which is exactly what toTensors stores (b / 255 in float64, rounded to
// float32: a division rounded twice, through a format more than twice as wide, is
// the correctly rounded float32 division).
//
// Exported function (byte offsets into the memory it is bound to):
//   scale(src, dst, count): dst[i] = src[i] / 255 for i < count rounded up to a multiple of 16

import {
  BLOCK, END, F32X4_DIV, F32X4_SPLAT, I32, I32_ADD, I32_GE_U, I32_MUL, LOOP, V128,
  boundToMemory, br, brIf, functionBody, get, i32, moduleBytes, set, simd, v128Load, v128Store,
} from './wasm-asm.js';

export type Scale = (src: number, dst: number, count: number) => void;

const [SRC, DST, COUNT, I, OUT, BYTES, HALF, K] = [0, 1, 2, 3, 4, 5, 6, 7];
const [LOW_8_TO_16, HIGH_8_TO_16, LOW_16_TO_32, HIGH_16_TO_32, TO_F32] = [0x89, 0x8a, 0xa9, 0xaa, 0xfb].map(simd) as number[][];
const F32_CONST_255 = [0x43, ...new Uint8Array(new Float32Array([255]).buffer)];

function body(): number[] {
  const code: number[] = [...F32_CONST_255, ...F32X4_SPLAT, ...set(K), ...i32(0), ...set(I), ...BLOCK, ...LOOP];
  code.push(...get(I), ...get(COUNT), I32_GE_U, ...brIf(1));
  code.push(...get(SRC), ...get(I), I32_ADD, ...v128Load(0), ...set(BYTES));
  code.push(...get(DST), ...get(I), ...i32(4), I32_MUL, I32_ADD, ...set(OUT));
  [LOW_8_TO_16, HIGH_8_TO_16].forEach((widen, h) => {
    code.push(...get(BYTES), ...widen!, ...set(HALF));
    [LOW_16_TO_32, HIGH_16_TO_32].forEach((widen32, q) => {
      code.push(...get(OUT), ...get(HALF), ...widen32!, ...TO_F32!, ...get(K), ...F32X4_DIV, ...v128Store(32 * h + 16 * q));
    });
  });
  code.push(...get(I), ...i32(16), I32_ADD, ...set(I), ...br(0), END, END);
  return functionBody([[2, I32], [3, V128]], code);
}

/** The SIMD scaling bound to `memory`, or null where the runtime has no wasm SIMD. */
export const scaleSimd = boundToMemory<Scale>('scale', () => moduleBytes('scale', [I32, I32, I32], body()));
