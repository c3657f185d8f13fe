// A synthetic mnist-train log of `epochs` × `batchesPerEpoch` batch_end events plus
// an epoch_end per epoch, written with the project's serializeEvent, so that the
// report bench reads exactly what the trainer writes. Deterministic (own PRNG,
// fixed clock): the same arguments give the same bytes.

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { serializeEvent, SCHEMA } from '../src/events.js';
import type { TrainEvent } from '../src/events.js';

const T0 = Date.parse('2026-11-24T00:00:00.000Z');
const RUN = 'bench-20261124T000000Z';

/** Write the log to `path`; returns the number of lines. */
export async function writeSyntheticLog(path: string, epochs: number, batchesPerEpoch: number): Promise<number> {
  const out = createWriteStream(path);
  let random = 0x2545f491;
  const noise = () => {
    random ^= random << 13;
    random ^= random >>> 17;
    random ^= random << 5;
    return (random >>> 0) / 4294967296 - 0.5;
  };
  let lines = 0;
  let chunk: string[] = [];
  const emit = async (event: TrainEvent) => {
    chunk.push(serializeEvent(event));
    lines++;
    if (chunk.length === 4096) await flush();
  };
  const flush = async () => {
    if (!out.write(`${chunk.join('\n')}\n`)) await once(out, 'drain');
    chunk = [];
  };
  const base = { schema: SCHEMA, run_id: RUN } as const;
  const at = (ms: number) => new Date(T0 + ms).toISOString();
  const msPerBatch = 2;

  await emit({
    ...base, event: 'run_start', time: at(0),
    config: { epochs, batch_size: 32, optimizer: 'adam', learning_rate: 0.001, model: 'mlp', seed: 42, train_samples: batchesPerEpoch * 32, validation_samples: 10000, log_every_batches: 1 },
    model: { name: 'mlp', parameters: 101770, layers: [] },
    runtime: { backend: 'wasm', backend_reason: 'synthetic benchmark log', versions: {}, platform: 'linux', arch: 'x64', host: 'bench' },
  });
  for (let e = 1; e <= epochs; e++) {
    const epochLoss = 0.05 + 0.3 / e;
    for (let b = 1; b <= batchesPerEpoch; b++) {
      const loss = epochLoss * (1 + 0.3 * noise());
      await emit({ ...base, event: 'batch_end', time: at(((e - 1) * batchesPerEpoch + b) * msPerBatch), epoch: e, batch: b, loss, accuracy: Math.min(1, 1 - loss / 3 + 0.01 * noise()) });
    }
    const loss = epochLoss;
    await emit({
      ...base, event: 'epoch_end', time: at(e * batchesPerEpoch * msPerBatch + 50), epoch: e, epochs,
      loss, accuracy: 1 - loss / 3, val_loss: loss * 0.9 + 0.002 * e, val_accuracy: 1 - loss / 3.2,
      duration_ms: batchesPerEpoch * msPerBatch + 50, samples_per_second: (batchesPerEpoch * 32) / ((batchesPerEpoch * msPerBatch + 50) / 1000),
    });
  }
  await emit({ ...base, event: 'run_end', time: at(epochs * batchesPerEpoch * msPerBatch + 100), status: 'completed', duration_ms: epochs * batchesPerEpoch * msPerBatch + 100, epochs_completed: epochs });
  await flush();
  out.end();
  await once(out, 'close');
  return lines;
}
