// A log group's worth of mnist-train runs for the --run all benches: run i is what
// `mnist-train --epochs 5 --log-every-batches 100` writes (run_start, 18 batch_end and
// an epoch_end per epoch, run_end), one event every 50 ms, with numbers that differ
// from run to run, so that no chart or PNG of one run is byte for byte another's (a
// cache keyed by content would otherwise make the bench look faster than a real
// group). Deterministic: the same i gives the same events.

import { serializeEvent, SCHEMA } from '../src/events.js';
import { runLines } from '../test/support/cloudwatch-runs.js';
import type { SeedEvent } from '../test/support/cloudwatch-server.js';

export const EPOCHS = 5;
export const BATCHES_PER_EPOCH = 18;

export const runId = (i: number): string => `run-${String(i).padStart(5, '0')}`;

/** Run i, started at `start` (ms), as CloudWatch events. */
export function groupRun(i: number, start: number): SeedEvent[] {
  const id = runId(i);
  const f = 1 + (i % 23) / 7; // scales this run's losses and error rates
  const base = runLines(id, EPOCHS, start).map((e) => {
    const o = JSON.parse(e.message) as Record<string, unknown>;
    for (const k of ['loss', 'val_loss']) if (typeof o[k] === 'number') o[k] = (o[k] as number) * f;
    for (const k of ['accuracy', 'val_accuracy']) if (typeof o[k] === 'number') o[k] = 1 - (1 - (o[k] as number)) * f;
    return { timestamp: e.timestamp, message: JSON.stringify(o) };
  });
  const out: SeedEvent[] = [base[0]!];
  for (let k = 1; k <= EPOCHS; k++) {
    for (let b = 1; b <= BATCHES_PER_EPOCH; b++) {
      const ts = start + (k - 1) * 1000 + b * 50;
      out.push({ timestamp: ts, message: serializeEvent({ schema: SCHEMA, event: 'batch_end', run_id: id, time: new Date(ts).toISOString(),
        epoch: k, batch: b * 100, loss: (1 + (i % 13) / 5) / (k * b), accuracy: 0.9 - (i % 7) / 100 }) });
    }
    out.push(base[k]!);
  }
  out.push(base.at(-1)!);
  return out;
}
