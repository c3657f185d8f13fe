// Builders for log groups full of mnist-train runs, seeded straight into the test server.

import { serializeEvent, SCHEMA, type TrainEvent } from '../../src/events.js';
import { readCloudWatchRecords, type CloudWatchSourceOptions } from '../../src/sources/cloudwatch.js';
import type { LogRecord } from '../../src/types.js';
import type { CloudWatchServer, SeedEvent } from './cloudwatch-server.js';

/** The JSON lines of one complete run with `epochs` epochs, one event a second from `start`. */
export function runLines(runId: string, epochs: number, start: number): SeedEvent[] {
  const at = (i: number): { time: string; timestamp: number } => ({ time: new Date(start + i * 1000).toISOString(), timestamp: start + i * 1000 });
  const base = { schema: SCHEMA, run_id: runId };
  const events: { e: TrainEvent; ts: number }[] = [];
  events.push({
    ts: at(0).timestamp,
    e: {
      ...base, time: at(0).time, event: 'run_start',
      config: { epochs, batch_size: 32, optimizer: 'adam', learning_rate: 0.001, model: 'mlp', seed: 1, train_samples: 60000, validation_samples: 10000 },
      model: { name: 'mlp', parameters: 101770, layers: [] },
      runtime: { backend: 'wasm', backend_reason: 'test', versions: {}, platform: 'linux', arch: 'x64', host: 'test' },
    },
  });
  for (let k = 1; k <= epochs; k++) {
    events.push({
      ts: at(k).timestamp,
      e: {
        ...base, time: at(k).time, event: 'epoch_end', epoch: k, epochs,
        loss: 0.5 / k, accuracy: 0.9 + k / 1000, val_loss: 0.4 / k, val_accuracy: 0.91 + k / 1000,
        duration_ms: 1000, samples_per_second: 60000, memory: { rss_bytes: 200_000_000, heap_used_bytes: 20_000_000 },
      },
    });
  }
  events.push({ ts: at(epochs + 1).timestamp, e: { ...base, time: at(epochs + 1).time, event: 'run_end', status: 'completed', duration_ms: (epochs + 1) * 1000, epochs_completed: epochs } });
  return events.map(({ e, ts }) => ({ timestamp: ts, message: serializeEvent(e) }));
}

/**
 * A log group of `streams` streams, one run each. Name order and time order differ (the run
 * in stream i starts (i·7919 mod streams) minutes after `start`), so that "latest" cannot be
 * found by name. Returns the stream names and the stream and run id of the latest run.
 */
export function seedRuns(server: CloudWatchServer, group: string, streams: number, epochs: number, start: number): { names: string[]; latest: string; latestRun: string } {
  const names: string[] = [];
  let latest = '';
  let latestRun = '';
  for (let i = 0; i < streams; i++) {
    const name = `ecs/mnist-training/task-${String(i).padStart(5, '0')}`;
    const slot = (i * 7919) % streams;
    server.seed.stream(group, name, runLines(`run-${i}`, epochs, start + slot * 60_000));
    names.push(name);
    if (slot === streams - 1) { latest = name; latestRun = `run-${i}`; }
  }
  return { names, latest, latestRun };
}

/** One array of records as the async source collectRuns takes. */
export async function* once<T>(item: T): AsyncGenerator<T> {
  yield item;
}

/** readCloudWatchRecords to its end: every record, and the progress lines said on the way. */
export async function readAll(options: CloudWatchSourceOptions): Promise<{ records: LogRecord[]; progress: string[] }> {
  const progress: string[] = [];
  const records: LogRecord[] = [];
  for await (const page of readCloudWatchRecords({ ...options, onProgress: (m) => progress.push(m) })) records.push(...page);
  return { records, progress };
}
