// Small builders for parser and runs tests.

import { SCHEMA, encodeLooseEvent } from '../../src/events.js';
import { collectRuns } from '../../src/runs/collect.js';
import { readFileRecords } from '../../src/sources/file.js';
import type { EpochRecord, LogRecord } from '../../src/types.js';

export function rec(message: string, over: Partial<LogRecord> = {}): LogRecord {
  return { message, source: 'test.log', stream: null, timestamp: null, eventId: null, line: null, ...over };
}

export async function* iterate<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** An epoch_end line as mnist-train writes it; `over` may break the contract on purpose. */
export function epochEvent(run_id: string, epoch: number, loss: number, over: Record<string, unknown> = {}): string {
  return encodeLooseEvent({
    schema: SCHEMA, event: 'epoch_end', run_id, time: `2026-11-24T07:00:${String(epoch).padStart(2, '0')}.000Z`,
    epoch, epochs: 5, loss, accuracy: 0.9, val_loss: loss / 2, val_accuracy: 0.95, duration_ms: 1000, samples_per_second: 60000,
    memory: { rss_bytes: 200_000_000, heap_used_bytes: 20_000_000 }, ...over,
  });
}

export function batchEvent(run_id: string, epoch: number, batch: number, loss: number | null): string {
  return encodeLooseEvent({
    schema: SCHEMA, event: 'batch_end', run_id, time: '2026-11-24T07:00:00.000Z', epoch, batch,
    loss: loss ?? Number.NaN, accuracy: 0.9,
  });
}

/** A file's runs, as the report reads them. */
export const readRuns = (path: string) => collectRuns(readFileRecords(path));

/** An epoch as [number, loss, accuracy, val_loss, val_accuracy], to compare with a log line. */
export const metricsRow = (e: EpochRecord) => [e.epoch, e.loss, e.accuracy, e.val_loss, e.val_accuracy];

/** Typed lines' runs, each line numbered from 1. */
export const readLines = (text: string[]) => collectRuns(iterate(text.map((t, i) => rec(t, { line: i + 1 }))));
