// The training loop. Our own loop instead of model.fit: fit's per-batch callback
// machinery costs more than the MLP's arithmetic on wasm, and owning the loop gives
// batch_end reporting and "finish the current batch, then stop" directly.
//
// Training loss and accuracy are running averages over the epoch's batches with
// dropout on (what Keras reports); validation runs with dropout off.

import { tf } from './tf.js';
import { permutation, mulberry32, seedStream } from './sampling.js';
import { crossEntropy, countCorrect, evaluate } from './evaluate.js';
import { createAdam } from './kernels/index.js';
import type { SampleSource } from './tensors.js';

export interface StepResult { loss: number; correct: number }

/** One training step at a time on a batch (positions into the training set), then the weights back into the model: tfjsStepper here, or mlp-step.ts's fused step. */
export interface Stepper {
  /** `dropoutSeeds` gives the seed of each dropout layer in turn, as the loop has always drawn them. */
  step(batch: Int32Array, dropoutSeeds: () => number): StepResult;
  sync(): void;
  dispose(): void;
}

export interface Samples {
  /** [n, 28, 28, 1] float32 in [0, 1]. */
  x: tf.Tensor4D;
  /** [n] int32 digit labels. */
  y: tf.Tensor1D;
}

export interface TrainTensors {
  /** Training samples: tensors are made from them only if the tfjs step runs. */
  train: SampleSource;
  val: Samples;
}

export interface LoopOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Report every N batches (null: never). */
  logEveryBatches: number | null;
  /** Polled after every batch; true stops after that batch. */
  shouldStop: () => boolean;
  /** Monotonic milliseconds (injected so the loop itself reads no clock). */
  now: () => number;
  /** The fused step (mlp-step.ts) when the caller chose it; else tfjs's ops, tape and optimizer. Disposed by the loop. */
  stepper?: Stepper | null;
}

export interface EpochStats {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  durationMs: number;
  /** Training samples per second of training time (validation excluded). */
  samplesPerSecond: number;
}

export interface LoopCallbacks {
  onBatch(epoch: number, batch: number, loss: number, accuracy: number): void;
  onEpoch(stats: EpochStats): void;
}

export interface LoopResult {
  status: 'completed' | 'interrupted';
  epochsCompleted: number;
  last: EpochStats | null;
}

/** Train `model` in place, reporting through `callbacks`. */
export async function trainModel(
  model: tf.LayersModel,
  data: TrainTensors,
  options: LoopOptions,
  callbacks: LoopCallbacks,
): Promise<LoopResult> {
  // The default MLP on wasm: one fused step (mlp-step.ts, chosen by the caller, which says so in run_start);
  // anything else: tfjs's ops, tape and optimizer.
  const stepper = options.stepper ?? tfjsStepper(model, data.train, options.learningRate);
  const shuffleRandom = mulberry32(options.seed ^ 0x5eed);
  const dropoutSeeds = seedStream(options.seed ^ 0xd0);
  const n = data.train.count;
  const batches = Math.ceil(n / options.batchSize);
  let last: EpochStats | null = null;

  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const started = options.now();
      const order = permutation(n, shuffleRandom);
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      for (let b = 0; b < batches; b++) {
        const idx = order.subarray(b * options.batchSize, Math.min(n, (b + 1) * options.batchSize));
        const step = stepper.step(idx, dropoutSeeds);
        lossSum += step.loss * idx.length;
        correct += step.correct;
        seen += idx.length;
        if (options.logEveryBatches && (b + 1) % options.logEveryBatches === 0) {
          callbacks.onBatch(epoch, b + 1, lossSum / seen, correct / seen);
        }
        // Let signal handlers run; the stop flag is honoured between batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (options.shouldStop()) {
          stepper.sync();
          return { status: 'interrupted', epochsCompleted: epoch - 1, last };
        }
      }
      const trained = options.now();
      stepper.sync();
      const val = evaluate(model, data.val);
      last = {
        epoch,
        loss: lossSum / seen,
        accuracy: correct / seen,
        valLoss: val.loss,
        valAccuracy: val.accuracy,
        durationMs: options.now() - started,
        samplesPerSecond: seen / Math.max((trained - started) / 1000, 1e-9),
      };
      callbacks.onEpoch(last);
      if (options.shouldStop() && epoch < options.epochs) return { status: 'interrupted', epochsCompleted: epoch, last };
    }
    return { status: 'completed', epochsCompleted: options.epochs, last };
  } finally {
    stepper.dispose();
  }
}

/** The step through tfjs: the model's layers, the tape's gradients, the fused Adam kernel where the backend has it. */
export function tfjsStepper(model: tf.LayersModel, train: SampleSource, learningRate: number): Stepper {
  const optimizer = createAdam(learningRate); // one fused kernel per variable where the backend has it (kernels/adam.ts)
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const dropouts = model.layers.filter((l) => l.getClassName() === 'Dropout') as unknown as { seed?: number }[];
  const data = train.tensors();
  return {
    step: (idx, dropoutSeeds) => {
      for (const d of dropouts) d.seed = dropoutSeeds();
      return trainStep(model, optimizer, variables, data, idx);
    },
    sync: () => {}, // the variables are the model's own
    dispose: () => optimizer.dispose(),
  };
}

function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  data: Samples,
  idx: Int32Array,
): StepResult {
  let correctT: tf.Scalar | null = null;
  const lossT = tf.tidy(() => {
    const indices = tf.tensor1d(idx, 'int32');
    const x = tf.gather(data.x, indices);
    const y = tf.gather(data.y, indices);
    return optimizer.minimize(
      () => {
        const probs = model.apply(x, { training: true }) as tf.Tensor2D;
        correctT = tf.keep(countCorrect(probs, y));
        return crossEntropy(probs, y);
      },
      true,
      variables,
    ) as tf.Scalar;
  });
  const loss = lossT.dataSync()[0]!;
  const correct = (correctT as tf.Scalar | null)?.dataSync()[0] ?? 0;
  lossT.dispose();
  (correctT as tf.Scalar | null)?.dispose();
  return { loss, correct };
}
