// C = A·B as a 128-bit SIMD loop in a tiny hand-assembled WebAssembly module, for
// the fused MLP step (mlp-step.ts). Why not the wasm backend's XNNPACK MatMul: it
// packs its right operand into an operator cached by tensor id, and a weight
// matrix gets a new id after every Adam step, so every training step re-packed the
// 784x128 kernel (about as long as the product itself). This loop reads B as it
// lies (row-major), so nothing is packed, and A through two strides, so a
// transposed A (xᵀ·dy for a dense layer's kernel gradient) needs no copy either.
//
// Exported function (byte offsets and byte strides into the memory it is bound to):
//   gemm(a, aRow, aCol, b, bRow, c, cRow, m, n, k)
//   C[i][j] = Σ_p A[i][p]·B[p][j], A[i][p] at a + i·aRow + p·aCol, B[p][j] at b + p·bRow + 4j,
//   C[i][j] at c + i·cRow + 4j; m a multiple of 4, n a multiple of 8 (callers pad), any k.
// Tiles of 4 rows x 8 columns: per p, two loads of B, four splats of A, eight
// multiply-adds into accumulators that stay in registers.

import {
  BLOCK, END, F32X4_ADD, F32X4_MUL, I32, I32_ADD, I32_EQZ, I32_GE_U, I32_MUL, I32_SUB, LOOP, V128, V128_ZERO,
  br, brIf, functionBody, get, i32, boundToMemory, moduleBytes, set, v128Load, v128Load32Splat, v128Store,
} from './wasm-asm.js';

export type Gemm = (a: number, aRow: number, aCol: number, b: number, bRow: number, c: number, cRow: number,
  m: number, n: number, k: number) => void;

// Parameters 0-9; locals: i32 10-22, v128 23-33.
const [A, A_ROW, A_COL, B, B_ROW, C, C_ROW, M, N, K] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const [I, J, P, PA, QA, PB, PC] = [10, 11, 12, 13, 17, 21, 22]; // PA..PA+3, QA..QA+3: the four rows of A
const [ACC, B0, B1, S] = [23, 31, 32, 33]; // ACC..ACC+7: row r, half h at ACC + 2r + h

function body(): number[] {
  const add = (x: number[], y: number[]) => [...x, ...y, I32_ADD];
  const code: number[] = [...i32(0), ...set(I), ...BLOCK, ...LOOP];
  code.push(...get(I), ...get(M), I32_GE_U, ...brIf(1)); // rows done
  code.push(...add(get(A), [...get(I), ...get(A_ROW), I32_MUL]), ...set(PA));
  for (let r = 1; r < 4; r++) code.push(...add(get(PA + r - 1), get(A_ROW)), ...set(PA + r));
  code.push(...i32(0), ...set(J), ...BLOCK, ...LOOP);
  code.push(...get(J), ...get(N), I32_GE_U, ...brIf(1)); // columns done
  for (let t = 0; t < 8; t++) code.push(...V128_ZERO, ...set(ACC + t));
  for (let r = 0; r < 4; r++) code.push(...get(PA + r), ...set(QA + r));
  code.push(...add(get(B), [...get(J), ...i32(4), I32_MUL]), ...set(PB), ...get(K), ...set(P));
  code.push(...BLOCK, ...LOOP, ...get(P), I32_EQZ, ...brIf(1)); // for p = k..1
  code.push(...get(PB), ...v128Load(0), ...set(B0), ...get(PB), ...v128Load(16), ...set(B1));
  for (let r = 0; r < 4; r++) {
    code.push(...get(QA + r), ...v128Load32Splat(0), ...set(S));
    code.push(...get(ACC + 2 * r), ...get(S), ...get(B0), ...F32X4_MUL, ...F32X4_ADD, ...set(ACC + 2 * r));
    code.push(...get(ACC + 2 * r + 1), ...get(S), ...get(B1), ...F32X4_MUL, ...F32X4_ADD, ...set(ACC + 2 * r + 1));
    code.push(...add(get(QA + r), get(A_COL)), ...set(QA + r));
  }
  code.push(...add(get(PB), get(B_ROW)), ...set(PB), ...get(P), ...i32(1), I32_SUB, ...set(P), ...br(0), END, END);
  code.push(...add(get(C), [...get(I), ...get(C_ROW), I32_MUL]), ...get(J), ...i32(4), I32_MUL, I32_ADD, ...set(PC));
  for (let r = 0; r < 4; r++) {
    code.push(...get(PC), ...get(ACC + 2 * r), ...v128Store(0), ...get(PC), ...get(ACC + 2 * r + 1), ...v128Store(16));
    if (r < 3) code.push(...add(get(PC), get(C_ROW)), ...set(PC));
  }
  code.push(...add(get(J), i32(8)), ...set(J), ...br(0), END, END); // next 8 columns
  code.push(...get(I), ...i32(4), I32_ADD, ...set(I), ...br(0), END, END); // next 4 rows
  return functionBody([[13, I32], [11, V128]], code);
}

const PARAMS = new Array<number>(10).fill(I32);
/** The SIMD product bound to `memory`, or null where the runtime has no wasm SIMD. */
export const gemmSimd = boundToMemory<Gemm>('gemm', () => moduleBytes('gemm', PARAMS, body()));
