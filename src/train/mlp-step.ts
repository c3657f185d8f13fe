// The default MLP's training step fused into a few SIMD loops on a memory of its own,
// for the wasm backend. Through tfjs, one step of this small model is ~40 ops, each
// through the engine, the tape and the wasm bridge, plus XNNPACK re-packing the
// 784x128 kernel every step (gemm-simd.ts says why); that overhead was most of the
// step. The arithmetic here is the one tfjs does, op for op:
//
//   forward   pre = x·W1 + b1;  h = relu(pre) · mask;  p = softmax(h·W2 + b2)
//             mask: tf.dropout's multiplier, floor(u + keep) / keep, with u the numbers
//             tf.randomUniform(shape, 0, 1, 'float32', seed) draws: seedrandom's alea seeded
//             with String(seed), as tfjs-core's UniformRandom (the same numbers as the layer's)
//   loss      mean of −log(clip(p_y, ε, 1 − ε)), accuracy from argMax(p) (first maximum)
//   backward  the gradients tfjs's tape computes for those ops (clip passes the gradient
//             only inside [ε, 1 − ε]; softmax's is p·(dp − Σ dp·p); relu's is dy·[pre > 0])
//   update    Adam, the same SIMD loop as FusedAdamOptimizer (adam-simd.ts), over all
//             weights in one call
//
// so the numbers agree with the tfjs step to float32 rounding (sums in another
// order), not bit for bit; test/train/mlp-step.test.ts holds them together. The
// model's variables are written back by sync(), which the loop calls before every
// validation and at the end. Used only on the wasm backend and for exactly this
// architecture (`mlpStepper` returns null otherwise, and the loop takes the tfjs path).

import { createRequire } from 'node:module';
import { tf } from './tf.js';
import { adamSimd, adamStep, simdScalars, type AdamSimd } from './kernels/adam-simd.js';
import { gemmSimd, type Gemm } from './kernels/gemm-simd.js';
import { scaleSimd, type Scale } from './kernels/scale-simd.js';
import { biasReluDropoutSimd, reluDropoutGradSimd, type BiasReluDropout, type ReluDropoutGrad } from './kernels/dense-simd.js';
import { WASM_API, type WasmMemory } from './kernels/wasm-asm.js';
import { EPSILON } from './evaluate.js';
import type { SampleSource } from './tensors.js';
import { UserError } from '../errors.js';
import { batchTooLarge } from '../wording/train.js';
import type { StepResult, Stepper } from './loop.js';


interface Shape { inputs: number; hidden: number; classes: number; rate: number }

// seedrandom is the package tfjs-core draws tf.randomUniform's numbers from (its alea generator).
const alea = (createRequire(import.meta.url)('seedrandom') as { alea: (seed: string) => () => number }).alea;

const PAGE = 65536;
const up = (n: number, k: number) => Math.ceil(n / k) * k;

/** What run_start's backend_reason adds when the fused step trains the model (--no-fused-step turns it off). */
export const FUSED_STEP_REASON = 'the MLP trained by a fused SIMD step on wasm (forward, gradients, dropout and Adam as tfjs computes them; --no-fused-step for tfjs\'s ops)';

/** The fused step for `model` if it is the default MLP and the backend is wasm with SIMD; else null. */
export function mlpStepper(model: tf.LayersModel, data: SampleSource, batchSize: number, learningRate: number): Stepper | null {
  const shape = mlpShape(model);
  if (shape === null || tf.getBackend() !== 'wasm') return null;
  // the loop's batches are never larger than the training set: sized by the flag alone, a
  // --batch-size 1000000 over 100 images asked for 4.8 GB and crashed (RangeError) before run_start
  return FusedMlp.create(model, shape, data, Math.max(1, Math.min(batchSize, data.count)), learningRate);
}

/** The most a wasm memory holds (32-bit addresses): 65,536 pages of 64 KiB, 4 GiB. */
const MAX_PAGES = 65536;

/** The step's memory for batches of `rows` samples, or a UserError naming --batch-size when it cannot be had. */
function stepMemory(shape: Shape, rows: number): { plan: Layout; memory: WasmMemory } {
  const plan = layout(shape, rows);
  const pages = Math.ceil((plan.floats * 4) / PAGE);
  if (pages > MAX_PAGES) {
    let fits = 1; // the largest batch within MAX_PAGES, by bisection (the layout grows with the rows; one row fits)
    for (let lo = 2, hi = rows; lo <= hi;) {
      const mid = Math.floor((lo + hi) / 2);
      if (Math.ceil((layout(shape, mid).floats * 4) / PAGE) <= MAX_PAGES) [fits, lo] = [mid, mid + 1];
      else hi = mid - 1;
    }
    throw new UserError(batchTooLarge(rows, pages * PAGE, fits));
  }
  try {
    return { plan, memory: new WASM_API.Memory({ initial: pages }) };
  } catch (err) {
    // within wasm's limit, but more than this machine gives: no size is known to fit
    if (err instanceof RangeError) throw new UserError(batchTooLarge(rows, pages * PAGE, null));
    throw err;
  }
}

/** Flatten → Dense(relu) → Dropout → Dense(softmax), biases on, nothing else (regularizers, constraints). */
function mlpShape(model: tf.LayersModel): Shape | null {
  const layers = model.layers;
  const names = layers.map((l) => l.getClassName()).join(',');
  if (names !== 'Flatten,Dense,Dropout,Dense') return null;
  const config = layers.map((l) => l.getConfig() as Record<string, unknown>);
  const [, d1, drop, d2] = config as [unknown, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
  const plain = (c: Record<string, unknown>) => c['useBias'] === true
    && ['kernelRegularizer', 'biasRegularizer', 'activityRegularizer', 'kernelConstraint', 'biasConstraint'].every((k) => c[k] == null);
  const rate = drop['rate'] as number;
  if (d1['activation'] !== 'relu' || d2['activation'] !== 'softmax' || !plain(d1) || !plain(d2)) return null;
  if (!(rate > 0 && rate < 1) || drop['noiseShape'] != null) return null;
  const [k1, , k2] = model.trainableWeights.map((w) => w.shape as number[]) as [number[], number[], number[]];
  const shape = { inputs: k1[0]!, hidden: k1[1]!, classes: k2[1]!, rate };
  return shape.hidden % 8 === 0 && shape.inputs % 4 === 0 ? shape : null;
}

/** Where each array sits in the step's memory (float offsets), and the floats it needs in all. */
interface Layout {
  /** Classes rounded up to 8 columns, and the parameter count (padding included). */
  cp: number;
  params: number;
  at: Record<'w1' | 'b1' | 'w2' | 'b2' | 'grads' | 'm' | 'v' | 'x' | 'pre' | 'mask' | 'h' | 'probs' | 'dlogits' | 'w2t' | 'dh' | 'bytes', number>;
  floats: number;
}

function layout({ inputs: d, hidden: h, classes }: Shape, batchSize: number): Layout {
  const cp = up(classes, 8);
  const rows = up(batchSize, 4);
  // Parameters first, in one block, so that Adam is one call over all of them; gradients and moments alike.
  const w1 = 0;
  const b1 = w1 + d * h;
  const w2 = b1 + h;
  const b2 = w2 + h * cp;
  const params = b2 + cp;
  const grads = params;
  const m = 2 * params;
  const v = 3 * params;
  const x = 4 * params;
  const pre = x + rows * d;
  const mask = pre + rows * h;
  const hAt = mask + rows * h;
  const probs = hAt + rows * h;
  const dlogits = probs + rows * cp;
  const w2t = dlogits + rows * cp;
  const dh = w2t + cp * h;
  // the batch's pixel bytes, from byte 4 · bytes; the scaling reads up to 15 bytes past a batch
  // (the slack at the end) and writes up to 15 floats past it, into pre, which x·W1 then overwrites
  const bytes = dh + rows * h;
  const floats = bytes + Math.ceil((rows * d) / 4) + 32;
  return { cp, params, at: { w1, b1, w2, b2, grads, m, v, x, pre, mask, h: hAt, probs, dlogits, w2t, dh, bytes }, floats };
}

class FusedMlp implements Stepper {
  private readonly f: Float32Array;
  private iterations = 0;
  private readonly at: Layout['at'];
  private readonly bytes: Uint8Array;
  private readonly params: number;
  private readonly cp: number;

  static create(model: tf.LayersModel, shape: Shape, data: SampleSource, batchSize: number, lr: number): FusedMlp | null {
    const { plan, memory } = stepMemory(shape, batchSize);
    const [gemm, adam, scale] = [gemmSimd(memory), adamSimd(memory), scaleSimd(memory)];
    const [forward, backward] = [biasReluDropoutSimd(memory), reluDropoutGradSimd(memory)];
    if (!gemm || !adam || !scale || !forward || !backward) return null;
    return new FusedMlp(model, shape, data, lr, memory.buffer, { gemm, adam, scale, forward, backward }, plan);
  }

  private constructor(
    private readonly model: tf.LayersModel,
    private readonly shape: Shape,
    private readonly data: SampleSource,
    private readonly lr: number,
    buffer: ArrayBuffer,
    private readonly kernels: { gemm: Gemm; adam: AdamSimd; scale: Scale; forward: BiasReluDropout; backward: ReluDropoutGrad },
    { cp, params, at }: Layout,
  ) {
    this.f = new Float32Array(buffer);
    this.bytes = new Uint8Array(buffer);
    this.cp = cp;
    this.params = params;
    this.at = at;
    this.load();
  }

  /** The model's weights into our memory (the second kernel padded to a multiple of 8 columns with zeros). */
  private load(): void {
    const [k1, b1, k2, b2] = this.model.trainableWeights.map((w) => w.read().dataSync() as Float32Array) as [Float32Array, Float32Array, Float32Array, Float32Array];
    const { hidden: h, classes: c } = this.shape;
    this.f.set(k1, this.at.w1);
    this.f.set(b1, this.at.b1);
    for (let i = 0; i < h; i++) this.f.set(k2.subarray(i * c, (i + 1) * c), this.at.w2 + i * this.cp);
    this.f.set(b2, this.at.b2);
  }

  sync(): void {
    const { inputs: d, hidden: h, classes: c } = this.shape;
    const { f, at, cp } = this;
    const k2 = new Float32Array(h * c);
    for (let i = 0; i < h; i++) k2.set(f.subarray(at.w2 + i * cp, at.w2 + i * cp + c), i * c);
    const values = [f.slice(at.w1, at.w1 + d * h), f.slice(at.b1, at.b1 + h), k2, f.slice(at.b2, at.b2 + c)];
    this.model.trainableWeights.forEach((w, i) => {
      const value = w.read() as tf.Variable;
      tf.tidy(() => value.assign(tf.tensor(values[i]!, value.shape)));
    });
  }

  dispose(): void {
    // Nothing held outside this object: the memory goes with it.
  }

  step(batch: Int32Array, dropoutSeeds: () => number): StepResult {
    const n = batch.length;
    const m4 = up(n, 4);
    const { inputs: d, hidden: h } = this.shape;
    const { f, at, cp } = this;
    const gemm = this.kernels.gemm;
    this.gather(batch);
    this.dropoutMask(n, dropoutSeeds());
    gemm(at.x * 4, d * 4, 4, at.w1 * 4, h * 4, at.pre * 4, h * 4, m4, h, d);
    this.kernels.forward(at.pre * 4, at.b1 * 4, at.mask * 4, at.h * 4, n, h);
    gemm(at.h * 4, h * 4, 4, at.w2 * 4, cp * 4, at.probs * 4, cp * 4, m4, cp, h);
    const result = this.softmaxLoss(batch);
    gemm(at.h * 4, 4, h * 4, at.dlogits * 4, cp * 4, (at.grads + at.w2) * 4, cp * 4, h, cp, n);
    this.columnSums(at.dlogits, cp, n, at.grads + at.b2);
    const { w2, w2t } = at;
    for (let i = 0; i < h; i++) for (let c = 0; c < cp; c++) f[w2t + c * h + i] = f[w2 + i * cp + c]!;
    gemm(at.dlogits * 4, cp * 4, 4, at.w2t * 4, h * 4, at.dh * 4, h * 4, m4, h, cp);
    this.kernels.backward(at.dh * 4, at.pre * 4, at.mask * 4, n * h);
    this.columnSums(at.dh, h, n, at.grads + at.b1);
    gemm(at.x * 4, 4, d * 4, at.dh * 4, h * 4, (at.grads + at.w1) * 4, h * 4, d, h, n);
    this.update();
    return result;
  }

  /** The batch's images scaled to [0, 1] as float32, as toTensors makes them. */
  private gather(batch: Int32Array): void {
    const d = this.shape.inputs;
    const { images, indices } = this.data;
    const to = this.at.bytes * 4;
    for (let r = 0; r < batch.length; r++) {
      const from = indices[batch[r]!]! * d;
      this.bytes.set(images.subarray(from, from + d), to + r * d);
    }
    this.kernels.scale(to, this.at.x * 4, batch.length * d);
  }

  /** tf.dropout's multiplier for an [n, hidden] input and this seed. */
  private dropoutMask(n: number, seed: number): void {
    const keep = Math.fround(1 - this.shape.rate);
    const scale = Math.fround(1 / keep);
    const random = alea(String(seed));
    const f = this.f;
    for (let j = this.at.mask, e = j + n * this.shape.hidden; j < e; j++) {
      f[j] = Math.fround(Math.fround(random()) + keep) >= 1 ? scale : 0;
    }
  }

  /** Softmax over each row's logits (+ bias), the batch's mean loss and hits, and d(loss)/d(logits). */
  private softmaxLoss(batch: Int32Array): StepResult {
    const { f, at, cp } = this;
    const c = this.shape.classes;
    const labels = this.data.labels;
    const indices = this.data.indices;
    const n = batch.length;
    const [lo, hi] = [Math.fround(EPSILON), Math.fround(1 - EPSILON)];
    let lossSum = 0;
    let correct = 0;
    for (let r = 0; r < n; r++) {
      const row = at.probs + r * cp;
      let max = -Infinity;
      for (let k = 0; k < c; k++) max = Math.max(max, (f[row + k] = f[row + k]! + f[at.b2 + k]!));
      let sum = 0;
      for (let k = 0; k < c; k++) sum += (f[row + k] = Math.exp(f[row + k]! - max));
      let best = 0;
      for (let k = 0; k < c; k++) {
        f[row + k] = f[row + k]! / sum;
        if (f[row + k]! > f[row + best]!) best = k;
      }
      const y = labels[indices[batch[r]!]!]!;
      const py = f[row + y]!;
      const clipped = Math.min(Math.max(py, lo), hi);
      lossSum -= Math.log(clipped);
      if (best === y) correct += 1;
      // d/dp_y of −log(clip(p_y))/n, zero where the clip saturates; then through softmax
      const t = py >= lo && py <= hi ? (-1 / n / clipped) * py : 0;
      const g = at.dlogits + r * cp;
      for (let k = 0; k < c; k++) f[g + k] = (k === y ? t : 0) - f[row + k]! * t;
    }
    return { loss: lossSum / n, correct };
  }

  private columnSums(from: number, width: number, n: number, to: number): void {
    const f = this.f;
    f.fill(0, to, to + width);
    for (let r = 0; r < n; r++) for (let k = 0; k < width; k++) f[to + k] = f[to + k]! + f[from + r * width + k]!;
  }

  private update(): void {
    const { at, params } = this;
    const step = adamStep(this.lr, ++this.iterations, tf.backend().epsilon());
    this.kernels.adam(at.w1 * 4, at.m * 4, at.v * 4, at.grads * 4, at.w1 * 4, at.m * 4, at.v * 4, params * 4, ...simdScalars(step));
  }
}
