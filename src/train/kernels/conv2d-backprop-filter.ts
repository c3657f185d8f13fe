// Conv2DBackpropFilter for wasm, which ships without one (so a CNN cannot train
// there as shipped). The filter gradient is itself a convolution:
//
//   dW[i,j,c,o] = Σ_b,y,x  X[b, y·sh + i − top, x·sw + j − left, c] · dY[b,y,x,o]
//
// Swap batch and channels of X (→ [C, H, W, B]) and read dY as a filter
// (→ [OH, OW, B, O]); a convolution with dilation = the forward stride and the
// forward padding then yields [C, KH, KW, O], which is dW after one transpose.
// On wasm it runs on XNNPACK's convolution, about 15 times faster than the naive
// loop of the stock Conv3DBackpropFilterV2 kernel used with depth 1. The cpu
// backend has a Conv2DBackpropFilter, but it takes ~4 s per call for the CNN's
// second layer at batch 32; the same construction on cpu's Conv2D is far faster.

import { tf } from '../tf.js';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { WASM, innerConvAttrs, release, run, wasmKernel } from './shared.js';
import type { ConvGradAttrs } from './shared.js';

interface BackpropFilterAttrs extends ConvGradAttrs {
  filterShape: [number, number, number, number];
}

export function conv2dBackpropFilterConfig(backendName = WASM): KernelConfig {
  wasmKernel('Conv2D', backendName);
  // Looked up per call: Slice is replaced by ours after this kernel is registered.
  const transpose = () => wasmKernel('Transpose', backendName);
  const slice = () => wasmKernel('Slice', backendName);
  const conv2d = () => wasmKernel('Conv2D', backendName);

  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs;
    if (x === undefined || dy === undefined) throw new Error(`Conv2DBackpropFilter (${backendName}): needs inputs x and dy`);
    const a = attrs as unknown as BackpropFilterAttrs;
    if (a.dataFormat === 'NCHW') throw new Error(`Conv2DBackpropFilter (${backendName}): only NHWC is supported, got NCHW`);
    if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
      throw new Error(`Conv2DBackpropFilter (${backendName}): only float32 is supported, got ${x.dtype} and ${dy.dtype}`);
    }
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode, false, 'channelsLast');
    const [kh, kw] = [info.filterHeight, info.filterWidth];
    const [sh, sw] = [info.strideHeight, info.strideWidth];
    const { top, left } = info.padInfo;
    if (top < 0 || left < 0) throw new Error(`Conv2DBackpropFilter (${backendName}): negative padding is not supported`);
    // Padding after the input so the output is exactly KH×KW; negative means the
    // forward pass never read the last rows/columns, so crop them instead.
    const bottom = kh + (info.outHeight - 1) * sh - info.inHeight - top;
    const right = kw + (info.outWidth - 1) * sw - info.inWidth - left;

    const temps: TensorInfo[] = [];
    const keep = (t: TensorInfo): TensorInfo => (temps.push(t), t);
    try {
      let xT = keep(run(transpose(), backend, { x }, { perm: [3, 1, 2, 0] }));
      if (bottom < 0 || right < 0) {
        const size = [info.inChannels, info.inHeight + Math.min(bottom, 0), info.inWidth + Math.min(right, 0), info.batchSize];
        xT = keep(run(slice(), backend, { x: xT }, { begin: [0, 0, 0, 0], size }));
      }
      const dyT = keep(run(transpose(), backend, { x: dy }, { perm: [1, 2, 0, 3] }));
      const pad = [[0, 0], [top, Math.max(bottom, 0)], [left, Math.max(right, 0)], [0, 0]];
      const dwT = keep(run(conv2d(), backend, { x: xT, filter: dyT }, innerConvAttrs(pad, [sh, sw])));
      checkShape(dwT, [info.inChannels, kh, kw, info.outChannels]);
      return run(transpose(), backend, { x: dwT }, { perm: [1, 2, 0, 3] });
    } finally {
      release(backend, ...temps);
    }
  };
  return { kernelName: 'Conv2DBackpropFilter', backendName, kernelFunc };
}

function checkShape(t: TensorInfo, want: number[]): void {
  if (t.shape.length !== want.length || t.shape.some((d, i) => d !== want[i])) {
    throw new Error(`Conv2DBackpropFilter: internal shape ${t.shape.join('x')}, expected ${want.join('x')}`);
  }
}
