// Which folder of --out a run's report goes to: <out>/<slug>, unless that folder holds the report
// of another run (two train.log files of different folders, reported by two invocations, are both
// run "train"). What a folder holds is what its report.json records: run.run_id and run.streams.
//
//   <slug>, <slug>-2, <slug>-3, …  the first that is absent, holds no report.json of ours (written with
//                                  -f md, or not a report: replaced as it always was), or holds the
//                                  report of the same run, which is replaced; the folders of other runs
//                                  passed on the way are left as they are, and the first is named
//
// The same run is the same run id read from a stream of the report there (the same file, however it
// grew or was rewritten; a log group's stream), or an id of the trainer's generated shape, which
// names one run wherever it is read from (its stdout file, then the log group).

import { lstat, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isGeneratedRunId } from '../run-id.js';
import { ANALYSIS_SCHEMA } from '../analyze/types.js';
import { UserError } from '../errors.js';

/** What a report says of its run: report.json's run.run_id and run.streams. */
export interface ReportedRun {
  run_id: string;
  streams: readonly string[];
}

export interface RunPlace {
  folder: string;
  /** The first folder passed over, and the other run whose report it holds; null when the run has its own name. */
  passed: { folder: string; run: ReportedRun } | null;
}

/** Folders tried before giving up: <slug> to <slug>-1000. */
const MAX_TRIED = 1000;
/** A report.json larger than this is not read (a run of 1,000,000 epochs writes ~300 MB; ours are KBs to a few MB). */
const MAX_REPORT_JSON = 64 * 1024 * 1024;

/**
 * The folder for `run` under `root`, starting at `slug`. `claimed`: the folders this process has
 * written or is writing, and whose run (two reports in flight under --run all must not pick the same
 * free name); updated here.
 */
export async function placeRun(root: string, slug: string, run: ReportedRun, claimed: Map<string, ReportedRun>): Promise<RunPlace> {
  let passed: RunPlace['passed'] = null;
  for (let n = 1; n <= MAX_TRIED; n++) {
    const folder = n === 1 ? slug : `${slug}-${n}`;
    const there = claimed.get(folder) ?? await reportedRun(join(root, folder));
    if (there === null || sameRun(there, run)) {
      claimed.set(folder, run);
      return { folder, passed };
    }
    passed ??= { folder, run: there };
  }
  throw new UserError(`${slug}: ${MAX_TRIED} folders of that name hold reports of other runs (remove old reports, or choose another --out)`);
}

export function sameRun(a: ReportedRun, b: ReportedRun): boolean {
  if (a.run_id !== b.run_id) return false;
  // a file's stream is its path as given: train.log, ./train.log and its absolute path from this folder are one file
  const theirs = new Set(b.streams.map((s) => resolve(s)));
  return isGeneratedRunId(a.run_id) || a.streams.some((s) => theirs.has(resolve(s)));
}

/** The run a folder's report.json is of; null when there is no such folder, or no report.json of ours in it. */
async function reportedRun(folder: string): Promise<ReportedRun | null> {
  const file = join(folder, 'report.json');
  const st = await lstat(file).catch(() => null);
  if (!st?.isFile() || st.size > MAX_REPORT_JSON) return null;
  try {
    const json = JSON.parse(await readFile(file, 'utf8')) as { schema?: unknown; run?: { run_id?: unknown; streams?: unknown } };
    const { run_id: id, streams } = json.run ?? {};
    if (json.schema !== ANALYSIS_SCHEMA || typeof id !== 'string' || !Array.isArray(streams)) return null;
    return { run_id: id, streams: streams.filter((s): s is string => typeof s === 'string') };
  } catch {
    return null;
  }
}
