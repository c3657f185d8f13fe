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
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type * as Zlib from 'node:zlib';
import type * as ResvgModule from '@resvg/resvg-js';
import type { RenderedImage, ResvgRenderOptions } from '@resvg/resvg-js';
import { encodePng, OPAQUE_BACKGROUND, PNG_DEFLATE_LEVEL } from './png-encode.js';

const require = createRequire(import.meta.url);

/**
 * resvg, required at the first chart drawn on this thread, not at start-up: loading the addon
 * costs milliseconds that a report without charts (-f json) does not need.
 */
let resvgModule: typeof ResvgModule | null = null;
const resvg = (): typeof ResvgModule => (resvgModule ??= require('@resvg/resvg-js') as typeof ResvgModule);

/**
 * The native binding resvg-js' loader loads on this machine, relative to the bundle's folder (dist/cli/):
 * written in by the build (scripts/build-report.mjs, esbuild's define), undefined when run from src/.
 */
declare const __RESVG_BINDING__: string | undefined;

/** The build's binding as a whole path (the bundle's folder + __RESVG_BINDING__), or undefined. */
const BINDING_FILE = typeof __RESVG_BINDING__ === 'string' ? resolve(dirname(fileURLToPath(import.meta.url)), __RESVG_BINDING__) : undefined;

/** resvg's Resvg class on this thread, through the build's binding when there is one (resvgFrom). */
let resvgClass: typeof ResvgModule.Resvg | null = null;
const Resvg = (): typeof ResvgModule.Resvg => (resvgClass ??= resvgFrom({ resvg: '@resvg/resvg-js', binding: BINDING_FILE }, require, '.').Resvg as typeof ResvgModule.Resvg);

/**
 * resvg's Resvg class. resvg-js' loader (its index.js) tells glibc from musl by asking process.report
 * for a whole diagnostic report: ~8 ms (require('@resvg/resvg-js') 9.4-11.3 ms against 2.3-2.7 ms for
 * the binding, fresh processes), which the worker's first chart waited for. The build records which
 * native binding that loader loads on this machine (`settings.binding`, relative to `dir`): it is
 * required directly and given the options as the package's own Resvg class gives them (as JSON text).
 * If it is gone or fails to load (node_modules moved, another platform), the package. Run by the
 * worker from its source text too (WORKER_BODY), so it uses nothing but its arguments and builtins.
 */
export function resvgFrom(settings: { resvg: string; binding?: string }, load: (id: string) => unknown, dir: string): { Resvg: unknown } {
  if (settings.binding) {
    try {
      const { resolve: whole } = load('node:path') as { resolve: (...paths: string[]) => string };
      const binding = load(whole(dir, settings.binding)) as { Resvg: new (svg: string, options: string) => object };
      return { Resvg: class Resvg extends binding.Resvg { constructor(svg: string, options: unknown) { super(svg, JSON.stringify(options)); } } };
    } catch {
      // the package's loader below
    }
  }
  return load(settings.resvg) as { Resvg: unknown };
}

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
// the functions' text below as compiled: under tsx (the tests), esbuild's keepNames has resvgFrom's class call its
// __name helper, which is not in this file (without it, the binding's require threw and the package was loaded)
const __name = (target, value) => Object.defineProperty(target, 'name', { value, configurable: true });
const { Resvg } = (${resvgFrom.toString()})(settings, require, __dirname);
const zlib = require('node:zlib');
const encodePng = ${encodePng.toString()};
setFlagsFromString('--expose-gc');
// (not named gc: once --expose-gc is set before this worker starts, by collectGarbage or the
// chart worker, its global object has a gc of its own, and a const gc here is a SyntaxError)
const collect = runInNewContext('gc');
const queue = [];
function next() {
  const { id, svg, options, claim } = queue.shift();
  // taken by the main thread meanwhile (stealPngs): skipped, and said so
  if (claim && Atomics.compareExchange(claim, 0, 0, 1) !== 0) {
    parentPort.postMessage({ id, taken: true });
    if (queue.length) setImmediate(next);
    return;
  }
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
});`;

/**
 * The worker's source with its settings written in; `resvg`: where it requires resvg from; `binding`: the
 * native binding resvg's loader loads, relative to the worker file's folder or a whole path (resvgFrom).
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

interface Job {
  svg: string;
  options: ResvgRenderOptions;
  resolve: (png: Buffer) => void;
  reject: (e: Error) => void;
  /** Shared with the worker once sent: 0 until a thread takes the chart, then 1 (the worker) or 2 (this thread, stealPngs). */
  claim?: Int32Array;
}

/**
 * PNGs the worker has made, PNGs made here by drainPngs, and PNGs sent to the worker and made here by stealPngs, for tests;
 * `twice`: PNGs the worker made of a chart this thread had taken (stealPngs' claim not heeded: each chart drawn twice).
 */
export const pngWorkerStats = { made: 0, drained: 0, stolen: 0, twice: 0 };

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
    if (drawJobHere(waiting.shift()!)) pngWorkerStats.drained++;
    await new Promise((r) => setImmediate(r));
  }
}

/** A chart's PNG made on this thread, settling its promise: true when made (the worker's bytes: the same resvg, options and encoder). */
function drawJobHere(job: Job): boolean {
  try {
    job.resolve(png(new (Resvg())(job.svg, job.options).render(), job.options));
    return true;
  } catch (e) {
    job.reject(e instanceof Error ? e : new Error(String(e)));
    return false;
  }
}

/**
 * The charts sent to the worker that it has not started yet, made on this thread now, newest first, one
 * per turn of the event loop: the worker takes them oldest first, so the two threads meet in the middle.
 * One report sends the worker every chart as its SVG is made (usePngWorker()), and this thread, once it
 * has made the SVGs and the text, waited for the worker's last PNGs: a trace of the bundled report, the
 * worker's last PNG 28-77 ms after this thread's text. The last chart not started stays the worker's. A
 * chart is taken by whichever thread first swaps its claim from 0 (Atomics.compareExchange on memory both
 * share), so each is drawn once; the worker answers `taken` for one taken here. The same resvg, options
 * and encoder: the same bytes.
 */
export async function stealPngs(): Promise<void> {
  for (;;) {
    const w = worker;
    // The last chart not started is left to the worker: it takes it as soon as its current one is done,
    // and this thread drew its first one slower (11-21 ms, resvg and the encoder running cold here).
    const open = w ? [...w.jobs].filter(([, j]) => j.claim !== undefined && Atomics.load(j.claim, 0) === 0) : [];
    const newest = open.length > 1 ? open.reverse().find(([, j]) => Atomics.compareExchange(j.claim!, 0, 0, 2) === 0) : undefined;
    if (!w || !newest) return;
    const [id, job] = newest;
    w.jobs.delete(id);
    if (w.jobs.size === 0) w.worker.unref();
    if (drawJobHere(job)) pngWorkerStats.stolen++;
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
    job.claim = new Int32Array(new SharedArrayBuffer(4));
    w.jobs.set(id, job);
    if (w.jobs.size === 1) w.worker.ref();
    w.worker.postMessage({ id, svg: job.svg, options: job.options, claim: job.claim });
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
  // (a worker started here, for stdin, a log group or a large file, is given the binding's whole path)
  const thread = takePrestarted() ?? new Worker(workerSource(require.resolve('@resvg/resvg-js'), BINDING_FILE), { eval: true, resourceLimits: WORKER_LIMITS });
  const w: PngWorker = { worker: thread, jobs: new Map() };
  thread.on('message', (m: { id: number; png?: Uint8Array; error?: string }) => {
    const job = w.jobs.get(m.id);
    if (!job) {
      if (m.png) pngWorkerStats.twice++;
      return;
    }
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
