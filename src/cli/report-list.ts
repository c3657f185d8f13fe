// --list: one line per run (or --format json: one JSON array) on stdout, without rendering a
// report. The fields come from the same analysis a report would print (outcome, epochs, the
// final validation accuracy), so a listing and a report never disagree.

import type { Argv } from 'yargs';
import { analyzeRun } from '../analyze/analyze.js';
import { visibleControls } from '../render/escape.js';
import type { ParsedLog, Run } from '../types.js';
import { LIST_FLAG } from '../wording/help.js';
import { collectGarbageIfGrown } from './heap.js';

export interface ListedRun {
  run_id: string;
  start: string | null;
  end: string | null;
  streams: string[];
  outcome: string;
  epochs: number;
  final_val_accuracy: number | null;
}

export function withListFlag<T>(y: Argv<T>) {
  return y.option('list', { type: 'boolean',
    describe: LIST_FLAG });
}

/** What --list needs the source to read: every run, unless --run names one. */
export function listSourceRun(run: string): string {
  return run === 'latest' ? 'all' : run;
}

/**
 * The listing, in the order of `runs`, which it empties: each run is let go once listed, and each
 * analysis is garbage but for three fields (10,000 runs of a log group held to the end, and their
 * analyses left to V8's own pace, took the listing's heap from ~70 to ~125 MB).
 */
export function listRuns(runs: Run[], parsed: ParsedLog, generatedAt: string): ListedRun[] {
  const listed: ListedRun[] = [];
  for (let run = runs.pop(); run !== undefined; run = runs.pop()) {
    const a = analyzeRun(run, parsed.quality, { generatedAt });
    listed.push({
      run_id: run.run_id, start: run.first_time, end: run.last_time, streams: run.streams,
      outcome: a.run.outcome, epochs: a.run.epochs_seen, final_val_accuracy: a.final?.val_accuracy ?? null,
    });
    collectGarbageIfGrown();
  }
  return listed.reverse();
}

/** The listing as stdout prints it: tab-separated lines, or a JSON array for --format json. */
export function formatListing(rows: ListedRun[], json: boolean): string {
  if (json) return `${JSON.stringify(rows, null, 2)}\n`;
  return rows.map((r) => [
    visibleControls(r.run_id), r.start ?? '-', r.end ?? '-', r.streams.map(visibleControls).join(',') || '-', r.outcome,
    String(r.epochs), r.final_val_accuracy === null ? '-' : r.final_val_accuracy.toFixed(4),
  ].join('\t')).join('\n') + (rows.length ? '\n' : '');
}
