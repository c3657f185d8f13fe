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

import { setFlagsFromString } from 'node:v8';
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
  if (!fullGc) {
    setFlagsFromString('--expose-gc');
    fullGc = runInNewContext('gc') as () => void;
  }
  fullGc();
}
