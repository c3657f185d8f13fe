// Writes the hand-made parser fixtures under fixtures/ (trainer text logs and bad inputs).
// Python/Keras and tfjs-node cannot be installed here, so the trainer logs are written
// in the exact byte formats those trainers print (Keras 2 and 3 Progbar, tfjs-node
// ProgbarLogger); the numbers are typed below and the tests type them again.
// Run: npx tsx test/support/parse-fixtures.ts   (deterministic: a rerun is byte-identical)

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA, encodeLooseEvent, type TrainEvent } from '../../src/events.js';

// The bad inputs below were written before mnist-train/1 required `memory` on epoch_end;
// they stay as they were (the lenient reader must read them), so they are encoded unchecked.
type LooseEvent = TrainEvent | (Record<string, unknown> & { event: string });

const OUT = join(import.meta.dirname, '..', '..', 'fixtures');
const STEPS = 1875;

type Row = [loss: number, acc: number, valLoss: number, valAcc: number, seconds: number];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Steps at which a progress bar is redrawn in one epoch (about every 50 ms of a 3 s epoch). */
function redrawSteps(): number[] {
  const steps = [1];
  for (let s = 31; s < STEPS; s += 31 + (s % 7)) steps.push(s);
  return steps;
}

/** A running-average metric partway through an epoch: from `from` towards the epoch's final value. */
function towards(from: number, to: number, frac: number, r: () => number): number {
  return to + (from - to) * (1 - frac) ** 3 + (r() - 0.5) * 0.004;
}

// ---------------------------------------------------------------------------
// Keras 2, verbose 1: "\b" * previous width, "\r", the new bar; "\n" after the final one.

const KERAS2_V1: Row[] = [
  [0.2950, 0.9140, 0.1380, 0.9590, 4],
  [0.1429, 0.9576, 0.1041, 0.9684, 3],
  [0.1072, 0.9674, 0.0867, 0.9739, 3],
  [0.0877, 0.9728, 0.0786, 0.9762, 3],
  [0.0746, 0.9766, 0.0741, 0.9771, 3],
];

function keras2Bar(step: number): string {
  const width = 30;
  const prog = Math.floor((width * step) / STEPS);
  let bar = `${String(step).padStart(4)}/${STEPS} [`;
  if (prog > 0) bar += '='.repeat(prog - 1) + (step < STEPS ? '>' : '=');
  return `${bar}${'.'.repeat(width - prog)}]`;
}

function keras2v1(): string {
  const r = rng(2);
  let out = '2026-11-24 07:12:01.123456: I tensorflow/core/platform/cpu_feature_guard.cc:182] This TensorFlow binary is optimized to use available CPU instructions in performance-critical operations.\n';
  let startLoss = 2.38, startAcc = 0.09;
  KERAS2_V1.forEach(([loss, acc, vl, va, sec], i) => {
    out += `Epoch ${i + 1}/5\n`;
    let prev = 0;
    const steps = redrawSteps();
    steps.forEach((step, k) => {
      const frac = step / STEPS;
      const eta = Math.round(sec * (1 - frac) + (k === 0 ? 600 : 0));
      const etaText = eta > 60 ? `${Math.floor(eta / 60)}:${String(eta % 60).padStart(2, '0')}` : `${eta}s`;
      const text = `${keras2Bar(step)} - ETA: ${etaText} - loss: ${towards(startLoss, loss, frac, r).toFixed(4)} - accuracy: ${towards(startAcc, acc, frac, r).toFixed(4)}`;
      out += `${'\b'.repeat(prev)}\r${text.padEnd(prev)}`;
      prev = text.length;
    });
    const fin = `${keras2Bar(STEPS)} - ${sec}s 2ms/step - loss: ${loss.toFixed(4)} - accuracy: ${acc.toFixed(4)} - val_loss: ${vl.toFixed(4)} - val_accuracy: ${va.toFixed(4)}`;
    out += `${'\b'.repeat(prev)}\r${fin.padEnd(prev)}\n`;
    startLoss = loss * 1.2;
    startAcc = acc - 0.01;
  });
  // model.evaluate(x_test, y_test, verbose=2) after fit: a finished bar that is not an epoch.
  out += '313/313 - 0s - loss: 0.0741 - accuracy: 0.9771 - 412ms/epoch - 1ms/step\n';
  return out;
}

// ---------------------------------------------------------------------------
// Keras 2, verbose 2: one line per epoch; metrics compiled as SparseCategoricalAccuracy.

const KERAS2_V2: Row[] = [
  [0.2983, 0.9133, 0.1433, 0.9571, 5],
  [0.1451, 0.9569, 0.1069, 0.9671, 4],
  [0.1088, 0.9668, 0.0883, 0.9728, 4],
  [0.0893, 0.9722, 0.0802, 0.9751, 4],
  [0.0759, 0.9761, 0.0760, 0.9767, 4],
];

function keras2v2(): string {
  let out = '';
  KERAS2_V2.forEach(([loss, acc, vl, va, sec], i) => {
    out += `Epoch ${i + 1}/5\n`;
    out += `1875/1875 - ${sec}s - loss: ${loss.toFixed(4)} - sparse_categorical_accuracy: ${acc.toFixed(4)} - val_loss: ${vl.toFixed(4)} - val_sparse_categorical_accuracy: ${va.toFixed(4)} - ${sec}s/epoch - 2ms/step\n`;
  });
  return out;
}

// ---------------------------------------------------------------------------
// Keras 3, verbose 1 on a terminal: bold step counts, green/white "━" bars, metrics sorted by name.

const KERAS3: Row[] = [
  [0.4822, 0.8601, 0.1455, 0.9567, 3],
  [0.1522, 0.9553, 0.1104, 0.9665, 3],
  [0.1098, 0.9668, 0.0921, 0.9716, 2],
  [0.0878, 0.9730, 0.0818, 0.9748, 3],
  [0.0741, 0.9771, 0.0772, 0.9763, 3],
];

function keras3Bar(step: number): string {
  const width = 20;
  const prog = Math.floor((width * step) / STEPS);
  let bar = `\x1b[1m${String(step).padStart(4)}/${STEPS}\x1b[0m `;
  if (prog > 0) bar += `\x1b[32m${'━'.repeat(prog)}\x1b[0m`;
  return `${bar}\x1b[37m${'━'.repeat(width - prog)}\x1b[0m`;
}

function keras3(): string {
  const r = rng(3);
  let out = '';
  let startLoss = 2.45, startAcc = 0.06;
  KERAS3.forEach(([loss, acc, vl, va, sec], i) => {
    out += `Epoch ${i + 1}/5\n`;
    let prev = 0;
    for (const step of redrawSteps()) {
      const frac = step / STEPS;
      const eta = Math.max(0, Math.round(sec * (1 - frac)));
      const text = `${keras3Bar(step)} \x1b[1m${eta}s\x1b[0m ${step === 1 ? 351 : 2}ms/step - accuracy: ${towards(startAcc, acc, frac, r).toFixed(4)} - loss: ${towards(startLoss, loss, frac, r).toFixed(4)}`;
      out += `${'\b'.repeat(prev)}\r${text.padEnd(prev)}`;
      prev = text.length;
    }
    const fin = `${keras3Bar(STEPS)} \x1b[1m${sec}s\x1b[0m 1ms/step - accuracy: ${acc.toFixed(4)} - loss: ${loss.toFixed(4)} - val_accuracy: ${va.toFixed(4)} - val_loss: ${vl.toFixed(4)}`;
    out += `${'\b'.repeat(prev)}\r${fin.padEnd(prev)}\n`;
    startLoss = loss * 1.3;
    startAcc = acc - 0.02;
  });
  return out;
}

// ---------------------------------------------------------------------------
// tfjs-node ProgbarLogger (tfjs-node/src/callbacks.ts) on a terminal: "Epoch 1 / 5"; the `progress`
// bar 'eta=:eta :bar :placeholderForLossesAndMetrics', redrawn with cursorTo(0) (ESC[1G) and
// clearLine (ESC[0K), then a newline; then `${ms.toFixed(0)}ms ${usPerStep.toFixed(0)}us/step - ` and
// the sorted metrics, each `key=value ` (getSuccinctNumberDisplay: 2 significant decimals, so
// 0.912 and 0.0921). usPerStep is per sample: epoch ms / 60,000 samples × 1000.

const TFJS: [ms: number, acc: string, loss: string, valAcc: string, valLoss: string][] = [
  [3456, '0.912', '0.302', '0.955', '0.150'],
  [3120, '0.958', '0.141', '0.966', '0.112'],
  [3087, '0.969', '0.104', '0.972', '0.0921'],
  [3102, '0.975', '0.0833', '0.974', '0.0847'],
  [3075, '0.979', '0.0688', '0.976', '0.0790'],
];

function tfjsNode(): string {
  let out = '';
  TFJS.forEach(([ms, acc, loss, va, vl], i) => {
    out += `Epoch ${i + 1} / 5\n`;
    for (let k = 1; k <= 10; k++) {
      const done = Math.round(k * 3.9);
      const metrics = k < 10 ? `acc=${(Number(acc) - 0.05 / k).toFixed(3)} loss=${(Number(loss) + 0.2 / k).toFixed(3)} ` : '';
      out += `\x1b[1Geta=${((ms / 1000) * (1 - k / 10)).toFixed(1)} ${'='.repeat(done)}>${'-'.repeat(39 - done)} ${metrics}\x1b[0K`;
    }
    out += '\n';
    out += `${ms}ms ${((ms * 1000) / 60000).toFixed(0)}us/step - acc=${acc} loss=${loss} val_acc=${va} val_loss=${vl} \n`;
  });
  return out;
}

// ---------------------------------------------------------------------------
// Bad inputs in our own event format.

const T0 = Date.parse('2026-11-24T06:00:00.000Z');
const at = (s: number): string => new Date(T0 + s * 1000).toISOString();

function start(run_id: string, s: number, epochs: number): LooseEvent {
  return {
    schema: SCHEMA, event: 'run_start', run_id, time: at(s),
    config: { epochs, batch_size: 32, optimizer: 'adam', learning_rate: 0.001, model: 'mlp', seed: 42, train_samples: 60000, validation_samples: 10000 },
    model: { name: 'mlp', parameters: 101770, layers: [] },
    runtime: { backend: 'wasm', backend_reason: 'tfjs-node not installed; wasm SIMD loaded', versions: { tfjs: '4.22.0' }, platform: 'linux', arch: 'x64', host: 'fixture' },
  };
}

function epoch(run_id: string, s: number, n: number, epochs: number, m: [number, number, number, number]): LooseEvent {
  const [loss, accuracy, val_loss, val_accuracy] = m;
  return { schema: SCHEMA, event: 'epoch_end', run_id, time: at(s), epoch: n, epochs, loss, accuracy, val_loss, val_accuracy, duration_ms: 14_000, samples_per_second: 4285.7 };
}

function end(run_id: string, s: number, epochs_completed: number, status: 'completed' | 'failed' = 'completed'): LooseEvent {
  return { schema: SCHEMA, event: 'run_end', run_id, time: at(s), status, duration_ms: s * 1000, epochs_completed };
}

const jsonl = (events: LooseEvent[]): string => events.map((e) => `${encodeLooseEvent(e)}\n`).join('');

function bad(): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer> = {};
  files['empty.log'] = '';

  const r = rng(0xbad);
  const bytes = Buffer.alloc(4096);
  for (let i = 0; i < bytes.length; i++) bytes[i] = r() < 0.1 ? 0 : Math.floor(r() * 256);
  bytes[0] = 0x7f; // never the gzip magic
  files['garbage.bin'] = bytes;

  const failed: LooseEvent = { ...end('no-epochs', 2, 0, 'failed'), error: { name: 'Error', message: 'train-images-idx3-ubyte: magic number 0, expected 2051' } };
  files['no-epochs.jsonl'] = jsonl([start('no-epochs', 0, 5), failed]);

  files['stopped-after-epoch-2.jsonl'] = jsonl([
    start('stopped', 0, 5),
    epoch('stopped', 15, 1, 5, [0.3012, 0.9121, 0.1502, 0.9551]),
    epoch('stopped', 29, 2, 5, [0.1487, 0.9561, 0.1133, 0.9659]),
  ]);

  files['nan-loss.jsonl'] = jsonl([
    start('nan-loss', 0, 5),
    epoch('nan-loss', 15, 1, 5, [0.4113, 0.8822, 0.2514, 0.9262]),
    epoch('nan-loss', 29, 2, 5, [0.3875, 0.8911, 0.2650, 0.9214]),
    epoch('nan-loss', 43, 3, 5, [Number.NaN, 0.4521, Number.NaN, 0.098]),
    epoch('nan-loss', 57, 4, 5, [5.8312, 0.1102, 6.2071, 0.1009]),
    epoch('nan-loss', 71, 5, 5, [27.4405, 0.0987, Number.POSITIVE_INFINITY, 0.098]),
    end('nan-loss', 75, 5),
  ]);

  const hostile = '../../etc/<script>alert(1)</script>';
  files['hostile-run-id.jsonl'] = jsonl([
    start(hostile, 0, 3),
    epoch(hostile, 15, 1, 3, [0.2999, 0.9131, 0.1417, 0.9577]),
    epoch(hostile, 29, 2, 3, [0.1441, 0.9571, 0.1052, 0.9680]),
    epoch(hostile, 43, 3, 3, [0.1079, 0.9671, 0.0874, 0.9735]),
    end(hostile, 47, 3),
  ]);

  files['restarted-task.jsonl'] = jsonl([
    start('restarted', 0, 5),
    epoch('restarted', 15, 1, 5, [0.2961, 0.9138, 0.1391, 0.9588]),
    epoch('restarted', 29, 2, 5, [0.1433, 0.9574, 0.1046, 0.9682]),
    epoch('restarted', 43, 3, 5, [0.1075, 0.9672, 0.0870, 0.9737]),
    // The task was replaced and resumed from the epoch-1 checkpoint: epochs 2 and 3 again.
    start('restarted', 120, 5),
    epoch('restarted', 135, 2, 5, [0.1436, 0.9573, 0.1049, 0.9681]),
    epoch('restarted', 149, 3, 5, [0.1070, 0.9675, 0.0868, 0.9738]),
    epoch('restarted', 163, 4, 5, [0.0879, 0.9727, 0.0789, 0.9761]),
    epoch('restarted', 177, 5, 5, [0.0748, 0.9765, 0.0743, 0.9770]),
    end('restarted', 180, 5),
  ]);

  // awslogs cuts a message at 262,118 bytes (256 KB less 26 bytes of overhead): the
  // epoch-2 line, padded to ~400 KB, arrives as two messages and epoch 2 is lost.
  const padded = { ...epoch('fragment', 29, 2, 3, [0.1441, 0.9571, 0.1052, 0.9680]), debug_dump: 'x'.repeat(400_000) };
  const long = encodeLooseEvent(padded);
  files['fragment.log'] = [
    jsonl([start('fragment', 0, 3), epoch('fragment', 15, 1, 3, [0.2999, 0.9131, 0.1417, 0.9577])]),
    `${long.slice(0, 262_118)}\n${long.slice(262_118)}\n`,
    jsonl([epoch('fragment', 43, 3, 3, [0.1079, 0.9671, 0.0874, 0.9735]), end('fragment', 47, 3)]),
  ].join('');
  return files;
}

function main(): void {
  const files: Record<string, string | Buffer> = {
    'keras2-verbose1.log': keras2v1(),
    'keras2-verbose2.log': keras2v2(),
    'keras3.log': keras3(),
    'tfjs-node.log': tfjsNode(),
  };
  for (const [name, body] of Object.entries(bad())) files[join('bad', name)] = body;
  mkdirSync(join(OUT, 'bad'), { recursive: true });
  for (const [name, body] of Object.entries(files)) writeFileSync(join(OUT, name), body);
  process.stderr.write(`wrote ${Object.keys(files).length} fixtures under ${OUT}\n`);
}

main();
