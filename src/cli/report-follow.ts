// --follow: the report of a run while it trains. The same stages as a one-shot report, fed
// as the file grows or as the log group's polls bring events:
//
//   followFileRecords (tail -F) | followCloudWatchRecords (FilterLogEvents polled, as aws logs tail --follow)
//        ──▶ collector.add ──(a new epoch or run end)──▶ snapshot ──▶ the followed run
//        ──▶ stderr: one line per new epoch (a table redrawn in place on a terminal: follow-table.ts)
//        ──▶ debounced: analyze ──▶ render ──▶ write (the folder swapped in whole, as always)
//   the run ends (run_end; a text log's last planned epoch, then QUIET_MS with nothing new) ──▶ the last report, with the gates ──▶ the usual exit code
//   SIGINT/SIGTERM ──▶ the report of what was read, saying the follow stopped then ──▶ exit 130/143 (a second signal: stop at once)
//   reading fails (CloudWatch unreachable) ──▶ the one-line failure, the report of what was read saying that
//        reading failed then (epochs after its last may exist, not "the run stopped"), a line saying where it is ──▶ exit 1
//   the file truncated or replaced ──▶ a new collector: what is read again is new (named, counted and
//        followed as in a file that appeared), and its run's report replaces a folder of the same name; the run
//        followed until then is written as read and said to be gone from the file (its report stays, not final)
//
// The followed run is the one --run names (waited for while the input holds no event of it, a run given its id
// before it starts; an id that cannot still start, mnist-train's own of a run begun over FIRST_EVENT_WITHIN_MS
// ago, in an input that holds runs, is bad input: run-id.ts, asked at each look while none is read), or (latest) the latest run that had not already
// ended when the follower caught up with the file. Nothing is shown while catching up: then a
// file whose latest run is over gets that run's report, as a one-shot read writes it, with one
// line on stderr (no epochs replayed as if they were arriving), and the next run in it is
// followed to its end. A file that did not exist or was empty when following began
// has no such runs (the trainer may write a whole short run before the follower's first look).
// A log group's source picks the run itself (cloudwatch-follow.ts: the latest run if it has not
// ended, else the next one to start) and hands over only its events, so it holds no such runs
// either, except a followed --log-stream, which is read like a file.

import { runOutcome } from '../analyze/analyze.js';
import { startedLongAgo } from '../run-id.js';
import { describeFailure, EXIT, UserError } from '../errors.js';
import { abandonTemporaries } from '../render/write.js';
import { safeRunId, shownId } from '../render/escape.js';
import type { RunCollector } from '../runs/collect.js';
import { createEpochTable } from './follow-table.js';
import type { ParsedLog, Run } from '../types.js';
import type { Analysis, FollowStop } from '../analyze/types.js';
import type { ReportArgs } from './report-args.js';
import type { FollowSource } from './report-follow-source.js';
import * as fw from '../wording/follow.js';

/** Epochs that arrive together (catching up with a file) are rendered once. */
const DEBOUNCE_MS = 500;
/**
 * A text run prints no end: after its last planned epoch (or a scikit-learn evaluation) the input is read
 * until it has brought nothing new for this long (and one poll at least), so that an evaluation printed after
 * the epochs, which a one-shot read counts in the run, is in the final report: Keras's evaluate or
 * scikit-learn's predict over 10,000 test images take a second or two, and awslogs ships every 5 s.
 */
const QUIET_MS = 5_000;

export interface FollowDeps {
  args: ReportArgs;
  /** The runs stage, made anew when the file is read again from its start. */
  newCollector: () => RunCollector;
  say: (line: string) => void;
  /**
   * analyze → render → write one run's report; `quiet` leaves stderr to the epoch table; `stopped`: the
   * follow stopped before the run's end (a signal, a failed read), which the report says.
   */
  report: (run: Run, parsed: ParsedLog, quiet: boolean, stopped?: FollowStop) => Promise<{ analysis: Analysis; folder: string; exitCode: number }>;
}

const ENDED = new Set(['completed', 'stopped early', 'failed', 'interrupted']);

/**
 * Whether the run is over as read: its end, or a text log's last planned epoch (runOutcome); or trainer
 * text that holds an evaluation and no epochs (scikit-learn's printed evaluation). An mnist-train run
 * without epochs is not over before its run_end.
 */
function isOver(run: Run): boolean {
  const outcome = runOutcome(run);
  return ENDED.has(outcome) || (outcome === 'evaluation only' && run.format !== 'events');
}

/**
 * Not among the runs over before following began; or one that was over as an evaluation with no epochs
 * (scikit-learn's; true in `endedAtStart`) and has epochs now: a fit printed after it in the same log is the
 * same run, as a one-shot read of the log has it.
 */
function stillOpen(run: Run, endedAtStart: Map<string, boolean>): boolean {
  const withoutEpochs = endedAtStart.get(run.run_id);
  return withoutEpochs === undefined || (withoutEpochs && run.epochs.length > 0);
}

/** The run's planned epochs, as its run_start or its last epoch line gives them. */
function plannedOf(run: Run): number | null {
  return run.start?.config?.epochs ?? run.epochs.at(-1)?.epochs ?? null;
}

/** The clock, to the second, when the follow stopped (the report says it was a live view as of then). */
function stoppedNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export async function followReport(source: FollowSource, deps: FollowDeps): Promise<number> {
  const { args, say } = deps;
  // the run --run names, as printed; null for --run latest
  const shownRun = args.run === 'latest' ? null : shownId(args.run);
  let collector = deps.newCollector();
  const stop = new AbortController();
  // while the table is on a terminal, messages go above it (a redraw would go back over them)
  const table = createEpochTable(process.stderr, say);
  const tell = (line: string): void => table.message(line);
  // (cast: set in the handler, which the compiler does not see run)
  let signalled = null as { signal: string; code: number } | null;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    // replaces the one-shot handlers (exit at once): here the first signal ends the follow with a report
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (signalled !== null) {
        abandonTemporaries();
        process.exit(code);
      }
      signalled = { signal, code };
      tell(fw.signalled(signal));
      stop.abort();
    });
  }
  // the runs over before following began, each with whether it had no epochs then (null until caught up)
  let endedAtStart: Map<string, boolean> | null = null;
  let parsed: ParsedLog = collector.snapshot();
  // the followed text run is over as read: the input is read on until quiet for QUIET_MS (`records` added by `at`)
  // (cast: set in callbacks, which the compiler does not see run)
  let settling = null as { runId: string; records: number; at: number } | null;
  const pick = (): Run | null => {
    const runs = parsed.runs;
    // (a run that began after it is not followed: the one that ended is reported)
    if (settling !== null) return runs.find((r) => r.run_id === settling!.runId) ?? null;
    if (args.run !== 'latest') return runs.find((r) => r.run_id === args.run) ?? null;
    const open = endedAtStart === null ? runs : runs.filter((r) => stillOpen(r, endedAtStart!));
    return open.at(-1) ?? null;
  };
  // an event of the --run id was read before the file was truncated or replaced: it is not an id "not coming",
  // though the input as it now is holds none of it
  let idReadBefore = false;
  /**
   * --run ID that the input holds runs but no event of: bad input (one line, exit 2) when the id cannot still
   * start (run-id.ts: mnist-train's own id, of a run that started over FIRST_EVENT_WITHIN_MS ago); else it is
   * waited for. Asked at each look while no run is followed (the id turns old while the input is quiet).
   */
  const refuseIdNotComing = (): void => {
    if (args.run === 'latest' || idReadBefore || parsed.runs.length === 0) return;
    const startedAt = startedLongAgo(args.run, Date.now());
    if (startedAt !== null) throw new UserError(fw.runNotInInput(args.run, source.label, startedAt));
  };
  const printed = new Set<string>();
  let rendering: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  const render = (): void => {
    timer = null;
    const run = pick();
    // the parse state as of now, with its run: a truncation before the earlier renders are done replaces `parsed`
    const snapshot = parsed;
    if (run) rendering = rendering.then(() => deps.report(run, snapshot, true));
  };
  let followed: Run | null = null;
  // the latest run was over before following began: its report was written as a one-shot read writes it
  let reportedAtStart = false;
  /**
   * The followed run is followed no more (another run, or the file's content, replaced it): the report of what was
   * read of it is written now (the debounced render may not have come), and stays. The run as read.
   */
  const leave = (snapshot: ParsedLog): Run => {
    const before = snapshot.runs.find((r) => r.run_id === followed!.run_id) ?? followed!;
    rendering = rendering.then(() => deps.report(before, snapshot, true));
    return before;
  };
  /** The followed run as read so far: its new epochs on stderr, its report re-rendered (debounced). */
  const show = (run: Run): void => {
    if (followed !== null && followed.run_id !== run.run_id) {
      // --run latest: a run that started after the followed one (a restarted task) is the one followed now
      const before = leave(parsed);
      tell(fw.switchedRun(shownId(before.run_id), before.epochs.at(-1)?.epoch ?? null, shownId(run.run_id)));
    }
    followed = run;
    for (const e of run.epochs) {
      const key = `${run.run_id}\n${e.epoch}`;
      if (printed.has(key)) continue;
      printed.add(key);
      table.epoch(run, e);
    }
    const next = (run.epochs.at(-1)?.epoch ?? 0) + 1;
    table.status(fw.waitingFor(next, plannedOf(run)));
    timer ??= setTimeout(render, DEBOUNCE_MS);
  };
  /**
   * The followed run as read: shown, then whether it is over, asked once (isOver: `over`, when the caller has
   * asked). At its run_end (an mnist-train run's evaluation event comes before it) the follow stops: true, and
   * the loop reading the input leaves at once. A text run's end: the input is read on until it has been quiet
   * (settling, lookForEvaluated). Not over: not settling (a fit printed after a scikit-learn evaluation: the
   * same run, going on).
   */
  const advance = (run: Run, over = isOver(run)): boolean => {
    show(run);
    if (!over) {
      settling = null;
      return false;
    }
    if (run.end !== null && run.end !== undefined) {
      stop.abort();
      return true;
    }
    settling ??= { runId: run.run_id, records: -1, at: 0 };
    return false;
  };
  say(fw.following(source.label));
  // Only a file that already held lines when following began can hold runs that were over before it:
  // a file that appears (or was empty) is all new, even if a whole run lands in it before the first look.
  // (a log group's source says so later when it reads a text stream from its head: wholeStream)
  let hadLines = await source.holdsEarlierRuns();
  // trainer text with an evaluation and no epochs (scikit-learn's) adds no epoch and no run_end: while no run is
  // followed, it is looked for each time the input is read to its end with new records since the last look
  let looked = 0;
  const lookForEvaluated = (): void => {
    if (settling !== null) {
      // each look that finds new records starts the quiet again; QUIET_MS of looks finding nothing: the run is over
      const now = performance.now();
      if (collector.recordsAdded !== settling.records) settling = { ...settling, records: collector.recordsAdded, at: now };
      else if (now - settling.at >= QUIET_MS) stop.abort();
      return;
    }
    if (followed !== null || stop.signal.aborted) return;
    const added = collector.recordsAdded !== looked;
    if (added) {
      looked = collector.recordsAdded;
      parsed = collector.snapshot();
    }
    const run = pick();
    if (run === null) refuseIdNotComing();
    else if (added && isOver(run)) advance(run, true);
  };
  const caughtUp = (): void => {
    if (endedAtStart !== null) return lookForEvaluated();
    // the runs that were over before we caught up: --run latest waits for the next one
    parsed = collector.snapshot();
    endedAtStart = new Map(args.run === 'latest' && hadLines ? parsed.runs.filter((r) => isOver(r)).map((r) => [r.run_id, r.epochs.length === 0]) : []);
    looked = collector.recordsAdded;
    const run = pick();
    if (run) {
      // (the followed run may have ended in what was just read: a whole short run at once)
      advance(run);
      return;
    }
    refuseIdNotComing();
    const latest = parsed.runs.at(-1);
    if (!latest || !endedAtStart.has(latest.run_id)) {
      tell(fw.waitingForRun(shownRun, source.label));
      return;
    }
    // the latest run was over before following began: its report as a one-shot read of the input writes
    // it (none of its epochs replayed as if they were arriving), one line, then the next run is waited for
    reportedAtStart = true;
    const snapshot = parsed;
    rendering = rendering.then(async () => {
      const r = await deps.report(latest, snapshot, true);
      tell(fw.endedBeforeFollow(shownId(latest.run_id), r.analysis.run.outcome, r.analysis.run.epochs_seen, r.analysis.verdict.level, args.out, r.folder));
    });
  };
  const restarted = (): void => {
    // the file no longer holds what was read: its runs, counts and fit numbering go (the old content's
    // report folder stays as written, replaced when the new content's run has its name); everything
    // read from now on is new, as in a file that appeared after following began
    if (args.run !== 'latest') idReadBefore ||= followed !== null || collector.snapshot().runs.some((r) => r.run_id === args.run);
    if (followed !== null) {
      const gone = leave(collector.snapshot());
      tell(fw.runGone(shownId(gone.run_id), source.label, gone.epochs.at(-1)?.epoch ?? null, plannedOf(gone), args.out, safeRunId(gone.run_id)));
    }
    collector = deps.newCollector();
    parsed = collector.snapshot();
    endedAtStart = new Map();
    looked = 0;
    printed.clear();
    followed = null;
    settling = null;
    table.restart();
  };
  // reading failed (CloudWatch unreachable, a file that can no longer be read): the report is left saying so
  let failed: { error: unknown } | null = null;
  try {
    for await (const records of source.records({
      signal: stop.signal, notice: tell, caughtUp, restarted,
      wholeStream: () => { hadLines = true; },
      latestOver: () => reportedAtStart,
    })) {
      const epochs = collector.epochsAdded;
      const ends = collector.endsAdded;
      collector.add(records);
      // while catching up with what the input held, nothing is shown: caughtUp decides what that was
      if (endedAtStart === null || (collector.epochsAdded === epochs && collector.endsAdded === ends)) continue;
      parsed = collector.snapshot();
      const run = pick();
      if (!run) continue;
      if (settling !== null && parsed.runs.at(-1)?.run_id !== settling.runId) {
        // another run began after the followed one ended: that one is over, and it is what is reported
        stop.abort();
        continue;
      }
      if (advance(run)) break;
    }
  } catch (error) {
    failed = { error };
  }
  if (timer) clearTimeout(timer);
  table.close();
  await rendering;
  parsed = collector.snapshot();
  const run = pick() ?? followed;
  if (!run) {
    if (failed) throw failed.error;
    if (reportedAtStart) return signalled?.code ?? EXIT.ok;
    say(fw.noRunRead(source.label, shownRun, idReadBefore));
    return signalled?.code ?? EXIT.usage;
  }
  const live = !isOver(run);
  if (failed) {
    // the one-line failure, then the report of what was read, saying that the follow stopped there, and where it is
    const { exitCode, message } = describeFailure(failed.error);
    say(message);
    const r = await deps.report(run, parsed, false, live ? { at: stoppedNow(), signal: null, error: message.split('\n')[0]! } : undefined);
    if (live) say(fw.stoppedReport(args.out, r.folder, r.analysis.epochs.at(-1)?.epoch ?? null, r.analysis.run.epochs_planned));
    return exitCode;
  }
  const stopped = signalled !== null && live ? { at: stoppedNow(), signal: signalled.signal, error: null } : undefined;
  const r = await deps.report(run, parsed, false, stopped);
  return signalled?.code ?? r.exitCode;
}
