// Keeps V8's young generation at its starting size for the whole report.
//
// Reading a log allocates a few hundred bytes per line, nearly all of it dead by
// the next scavenge; but the block of text being parsed survives each scavenge,
// and V8 doubles the young generation's semi-spaces every time survivors add up to
// their size, up to 16 MB each. So peak RSS grew with the length of the log
// (-f json, parse and analyse only: 88 MB at 100k lines, 103 MB at 1M, 108 MB at
// 10M) until the semi-spaces reached their maximum. With the growth factor at 1 it
// stays flat (76, 78, 84 MB) and the 1M-line report peaks at ~120 MB instead of
// ~150 MB, for ~10% more parse time (more, smaller scavenges). --max-semi-space-size
// would do the same, but V8 reads it only at start-up and a bin cannot pass node
// flags; semi_space_growth_factor is read at each growth, so setting it at run
// time takes effect.

import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export function fixYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

let fullGc: (() => void) | null = null;

/**
 * A full collection, for long loops that leave only garbage behind each step (--run all:
 * each report's charts, templates and analysis; a CloudWatch fetch: each page of events).
 * Without it V8 grows the old generation rather than collect it, and peak RSS grew with the
 * number of runs rendered: 265 MB for 50 runs, 444 MB for 200, though a 48 MB old space was
 * enough for 50 (147 MB). A bin cannot pass --expose-gc, so it is set at run time and the
 * function taken from a fresh context, which sees the flag.
 */
export function collectGarbage(): void {
  fullGc ??= takeGc();
  fullGc();
  // what is alive now is the measure collectGarbageIfGrown grows from: a CloudWatch --run all
  // collects after each page fetched, and its first report then collects at 12 MB over what the
  // fetch left, not at 12 MB over a first measure taken with two reports' garbage in the heap
  // (200 runs: the heap reached 96 MB before the first collection, then 58 MB afterwards)
  const live = getHeapStatistics().used_heap_size;
  limit = live + Math.max(MIN_GROWTH, live / 4);
}

/**
 * V8's gc function, with --expose-gc put back as it was. The flag belongs to the whole process:
 * left on, every context and worker made afterwards has a global gc, and the PNG worker, whose
 * script declares a gc of its own, died at start with a SyntaxError when a CloudWatch fetch had
 * collected before the first chart, so every PNG of a --log-group --run all was drawn on the
 * main thread and the second core stayed idle (200 runs: 21 s of the main thread's CPU in PNGs).
 */
function takeGc(): () => void {
  if (runInNewContext('typeof gc') === 'function') return runInNewContext('gc') as () => void;
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  setFlagsFromString('--no-expose-gc');
  return gc;
}

/** Growth of the heap, over what the last full collection left, that makes collectGarbageIfGrown collect. */
// 12 MB, not 24: with reports drawn back to back (in-order.ts, two PNG workers) 200 runs peaked
// at 212 MB with 24 and 194 MB with 12, for the same CPU time (6 MB: +25% CPU). Above 48 MB
// alive the quarter rules, so the 10,000-run case is unchanged.
const MIN_GROWTH = 12 * 1024 * 1024;
let limit = 0;

/**
 * A full collection (collectGarbage) once the heap has grown by a quarter of what the last
 * one left alive, and by 12 MB at least. Called after each step of a long loop. A fixed
 * cadence (every 5 reports) made --run all quadratic: each full collection walks the whole
 * heap, which holds every run read, so 3,000 runs with -f json spent two thirds of 82 s of
 * CPU in the collector (1,000 runs: 16 s). Tied to growth, the collections' cost stays in
 * proportion to the garbage made, and the peak stays within a quarter (or 12 MB) of what is
 * alive.
 */
export function collectGarbageIfGrown(): void {
  const used = getHeapStatistics().used_heap_size;
  // the first call only takes the measure: one report never pays for a full collection
  if (limit === 0) limit = used + Math.max(MIN_GROWTH, used / 4);
  if (used < limit) return;
  collectGarbage();
}

/** What optimiseLess sets V8's interrupt budget to (V8 11's default: 67,584). */
const INTERRUPT_BUDGET = 1_000_000;

/**
 * Fewer functions optimised by TurboFan while charts are drawn. vega's dataflow code is
 * optimised with each chart's objects built in, and each full collection that frees a chart's
 * objects throws that code away ("weak objects": 402 deoptimisations in a --run all of 50 runs,
 * ~12 for each of vega's core functions), so it was compiled again and again: 1,098 TurboFan
 * compilations, ~2.8 s of CPU on V8's helper threads for 50 runs, a quarter of the process's
 * CPU. A function is optimised once it has used up its interrupt budget a few times; at
 * 1,000,000 instead of 67,584, 50 runs took 9.1 s of CPU instead of 10.5 (helpers 0.9 s, the
 * main thread unchanged), and one report of the bundled fixture ~0.15 s less. Like
 * fixYoungGeneration, a flag that a bin cannot pass, set at run time.
 */
export function optimiseLess(): void {
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
}

/**
 * Scavenges done by the thread whose heap it is, without V8's helper threads, while charts are
 * drawn. Then this thread (vega's SVGs) and the PNG worker each keep one of two cores busy, and a
 * young-generation collection of either also woke V8's four helper threads, which could only take
 * time from the other: per-thread CPU of one report of the bundled run (/proc/self/task at exit),
 * the helpers 48-70 ms with parallel scavenges, 21-30 ms without. 31 alternating runs (medians, load
 * ~1.8): wall 265 against 276 ms and the process' CPU 381 against 397 (the main thread's 209 against
 * 200); without the run's evaluation (4 charts) 231 against 240 ms. Set when one report's worker is made
 * (report.ts), not before, and not for --run all: reading a large log has this thread alone busy, and its
 * scavenges have the helpers to themselves (under --run all, reading and fetching go on between reports). Like
 * optimiseLess, a flag that a bin cannot pass, set at run time; V8 reads it at each scavenge.
 */
export function scavengeAlone(): void {
  setFlagsFromString('--no-parallel-scavenge');
}
