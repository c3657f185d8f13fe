// --list: one line per run (or --format json: one JSON array) on stdout, without rendering a
// report. The fields come from the same analysis a report would print (outcome, epochs, the
// final validation accuracy), so a listing and a report never disagree.

import type { Argv } from 'yargs';
import { analyzeRun } from '../analyze/analyze.js';
import { visibleControls } from '../render/escape.js';
import type { ParsedLog, Run } from '../types.js';
import { LIST_FLAG } from '../wording/help.js';

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

export function listRuns(runs: Run[], parsed: ParsedLog, generatedAt: string): ListedRun[] {
  return runs.map((run) => {
    const a = analyzeRun(run, parsed.quality, { generatedAt });
    return {
      run_id: run.run_id, start: run.first_time, end: run.last_time, streams: run.streams,
      outcome: a.run.outcome, epochs: a.run.epochs_seen, final_val_accuracy: a.final?.val_accuracy ?? null,
    };
  });
}

/** The listing as stdout prints it: tab-separated lines, or a JSON array for --format json. */
export function formatListing(rows: ListedRun[], json: boolean): string {
  if (json) return `${JSON.stringify(rows, null, 2)}\n`;
  return rows.map((r) => [
    visibleControls(r.run_id), r.start ?? '-', r.end ?? '-', r.streams.map(visibleControls).join(',') || '-', r.outcome,
    String(r.epochs), r.final_val_accuracy === null ? '-' : r.final_val_accuracy.toFixed(4),
  ].join('\t')).join('\n') + (rows.length ? '\n' : '');
}
