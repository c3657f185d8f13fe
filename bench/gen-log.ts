// A synthetic mnist-train log of `epochs` × `batchesPerEpoch` batch_end events plus
// an epoch_end per epoch, built by the trainer's own event factory and written with
// serializeEvent, so that the report bench reads exactly what the trainer writes
// (same keys in the same order, the EMF block on epoch_end). Deterministic (own
// PRNG, fixed clock): the same arguments give the same bytes.

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { serializeEvent } from '../src/events.js';
import type { TrainEvent } from '../src/events.js';
import { createEventFactory } from '../src/train/event-factory.js';

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
  let clock = 0;
  const events = createEventFactory(RUN, () => T0 + clock, 'MNISTTraining');
  const msPerBatch = 2;

  await emit(events.runStart(
    { epochs, batch_size: 32, optimizer: 'adam', learning_rate: 0.001, model: 'mlp', seed: 42, train_samples: batchesPerEpoch * 32, validation_samples: 10000, log_every_batches: 1 },
    { name: 'mlp', parameters: 101770, layers: [] },
    { backend: 'wasm', backend_reason: 'synthetic benchmark log', versions: {}, platform: 'linux', arch: 'x64', host: 'bench' },
  ));
  for (let e = 1; e <= epochs; e++) {
    const epochLoss = 0.05 + 0.3 / e;
    for (let b = 1; b <= batchesPerEpoch; b++) {
      const loss = epochLoss * (1 + 0.3 * noise());
      clock = ((e - 1) * batchesPerEpoch + b) * msPerBatch;
      await emit(events.batchEnd(e, b, loss, Math.min(1, 1 - loss / 3 + 0.01 * noise())));
    }
    const loss = epochLoss;
    const durationMs = batchesPerEpoch * msPerBatch + 50;
    clock = e * batchesPerEpoch * msPerBatch + 50;
    await emit(events.epochEnd({
      epoch: e, loss, accuracy: 1 - loss / 3, valLoss: loss * 0.9 + 0.002 * e, valAccuracy: 1 - loss / 3.2,
      durationMs, samplesPerSecond: (batchesPerEpoch * 32) / (durationMs / 1000),
    }, epochs, { rss_bytes: 150e6, heap_used_bytes: 60e6 }));
  }
  clock = epochs * batchesPerEpoch * msPerBatch + 100;
  await emit(events.runEnd({ status: 'completed', durationMs: clock, epochsCompleted: epochs }));
  await flush();
  out.end();
  await once(out, 'close');
  return lines;
}
