// The final evaluation on the held-out test set: what the model gets wrong, not only
// how much it gets right. `summarizeEvaluation` is pure (softmax outputs, labels and
// pixel bytes in, a plain JSON-ready object out) so that it is tested without a model;
// `evaluateModel` only runs the model over the set and hands its outputs over.
//
// Loss and accuracy are computed here from the same outputs as the matrix, so the
// matrix's diagonal is the reported test accuracy by construction (and the loss uses
// evaluate.ts's Keras clip, so it means what the epoch losses mean).

import { tf } from './tf.js';
import { IMAGE_SIZE, type MnistSplit } from './dataset.js';
import { toTensors } from './tensors.js';
import { EPSILON, VALIDATION_BATCH } from './evaluate.js';
import type { Samples } from './loop.js';
import type { CalibrationBin, WrongImage } from '../evaluation.js';

export const CLASSES = 10;
/** Equal-width confidence bins of the reliability diagram (the usual 15 of ECE papers). */
export const CALIBRATION_BINS = 15;
/** How many of the most confidently wrong images the event carries (with their pixels). */
export const WRONG_KEPT = 25;
const PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/** The evaluation as the trainer emits it (the `evaluation` event's fields). */
export interface EvaluationSummary {
  set: 'test' | 'validation';
  size: number;
  loss: number;
  accuracy: number;
  /** confusion_matrix[true][predicted] = count. */
  confusion_matrix: number[][];
  calibration: CalibrationBin[];
  most_confident_wrong: WrongImage[];
}

/** The lighter per-epoch reading (--evaluate-every-epoch): the matrix only. */
export type EpochConfusion = Pick<EvaluationSummary, 'set' | 'size' | 'confusion_matrix'>;

export interface EvaluationInput {
  set: EvaluationSummary['set'];
  /** n × 10 softmax outputs, row-major. */
  probs: Float32Array;
  labels: ArrayLike<number>;
  /** Index of each row in the set's IDX file (its pixels are at index × 784). */
  indices: ArrayLike<number>;
  /** The whole split's pixel bytes (count × 784). */
  images: Uint8Array;
}

interface Prediction { predicted: number; confidence: number }

function top(probs: Float32Array, row: number): Prediction {
  let predicted = 0;
  let confidence = -Infinity;
  for (let k = 0; k < CLASSES; k++) {
    const p = probs[row * CLASSES + k]!;
    if (p > confidence) { confidence = p; predicted = k; } // first maximum, as tf.argMax
  }
  return { predicted, confidence };
}

export function confusionMatrix(probs: Float32Array, labels: ArrayLike<number>): number[][] {
  const m = Array.from({ length: CLASSES }, () => new Array<number>(CLASSES).fill(0));
  for (let i = 0; i < labels.length; i++) m[labels[i]!]![top(probs, i).predicted]! += 1;
  return m;
}

/** Pure: the evaluation event's fields from the model's outputs on a set. */
export function summarizeEvaluation(input: EvaluationInput): EvaluationSummary {
  const { probs, labels, indices, images } = input;
  const n = labels.length;
  const bins = Array.from({ length: CALIBRATION_BINS }, () => ({ count: 0, confidence: 0, correct: 0 }));
  const wrong: (WrongImage & { row: number })[] = [];
  let lossSum = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const label = labels[i]!;
    const { predicted, confidence } = top(probs, i);
    const pTrue = Math.min(Math.max(probs[i * CLASSES + label]!, EPSILON), 1 - EPSILON);
    lossSum -= Math.log(pTrue);
    const bin = bins[Math.min(CALIBRATION_BINS - 1, Math.floor(confidence * CALIBRATION_BINS))]!;
    bin.count += 1;
    bin.confidence += confidence;
    if (predicted === label) {
      correct += 1;
      bin.correct += 1;
    } else {
      wrong.push({ row: i, index: indices[i]!, label, predicted, confidence, pixels: '' });
    }
  }
  // most confident first; the set's order breaks ties so the choice is reproducible
  wrong.sort((a, b) => b.confidence - a.confidence || a.index - b.index);
  return {
    set: input.set,
    size: n,
    loss: n ? lossSum / n : 0,
    accuracy: n ? correct / n : 0,
    confusion_matrix: confusionMatrix(probs, labels),
    calibration: bins.map((b, k) => ({
      lower: k / CALIBRATION_BINS,
      upper: (k + 1) / CALIBRATION_BINS,
      count: b.count,
      mean_confidence: b.count ? b.confidence / b.count : null,
      accuracy: b.count ? b.correct / b.count : null,
    })),
    most_confident_wrong: wrong.slice(0, WRONG_KEPT).map(({ row: _row, ...w }) => ({
      ...w,
      pixels: Buffer.from(images.subarray(w.index * PIXELS, (w.index + 1) * PIXELS)).toString('base64'),
    })),
  };
}

/**
 * The whole split as the model sees it, evaluated: what the final evaluation event carries.
 * `made`: the split's tensors, all of it in file order, when the caller already has them
 * (validation on the whole test set), so they are not made a second time.
 */
export function evaluateSplit(model: tf.LayersModel, split: MnistSplit, set: EvaluationSummary['set'], made?: Samples): EvaluationSummary {
  const indices = Int32Array.from({ length: split.count }, (_, i) => i);
  if (made && made.x.shape[0] !== split.count) throw new Error(`evaluateSplit: ${made.x.shape[0]} samples given for a split of ${split.count}`);
  const { x, y } = made ?? toTensors(split, indices);
  try {
    return summarizeEvaluation({ set, probs: predict(model, { x }), labels: split.labels, indices, images: split.images });
  } finally {
    if (!made) tf.dispose([x, y]);
  }
}

/** --evaluate-every-epoch: the matrix alone, on the samples validation already uses. */
export function epochConfusion(model: tf.LayersModel, samples: Samples, set: EvaluationSummary['set']): EpochConfusion {
  const labels = samples.y.dataSync();
  return { set, size: labels.length, confusion_matrix: confusionMatrix(predict(model, samples), labels) };
}

/** The model's softmax outputs on a set, dropout off, in large batches. */
export function predict(model: tf.LayersModel, { x }: Pick<Samples, 'x'>): Float32Array {
  const n = x.shape[0];
  const out = new Float32Array(n * CLASSES);
  for (let start = 0; start < n; start += VALIDATION_BATCH) {
    const size = Math.min(VALIDATION_BATCH, n - start);
    const probs = tf.tidy(() => model.apply(tf.slice(x, [start, 0, 0, 0], [size, -1, -1, -1]), { training: false }) as tf.Tensor2D);
    out.set(probs.dataSync(), start * CLASSES);
    probs.dispose();
  }
  return out;
}
