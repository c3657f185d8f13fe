import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from '../../src/train/kernels/index.js';
import { buildModel } from '../../src/train/models.js';
import { loadMnist } from '../../src/train/dataset.js';
import { SampleSource } from '../../src/train/tensors.js';
import { tfjsStepper, type Stepper } from '../../src/train/loop.js';
import { mlpStepper } from '../../src/train/mlp-step.js';
import { seedStream } from '../../src/train/sampling.js';
import { UserError } from '../../src/errors.js';
import { relativeError } from '../kernels/helpers.js';

registerWasmKernels();
await tf.setBackend('wasm');
await tf.ready();

const mnist = await loadMnist();
// 300 training images, picked apart from the start of the file
const source = new SampleSource(mnist.train, Int32Array.from({ length: 300 }, (_, i) => (i * 197) % mnist.train.count));
// full batches, then one of 7 rows (not a multiple of 4: the fused step pads its rows)
const BATCHES = [[0, 32], [32, 64], [64, 96], [96, 128], [128, 135]] as const;

type Batches = readonly (readonly [number, number])[];

async function run(backend: string, make: (model: tf.LayersModel) => Stepper, batches: Batches = BATCHES, prepare = (_: tf.LayersModel) => {}): Promise<{ losses: number[]; correct: number[]; weights: Float32Array[]; start: Float32Array[] }> {
  await tf.setBackend(backend);
  const { model } = buildModel('mlp', 7);
  prepare(model);
  const start = model.trainableWeights.map((w) => w.read().dataSync() as Float32Array);
  const stepper = make(model);
  const seeds = seedStream(11);
  const order = Int32Array.from({ length: source.count }, (_, i) => (i * 61) % source.count);
  const losses: number[] = [];
  const correct: number[] = [];
  for (const [from, to] of batches) {
    const r = stepper.step(order.subarray(from, to), seeds);
    losses.push(r.loss);
    correct.push(r.correct);
  }
  stepper.sync();
  stepper.dispose();
  const weights = model.trainableWeights.map((w) => w.read().dataSync() as Float32Array);
  model.dispose();
  return { losses, correct, weights, start };
}

// Float32 sums in another order differ in the last bits, and Adam divides each gradient
// by its own magnitude, so a last-bit difference in a near-zero gradient moves a weight
// by up to the learning rate. The yardstick is therefore tfjs against itself: the same
// step on the cpu backend differs from wasm by such noise, and ours may differ by as much.
test('the fused MLP step follows the tfjs step (layers, tape, Adam) to float noise, step for step, partial batch included', async () => {
  const want = await run('wasm', (model) => tfjsStepper(model, source, 0.01));
  const noise = await run('cpu', (model) => tfjsStepper(model, source, 0.01));
  const got = await run('wasm', (model) => {
    const fused = mlpStepper(model, source, 32, 0.01);
    assert.ok(fused, 'the default MLP on wasm gets the fused step');
    return fused;
  });
  got.losses.forEach((loss, i) => assert.ok(Math.abs(loss - want.losses[i]!) <= 1e-5 * want.losses[i]!, `step ${i + 1}: loss ${loss} against ${want.losses[i]}`));
  assert.deepEqual(got.correct, want.correct);
  const names = ['dense kernel', 'dense bias', 'dense_1 kernel', 'dense_1 bias'];
  got.weights.forEach((w, i) => {
    const err = relativeError(w, want.weights[i]!);
    const yardstick = Math.max(1e-6, 1.5 * relativeError(noise.weights[i]!, want.weights[i]!));
    assert.ok(err <= yardstick, `${names[i]} differs by ${err.toExponential(2)} relative after ${BATCHES.length} steps (tfjs on cpu vs wasm: ${yardstick.toExponential(2)} with the margin)`);
    // every variable moved, so the comparison is not between untouched weights
    assert.ok(relativeError(w, got.start[i]!) > 1e-4, `${names[i]} did not move`);
  });
});

test('where the clip of the loss saturates (p = 1 in float32), the fused step passes no gradient, as tfjs', async () => {
  // dense_1's bias makes every image a confident 0: the 0s' p_y rounds to 1 and is clipped
  const confident = (model: tf.LayersModel) => {
    const bias = model.trainableWeights[3]!.read() as tf.Variable;
    bias.assign(tf.tensor1d([40, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
  };
  const one: Batches = [[0, 32]];
  const want = await run('wasm', (model) => tfjsStepper(model, source, 0.01), one, confident);
  const got = await run('wasm', (model) => mlpStepper(model, source, 32, 0.01)!, one, confident);
  assert.ok(Math.abs(got.losses[0]! - want.losses[0]!) <= 1e-5 * want.losses[0]!, `loss ${got.losses[0]} against ${want.losses[0]}`);
  got.weights.forEach((w, i) => {
    const err = relativeError(w, want.weights[i]!);
    assert.ok(err <= 1e-6, `variable ${i} differs by ${err.toExponential(2)} relative`);
  });
});

test('the fused step is only taken for the default MLP on wasm', async () => {
  const cnn = buildModel('cnn', 1).model;
  assert.equal(mlpStepper(cnn, source, 32, 0.001), null, 'cnn');
  cnn.dispose();
  const mlp = buildModel('mlp', 1).model;
  await tf.setBackend('cpu');
  assert.equal(mlpStepper(mlp, source, 32, 0.001), null, 'cpu backend');
  await tf.setBackend('wasm');
  mlp.dispose();
});

test('--batch-size larger than the training set: the fused step is sized by the real batch; a batch that cannot fit is a UserError naming --batch-size', async () => {
  const mlp = buildModel('mlp', 1).model;
  // 300 images, a batch of a million asked for: its memory is that of a batch of 300 (4.8 GB was a RangeError)
  const small = mlpStepper(mlp, source, 1_000_000, 0.001);
  assert.ok(small, 'the fused step is made');
  const r = small.step(Int32Array.from({ length: source.count }, (_, i) => i), seedStream(3));
  assert.ok(Number.isFinite(r.loss));
  small.dispose();
  // a training set of a million (the same images again) does need a batch of a million: more than wasm's 4 GiB
  const big = new SampleSource(mnist.train, new Int32Array(1_000_000));
  assert.throws(() => mlpStepper(mlp, big, 1_000_000, 0.001), (err: unknown) => {
    assert.ok(err instanceof UserError, String(err));
    const m = /^--batch-size 1000000: a batch of 1,000,000 images needs ([\d,]+) MB of wasm memory for the fused training step, more than a wasm memory holds \(4,295 MB at most\); give --batch-size (\d+) or less, or --no-fused-step$/.exec(err.message);
    assert.ok(m, err.message);
    assert.ok(Number(m[1]!.replace(/,/g, '')) > 4295, m[1]);
    assert.ok(Number(m[2]) > 100_000 && Number(m[2]) < 1_000_000, m[2]);
    return true;
  });
  mlp.dispose();
});
