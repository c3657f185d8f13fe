// --run latest: the training run that started last (the same meaning as for files).
//
//   DescribeLogStreams, LastEventTime descending (the service refuses a name prefix with that
//   order, so --log-stream-prefix filters the names here; no paging through every stream)
//   each stream, newest first ──▶ a look at its tail (GetLogEvents, 100 events; the head too
//       when the tail has nothing): the mnist-train run in it, trainer text, or nothing
//       (a sidecar: X-Ray, FireLens, an agent), which is skipped
//   stop when a stream's last event is older than the best start so far (no run below it can
//   have started later), or after MAX_LOOKS looks, or when streams end before --since
//   ──▶ mnist-train: all of that run in every stream (FilterLogEvents, its id, no window: the
//       window chose the run, it does not cut it); trainer text: its stream from the head
//
// firstEventTimestamp stands for a run's start. CloudWatch updates lastEventTimestamp
// eventually (usually within the hour): for a run that ended minutes ago, name it.

import type { LogStream } from '@aws-sdk/client-cloudwatch-logs';
import { UserError } from '../errors.js';
import { createParseState, parseLine } from '../parse/line.js';
import type { LogRecord } from '../types.js';
import { call, filterPages, record, runIdPattern, streamPages, type Ctx } from './cloudwatch.js';

/** Streams looked into at most (sidecars and overlapping runs), so a group of sidecars costs a bounded number of calls. */
export const MAX_LOOKS = 10;
const LOOK_EVENTS = 100;

export interface Found { stream: string; first: number; runId: string | null }

export async function* readLatest(ctx: Ctx): AsyncGenerator<LogRecord[]> {
  if (ctx.opts.logStream) {
    yield* streamPages(ctx, ctx.opts.logStream, ctx.window);
    return;
  }
  const found = await findLatestRun(ctx);
  if (found.runId === null) {
    ctx.progress(`cloudwatch: latest run: trainer text in stream ${found.stream}`);
    yield* streamPages(ctx, found.stream, ctx.window);
    return;
  }
  ctx.progress(`cloudwatch: latest run ${found.runId} (stream ${found.stream}); reading all of it`);
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
      if (looks >= MAX_LOOKS) break outer;
      looks++;
      const runId = await lookInto(ctx, s);
      if (runId === undefined) continue;
      const first = s.firstEventTimestamp ?? last;
      if (!best || first > best.first) best = { stream: s.logStreamName, first, runId };
    }
    nextToken = page.nextToken;
    limit = 50;
    ctx.progress(`cloudwatch: ${examined} streams examined`);
  } while (nextToken);
  if (best) return best;
  const where = prefix !== undefined ? ` starting with ${prefix}` : '';
  if (looks > 0) {
    return { none: `log group ${ctx.opts.logGroup}: none of the ${looks} newest log streams${where} holds a training run ` +
      '(sidecar or agent streams?); name the run with --run <id>, the stream with --log-stream, or narrow --log-stream-prefix' };
  }
  return { none: examined === 0 || matching === 0 && startTime === undefined && endTime === undefined
    ? `log group ${ctx.opts.logGroup} has no log streams${where}`
    : `log group ${ctx.opts.logGroup}: no log stream${where} has events in the time window` };
}

/**
 * The run in a stream, as far as its tail (or else its head) shows: the id of the last
 * mnist-train event, null for trainer text, undefined for a stream with no run in it.
 */
async function lookInto(ctx: Ctx, s: LogStream): Promise<string | null | undefined> {
  const name = s.logStreamName!;
  for (const fromHead of [false, true]) {
    const events = await call(ctx, 'logs:GetLogEvents', async () => {
      // A page may come back empty with a token; follow a few before concluding.
      let token: string | undefined;
      for (let i = 0; i < 3; i++) {
        const out = await ctx.client.send(new ctx.sdk.GetLogEventsCommand({
          logGroupName: ctx.opts.logGroup, logStreamName: name, startFromHead: fromHead, limit: LOOK_EVENTS,
          ...ctx.window, ...(token ? { nextToken: token } : {}),
        }));
        if (out.events?.length) return out.events;
        const next = fromHead ? out.nextForwardToken : out.nextBackwardToken;
        if (!next || next === token) return [];
        token = next;
      }
      return [];
    });
    const state = createParseState();
    let text = false;
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i]!;
      if (e.message === undefined) continue;
      const r = parseLine(record(ctx, name, e.message, e.timestamp, null), state);
      if (r.kind === 'event') return r.event.run_id;
      if (r.kind === 'header' || r.kind === 'epoch' || r.kind === 'batch') text = true;
    }
    if (text) return null;
  }
  ctx.progress(`cloudwatch: stream ${name} holds no training run; looking at the next newest`);
  return undefined;
}
