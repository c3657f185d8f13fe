// MaxPoolGrad for wasm, in JavaScript over views of the wasm heap. The stock
// kernel spends 7 ms per 2×2 pool of the CNN at batch 32; this one visits each
// pooling window once and routes dY to the first maximum in row-major window
// order, the same tie rule as the cpu backend.

import { tf } from '../tf.js';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import { withStockLifecycle, type WasmHeapBackend } from './shared.js';

type HeapBackend = WasmHeapBackend;

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export function maxPoolGradConfig(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { dy, input } = args.inputs;
    if (dy === undefined || input === undefined || input.dtype !== 'float32') return stock.kernelFunc(args);
    const a = args.attrs as unknown as PoolAttrs;
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    const backend = args.backend as HeapBackend;
    const dxInfo = backend.makeOutput(input.shape, 'float32');
    const x = backend.typedArrayFromHeap(input);
    const g = backend.typedArrayFromHeap(dy);
    const dx = backend.typedArrayFromHeap(dxInfo);
    dx.fill(0);
    const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
    const { strideHeight: sh, strideWidth: sw, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
    const { top, left } = info.padInfo;
    const best = new Float32Array(C);
    const where = new Int32Array(C);
    for (let b = 0; b < batchSize; b++) {
      for (let yr = 0; yr < OH; yr++) {
        const r0 = Math.max(0, yr * sh - top);
        const r1 = Math.min(H, yr * sh - top + fh);
        for (let yc = 0; yc < OW; yc++) {
          const c0 = Math.max(0, yc * sw - left);
          const c1 = Math.min(W, yc * sw - left + fw);
          best.fill(Number.NEGATIVE_INFINITY);
          where.fill(-1);
          for (let r = r0; r < r1; r++) {
            for (let c = c0; c < c1; c++) {
              const base = ((b * H + r) * W + c) * C;
              for (let ch = 0; ch < C; ch++) {
                const v = x[base + ch]!;
                if (v > best[ch]!) {
                  best[ch] = v;
                  where[ch] = base + ch;
                }
              }
            }
          }
          const gBase = ((b * OH + yr) * OW + yc) * C;
          for (let ch = 0; ch < C; ch++) {
            const at = where[ch]!;
            if (at >= 0) dx[at] = dx[at]! + g[gBase + ch]!;
          }
        }
      }
    }
    return dxInfo;
  };
  return withStockLifecycle(stock, kernelFunc);
}
