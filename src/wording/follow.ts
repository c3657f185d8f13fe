// --follow's lines on stderr: the live epoch line, the status under the table on a
// terminal, what the follow waits for, and the file's and log group's events (appeared,
// rotated, truncated, throttled). The epoch table's layout (columns, redraw) stays in
// cli/follow-table.ts; these are its sentences.

import { fmtDuration, fmtLoss, fmtPct } from '../analyze/format.js';
import type { EpochRecord } from '../types.js';
import { folderShown } from './cli.js';
import { plural } from './plural.js';

/** "3/5", or "3" when the planned count is unknown. */
export function epochOf(epoch: number, planned: number | null | undefined): string {
  return `${epoch}${planned ? `/${planned}` : ''}`;
}

/** One epoch as it arrives (runId is already made safe to print). */
export function epochLine(runId: string, e: EpochRecord, planned: number | null | undefined): string {
  return `run ${runId} epoch ${epochOf(e.epoch, planned)}: loss ${fmtLoss(e.loss)}, accuracy ${fmtPct(e.accuracy)}, ` +
    `val_loss ${fmtLoss(e.val_loss)}, val_accuracy ${fmtPct(e.val_accuracy)}${e.duration_ms !== null ? `, ${fmtDuration(e.duration_ms)}` : ''}`;
}

export function tableTitle(runId: string): string {
  return `mnist-report: following run ${runId}`;
}

export function following(label: string): string {
  return `following ${label} (Ctrl-C writes the report of what was read)`;
}

/** `place`: the file, or "log group G" (groupLabel), that holds no event of the run --run names yet. */
export function waitingForRun(runId: string | null, place: string): string {
  return runId === null ? 'waiting for a run to start'
    : `waiting for the first event of run ${runId}: ${place} holds none yet (Ctrl-C stops; --list shows the ids it holds)`;
}

/** The status line under the table: the next epoch, or the run's end once every planned epoch is in. */
export function waitingFor(next: number, planned: number | null): string {
  return planned !== null && next > planned ? 'waiting for the run to end' : `waiting for epoch ${epochOf(next, planned)} (Ctrl-C writes the report of what was read)`;
}

/** `lastEpoch`: the last epoch read of the run no longer followed (its report is written as of it). */
export function switchedRun(from: string, lastEpoch: number | null, to: string): string {
  const report = lastEpoch === null ? 'its report holds no epoch' : `its report is as of epoch ${lastEpoch}, incomplete`;
  return `run ${from} stopped without its run_end (${report}); following run ${to}, which started after it`;
}

/**
 * The file was truncated or replaced while a run was followed: that run's lines are not in it any more; its report,
 * written as of the last epoch read, stays (runId is already made safe to print).
 */
export function runGone(runId: string, path: string, lastEpoch: number | null, planned: number | null, out: string, folder: string): string {
  const asOf = lastEpoch === null ? 'holds no epoch' : `is as of epoch ${epochOf(lastEpoch, planned)}`;
  return `run ${runId} is no longer in ${path}: its report in ${folderShown(out, folder)} ${asOf} and stays there, not final ` +
    '(a run of that name read from the file now would replace it)';
}

/** The latest run was over before following began: reported as a one-shot read reports it, in one line, and the next run is waited for. */
export function endedBeforeFollow(runId: string, outcome: string, epochs: number, level: string, out: string, folder: string): string {
  return `run ${runId} had ended before following began (${outcome}, ${plural(epochs, 'epoch', 'epochs')}; verdict: ${level}): ` +
    `its report is in ${out}/${folder}/; waiting for the next run to start`;
}

/** The last line when reading failed while following: the report left on disk is a live view as of its last epoch. */
export function stoppedReport(out: string, folder: string, lastEpoch: number | null, planned: number | null): string {
  const asOf = lastEpoch === null ? 'holds no epoch' : `is as of epoch ${epochOf(lastEpoch, planned)}`;
  return `--follow stopped before the run's end: the report in ${out}/${folder}/ ${asOf}, and says so; later epochs may exist (report the run again once its log can be read)`;
}

export function signalled(signal: string): string {
  return `${signal}: writing the report of what was read (again to stop at once)`;
}

/**
 * The follow stopped (Ctrl-C) before a run to report was read; `runId`: the one --run names, if one (made safe to
 * print); `readBefore`: events of it were read before the file was truncated or replaced, and none since.
 */
export function noRunRead(label: string, runId: string | null, readBefore: boolean): string {
  if (runId === null) return `no run was read from ${label}`;
  return readBefore ? `no event of run ${runId} was read from ${label} since it was truncated or replaced (what was read before is not in it any more)`
    : `no event of run ${runId} was read from ${label}`;
}

export function fileMissing(path: string): string {
  return `${path} does not exist yet; waiting for it`;
}

export function fileAppeared(path: string): string {
  return `${path} appeared; following it`;
}

export function fileRotated(path: string): string {
  return `${path} was replaced (rotated): reading the new file from the start`;
}

export function fileRemoved(path: string): string {
  return `${path} was removed; waiting for a file of that name, to read it from the start`;
}

export function fileTruncated(path: string): string {
  return `${path} was truncated: reading it again from the start`;
}

export function cannotFollow(path: string, why: string | null | undefined): string {
  return `${path}: cannot follow (${why})`;
}

export function followEncoded(path: string, kind: string): string {
  return `${path}: is ${kind}, which --follow cannot read as it grows; report it without --follow`;
}

export function followFolder(path: string): string {
  return `${path} is a folder; --follow takes a log file`;
}

export function groupLabel(logGroup: string): string {
  return `log group ${logGroup}`;
}

export function groupAppeared(logGroup: string): string {
  return `cloudwatch: log group ${logGroup} appeared`;
}

export function groupMissing(logGroup: string): string {
  return `cloudwatch: log group ${logGroup} does not exist yet; waiting for it`;
}

export function followingRun(runId: string, stream: string): string {
  return `cloudwatch: following run ${runId} (stream ${stream})`;
}

export function latestEnded(runId: string): string {
  return `cloudwatch: the latest run, ${runId}, has ended; waiting for the next run to start`;
}

/**
 * --follow --run ID that the input (`place`: the file, or "log group G") holds no run of, though it holds runs, and
 * that cannot still start: the id is mnist-train's own (run-id.ts), of a run that started at `startedAt`, over
 * FIRST_EVENT_WITHIN_MS ago, so its first event would be there by now. (Any other id is waited for: waitingForRun.)
 */
export function runNotInInput(runId: string, place: string, startedAt: number): string {
  return `--follow --run ${runId}: ${place} holds no run of that id (no mnist-train event carries it, no trainer text is named by it), ` +
    `and none is coming: the id is mnist-train's own, of a run that started at ${new Date(startedAt).toISOString().replace('.000Z', 'Z')}, ` +
    'whose first event would be there by now; give an id --list prints, or --run latest to follow the next run to start';
}

export function runStarted(runId: string): string {
  return `cloudwatch: run ${runId} started; following it`;
}

export function stillThrottled(waitMs: number): string {
  return `cloudwatch: FilterLogEvents still throttled after the retries; polling again in ${waitMs / 1000} s`;
}

// usage errors of --follow
export function pollIntervalBad(text: string): string {
  return `--poll-interval ${JSON.stringify(text)}: give a number of seconds above 0, at most 3600`;
}
export const NOT_ALL = '--follow reports one run: give --run latest or a run id, not all';
export const NOT_UNTIL = '--follow reads until the run ends: not with --until';
export const NOT_HISTORY = '--follow on a log group does not take --history yet: report the finished run with --history';
export const ONE_INPUT = '--follow takes exactly one --input FILE (not stdin) or a --log-group';
export const POLL_WITHOUT_FOLLOW = '--poll-interval sets how often --follow looks for new events: give it with --follow, or leave it out';
