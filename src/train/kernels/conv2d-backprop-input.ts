// Conv2DBackpropInput for wasm, stride 1. The stock kernel is a naive loop (43 ms
// of the CNN's 86 ms step at batch 32). For stride 1 the input gradient is a
// plain convolution of dY with the filter turned by 180° and its channel axes
// swapped, padded by KH−1−top above (and what makes the output H high below):
//
//   dX[b,y,x,c] = Σ_i,j,o  dY[b, y + top − i, x + left − j, o] · W[i,j,c,o]
//
// which runs on XNNPACK. Other strides go to the stock kernel.

import { tf } from '../tf.js';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { innerConvAttrs, release, run, wasmKernel, withStockLifecycle } from './shared.js';
import type { ConvGradAttrs } from './shared.js';

interface BackpropInputAttrs extends ConvGradAttrs {
  inputShape: [number, number, number, number];
}

export function conv2dBackpropInputConfig(stock: KernelConfig): KernelConfig {
  const transpose = wasmKernel('Transpose');
  const reverse = wasmKernel('Reverse');
  const conv2d = wasmKernel('Conv2D');

  const kernelFunc: KernelFunc = (args) => {
    const { dy, filter } = args.inputs;
    const a = args.attrs as unknown as BackpropInputAttrs;
    if (dy === undefined || filter === undefined || a.dataFormat === 'NCHW' || dy.dtype !== 'float32') return stock.kernelFunc(args);
    const info = tf.backend_util.computeConv2DInfo(
      a.inputShape, filter.shape as [number, number, number, number], a.strides, 1, a.pad, a.dimRoundingMode, false, 'channelsLast');
    const [kh, kw] = [info.filterHeight, info.filterWidth];
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const bottom = info.inHeight - info.outHeight - top + kh - 1;
    const right = info.inWidth - info.outWidth - left + kw - 1;
    if (info.strideHeight !== 1 || info.strideWidth !== 1 || Math.min(top, left, bottom, right) < 0) return stock.kernelFunc(args);

    const { backend } = args;
    const temps: TensorInfo[] = [];
    const keep = (t: TensorInfo): TensorInfo => (temps.push(t), t);
    try {
      // W [KH, KW, C, O] → W' [KH, KW, O, C], turned by 180° in space.
      const swapped = keep(run(transpose, backend, { x: filter }, { perm: [0, 1, 3, 2] }));
      const turned = keep(run(reverse, backend, { x: swapped }, { dims: [0, 1] }));
      const pad = [[0, 0], [top, bottom], [left, right], [0, 0]];
      return run(conv2d, backend, { x: dy, filter: turned }, innerConvAttrs(pad, [1, 1]));
    } finally {
      release(backend, ...temps);
    }
  };
  return withStockLifecycle(stock, kernelFunc);
}
