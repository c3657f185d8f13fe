// Turn the checked byte arrays into the float tensors the loop trains on, keeping
// only the selected samples (a deterministic subset for quick runs).

import { tf } from './tf.js';
import { IMAGE_SIZE } from './dataset.js';
import type { MnistSplit } from './dataset.js';
import type { Samples } from './loop.js';

const PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/** The selected samples of one split as x [n, 28, 28, 1] in [0, 1] and y [n] int32. */
export function toTensors(split: MnistSplit, indices: Int32Array): Samples {
  const x = new Float32Array(indices.length * PIXELS);
  const y = new Int32Array(indices.length);
  indices.forEach((src, i) => {
    const from = src * PIXELS;
    for (let p = 0; p < PIXELS; p++) x[i * PIXELS + p] = split.images[from + p]! / 255;
    y[i] = split.labels[src]!;
  });
  return { x: tf.tensor4d(x, [indices.length, IMAGE_SIZE, IMAGE_SIZE, 1]), y: tf.tensor1d(y, 'int32') };
}

/**
 * The training samples as the IDX bytes and the chosen indices, made into tensors
 * only when asked: the fused MLP step (mlp-step.ts) reads the bytes of each batch
 * and never needs the 60,000 x 784 floats (188 MB, ~0.3 s to build).
 */
export class SampleSource {
  private made: Samples | null = null;

  constructor(private readonly split: MnistSplit, readonly indices: Int32Array) {}

  get count(): number {
    return this.indices.length;
  }

  get images(): Uint8Array {
    return this.split.images;
  }

  get labels(): Uint8Array {
    return this.split.labels;
  }

  tensors(): Samples {
    this.made ??= toTensors(this.split, this.indices);
    return this.made;
  }
}
