// SVG → PNG on worker threads, for a process that renders many reports (--run all).
//
// resvg-js rasterises on libuv's pool (renderAsync), but its PNG encoding (asPng,
// about half of the ~25 ms of CPU a chart costs at zoom 2) runs only synchronously, on
// whichever thread calls it. A worker thread (POOL_SIZE) does the whole of it (parse, rasterise,
// encode) beside the main thread's vega work; its start-up (~40 ms, an isolate and
// resvg's addon) is lost on one report and paid back from the second on, so the
// CLI asks for them only when it renders more than one (usePngWorker). Same resvg,
// same options: the PNGs are byte for byte the same. A worker holds the event loop
// only while it has work, and if one dies the charts still waiting are drawn the
// ordinary way.

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);

// CommonJS run by the worker (eval: it needs no file of its own, from src/ or the bundle alike).
// resvg's objects hold their pixmap (~4 MB at zoom 2) until V8 collects them, and Node runs
// their finalizers only after a collection and a turn of the event loop; the worker's own
// heap barely grows, so V8 would seldom collect, and a --run all of 50 runs peaked at 366 MB.
// A young-generation collection after each chart frees each pixmap before the next: the
// wrappers die young, so a scavenge finds them, for ~1/5 of the CPU of the full collection
// this did before (worker profile, 50 runs: 18% of its time was full collections). Each chart
// is taken on a turn of its own (setImmediate), so their finalizers run between charts even
// when the queue holds several reports' charts.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { setFlagsFromString } = require('node:v8');
const { runInNewContext } = require('node:vm');
const { Resvg } = require(workerData.resvg);
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const queue = [];
function next() {
  const { id, svg, options } = queue.shift();
  try {
    parentPort.postMessage({ id, png: new Resvg(svg, options).render().asPng() });
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.message) || e) });
  }
  gc({ type: 'minor' });
  if (queue.length) setImmediate(next);
}
parentPort.on('message', (job) => {
  if (queue.push(job) === 1) setImmediate(next);
});`;

interface Job { svg: string; options: ResvgRenderOptions; resolve: (png: Buffer) => void; reject: (e: Error) => void }

/** PNGs the workers have made, for tests. */
export const pngWorkerStats = { made: 0 };

/**
 * Workers in the pool: one. The worker was the critical path of --run all (200 runs, per-thread
 * CPU: worker 23.7 s, main thread 9.4 s, the main thread idle while it waited for each report's
 * last PNG); with the reports now drawn back to back (cli/in-order.ts) and a young-generation
 * collection per chart, one worker keeps up within ~10%. Two were measured too: on an idle
 * machine they would use the second core more fully, but the second costs ~15-20 MB at the
 * peak (50 runs from a file: 179 MB with one, 191-202 MB with two) and on a loaded machine
 * (load 15) gains no time. The size stays a constant here so that a machine with cores to spare can
 * raise it.
 */
const POOL_SIZE = 1;

interface PoolWorker { worker: Worker; jobs: Map<number, Job> }

let wanted = false;
let pool: PoolWorker[] | null = null;
let nextId = 0;

/** From now on PNGs are made on worker threads (until a worker fails, if one does). */
export function usePngWorker(): void {
  wanted = true;
}

/** The chart's PNG: on a worker thread when usePngWorker() was called, else rasterised on libuv's pool and encoded here. */
export function rasterize(svg: string, options: ResvgRenderOptions): Promise<Buffer> {
  const p = wanted ? started() : null;
  if (!p) return renderAsync(svg, options).then((image) => image.asPng());
  // the worker with the fewest charts waiting
  const w = p.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
  return new Promise((resolve, reject) => {
    const id = nextId++;
    w.jobs.set(id, { svg, options, resolve, reject });
    if (w.jobs.size === 1) w.worker.ref();
    w.worker.postMessage({ id, svg, options });
  });
}

function started(): PoolWorker[] | null {
  if (pool) return pool;
  try {
    pool = Array.from({ length: POOL_SIZE }, () => startWorker());
  } catch {
    stopAll();
    return null;
  }
  return pool;
}

function startWorker(): PoolWorker {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { resvg: require.resolve('@resvg/resvg-js') }, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
  const w: PoolWorker = { worker, jobs: new Map() };
  worker.unref();
  worker.on('message', (m: { id: number; png?: Uint8Array; error?: string }) => {
    const job = w.jobs.get(m.id);
    if (!job) return;
    w.jobs.delete(m.id);
    if (w.jobs.size === 0) worker.unref();
    if (m.png) pngWorkerStats.made++;
    if (m.png) job.resolve(Buffer.from(m.png.buffer, m.png.byteOffset, m.png.byteLength));
    else job.reject(new Error(m.error ?? 'PNG worker failed'));
  });
  worker.on('error', stopAll);
  worker.on('exit', stopAll);
  return w;
}

/** A worker failed: no more workers, and the charts any of them still had are drawn here instead. */
function stopAll(): void {
  const workers = pool ?? [];
  pool = null;
  wanted = false;
  for (const w of workers) {
    const left = [...w.jobs.values()];
    w.jobs.clear();
    void w.worker.terminate();
    for (const j of left) renderAsync(j.svg, j.options).then((image) => j.resolve(image.asPng()), j.reject);
  }
}
