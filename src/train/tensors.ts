// Turn the checked byte arrays into the float tensors the loop trains on, keeping
// only the selected samples (a deterministic subset for quick runs).

import * as tf from '@tensorflow/tfjs';
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
