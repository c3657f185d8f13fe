// SVG → PNG on a worker thread, for a process that renders many reports (--run all).
//
// resvg-js rasterises on libuv's pool (renderAsync), but its PNG encoding (asPng,
// ~10-15 ms a chart at zoom 2) runs only synchronously, on whichever thread calls
// it: in the main thread that is ~50 ms of every report. A worker thread does the
// whole of it (parse, rasterise, encode) beside the main thread's vega work; its
// start-up (~40 ms, a second isolate and resvg's addon) is lost on one report and
// paid back from the second on, so the CLI asks for it only when it renders more
// than one (usePngWorker). Same resvg, same options: the PNGs are byte for byte the
// same. The worker holds the event loop only while it has work, and if it dies the
// charts still waiting are drawn the ordinary way.

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);

// CommonJS run by the worker (eval: it needs no file of its own, from src/ or the bundle alike).
// resvg's objects hold their pixmap (~4 MB at zoom 2) until V8 collects them, and Node runs
// their finalizers only after a collection and a turn of the event loop; the worker's own
// heap barely grows, so V8 would seldom collect, and a --run all of 50 runs peaked at 366 MB.
// A collection after each chart (its heap is tiny: ~1 ms) frees each pixmap before the next.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { setFlagsFromString } = require('node:v8');
const { runInNewContext } = require('node:vm');
const { Resvg } = require(workerData.resvg);
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
parentPort.on('message', ({ id, svg, options }) => {
  try {
    parentPort.postMessage({ id, png: new Resvg(svg, options).render().asPng() });
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.message) || e) });
  }
  gc();
});`;

interface Job { svg: string; options: ResvgRenderOptions; resolve: (png: Buffer) => void; reject: (e: Error) => void }

/** PNGs the worker has made, for tests. */
export const pngWorkerStats = { made: 0 };

let wanted = false;
let worker: Worker | null = null;
let nextId = 0;
const jobs = new Map<number, Job>();

/** From now on PNGs are made on a worker thread (until the worker fails, if it does). */
export function usePngWorker(): void {
  wanted = true;
}

/** The chart's PNG: on the worker thread when usePngWorker() was called, else rasterised on libuv's pool and encoded here. */
export function rasterize(svg: string, options: ResvgRenderOptions): Promise<Buffer> {
  const w = wanted ? started() : null;
  if (!w) return renderAsync(svg, options).then((image) => image.asPng());
  return new Promise((resolve, reject) => {
    const id = nextId++;
    jobs.set(id, { svg, options, resolve, reject });
    if (jobs.size === 1) w.ref();
    w.postMessage({ id, svg, options });
  });
}

function started(): Worker | null {
  if (worker) return worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { resvg: require.resolve('@resvg/resvg-js') }, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
  } catch {
    wanted = false;
    return null;
  }
  worker.unref();
  worker.on('message', (m: { id: number; png?: Uint8Array; error?: string }) => {
    const job = jobs.get(m.id);
    if (!job) return;
    jobs.delete(m.id);
    if (jobs.size === 0) worker?.unref();
    if (m.png) pngWorkerStats.made++;
    if (m.png) job.resolve(Buffer.from(m.png.buffer, m.png.byteOffset, m.png.byteLength));
    else job.reject(new Error(m.error ?? 'PNG worker failed'));
  });
  const fail = (): void => {
    worker = null;
    wanted = false;
    // the charts it still had are drawn here instead
    const left = [...jobs.values()];
    jobs.clear();
    for (const j of left) renderAsync(j.svg, j.options).then((image) => j.resolve(image.asPng()), j.reject);
  };
  worker.on('error', fail);
  worker.on('exit', fail);
  return worker;
}
