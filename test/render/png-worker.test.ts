// PNGs made on the worker thread, or drawn on the main thread from the worker's queue
// (drainPngs), are byte for byte the PNGs made the ordinary way; a chart resvg cannot draw
// fails with resvg's one-line message on either thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRun } from '../../src/analyze/analyze.js';
import { renderReport } from '../../src/render/report.js';
import { drainPngs, IN_WORKER, pngWorkerStats, rasterize, usePngWorker } from '../../src/render/png-worker.js';
import { epoch, GEN, quality, run } from '../analyze/build.js';

const options = { fitTo: { mode: 'zoom' as const, value: 2 }, font: { loadSystemFonts: false } };

test('a report rendered with the PNG worker has the same files, byte for byte', { timeout: 120_000 }, async () => {
  const batches = Array.from({ length: 30 }, (_, i) => ({ epoch: 1 + Math.floor(i / 10), batch: (i % 10 + 1) * 100, loss: 0.3 / (1 + i), accuracy: 0.9 }));
  const analyses = [1, 2, 3].map((f) => analyzeRun(run({ epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { loss: (0.3 * f) / n })), batches, batch_count: 30 }), quality(), { generatedAt: GEN }));
  const before = await Promise.all(analyses.map((a) => renderReport(a, ['md', 'html'])));
  assert.equal(pngWorkerStats.made + pngWorkerStats.drained, 0, 'without the worker, no PNG goes through it');
  usePngWorker(IN_WORKER);
  // side by side, as the worker's queue holds several reports' charts; the first two leave
  // charts to the worker, the last draws what the worker has not taken
  const after = await Promise.all(analyses.map((a, i) => renderReport(a, ['md', 'html'], { leavePngs: i < 2 ? 3 : 0 })));
  for (const [i, files] of after.entries()) {
    assert.deepEqual(files.map((f) => f.name), before[i]!.map((f) => f.name));
    for (const [j, f] of files.entries()) {
      assert.ok(Buffer.from(f.data).equals(Buffer.from(before[i]![j]!.data)), `report ${i}: ${f.name}`);
    }
    assert.equal(files.filter((f) => f.name.endsWith('.png')).length, 4);
  }
  assert.equal(pngWorkerStats.made + pngWorkerStats.drained, 12, 'every PNG of the second round went through the worker\'s queue');
  assert.ok(pngWorkerStats.made > 0, `the worker made ${pngWorkerStats.made}`);
  assert.ok(pngWorkerStats.drained > 0, `the main thread drew ${pngWorkerStats.drained} from the queue`);
});

test('a chart resvg cannot draw fails with one line, on the worker and when drawn from its queue', { timeout: 60_000 }, async () => {
  usePngWorker(IN_WORKER);
  const bad = '<svg xmlns="http://www.w3.org/2000/svg" width="0" height="10"></svg>';
  // the worker takes the first IN_WORKER; the last waits in the queue and is drawn here
  const jobs = Array.from({ length: IN_WORKER + 1 }, () => rasterize(bad, options));
  for (const j of jobs) j.catch(() => {});
  const made = pngWorkerStats.made;
  const drained = pngWorkerStats.drained;
  await drainPngs();
  for (const [i, j] of jobs.entries()) {
    await assert.rejects(j, (e: Error) => {
      assert.ok(e instanceof Error, `job ${i}: an Error`);
      assert.ok(e.message.length > 0 && !e.message.includes('\n'), `job ${i}: one line: ${JSON.stringify(e.message)}`);
      return true;
    });
  }
  assert.equal(pngWorkerStats.made, made, 'no PNG counted for a failed chart');
  assert.equal(pngWorkerStats.drained, drained);
  // and the worker still draws the next chart
  const good = await rasterize('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4" fill="red"/></svg>', options);
  assert.equal(good.subarray(1, 4).toString(), 'PNG');
});

test('without a hold (one report), every chart goes to the worker as it comes: none is left for drainPngs', { timeout: 60_000 }, async () => {
  usePngWorker();
  const svg = (n: number) => `<svg xmlns="http://www.w3.org/2000/svg" width="${n}" height="4"><rect width="${n}" height="4" fill="red"/></svg>`;
  const made = pngWorkerStats.made;
  const drained = pngWorkerStats.drained;
  // more charts than IN_WORKER, given without a turn of the event loop, as renderCharts gives them
  const jobs = Array.from({ length: IN_WORKER + 3 }, (_, i) => rasterize(svg(i + 1), options));
  await drainPngs();
  const pngs = await Promise.all(jobs);
  assert.equal(pngWorkerStats.drained - drained, 0);
  assert.equal(pngWorkerStats.made - made, IN_WORKER + 3);
  // each chart's own PNG: width i + 1 at zoom 2
  assert.deepEqual(pngs.map((p) => p.readUInt32BE(16)), jobs.map((_, i) => 2 * (i + 1)));
});

test('one report: the charts the worker has not started are drawn here once the caller waits (stealPngs), each once, the same bytes', { timeout: 120_000 }, async () => {
  const batches = Array.from({ length: 30 }, (_, i) => ({ epoch: 1 + Math.floor(i / 10), batch: (i % 10 + 1) * 100, loss: 0.3 / (1 + i), accuracy: 0.9 }));
  const a = analyzeRun(run({ epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { loss: 0.3 / n })), batches, batch_count: 30 }), quality(), { generatedAt: GEN });
  // vega loaded and warm, as after the tests above (run alone, the first SVGs took longer than the large chart below)
  await renderReport(a, ['md']);
  usePngWorker();
  const before = { ...pngWorkerStats };
  // the worker is busy with a large chart when the report's charts come, so some wait for it
  const busy = rasterize('<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="2000"><rect width="2000" height="2000" fill="red"/><circle cx="900" cy="900" r="700" fill="blue"/></svg>', options);
  const files = await renderReport(a, ['md', 'html']);
  await busy;
  const pngs = files.filter((f) => f.name.endsWith('.png'));
  assert.equal(pngs.length, 4);
  const stolen = pngWorkerStats.stolen - before.stolen;
  const made = pngWorkerStats.made - before.made;
  assert.ok(stolen > 0, `this thread drew ${stolen} of the worker's charts`);
  assert.equal(stolen + made, 5, `each chart drawn once: ${stolen} here, ${made} on the worker (the large one included)`);
  assert.equal(pngWorkerStats.twice - before.twice, 0, 'the worker drew none of the charts taken here');
  // the bytes of charts drawn here from the queue (none sent to the worker)
  usePngWorker(0);
  const plain = await renderReport(a, ['md', 'html'], { leavePngs: 0 });
  for (const f of pngs) assert.ok(Buffer.from(f.data).equals(Buffer.from(plain.find((p) => p.name === f.name)!.data)), f.name);
});
