// --follow: the report of a run while it trains. The same stages as a one-shot report, fed
// as the file grows:
//
//   followFileRecords (tail -F) ──▶ collector.add ──(a new epoch or run end)──▶ snapshot ──▶ the followed run
//        ──▶ stderr: one line per new epoch (a table redrawn in place on a terminal: follow-table.ts)
//        ──▶ debounced: analyze ──▶ render ──▶ write (the folder swapped in whole, as always)
//   the run ends (run_end; a text log's last planned epoch) ──▶ the last report, with the gates ──▶ the usual exit code
//   SIGINT/SIGTERM ──▶ the report of what was read ──▶ exit 130/143 (a second signal: stop at once)
//
// The followed run is the one --run names, or (latest) the latest run that had not already
// ended when the follower caught up with the file: a file whose run is over is followed
// until the next run in it ends. A file that did not exist or was empty when following began
// has no such runs (the trainer may write a whole short run before the follower's first look).

import { stat } from 'node:fs/promises';
import type { Argv } from 'yargs';
import { analyzeRun } from '../analyze/analyze.js';
import { EXIT, UserError } from '../errors.js';
import { abandonTemporaries } from '../render/write.js';
import { shownId } from '../render/escape.js';
import type { RunCollector } from '../runs/collect.js';
import { followFileRecords } from '../sources/follow.js';
import { createEpochTable } from './follow-table.js';
import type { ParsedLog, Run } from '../types.js';
import type { ReportArgs } from './report-args.js';

/** Epochs that arrive together (catching up with a file) are rendered once. */
const DEBOUNCE_MS = 500;

export function withFollowFlag<T>(y: Argv<T>) {
  return y.option('follow', { type: 'boolean',
    describe: 'Follow a log file as it is written (as tail -F: truncation and rotation included): re-write the report at each new epoch, ' +
      'print each epoch on stderr, and end at the run\'s end with the gates applied; Ctrl-C writes the report of what was read and exits 130' });
}

export function wantsFollow(args: ReportArgs): boolean {
  return args.raw.follow === true;
}

/** The one file --follow reads; anything else is a usage error. */
export function followedFile(args: ReportArgs): string {
  if (args.raw['log-group'] !== undefined) throw new UserError('--follow reads a file (--input FILE); following a log group is not supported yet');
  if (args.input.length !== 1 || args.input[0] === '-') throw new UserError('--follow takes exactly one --input FILE (not stdin)');
  if (args.run === 'all') throw new UserError('--follow reports one run: give --run latest or a run id, not all');
  return args.input[0]!;
}

export interface FollowDeps {
  args: ReportArgs;
  collector: RunCollector;
  say: (line: string) => void;
  /** analyze → render → write one run's report; `quiet` leaves stderr to the epoch table. */
  report: (run: Run, parsed: ParsedLog, quiet: boolean) => Promise<{ exitCode: number }>;
}

const ENDED = new Set(['completed', 'stopped early', 'failed', 'interrupted']);

export async function followReport(path: string, deps: FollowDeps): Promise<number> {
  const { args, collector, say } = deps;
  const stop = new AbortController();
  let signalled: number | null = null;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    // replaces the one-shot handlers (exit at once): here the first signal ends the follow with a report
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (signalled !== null) {
        abandonTemporaries();
        process.exit(code);
      }
      signalled = code;
      say(`${signal}: writing the report of what was read (again to stop at once)`);
      stop.abort();
    });
  }
  const outcome = (run: Run, parsed: ParsedLog) => analyzeRun(run, parsed.quality, { generatedAt: args.generatedAt }).run.outcome;
  let endedAtStart: Set<string> | null = null;
  let parsed: ParsedLog = collector.snapshot();
  const pick = (): Run | null => {
    const runs = parsed.runs;
    if (args.run !== 'latest') return runs.find((r) => r.run_id === args.run) ?? null;
    const open = endedAtStart === null ? runs : runs.filter((r) => !endedAtStart!.has(r.run_id));
    return open.at(-1) ?? null;
  };
  const printed = new Set<string>();
  const table = createEpochTable(process.stderr, say);
  let rendering: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  const render = (): void => {
    timer = null;
    const run = pick();
    if (run) rendering = rendering.then(() => deps.report(run, parsed, true));
  };
  let followed: Run | null = null;
  say(`following ${path} (Ctrl-C writes the report of what was read)`);
  // Only a file that already held lines when following began can hold runs that were over before it:
  // a file that appears (or was empty) is all new, even if a whole run lands in it before the first look.
  const hadLines = await stat(path).then((s) => s.size > 0, () => false);
  const caughtUp = (): void => {
    if (endedAtStart !== null) return;
    // the runs that were over before we caught up: --run latest waits for the next one
    parsed = collector.snapshot();
    endedAtStart = new Set(args.run === 'latest' && hadLines ? parsed.runs.filter((r) => ENDED.has(outcome(r, parsed))).map((r) => r.run_id) : []);
    const run = pick();
    // the followed run may have ended in what was just read (a whole short run at once)
    if (run && ENDED.has(outcome(run, parsed))) stop.abort();
    else if (!run) say(args.run === 'latest' ? 'waiting for a run to start' : `waiting for run ${shownId(args.run)}`);
  };
  for await (const records of followFileRecords(path, { signal: stop.signal, notice: say, caughtUp })) {
    const epochs = collector.epochsAdded;
    const ends = collector.endsAdded;
    collector.add(records);
    if (collector.epochsAdded === epochs && collector.endsAdded === ends) continue;
    parsed = collector.snapshot();
    const run = pick();
    if (!run) continue;
    followed = run;
    for (const e of run.epochs) {
      const key = `${run.run_id}\n${e.epoch}`;
      if (printed.has(key)) continue;
      printed.add(key);
      table.epoch(run, e);
    }
    const planned = run.start?.config?.epochs ?? run.epochs.at(-1)?.epochs ?? null;
    const next = (run.epochs.at(-1)?.epoch ?? 0) + 1;
    table.status(planned !== null && next > planned ? 'waiting for the run to end' : `waiting for epoch ${next}${planned !== null ? `/${planned}` : ''} (Ctrl-C writes the report of what was read)`);
    timer ??= setTimeout(render, DEBOUNCE_MS);
    if (endedAtStart !== null && ENDED.has(outcome(run, parsed))) break;
  }
  if (timer) clearTimeout(timer);
  table.close();
  await rendering;
  parsed = collector.snapshot();
  const run = pick() ?? followed;
  if (!run) {
    say(`no run was read from ${path}`);
    return signalled ?? EXIT.usage;
  }
  const r = await deps.report(run, parsed, false);
  return signalled ?? r.exitCode;
}
