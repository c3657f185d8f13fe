// SVG → PNG on a worker thread, shared with the thread that makes the SVGs.
//
// resvg rasterises the chart and png-encode.ts deflates its pixels with Node's zlib (resvg-js's
// own encoder, asPng, cost more CPU than the rasterising: see there). A worker thread does the
// whole of it (parse, rasterise, encode) beside the main thread's vega work, and when the main
// thread has made a report's SVGs and text and would wait for its PNGs, it draws those the
// worker has not taken yet (drainPngs): the PNG work is shared by the two cores rather than the
// worker being the critical path. The CLI uses the worker whenever charts are drawn, one report
// or many: it starts before the first chart (startPngWorker), so that its start-up (50-140 ms, an
// isolate and resvg's addon) overlaps the first SVGs, and the PNG work leaves the main thread.
// One report sends it every chart as its SVG is made: this thread makes the SVGs without a turn
// of the event loop, so a worker holding fewer waited for the last SVG before it got the next
// chart (a trace: 4 charts drawn, then 70 ms idle). Same resvg, same options, same encoder
// (its very source text) on either thread: the PNGs are byte for byte the same. The worker
// holds the event loop only while it has work, and if it dies the charts still waiting are
// drawn the ordinary way.

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type * as Zlib from 'node:zlib';
import type * as ResvgModule from '@resvg/resvg-js';
import type { RenderedImage, ResvgRenderOptions } from '@resvg/resvg-js';
import { encodePng, OPAQUE_BACKGROUND, PNG_DEFLATE_LEVEL } from './png-encode.js';

const require = createRequire(import.meta.url);

/**
 * resvg, required at the first chart drawn on this thread, not at start-up: its loader asks
 * process.report for a whole diagnostic report to tell glibc from musl (~15 ms), and loading
 * the addon costs more, which a report without charts (-f json) does not need.
 */
let resvgModule: typeof ResvgModule | null = null;
const resvg = (): typeof ResvgModule => (resvgModule ??= require('@resvg/resvg-js') as typeof ResvgModule);

/** node:zlib, loaded at the first PNG made on this thread: one report's are made on the worker (~2 ms of every start otherwise). */
let zlibModule: typeof Zlib | null = null;

/** The PNG of a chart drawn with `options`: drawn over OPAQUE_BACKGROUND, its pixels need no look (png-encode.ts). */
const png = (image: RenderedImage, options: ResvgRenderOptions): Buffer =>
  encodePng(image, (zlibModule ??= require('node:zlib') as typeof Zlib), PNG_DEFLATE_LEVEL, options.background === OPAQUE_BACKGROUND);

// CommonJS run by the worker: eval'd here (from src/ or the bundle alike), or as
// dist/cli/png-worker.cjs, which the bin's loader starts before the bundle runs (pngWorkerFile).
// resvg's objects hold their pixmap (~4 MB at zoom 2) until V8 collects them, and Node runs
// their finalizers only after a collection and a turn of the event loop; the worker's own
// heap barely grows, so V8 would seldom collect, and a --run all of 50 runs peaked at 366 MB.
// A young-generation collection after each chart frees each pixmap before the next: the
// wrappers die young, so a scavenge finds them, for ~1/5 of the CPU of the full collection
// this did before (worker profile, 50 runs: 18% of its time was full collections). Each chart
// is taken on a turn of its own (setImmediate), so their finalizers run between charts even
// when the queue holds several reports' charts.
// It reads its settings from `settings`, written in before it (workerSource).
const WORKER_BODY = `
const { parentPort } = require('node:worker_threads');
const { setFlagsFromString } = require('node:v8');
const { runInNewContext } = require('node:vm');
const { Resvg } = loadResvg();
const zlib = require('node:zlib');
const encodePng = ${encodePng.toString()};
setFlagsFromString('--expose-gc');
// (not named gc: once --expose-gc is set before this worker starts, by collectGarbage or the
// chart worker, its global object has a gc of its own, and a const gc here is a SyntaxError)
const collect = runInNewContext('gc');
const queue = [];
function next() {
  const { id, svg, options } = queue.shift();
  try {
    const png = encodePng(new Resvg(svg, options).render(), zlib, settings.level, options.background === settings.opaque);
    parentPort.postMessage({ id, png });
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.message) || e) });
  }
  collect({ type: 'minor' });
  if (queue.length) setImmediate(next);
}
parentPort.on('message', (job) => {
  if (queue.push(job) === 1) setImmediate(next);
});
// resvg-js' loader (its index.js) tells glibc from musl by asking process.report for a whole
// diagnostic report: ~8 ms of the worker's start, while the first chart waits. The build recorded
// which native binding that loader loads on this machine (settings.binding, from this file's folder):
// it is required directly and given the options as the package's own Resvg class gives them (as
// JSON text). If it is gone or fails to load (node_modules moved, another platform), the package.
function loadResvg() {
  if (settings.binding) {
    try {
      const binding = require(require('node:path').join(__dirname, settings.binding));
      return { Resvg: class Resvg extends binding.Resvg { constructor(svg, options) { super(svg, JSON.stringify(options)); } } };
    } catch {
      // the package's loader below
    }
  }
  return require(settings.resvg);
}`;

/**
 * The worker's source with its settings written in; `resvg`: where it requires resvg from; `binding`: the
 * native binding resvg's loader loads, relative to the worker file's folder (loadResvg, in WORKER_BODY).
 */
export function workerSource(resvg: string, binding?: string): string {
  return `const settings = ${JSON.stringify({ resvg, binding, level: PNG_DEFLATE_LEVEL, opaque: OPAQUE_BACKGROUND })};${WORKER_BODY}`;
}

/** The file the bin's loader starts (scripts/build-report.mjs writes it beside the bin; startWorker adopts the worker). */
export const PNG_WORKER_FILE = 'png-worker.cjs';

/**
 * The source of PNG_WORKER_FILE: the same worker, resvg required from the file's own folder; `binding`:
 * resvg's native binding as its loader finds it at build time, relative to that folder (resvgBinding).
 */
export function pngWorkerFile(binding?: string): string {
  return `'use strict';\n// The PNG worker of src/render/png-worker.ts, written by scripts/build-report.mjs.\n${workerSource('@resvg/resvg-js', binding)}\n`;
}

/** The file of the native binding that resvg-js' loader loads in this process (it requires resvg to find out), or null. */
export function resvgBinding(): string | null {
  const before = new Set(Object.keys(require.cache));
  resvg();
  const loaded = Object.keys(require.cache).filter((f) => f.endsWith('.node') && !before.has(f));
  // resvg already loaded before: the one .node file of its platform packages
  const known = loaded.length ? loaded : Object.keys(require.cache).filter((f) => f.endsWith('.node') && /[\\/]@resvg[\\/]/.test(f));
  return known.length === 1 ? known[0]! : null;
}

/** The global symbol's key under which the bin's loader leaves the worker it started, for startWorker to adopt. */
export const PRESTARTED_KEY = 'mnist-report:png-worker';
const PRESTARTED = Symbol.for(PRESTARTED_KEY);
interface Prestarted { worker: Worker; failed: boolean; onEnd: () => void }

/** The loader's worker, taken once: null if there is none, or it failed before it was adopted. */
function takePrestarted(): Worker | null {
  const g = globalThis as { [PRESTARTED]?: Prestarted };
  const p = g[PRESTARTED];
  delete g[PRESTARTED];
  if (!p) return null;
  p.worker.off('error', p.onEnd).off('exit', p.onEnd);
  if (p.failed) {
    void p.worker.terminate();
    return null;
  }
  return p.worker;
}

/**
 * Ends the worker the bin's loader started, unless this process has adopted it: called once the CLI
 * knows it starts no worker before its first report (a large file, stdin, a log group, no charts),
 * so that an idle worker does not add to the peak (png-worker's start, in report.ts).
 */
export function dropPrestartedPngWorker(): void {
  void takePrestarted()?.terminate();
}

interface Job { svg: string; options: ResvgRenderOptions; resolve: (png: Buffer) => void; reject: (e: Error) => void }

/** PNGs the worker has made and PNGs made here by drainPngs, for tests. */
export const pngWorkerStats = { made: 0, drained: 0 };

/**
 * Charts the worker holds at once; the rest wait here, where drainPngs can take them (see its
 * comment). The worker is sent the next chart only when this thread handles its answer, and this
 * thread makes a report's SVGs without a turn of the event loop between them (40-300 ms, 4-8
 * charts): holding 2, the worker drew those 2 (~20 ms each) and then idled until this thread
 * was done (a trace of --run all: each report's PNGs started only when its SVGs were all made,
 * and both threads were idle about a third of the time). Holding 4, it has a report's worth of
 * charts (--run all over 200 runs of 4 charts: 14.6-17.9 s against 17.2-22.6 s holding 2, 3
 * runs each alternating, load 2-3; with drainPngs leaving 4, report.ts's LEAVE_PNGS).
 */
export const IN_WORKER = 4;

/** The running worker thread and the charts it holds, by id. */
interface PngWorker { worker: Worker; jobs: Map<number, Job> }

let wanted = false;
/** Charts the worker holds at once (usePngWorker). */
let holding = IN_WORKER;
let worker: PngWorker | null = null;
let nextId = 0;
/** Charts given to rasterize and not yet sent to the worker nor drained, oldest first. */
const waiting: Job[] = [];

/**
 * From now on PNGs are made on the worker thread (until it fails, if it does), started at the first
 * chart or by startPngWorker. `hold`: the charts the worker holds at once, IN_WORKER when a caller
 * will draw the rest itself (drainPngs); by default all of them.
 */
export function usePngWorker(hold = Infinity): void {
  wanted = true;
  holding = hold;
}

/** Starts the worker now rather than at the first chart, so that its start overlaps this thread's work. */
export function startPngWorker(): void {
  if (wanted) started();
}

/** The chart's PNG: on the worker thread (or drained here) after usePngWorker(), else rasterised on libuv's pool and encoded here. */
export function rasterize(svg: string, options: ResvgRenderOptions): Promise<Buffer> {
  if (!(wanted && started())) return drawHere(svg, options);
  return new Promise((resolve, reject) => {
    waiting.push({ svg, options, resolve, reject });
    feed();
  });
}

/**
 * A chart's PNG rasterised on libuv's pool and encoded on this thread. In a promise: a throw, e.g.
 * resvg's addon that cannot load, rejects the chart's PNG and so ends as the CLI's one-line error,
 * not as an exception thrown out of a caller (or out of the worker's event, in stop()).
 */
function drawHere(svg: string, options: ResvgRenderOptions): Promise<Buffer> {
  return Promise.resolve().then(() => resvg().renderAsync(svg, options)).then((image) => png(image, options));
}

/**
 * The charts still waiting for the worker, made on this thread now, one per turn of the event
 * loop (so the worker's answers, and the next chart sent to it, are handled between two). A
 * caller that is about to wait for its PNGs calls it: its thread draws charts instead of idling,
 * so the PNG work is shared between the two cores, each taking the next chart when it is free.
 * (--run all of 50 runs, per-thread CPU at exit: the worker 5.8 s, the main thread 3.2 s and
 * idle about a third of the time, when the worker made every PNG.) The PNGs are the worker's
 * bytes: the same resvg, the same options, the same synchronous calls.
 */
export async function drainPngs(leave = 0): Promise<void> {
  while (waiting.length > leave) {
    const job = waiting.shift()!;
    try {
      job.resolve(png(new (resvg().Resvg)(job.svg, job.options).render(), job.options));
      pngWorkerStats.drained++;
    } catch (e) {
      job.reject(e instanceof Error ? e : new Error(String(e)));
    }
    await new Promise((r) => setImmediate(r));
  }
}

/** The worker's heap limits: a small young generation (see WORKER_BODY). The loader's worker has the same (scripts/build-report.mjs). */
export const WORKER_LIMITS = { maxYoungGenerationSizeMb: 4 };

/** Sends the waiting charts to the worker while it has room for them. */
function feed(): void {
  const w = worker;
  if (!w) return;
  while (w.jobs.size < holding && waiting.length) {
    const job = waiting.shift()!;
    const id = nextId++;
    w.jobs.set(id, job);
    if (w.jobs.size === 1) w.worker.ref();
    w.worker.postMessage({ id, svg: job.svg, options: job.options });
  }
}

function started(): PngWorker | null {
  if (worker) return worker;
  try {
    worker = startWorker();
  } catch {
    stop();
    return null;
  }
  return worker;
}

function startWorker(): PngWorker {
  const thread = takePrestarted() ?? new Worker(workerSource(require.resolve('@resvg/resvg-js')), { eval: true, resourceLimits: WORKER_LIMITS });
  const w: PngWorker = { worker: thread, jobs: new Map() };
  thread.on('message', (m: { id: number; png?: Uint8Array; error?: string }) => {
    const job = w.jobs.get(m.id);
    if (!job) return;
    w.jobs.delete(m.id);
    if (w.jobs.size === 0) thread.unref();
    if (m.png) pngWorkerStats.made++;
    if (m.png) job.resolve(Buffer.from(m.png.buffer, m.png.byteOffset, m.png.byteLength));
    else job.reject(new Error(m.error ?? 'PNG worker failed'));
    feed();
  });
  thread.on('error', stop);
  thread.on('exit', stop);
  // after the listeners: adding a 'message' listener refs the worker again, and a worker started
  // before any chart (startPngWorker) that then got none (a usage error, a run without epochs)
  // kept the process from ever exiting
  thread.unref();
  return w;
}

/** The worker failed: no more worker, and the charts it still had, or that wait for it, are drawn here instead. */
function stop(): void {
  const w = worker;
  worker = null;
  wanted = false;
  const left = [...(w?.jobs.values() ?? []), ...waiting.splice(0)];
  w?.jobs.clear();
  void w?.worker.terminate();
  for (const j of left) drawHere(j.svg, j.options).then(j.resolve, j.reject);
}
