// mnist-report's sources: which one the flags ask for (local files and stdin, or a CloudWatch log
// group), and whether the local input is small enough to start the PNG worker before the reading.
// To add a source: one branch in selectSource.

import { statSync } from 'node:fs';
import { UserError } from '../errors.js';
import { readInputs } from '../sources/inputs.js';
import { readCloudWatchRecords, type CloudWatchSourceOptions } from '../sources/cloudwatch.js';
import { cloudWatchOptionsFromArgs } from '../sources/cloudwatch-flags.js';
import type { LogRecord } from '../types.js';
import * as words from '../wording/cli.js';
import { collectGarbage, collectGarbageIfGrown } from './heap.js';
import type { ReportArgs } from './report-args.js';

/** A source of log records (one at a time, or in arrays) plus how to name it in the report. */
export interface Source {
  records: AsyncIterable<LogRecord | LogRecord[]>;
  labels: string[];
  /** Local inputs, which --run all reads twice (report-all.ts). */
  files?: string[];
  /** A log group's options (a --baseline run is read with them: readBaselineRun). */
  cloud?: CloudWatchSourceOptions;
}

/** Which source the flags ask for. A new source (e.g. CloudWatch) is one more branch here. */
export function selectSource(args: ReportArgs, run: string, rendered: string, say: (line: string) => void): Source {
  // --log-group: records come a page at a time; a fetch that fails half-way throws out of the read loop.
  // `rendered`: the runs whose full reports are drawn ('none' for --list): an Insights read reads only those whole.
  const cloud = cloudWatchOptionsFromArgs(args.raw, run, say, rendered);
  if (cloud) {
    const records = readCloudWatchRecords({ ...cloud, afterAnswer: collectGarbageIfGrown });
    return { records: collectingEvery(GC_EVERY_PAGES, records), labels: [`cloudwatch:${cloud.logGroup}`], cloud };
  }
  if (args.input.length) {
    const records = readInputs(args.input);
    // a person at a terminal sees a long read go on; a pipe or a CI log gets the counts at the end only
    const shown = process.stderr.isTTY === true ? withReadProgress(records, say, inputBytes(args.input)) : records;
    return { records: shown, labels: args.input.map(words.inputLabel), files: args.input };
  }
  throw new UserError(words.NO_INPUT);
}

/** Regular files that together hold at most SMALL_INPUT bytes (stdin, '-', or a pipe is never small: its size is not known). */
export function smallFiles(files: readonly string[]): boolean {
  const bytes = inputBytes(files);
  return bytes !== null && bytes <= SMALL_INPUT;
}

/** The inputs' size in bytes when every one is a regular file, else null (stdin, a pipe: not known before it is read). */
function inputBytes(files: readonly string[]): number | null {
  let bytes = 0;
  for (const f of files) {
    if (f === '-') return null;
    try {
      const st = statSync(f);
      // a pipe or a device given as a path (/dev/stdin, <(…)) says 0 bytes whatever it holds
      if (!st.isFile()) return null;
      bytes += st.size;
    } catch {
      return null; // the reading says what is wrong with it
    }
  }
  return bytes;
}

/** How often a long read says how far it is (PROGRESS_EVERY_MS after the last line, the first after as long). */
export const PROGRESS_EVERY_MS = 2_000;

/**
 * The records as they come, with a line every PROGRESS_EVERY_MS saying how many lines have been read, and about how
 * many megabytes (their characters) of the inputs' size when it is known and not passed (a gzip's text outgrows its
 * file: then the size is left out). `now`: the clock, for tests.
 */
export async function* withReadProgress(records: AsyncIterable<LogRecord | LogRecord[]>, say: (line: string) => void,
  total: number | null, now: () => number = () => performance.now()): AsyncGenerator<LogRecord | LogRecord[]> {
  let lines = 0;
  let chars = 0;
  let next = now() + PROGRESS_EVERY_MS;
  for await (const item of records) {
    for (const r of Array.isArray(item) ? item : [item]) {
      lines += 1 + (r.blankLines ?? 0);
      chars += r.message.length + 1;
    }
    const t = now();
    if (t >= next) {
      say(words.readSoFar(lines, chars, total));
      next = t + PROGRESS_EVERY_MS;
    }
    yield item;
  }
}

/** 8 MB: ~45,000 lines of mnist-train events (1,000,000 lines are 177 MB, read in ~2 s). */
const SMALL_INPUT = 8 * 1024 * 1024;

/** A CloudWatch page is up to 10,000 events and 1 MB of JSON, all garbage once parsed: a full collection after each page keeps the fetch's peak flat (a 200,000-event stream: 229 MB with none, 156 MB every 4 pages). */
const GC_EVERY_PAGES = 1;

async function* collectingEvery<T>(n: number, items: AsyncIterable<T>): AsyncGenerator<T> {
  let i = 0;
  for await (const item of items) {
    yield item;
    if (++i % n === 0) collectGarbage();
  }
}
