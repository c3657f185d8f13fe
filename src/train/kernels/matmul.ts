// MatMul with a transposed operand. The stock wasm BatchMatMul walks a transposed
// operand with a strided inner loop, about 4-10 times slower than transposing it
// first (one cheap copy) and running the plain XNNPACK path. Dense layers hit
// this on every backward pass: dW = xᵀ·dy and dx = dy·Wᵀ.

import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { release, run, wasmKernel, withStockLifecycle } from './shared.js';

/**
 * A replacement for `stock` (BatchMatMul or _FusedMatMul on wasm) that
 * transposes flagged operands with the wasm Transpose kernel, then calls the
 * stock kernel with both flags off. Other inputs (bias, prelu weights) pass through.
 */
export function transposeFirstMatMul(stock: KernelConfig): KernelConfig {
  const transpose = wasmKernel('Transpose');
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const a = inputs['a'];
    const b = inputs['b'];
    const flags = (attrs ?? {}) as NamedAttrMap & { transposeA?: boolean; transposeB?: boolean };
    if (a === undefined || b === undefined || (!flags.transposeA && !flags.transposeB)) {
      return stock.kernelFunc({ inputs, backend, attrs });
    }
    const temps: TensorInfo[] = [];
    const plain = (x: TensorInfo, flagged: boolean | undefined): TensorInfo => {
      if (!flagged) return x;
      const t = run(transpose, backend, { x }, { perm: swapLastTwo(x.shape.length) });
      temps.push(t);
      return t;
    };
    try {
      const newInputs = { ...inputs, a: plain(a, flags.transposeA), b: plain(b, flags.transposeB) };
      return stock.kernelFunc({ inputs: newInputs, backend, attrs: { ...flags, transposeA: false, transposeB: false } });
    } finally {
      release(backend, ...temps);
    }
  };
  return withStockLifecycle(stock, kernelFunc);
}

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}
