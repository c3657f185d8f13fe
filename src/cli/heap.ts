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

export function fixYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
