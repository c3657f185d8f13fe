// collectGarbage takes V8's gc without leaving --expose-gc on for the rest of the process: a
// CloudWatch fetch collects after each page, before the first chart starts the PNG worker, and
// with the flag left on the worker died at start (its script declares a gc of its own), so every
// PNG of a --log-group --run all was drawn on the main thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { collectGarbage } from '../../src/cli/heap.js';
import { pngWorkerStats, rasterize, usePngWorker } from '../../src/render/png-worker.js';

const options = { fitTo: { mode: 'zoom' as const, value: 2 }, font: { loadSystemFonts: false } };
const square = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4" fill="red"/></svg>';

test('a full collection before the first chart leaves the PNG worker working', { timeout: 60_000 }, async () => {
  assert.equal(runInNewContext('typeof gc'), 'undefined', 'this process starts without --expose-gc');
  collectGarbage();
  collectGarbage();
  assert.equal(runInNewContext('typeof gc'), 'undefined', 'a context made afterwards has no global gc');
  usePngWorker();
  const png = await rasterize(square, options);
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.equal(pngWorkerStats.made, 1, 'the PNG came from the worker, not from the fallback on this thread');
});
