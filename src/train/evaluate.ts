// Loss and accuracy, shared by the training step (dropout on) and validation
// (dropout off). Cross-entropy is computed on the softmax output with Keras' clip,
// so our numbers mean what a Keras log's numbers mean.

import { tf } from './tf.js';
import type { Samples } from './loop.js';

/** Rows per forward pass when evaluating (dropout off); the evaluation event's predictions use it too. */
export const VALIDATION_BATCH = 1000;
/** Keras' clip of probabilities before the log: the evaluation event's loss clips the same way. */
export const EPSILON = 1e-7;

/** Mean sparse categorical cross-entropy of softmax outputs. */
export function crossEntropy(probs: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const oneHot = tf.oneHot(labels, probs.shape[1]);
  const logp = tf.log(tf.clipByValue(probs, EPSILON, 1 - EPSILON));
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, logp), -1))) as tf.Scalar;
}

export function countCorrect(probs: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(probs, -1), labels), 'float32'));
}

/** Loss and accuracy over a whole set, dropout off, in large batches. */
export function evaluate(model: tf.LayersModel, { x, y }: Samples): { loss: number; accuracy: number } {
  const n = x.shape[0];
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < n; start += VALIDATION_BATCH) {
    const size = Math.min(VALIDATION_BATCH, n - start);
    const [l, c] = tf.tidy(() => {
      const xs = tf.slice(x, [start, 0, 0, 0], [size, -1, -1, -1]);
      const ys = tf.slice(y, [start], [size]);
      const probs = model.apply(xs, { training: false }) as tf.Tensor2D;
      return [tf.mul(crossEntropy(probs, ys), size), countCorrect(probs, ys)];
    });
    lossSum += l!.dataSync()[0]!;
    correct += c!.dataSync()[0]!;
    tf.dispose([l!, c!]);
  }
  return { loss: lossSum / n, accuracy: correct / n };
}
