// One measurement of bench/train.ts, in its own process so that "stock" really is
// stock (our kernels are registered process-wide) and memory does not carry over.
// Prints one JSON line (WorkerResult) on stdout.
//
//   node --import tsx bench/train-worker.ts BACKEND SIDE MODEL TRAIN VAL EPOCHS MAX_BATCHES
//
// SIDE: stock   = tfjs model.fit on the stock kernels
//       kernels = model.fit with our wasm kernels
//       ours    = the project's trainer loop (src/train/loop.ts) with our kernels
// MAX_BATCHES > 0 times only that many batches (no validation) and extrapolates.

import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../src/train/models.js';
import type { ModelName } from '../src/train/models.js';
import { loadMnist } from '../src/train/dataset.js';
import { SampleSource, toTensors } from '../src/train/tensors.js';
import { trainModel } from '../src/train/loop.js';
import { mlpStepper } from '../src/train/mlp-step.js';
import { selectSubset } from '../src/train/sampling.js';
import { registerCpuKernels, registerWasmKernels } from '../src/train/kernels/index.js';

export type Side = 'stock' | 'kernels' | 'ours';

export interface WorkerResult {
  backend: string;
  side: Side;
  model: ModelName;
  trainSamples: number;
  ok: boolean;
  error?: string;
  simd?: boolean;
  /** Per epoch, wall ms including validation (or extrapolated to a full epoch). */
  epochMs: number[];
  /** The same span in process CPU time (user + system): robust to other jobs on the machine. */
  epochCpuMs: number[];
  valAccuracy: number[];
  extrapolatedFrom?: number;
}

const [backend = 'wasm', side = 'ours', modelName = 'mlp', train = '60000', val = '10000', epochs = '1', maxBatches = '0'] = process.argv.slice(2);
const BATCH = 32;
const SEED = 42;

const result: WorkerResult = {
  backend, side: side as Side, model: modelName as ModelName, trainSamples: Number(train), ok: false, epochMs: [], epochCpuMs: [], valAccuracy: [],
};
try {
  await setUp(backend, side as Side);
  if (backend === 'wasm') result.simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  await measure(Number(train), Number(val), Number(epochs), Number(maxBatches));
  result.ok = true;
} catch (err) {
  result.error = ((err as Error).message ?? String(err)).split('\n')[0];
}
process.stdout.write(`${JSON.stringify(result)}\n`);

async function setUp(name: string, s: Side): Promise<void> {
  if (name === 'tensorflow') {
    const pkg = '@tensorflow/tfjs-node';
    await import(pkg);
  } else if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    if (s !== 'stock') registerWasmKernels();
  } else if (s !== 'stock') {
    registerCpuKernels(); // what selectBackend registers for --backend cpu
  }
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed to initialise`);
  await tf.ready();
}

async function measure(trainN: number, valN: number, epochCount: number, limit: number): Promise<void> {
  const data = await loadMnist();
  const trainIdx = selectSubset(data.train.count, limit > 0 ? limit * BATCH : trainN, SEED);
  const valIdx = selectSubset(data.test.count, valN, SEED);
  const trainSource = new SampleSource(data.train, trainIdx);
  const valT = toTensors(data.test, valIdx);
  const fullBatches = Math.ceil(trainN / BATCH);
  const scale = limit > 0 ? fullBatches / limit : 1;
  if (limit > 0) result.extrapolatedFrom = limit;
  const { model } = buildModel(modelName as ModelName, SEED);

  if (side === 'ours') {
    // the step mnist-train takes (the fused one for the default MLP on wasm), and the float tensors
    // the tfjs step needs made before the clock starts, as the stock side's are
    const stepper = mlpStepper(model, trainSource, BATCH, 1e-3);
    if (!stepper) trainSource.tensors();
    let started = performance.now();
    let cpu = process.cpuUsage();
    let batches = 0;
    const stopAfter = limit > 0 ? limit : Number.POSITIVE_INFINITY;
    await trainModel(model, { train: trainSource, val: valT }, {
      epochs: epochCount, batchSize: BATCH, learningRate: 1e-3, seed: SEED, logEveryBatches: null,
      shouldStop: () => {
        if (++batches < stopAfter) return false;
        result.epochMs.push((performance.now() - started) * scale);
        result.epochCpuMs.push(cpuMs(cpu) * scale);
        return true;
      },
      now: () => performance.now(),
      stepper,
    }, {
      onBatch: () => {},
      onEpoch: (s) => {
        result.epochMs.push(s.durationMs);
        result.epochCpuMs.push(cpuMs(cpu));
        result.valAccuracy.push(s.valAccuracy);
        started = performance.now();
        cpu = process.cpuUsage();
      },
    });
    return;
  }

  // Stock tfjs: compile + fit, the way the tfjs examples train.
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const trainT = trainSource.tensors();
  const yTrain = tf.oneHot(trainT.y, 10);
  const yVal = tf.oneHot(valT.y, 10);
  let t0 = 0;
  let cpu = process.cpuUsage();
  await model.fit(trainT.x, yTrain, {
    batchSize: BATCH, epochs: epochCount, shuffle: true, verbose: 0,
    ...(limit > 0 ? {} : { validationData: [valT.x, yVal] as [tf.Tensor, tf.Tensor] }),
    callbacks: {
      onEpochBegin: async () => {
        t0 = performance.now();
        cpu = process.cpuUsage();
      },
      onEpochEnd: async (_e, logs) => {
        result.epochMs.push((performance.now() - t0) * scale);
        result.epochCpuMs.push(cpuMs(cpu) * scale);
        if (logs?.['val_acc'] !== undefined) result.valAccuracy.push(logs['val_acc']);
      },
    },
  });
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}
