// Small builders for hand-made runs (house style 8).
import type { DataQuality, EpochRecord, Run } from '../../src/types.js';
import type { RunStartEvent, RunEndEvent } from '../../src/events.js';

export function epoch(n: number, m: Partial<EpochRecord> = {}): EpochRecord {
  return {
    epoch: n, epochs: 5, loss: 0.3 / n, accuracy: 0.9 + n * 0.01, val_loss: 0.25 / n, val_accuracy: 0.91 + n * 0.01,
    duration_ms: 10_000, samples_per_second: 6000, time: new Date(Date.UTC(2026, 10, 24, 7, 0, 10 * n)).toISOString(),
    non_finite: [], ...m,
  };
}

export function start(over: Partial<RunStartEvent['config']> = {}, dropout = true): RunStartEvent {
  return {
    schema: 'mnist-train/1', event: 'run_start', run_id: 'r1', time: '2026-11-24T07:00:00.000Z',
    config: { epochs: 5, batch_size: 32, optimizer: 'adam', learning_rate: 0.001, model: 'mlp', seed: 1,
      train_samples: 60000, validation_samples: 10000, ...over },
    model: { name: 'mlp', parameters: 101770, layers: [
      { name: 'flatten', type: 'Flatten', output_shape: [null, 784], parameters: 0 },
      { name: 'dense', type: 'Dense', output_shape: [null, 128], parameters: 100480 },
      ...(dropout ? [{ name: 'dropout', type: 'Dropout', output_shape: [null, 128], parameters: 0 }] : []),
      { name: 'dense_1', type: 'Dense', output_shape: [null, 10], parameters: 1290 }] },
    runtime: { backend: 'wasm', backend_reason: 'test', versions: {}, platform: 'linux', arch: 'x64', host: 'h' },
  };
}

export function end(status: RunEndEvent['status'] = 'completed', over: Partial<RunEndEvent> = {}): RunEndEvent {
  return { schema: 'mnist-train/1', event: 'run_end', run_id: 'r1', time: '2026-11-24T07:01:00.000Z',
    status, duration_ms: 60_000, epochs_completed: 5, ...over };
}

export function run(over: Partial<Run> = {}): Run {
  const epochs = over.epochs ?? [1, 2, 3, 4, 5].map((n) => epoch(n));
  return {
    run_id: 'r1', format: 'events', streams: ['f.jsonl'], start: start(), epochs, batches: [], end: end(),
    batch_count: over.batches?.length ?? 0, duplicate_epochs: [], missing_epochs: [], first_time: '2026-11-24T07:00:00.000Z', last_time: '2026-11-24T07:01:00.000Z',
    format_notes: [], text_test: null, stopped_early: false, quality: quality(), ...over,
  };
}

export function quality(over: Partial<DataQuality> = {}): DataQuality {
  return { records: 7, recognised: 7, ignored: 0, unrecognised: 0, invalid_events: 0, fragments: 0,
    duplicate_records: 0, examples: [], field_gaps: [], unknown_events: [], ...over };
}

export const GEN = '2026-11-24T00:00:00Z';
