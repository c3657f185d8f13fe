// A long read of local files says how far it is, every PROGRESS_EVERY_MS (report-source.ts withReadProgress),
// on a clock the test moves.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROGRESS_EVERY_MS, withReadProgress } from '../../src/cli/report-source.js';
import type { LogRecord } from '../../src/types.js';

const record = (message: string, extra: Partial<LogRecord> = {}): LogRecord =>
  ({ message, source: 'f.log', stream: null, timestamp: null, eventId: null, line: null, ...extra });

async function drain(items: (LogRecord | LogRecord[])[], total: number | null, times: number[]) {
  const said: string[] = [];
  let i = 0;
  async function* source() { yield* items; }
  const out: (LogRecord | LogRecord[])[] = [];
  for await (const x of withReadProgress(source(), (l) => said.push(l), total, () => times[Math.min(i++, times.length - 1)]!)) out.push(x);
  return { said, out };
}

test('a line every PROGRESS_EVERY_MS: lines read so far and megabytes of the inputs\' size; every record passed on as it came', async () => {
  const batch = Array.from({ length: 1000 }, () => record('x'.repeat(999)));
  // the clock: start, then one reading a batch
  const times = [0, 100, PROGRESS_EVERY_MS, PROGRESS_EVERY_MS + 100, 2 * PROGRESS_EVERY_MS + 50];
  const { said, out } = await drain([batch, batch, batch, batch], 10_000_000, times);
  assert.equal(out.length, 4);
  assert.deepEqual(out, [batch, batch, batch, batch]);
  assert.deepEqual(said, ['read 2,000 lines so far (~2.0 MB of 10 MB)', 'read 4,000 lines so far (~4.0 MB of 10 MB)']);
});

test('no size known (stdin), or text outgrowing it (gzip): megabytes read alone; blank lines counted as lines', async () => {
  const times = [0, PROGRESS_EVERY_MS];
  assert.deepEqual((await drain([record('a', { blankLines: 9 })], null, times)).said, ['read 10 lines so far (~0.0 MB)']);
  assert.deepEqual((await drain([[record('x'.repeat(2_000_000))]], 1_000_000, times)).said, ['read 1 line so far (~2.0 MB)']);
  // a read quicker than PROGRESS_EVERY_MS says nothing
  assert.deepEqual((await drain([record('a'), record('b')], null, [0, 10, 20])).said, []);
});
