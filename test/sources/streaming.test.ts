// Memory stays flat while a big log streams through source → parse → runs.
// No timing assertions: only a generous bound on resident memory growth.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectRuns } from '../../src/runs/collect.js';
import { serializeEvent, SCHEMA, type TrainEvent } from '../../src/events.js';
import { readFileRecords } from '../../src/sources/file.js';

const EPOCHS = 40;
const BATCHES = 9_000;

async function writeBigLog(path: string): Promise<void> {
  const out = createWriteStream(path);
  let buf = '';
  const t0 = Date.parse('2026-11-24T07:00:00.000Z');
  let n = 0;
  const put = async (e: TrainEvent): Promise<void> => {
    buf += `${serializeEvent(e)}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  };
  const base = { schema: SCHEMA, run_id: 'big' } as const;
  for (let e = 1; e <= EPOCHS; e++) {
    for (let b = 1; b <= BATCHES; b++) {
      const time = new Date(t0 + n++ * 10).toISOString();
      await put({ ...base, time, event: 'batch_end', epoch: e, batch: b, loss: 1 / (e + b / BATCHES), accuracy: 0.9 });
    }
    const time = new Date(t0 + n++ * 10).toISOString();
    await put({ ...base, time, event: 'epoch_end', epoch: e, epochs: EPOCHS, loss: 1 / e, accuracy: 0.9, val_loss: 1 / e, val_accuracy: 0.95, duration_ms: 900, samples_per_second: 60000, memory: { rss_bytes: 200_000_000, heap_used_bytes: 20_000_000 } });
  }
  out.end(buf);
  await once(out, 'finish');
}

test('a ~50 MB JSON-lines log streams with flat memory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mnist-report-stream-'));
  const path = join(dir, 'big.jsonl');
  try {
    await writeBigLog(path);
    const size = statSync(path).size;
    assert.ok(size > 45e6, `log is ${size} bytes`);
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    let seen = 0;
    async function* watched() {
      for await (const records of readFileRecords(path)) {
        seen += records.length;
        if ((seen & 0x3fff) < records.length) peak = Math.max(peak, process.memoryUsage().rss);
        yield records;
      }
    }
    const log = await collectRuns(watched());
    peak = Math.max(peak, process.memoryUsage().rss);
    assert.equal(log.quality.records, EPOCHS * (BATCHES + 1));
    assert.equal(log.runs[0]!.batch_count, EPOCHS * BATCHES);
    assert.equal(log.runs[0]!.epochs.length, EPOCHS);
    const growthMb = (peak - before) / 1e6;
    // Holding the file, or every batch point, would cost several times the file size.
    assert.ok(growthMb < 100, `rss grew by ${growthMb.toFixed(0)} MB while reading ${(size / 1e6).toFixed(0)} MB`);
    process.stderr.write(`# streamed ${(size / 1e6).toFixed(0)} MB, rss growth ${growthMb.toFixed(0)} MB\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
