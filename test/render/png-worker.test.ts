// PNGs made on the worker thread (--run all) are byte for byte the PNGs made on the main thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRun } from '../../src/analyze/analyze.js';
import { renderReport } from '../../src/render/report.js';
import { pngWorkerStats, usePngWorker } from '../../src/render/png-worker.js';
import { epoch, GEN, quality, run } from '../analyze/build.js';

test('a report rendered with the PNG worker has the same files, byte for byte', { timeout: 120_000 }, async () => {
  const batches = Array.from({ length: 30 }, (_, i) => ({ epoch: 1 + Math.floor(i / 10), batch: (i % 10 + 1) * 100, loss: 0.3 / (1 + i), accuracy: 0.9 }));
  const analyses = [1, 2, 3].map((f) => analyzeRun(run({ epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { loss: (0.3 * f) / n })), batches, batch_count: 30 }), quality(), { generatedAt: GEN }));
  const before = await Promise.all(analyses.map((a) => renderReport(a, ['md', 'html'])));
  usePngWorker();
  // side by side, as the worker's queue holds several reports' charts
  const after = await Promise.all(analyses.map((a) => renderReport(a, ['md', 'html'])));
  for (const [i, files] of after.entries()) {
    assert.deepEqual(files.map((f) => f.name), before[i]!.map((f) => f.name));
    for (const [j, f] of files.entries()) {
      assert.ok(Buffer.from(f.data).equals(Buffer.from(before[i]![j]!.data)), `report ${i}: ${f.name}`);
    }
    assert.equal(files.filter((f) => f.name.endsWith('.png')).length, 4);
  }
  assert.equal(pngWorkerStats.made, 12, 'the worker made every PNG of the second round');
});
