// --list: one line per run (or --format json: one JSON array) on stdout, without rendering a
// report. The fields come from the functions a report's analysis uses (runOutcome, epochRows,
// finalAndBest), so a listing and a report never disagree; the runs are read as summaries
// (CollectOptions.summaries), which hold all those functions read.

import type { Argv } from 'yargs';
import { UserError } from '../errors.js';
import type { ReportArgs } from './report-args.js';
import { listFormatBad, notWithList } from '../wording/usage.js';
import { runOutcome } from '../analyze/analyze.js';
import { epochRows, finalAndBest } from '../analyze/metrics.js';
import { fmtPct } from '../analyze/format.js';
import { visibleControls } from '../render/escape.js';
import type { Summaries } from '../runs/collect.js';
import type { Run } from '../types.js';
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

/**
 * The flags of a report that a listing has no use for: it writes no report (--title,
 * --out but "-"), applies no gate (--fail-on, --gates, --verdict-gate either way) and compares with
 * nothing (--baseline, --history). Each was ignored, --fail-on's gate too (exit 0): a usage error
 * instead, naming the first. (--follow's own refusal is report-follow's: FOLLOW_NEEDS_FOLDER.)
 */
const NOT_WITH_LIST = ['fail-on', 'gates', 'verdict-gate', 'baseline', 'history', 'title', 'out'] as const;

export function checkListFlags(args: Pick<ReportArgs, 'given' | 'raw' | 'out' | 'format'>): void {
  for (const flag of NOT_WITH_LIST) {
    if (!args.given.has(flag) || (flag === 'out' && args.out === '-')) continue;
    throw new UserError(notWithList(flag === 'verdict-gate' && args.raw[flag] === false ? '--no-verdict-gate' : `--${flag}`));
  }
  // it prints TSV, or with --format json a JSON array: -f md printed TSV in silence
  if (args.given.has('format') && !listsJson(args.format)) throw new UserError(listFormatBad(args.format));
}

/** --list --format json: the listing is a JSON array. */
export const listsJson = (format: readonly string[]): boolean => format.length === 1 && format[0] === 'json';

/** --list reads every run as a summary (src/runs/collect.ts). */
export const LIST_SUMMARIES: Summaries = { whole: () => false, newest: false };

/** What --list needs the source to read: every run, unless --run names one. */
export function listSourceRun(run: string): string {
  return run === 'latest' ? 'all' : run;
}

/**
 * The listing, in the order of `runs`. Not a whole analysis per run: at 10,000 runs those were
 * ~3 s of CPU, and their garbage made the end of the listing the peak (V8's heap 98 MB, not 80).
 */
export function listRuns(runs: readonly Run[]): ListedRun[] {
  return runs.map((run) => {
    const rows = epochRows(run.epochs);
    return {
      run_id: run.run_id, start: run.first_time, end: run.last_time, streams: run.streams,
      outcome: runOutcome(run, rows), epochs: rows.length, final_val_accuracy: finalAndBest(rows).final?.val_accuracy ?? null,
    };
  });
}

/** The tab-separated listing's column names, as --format json names the fields. */
export const LIST_COLUMNS: readonly (keyof ListedRun)[] = ['run_id', 'start', 'end', 'streams', 'outcome', 'epochs', 'final_val_accuracy'];

/**
 * The listing as stdout prints it: tab-separated lines (the accuracy as a percentage, as the report prints it), or a
 * JSON array for --format json (a fraction). `header`: a first line naming the columns, for a person at a terminal;
 * a script reading a pipe gets the runs' lines alone, as before.
 */
export function formatListing(rows: ListedRun[], json: boolean, header = false): string {
  if (json) return `${JSON.stringify(rows, null, 2)}\n`;
  return (header ? `${LIST_COLUMNS.join('\t')}\n` : '') + rows.map((r) => [
    visibleControls(r.run_id), r.start ?? '-', r.end ?? '-', r.streams.map(visibleControls).join(',') || '-', r.outcome,
    String(r.epochs), r.final_val_accuracy === null ? '-' : fmtPct(r.final_val_accuracy),
  ].join('\t')).join('\n') + (rows.length ? '\n' : '');
}
