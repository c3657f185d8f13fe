// The PNG worker starts when --expose-gc is already set in the process (by collectGarbage, or by
// the chart worker, before the first PNG): its script once declared a const gc, which the global
// gc of such an isolate turned into a SyntaxError, and every PNG fell back to the main thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { pngWorkerStats, rasterize, usePngWorker } from '../../src/render/png-worker.js';

test('the PNG worker draws PNGs when --expose-gc was set before it started', { timeout: 60_000 }, async () => {
  setFlagsFromString('--expose-gc');
  usePngWorker();
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="red"/></svg>';
  const png = await rasterize(svg, { font: { loadSystemFonts: false } });
  assert.ok(png.subarray(1, 4).toString() === 'PNG');
  assert.equal(pngWorkerStats.made, 1, 'made by the worker, not by the fallback on this thread');
});
