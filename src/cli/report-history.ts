// --history N: the History section (the run against the previous N runs of the same model)
// and the gate below_history. The comparison is pure (src/analyze/history.ts); this step
// analyses the earlier runs it needs, once each across --run all.
//
//   --history N ──▶ parsed.runs before this one, same model (and stream prefix), completed, last N
//               ──analyzeRun (cached)──compareHistory──▶ analysis.history (read by the gate below_history,
//                 the verdict rule below-history and Next Steps, so both are decided again)

import type { Argv } from 'yargs';
import { analyzeRun, withComparison } from '../analyze/analyze.js';
import { compareHistory, DEFAULT_HISTORY_RUNS, earlierRun, type EarlierRun } from '../analyze/history.js';
import type { Analysis } from '../analyze/types.js';
import { UserError } from '../errors.js';
import type { Summaries } from '../runs/collect.js';
import type { Run } from '../types.js';
import type { ReportArgs } from './report-args.js';
import { historyFlag } from '../wording/help.js';
import * as usage from '../wording/usage.js';
import type { StepContext } from './report-gates.js';

/** More than this many runs make a chart nobody can read and an input nobody pages through. */
const MAX_HISTORY_RUNS = 10_000;

export function withHistoryFlag<T>(y: Argv<T>) {
  return y.option('history', {
    type: 'string', requiresArg: false,
    describe: historyFlag(),
    coerce: (v: unknown): number => historyCount(v),
  });
}

/** --history alone is the default count; otherwise a whole number from 1 to MAX_HISTORY_RUNS. */
function historyCount(v: unknown): number {
  const text = String(v);
  if (text === '' || text === 'true') return DEFAULT_HISTORY_RUNS;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_HISTORY_RUNS) {
    throw new UserError(usage.historyBad(text, MAX_HISTORY_RUNS, DEFAULT_HISTORY_RUNS));
  }
  return n;
}

/** Whether the flags ask for a history (the source must then read every run, not one). */
export function wantsHistory(args: ReportArgs): boolean {
  return typeof args.raw.history === 'number';
}

/**
 * The runs a history reads as summaries (src/runs/collect.ts): all but the reported run (the
 * newest for --run latest, which the collector knows only as runs come) and a --baseline run.
 * --run all reports every run whole.
 */
export function historySummaries(args: ReportArgs, which: string, baselineRun: string | null): Summaries | undefined {
  if (!wantsHistory(args) || which === 'all') return undefined;
  return { whole: (id) => id === which || id === baselineRun, newest: which === 'latest' };
}

// Earlier runs' analyses, by run: with --run all each run's history overlaps the next one's.
const earlierCache = new WeakMap<Run, EarlierRun>();

/** --history → analysis.history. */
export function historyStep(analysis: Analysis, args: ReportArgs, ctx: StepContext) {
  const n = args.raw.history;
  if (typeof n !== 'number') return {};
  const earlierOf = (run: Run): EarlierRun => {
    let e = earlierCache.get(run);
    if (!e) {
      e = earlierRun(analyzeRun(run, ctx.parsed.quality, { generatedAt: analysis.generated_at, sources: ctx.labels, noRun: ctx.parsed.no_run }));
      earlierCache.set(run, e);
    }
    return e;
  };
  const history = compareHistory(analysis, ctx.parsed.runs, n, ctx.labels, earlierOf);
  // below the band changes the verdict (rule below-history) and adds a next step
  return { analysis: withComparison({ ...analysis, history }), messages: [history.summary] };
}
