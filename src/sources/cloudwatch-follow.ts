// A run in CloudWatch Logs followed as it trains, the way `aws logs tail --follow` follows a
// group: FilterLogEvents polled a few seconds apart, each poll from a little before the newest
// event seen, what was already handed over dropped by eventId. The records then go through the
// same follow loop as a file's (src/cli/report-follow.ts).
//
//   the group   waited for while it does not exist (mnist-train creates it)
//   which run   --run <id>: that id's events, or the stream that names a text run of that id (as --list
//               names it), from its head; neither: waited for, each poll asking for both (its events from
//               now − LATE_MS, the stream by name), unless mnist-train's own id says that run started over
//               FIRST_EVENT_WITHIN_MS ago and the group holds streams: one line, exit 2 (asked again at each poll)
//               --log-stream S: that stream, as a file (every run in it)
//               --run latest: the latest run (cloudwatch-latest.ts) if it has no run_end yet;
//               else, or with no run yet, wait: poll for run_start and run_end until a run starts that was not
//               in the group when the wait began (waitForRun: the latest run's stream may hold earlier runs);
//               trainer text: its stream from its head, as a file: the follow loop says whether its run
//               was over when first read (latestOver), and then the next run_start is waited for, and
//               that run is followed by its id alone (restarted: the stream's lines are not its input)
//   follow      poll FilterLogEvents (the run's id pattern, from its start; then from the newest
//               event seen − LATE_MS) ──▶ pages of records not handed over before ──▶ caughtUp()
//               ──▶ pause pollMs ──▶ again, until the consumer stops or the signal aborts
//
// Late events: a stream's events reach the service up to a flush interval after their time
// (awslogs and mnist-train send every 5 s), and another stream (a replaced task) may send
// older times than one already seen. Each poll reaches LATE_MS back, so an event that arrives
// that late is still read; eventIds seen in earlier polls are dropped (within one poll every
// event passes: a duplicate the service really stores is the runs stage's to count, as in a
// one-shot read). Every request has the client's timeout (--timeout) and the SDK's adaptive
// retries, which back off on ThrottlingException; the client's token bucket keeps
// FilterLogEvents at 4 requests a second, under the account's 5 (a hard quota). A poll that
// stays throttled after the retries is skipped and the next one waits twice as long.

import type { FilterLogEventsCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { UserError } from '../errors.js';
import { textRunBases } from '../runs/builder.js';
import { startedLongAgo } from '../run-id.js';
import type { LogRecord } from '../types.js';
import { failure, openCloudWatch, record, runIdPattern, type CloudWatchSourceOptions, type Ctx, type FilterInput } from './cloudwatch.js';
import { isThrottling } from './cloudwatch-errors.js';
import { baseInput, streamNamed } from './cloudwatch-filtered.js';
import { runIdOf } from './cloudwatch-run-edges.js';
import { lookForLatestRun } from './cloudwatch-latest.js';
import { pause, type FollowOptions } from './follow.js';
import * as fw from '../wording/follow.js';

/** How far back each poll reaches before the newest event seen. */
export const LATE_MS = 60_000;
/** Between polls, as `aws logs tail --follow`. */
export const DEFAULT_CLOUDWATCH_POLL_MS = 5_000;
/** The longest wait after throttled polls. */
const MAX_BACKOFF_MS = 60_000;

/** A run's edges: its run_start says when it began, its run_end that it is over. */
const EDGES_PATTERN = '{ ($.event = "run_start") || ($.event = "run_end") }';
const RUN_END = /"event"\s*:\s*"run_end"/;

interface Target {
  input: FilterInput;
  startTime?: number;
  /** The latest run is trainer text, followed by its stream from its head; `first`: that stream's first event. */
  text?: { first: number };
}

/** The followed run's records (only the followed run's, except with --log-stream), one array per page. */
export async function* followCloudWatchRecords(options: CloudWatchSourceOptions, follow: FollowOptions = {}): AsyncGenerator<LogRecord[]> {
  const ctx = await openCloudWatch(options);
  try {
    const group = await groupExists(ctx, follow);
    if (group === null) return;
    const target = await chooseTarget(ctx, follow, group.holdsStreams);
    if (target === null) return;
    if (target.text === undefined) {
      yield* poll(ctx, target, follow);
      return;
    }
    // trainer text, read from its stream's head: the follow loop decides, as for a file, whether its run was over
    follow.wholeStream?.();
    if (!(yield* poll(ctx, target, follow, follow.latestOver))) return;
    const next = await waitForRun(ctx, follow, target.text.first, { runId: null });
    if (next === null) return;
    // from here on only that run's events are handed over, as a one-shot read of it by its run_id reads
    // them: the text stream's lines are not its input (not counted in its data quality)
    follow.restarted?.();
    yield* poll(ctx, next, follow);
  } finally {
    ctx.client.destroy();
  }
}

/**
 * Waits while the log group does not exist (mnist-train creates it with its first events), as
 * tail -F waits for a file; null when stopped first, else whether it holds a stream (of --log-stream-prefix).
 * Any other failure is one line, as always.
 */
async function groupExists(ctx: Ctx, follow: FollowOptions): Promise<{ holdsStreams: boolean } | null> {
  let said = false;
  for (;;) {
    try {
      const holdsStreams = await firstStream(ctx, follow.signal);
      if (said) follow.notice?.(fw.groupAppeared(ctx.opts.logGroup));
      return { holdsStreams };
    } catch (err) {
      if (follow.signal?.aborted) return null;
      if ((err as { name?: string }).name !== 'ResourceNotFoundException') throw failure(ctx, 'logs:DescribeLogStreams', err);
    }
    if (!said) follow.notice?.(fw.groupMissing(ctx.opts.logGroup));
    said = true;
    follow.caughtUp?.();
    if (await pause(follow.pollMs ?? DEFAULT_CLOUDWATCH_POLL_MS, follow.signal)) return null;
  }
}

/** Whether the group holds a stream (within --log-stream-prefix, as the other reads): one DescribeLogStreams; its failure is the caller's. */
async function firstStream(ctx: Ctx, signal?: AbortSignal): Promise<boolean> {
  const { logGroup, logStreamPrefix } = ctx.opts;
  const page = await ctx.client.send(new ctx.sdk.DescribeLogStreamsCommand({
    logGroupName: logGroup, limit: 1, ...(logStreamPrefix !== undefined ? { logStreamNamePrefix: logStreamPrefix } : {}),
  }), { abortSignal: signal });
  return (page.logStreams?.length ?? 0) > 0;
}

/** What to poll; null when stopped while waiting for a run. */
async function chooseTarget(ctx: Ctx, follow: FollowOptions, holdsStreams: boolean): Promise<Target | null> {
  const o = ctx.opts;
  const from = ctx.window.startTime;
  if (o.logStream) return { input: { logGroupName: o.logGroup, logStreamNames: [o.logStream] }, ...(from !== undefined ? { startTime: from } : {}) };
  if (o.run !== 'latest') return targetOfId(ctx, o.run, follow, holdsStreams);
  const latest = await lookForLatestRun(ctx);
  if ('none' in latest) return waitForRun(ctx, follow, Math.max(from ?? 0, Date.now() - LATE_MS), null);
  // trainer text has no run id: its stream is followed from its head
  if (latest.runId === null) return { input: { logGroupName: o.logGroup, logStreamNames: [latest.stream] }, text: { first: latest.first } };
  if (!(await hasEnded(ctx, latest.runId, latest.first, follow.signal))) {
    follow.notice?.(fw.followingRun(latest.runId, latest.stream));
    return { input: { ...baseInput(ctx), filterPattern: runIdPattern(latest.runId) } };
  }
  follow.notice?.(fw.latestEnded(latest.runId));
  return waitForRun(ctx, follow, latest.first, { runId: latest.runId });
}

/**
 * --run ID: the mnist-train run of that id, or else the text run a stream of the group names (as --list names
 * it: "<stream>", "<stream>-fitN"), followed from that stream's head. An id that is neither is waited for (a run
 * given its id before it starts: mnist-train --run-id), each poll asking for both, its events from now − LATE_MS,
 * and the first to come is followed; unless it cannot still start (run-id.ts: mnist-train's own id, of a run that
 * started over FIRST_EVENT_WITHIN_MS ago) in a group that holds streams: then it is bad input, one line. That is
 * asked again at each poll, for an id may turn old while the group is quiet, and a stream may appear in an
 * empty group. Null when stopped first.
 */
async function targetOfId(ctx: Ctx, id: string, follow: FollowOptions, holdsStreams: boolean): Promise<Target | null> {
  const { signal } = follow;
  const byId = { ...baseInput(ctx), filterPattern: runIdPattern(id) };
  const waitFrom = Math.max(ctx.window.startTime ?? 0, Date.now() - LATE_MS);
  const backoff = new Backoff(follow);
  // the first look reads the whole group for the id; once it has been answered, the polls read from waitFrom
  let from: { startTime?: number } = {};
  for (;;) {
    try {
      if (await holdsEvents(ctx, { ...byId, ...from }, signal)) return { input: byId, ...from };
      if (signal?.aborted) return null;
      const stream = await streamNamed(ctx, textRunBases(id));
      if (signal?.aborted) return null;
      if (stream !== null) return { input: { logGroupName: ctx.opts.logGroup, logStreamNames: [stream] } };
      from = { startTime: waitFrom };
      const startedAt = startedLongAgo(id, Date.now());
      if (startedAt !== null) {
        // (a group that held no stream is asked again, once the id is old)
        holdsStreams ||= await firstStream(ctx, signal).catch((err: unknown) => {
          if (signal?.aborted) return false;
          throw failure(ctx, 'logs:DescribeLogStreams', err);
        });
        if (holdsStreams) throw new UserError(fw.runNotInInput(id, fw.groupLabel(ctx.opts.logGroup), startedAt));
      }
      backoff.ok();
    } catch (err) {
      backoff.throttled(err);
    }
    if (signal?.aborted) return null;
    follow.caughtUp?.();
    if (await backoff.pause()) return null;
  }
}

/** Whether a FilterLogEvents read of `input` holds any event (it stops at the first page that has one). */
async function holdsEvents(ctx: Ctx, input: FilterInput, signal?: AbortSignal): Promise<boolean> {
  for await (const events of filterOnce(ctx, input, signal)) if (events?.length) return true;
  return false;
}

/**
 * Polls for the next run to start, from `waitFrom`; null when stopped first. `after`: the latest run the wait began
 * from (its id; null for trainer text), or null when the group held none. The runs the first poll reads were in the
 * group when the wait began, and none of them is "next" (the latest run's stream may hold the runs before it, and so
 * may other streams) but one that started after the latest run (its run_start as read then, else waitFrom) and has
 * not ended: a run that began while the latest was looked for. A run first read by a later poll is the next one.
 */
async function waitForRun(ctx: Ctx, follow: FollowOptions, waitFrom: number, after: { runId: string | null } | null): Promise<Target | null> {
  const backoff = new Backoff(follow);
  // the runs in the group when the wait began (null until a poll has read them all)
  let before: Set<string> | null = after === null ? new Set() : null;
  for (;;) {
    try {
      const starts: { id: string; at: number }[] = [];
      const ended = new Set<string>();
      for await (const events of filterOnce(ctx, { ...baseInput(ctx), filterPattern: EDGES_PATTERN, startTime: waitFrom }, follow.signal)) {
        for (const e of events ?? []) {
          const id = e.message === undefined ? null : runIdOf(e.message);
          if (id === null) continue;
          if (RUN_END.test(e.message!)) ended.add(id);
          else starts.push({ id, at: e.timestamp ?? waitFrom });
        }
      }
      if (before === null) {
        const latestAt = starts.find((s) => s.id === after!.runId)?.at ?? waitFrom;
        before = new Set(starts.filter((s) => s.at <= latestAt || ended.has(s.id)).map((s) => s.id));
        if (after!.runId !== null) before.add(after!.runId);
      }
      const next = starts.find((s) => !before!.has(s.id));
      if (next !== undefined) {
        follow.notice?.(fw.runStarted(next.id));
        return { input: { ...baseInput(ctx), filterPattern: runIdPattern(next.id) }, startTime: next.at };
      }
      backoff.ok();
    } catch (err) {
      backoff.throttled(err);
    }
    follow.caughtUp?.();
    if (await backoff.pause()) return null;
  }
}

/** The pause between polls: pollMs, doubled (up to MAX_BACKOFF_MS) after each poll that stayed throttled through the SDK's retries. */
class Backoff {
  private wait: number;
  constructor(private readonly follow: FollowOptions) {
    this.wait = this.pollMs;
  }

  private get pollMs(): number {
    return this.follow.pollMs ?? DEFAULT_CLOUDWATCH_POLL_MS;
  }

  ok(): void {
    this.wait = this.pollMs;
  }

  /** A poll's failure: throttling is skipped (one line), anything else is rethrown. */
  throttled(err: unknown): void {
    if (!isThrottling((err as Error).cause)) throw err;
    this.wait = Math.min(this.wait * 2, Math.max(MAX_BACKOFF_MS, this.pollMs));
    this.follow.notice?.(fw.stillThrottled(this.wait));
  }

  /** True when the signal aborted. */
  pause(): Promise<boolean> {
    return pause(this.wait, this.follow.signal);
  }
}

/** Whether the run's run_end is stored (one filtered query, from the run's stream's first event). */
async function hasEnded(ctx: Ctx, runId: string, from: number, signal?: AbortSignal): Promise<boolean> {
  const pattern = `{ (${runIdPattern(runId).slice(2, -2)}) && ($.event = "run_end") }`;
  return holdsEvents(ctx, { ...baseInput(ctx), filterPattern: pattern, startTime: from }, signal);
}

/** One FilterLogEvents read to its last page; a failure is one line (throttling that outlasts the retries included). */
async function* filterOnce(ctx: Ctx, input: FilterInput, signal?: AbortSignal): AsyncGenerator<FilterLogEventsCommandOutput['events']> {
  let nextToken: string | undefined;
  do {
    let page: FilterLogEventsCommandOutput;
    try {
      page = await ctx.client.send(new ctx.sdk.FilterLogEventsCommand({ ...input, ...(nextToken ? { nextToken } : {}) }), { abortSignal: signal });
    } catch (err) {
      if (signal?.aborted) return;
      throw failure(ctx, 'logs:FilterLogEvents', err);
    }
    yield page.events;
    nextToken = page.nextToken;
  } while (nextToken);
}

/** Polls the target until stopped; with `over`, asked after the first poll, returns true at once when it answers true. */
async function* poll(ctx: Ctx, target: Target, follow: FollowOptions, over?: () => boolean): AsyncGenerator<LogRecord[], boolean> {
  // eventId → timestamp of what was handed over, kept while a poll can still return it
  const seen = new Map<string, number>();
  let newest = -Infinity;
  const backoff = new Backoff(follow);
  for (;;) {
    const from = Math.max(target.startTime ?? -Infinity, newest - LATE_MS);
    const input = { ...target.input, ...(Number.isFinite(from) ? { startTime: from } : {}) };
    const handed = new Set<string>();
    try {
      for await (const events of filterOnce(ctx, input, follow.signal)) {
        const out: LogRecord[] = [];
        for (const e of events ?? []) {
          if (e.message === undefined) continue;
          const id = e.eventId ?? null;
          if (id !== null && seen.has(id) && !handed.has(id)) continue;
          if (id !== null) {
            handed.add(id);
            seen.set(id, e.timestamp ?? 0);
          }
          if (e.timestamp !== undefined && e.timestamp > newest) newest = e.timestamp;
          out.push(record(ctx, e.logStreamName ?? null, e.message, e.timestamp, id));
        }
        if (out.length) yield out;
      }
      backoff.ok();
    } catch (err) {
      backoff.throttled(err);
    }
    follow.caughtUp?.();
    if (follow.signal?.aborted) return false;
    if (over?.()) return true;
    over = undefined;
    const keepFrom = newest - LATE_MS;
    for (const [id, t] of seen) if (t < keepFrom) seen.delete(id);
    if (await backoff.pause()) return false;
  }
}
