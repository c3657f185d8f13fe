// --run latest: the training run that started last (the same meaning as for files).
//
//   DescribeLogStreams, LastEventTime descending (the service refuses a name prefix with that
//   order, so --log-stream-prefix filters the names here; no paging through every stream)
//   each stream, newest first ──▶ a look at its tail (GetLogEvents, 100 events), and when that
//       holds no run, further back a page at a time to its start: the mnist-train run in it,
//       trainer text, or nothing (a sidecar: X-Ray, FireLens, an agent), which is skipped, and
//       stderr says so. Empty pages with a new token are followed (the service may answer them
//       while events remain); only the token sent back again is the stream's start. A stream
//       too long to read back (SCAN_EVENTS), or one that only answers empty pages
//       (MAX_EMPTY_PAGES), ends the search with an error naming it: never an older run instead
//   stop when a stream's last event is older than the best start so far (no run below it can
//   have started later), or after MAX_LOOKS looks, or when streams end before --since; a stream
//   that began before the best run's stream is not looked into (it could not win)
//   ──▶ mnist-train: all of that run in every stream (FilterLogEvents, its id, no window: the
//       window chose the run, it does not cut it); trainer text: its stream from the head
//
// firstEventTimestamp stands for a run's start. CloudWatch updates lastEventTimestamp
// eventually (usually within the hour): for a run that ended minutes ago, name it.

import type { LogStream } from '@aws-sdk/client-cloudwatch-logs';
import { ServiceError, UserError } from '../errors.js';
import { createParseState, parseLine } from '../parse/line.js';
import type { LogRecord } from '../types.js';
import * as lw from '../wording/latest.js';
import { call, filterPages, record, runIdPattern, streamPages, type Ctx } from './cloudwatch.js';

/** Streams looked into at most (sidecars and overlapping runs), so a group of sidecars costs a bounded number of calls. */
export const MAX_LOOKS = 10;
/** The first look at a stream: its last events. */
const LOOK_EVENTS = 100;
/** Events read back from a stream's end at most, looking for a run, before the search gives up on it. */
export const SCAN_EVENTS = 100_000;
/** Empty GetLogEvents pages in a row at most (each with a new token: "more may follow"). */
export const MAX_EMPTY_PAGES = 100;

export interface Found { stream: string; first: number; runId: string | null }

export async function* readLatest(ctx: Ctx): AsyncGenerator<LogRecord[]> {
  if (ctx.opts.logStream) {
    yield* streamPages(ctx, ctx.opts.logStream, ctx.window);
    return;
  }
  const found = await findLatestRun(ctx);
  if (found.runId === null) {
    ctx.progress(lw.latestText(found.stream));
    yield* streamPages(ctx, found.stream, ctx.window);
    return;
  }
  ctx.progress(lw.latestRun(found.runId, found.stream));
  yield* filterPages(ctx, {
    logGroupName: ctx.opts.logGroup,
    ...(ctx.opts.logStreamPrefix !== undefined ? { logStreamNamePrefix: ctx.opts.logStreamPrefix } : {}),
    filterPattern: runIdPattern(found.runId),
  }, `run ${found.runId}`);
}

async function findLatestRun(ctx: Ctx): Promise<Found> {
  const r = await lookForLatestRun(ctx);
  if ('none' in r) throw new UserError(r.none);
  return r;
}

/** The latest run, or why there is none (--follow then waits for one; a missing group still throws). */
export async function lookForLatestRun(ctx: Ctx): Promise<Found | { none: string }> {
  const { startTime, endTime } = ctx.window;
  const prefix = ctx.opts.logStreamPrefix;
  let best: Found | null = null;
  let looks = 0;
  let examined = 0;
  let matching = 0;
  let nextToken: string | undefined;
  // The newest stream is usually the answer: ask for a few first, then for full pages.
  let limit = prefix === undefined ? 5 : 50;
  outer: do {
    const page = await call(ctx, 'logs:DescribeLogStreams', () => ctx.client.send(new ctx.sdk.DescribeLogStreamsCommand({
      logGroupName: ctx.opts.logGroup, orderBy: 'LastEventTime', descending: true, limit, nextToken,
    })));
    for (const s of page.logStreams ?? []) {
      examined++;
      const last = s.lastEventTimestamp;
      if (!s.logStreamName || last === undefined) continue;
      // Newest first: a stream that ends before the window, or before the best run began, ends the search.
      if (startTime !== undefined && last < startTime) break outer;
      if (best && last < best.first) break outer;
      if (prefix !== undefined && !s.logStreamName.startsWith(prefix)) continue;
      if (endTime !== undefined && (s.firstEventTimestamp ?? 0) >= endTime) continue;
      matching++;
      const first = s.firstEventTimestamp ?? last;
      if (best && first <= best.first) continue; // its first event stands for its run's start: it cannot win
      if (looks >= MAX_LOOKS) break outer;
      looks++;
      const runId = await lookInto(ctx, s);
      if (runId === undefined) continue;
      best = { stream: s.logStreamName, first, runId };
    }
    nextToken = page.nextToken;
    limit = 50;
    ctx.progress(lw.streamsExamined(examined));
  } while (nextToken);
  if (best) return best;
  const where = prefix !== undefined ? ` starting with ${prefix}` : '';
  if (looks > 0) return { none: lw.noneOfNewest(ctx.opts.logGroup, looks, where) };
  return { none: examined === 0 || matching === 0 && startTime === undefined && endTime === undefined
    ? lw.noStreams(ctx.opts.logGroup, where)
    : lw.noStreamInWindow(ctx.opts.logGroup, where, ctx.window) };
}

/**
 * The run in a stream: the id of its last mnist-train event, null for trainer text, undefined
 * for a stream read back to its start with no run in it. Backwards from the tail, so that the
 * last run of the stream is the one found; a page's mnist-train event wins over its text.
 */
async function lookInto(ctx: Ctx, s: LogStream): Promise<string | null | undefined> {
  const name = s.logStreamName!;
  const state = createParseState();
  let token: string | undefined;
  let read = 0;
  let empty = 0;
  let said = false;
  for (;;) {
    const out = await call(ctx, 'logs:GetLogEvents', () => ctx.client.send(new ctx.sdk.GetLogEventsCommand({
      logGroupName: ctx.opts.logGroup, logStreamName: name, startFromHead: false, ...ctx.window,
      // the first look is small; further back, full pages (the service's default)
      ...(token === undefined ? { limit: LOOK_EVENTS } : { nextToken: token }),
    })));
    const events = out.events ?? [];
    let text = false;
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i]!;
      if (e.message === undefined) continue;
      const r = parseLine(record(ctx, name, e.message, e.timestamp, null), state);
      if (r.kind === 'event') return r.event.run_id;
      // scikit-learn's printed evaluation alone is a run too, as --list shows it
      if (r.kind === 'header' || r.kind === 'epoch' || r.kind === 'batch' || r.kind === 'evaluation') text = true;
    }
    if (text) return null;
    read += events.length;
    // The start of the stream: the service answers with the token it was sent.
    const next = out.nextBackwardToken;
    if (next === undefined || next === token) break;
    empty = events.length ? 0 : empty + 1;
    if (empty >= MAX_EMPTY_PAGES) throw new ServiceError(lw.endlessEmptyPages(ctx.opts.logGroup, name, empty));
    if (read >= SCAN_EVENTS) throw new UserError(lw.tooLongToSearch(ctx.opts.logGroup, name, read));
    if (!said && read > 0) {
      ctx.progress(lw.readingBack(name, read));
      said = true;
    }
    token = next;
  }
  ctx.progress(lw.holdsNoRun(name, read));
  return undefined;
}
