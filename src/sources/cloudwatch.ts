// A run's log records from CloudWatch Logs.
//
//   --run latest  ──▶ the latest training run (the one that started last): streams newest
//                     first (DescribeLogStreams by LastEventTime, names filtered here), a
//                     look back from each one's tail (to its start if need be) to skip streams
//                     with no run in them (sidecars), stop once no later stream can hold a
//                     later start   cloudwatch-latest.ts
//                 ──▶ mnist-train events: all of that run, every stream (FilterLogEvents
//                     with { $.run_id = "<id>" }); trainer text: its stream from the head
//   a whole group ──▶ (--list, --run all, --history) Logs Insights or FilterLogEvents: --engine, cloudwatch-group.ts
//   --run all|id  ──▶ FilterLogEvents over the stream prefix (or the one stream) in the
//                     window; a run the window cut is then read whole   cloudwatch-filtered.ts
//
// Records are yielded a page at a time, so memory does not grow with the events fetched.
// The caller (collectRuns) consumes the whole fetch before anything is analysed: a fetch that
// fails half-way throws out of it and no partial run is ever rendered. Duplicates (the same
// eventId twice, the same event twice in a stream) are the runs stage's to drop and count.

import type { CloudWatchLogsClient, FilterLogEventsCommandOutput, GetLogEventsCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { UserError } from '../errors.js';
import type { LogFormat, LogRecord } from '../types.js';
import { createLogsClient, type LogsSdk } from './cloudwatch-client.js';
import { cloudWatchFailure } from './cloudwatch-errors.js';
import { readFiltered } from './cloudwatch-filtered.js';
import { readGroup, type Engine } from './cloudwatch-group.js';
import { readLatest } from './cloudwatch-latest.js';
import { parseTimeBound } from './cloudwatch-time.js';
import { eventsFetched, noEvents, pageRead, sinceInFuture, sinceNotBeforeUntil } from '../wording/cloudwatch.js';

export interface CloudWatchSourceOptions {
  logGroup: string;
  region?: string;
  profile?: string;
  logStream?: string;
  logStreamPrefix?: string;
  /** now, a duration back from now (2h, "2h ago"), epoch s/ms, or a timestamp (no zone = UTC). */
  since?: string;
  until?: string;
  run: 'latest' | 'all' | string;
  /** How a whole group (run 'all') is read: Logs Insights, FilterLogEvents, or Insights when allowed (cloudwatch-group.ts). */
  engine?: Engine;
  /** With run 'all': the runs the caller renders in full ('none' for a listing, 'latest', 'all' or an id); Insights reads only those whole. */
  readWhole?: string;
  endpointUrl?: string;
  onProgress?: (message: string) => void;
  /**
   * Called after each Logs Insights answer, once it is garbage (before the next poll, or when its
   * window is done): answers carry up to 10,000 rows (megabytes each, of JSON, the SDK's objects
   * and our rows), so the caller may collect them.
   */
  afterAnswer?: () => void;
  /** The clock, for --since/--until (tests pass a fixed one). */
  now?: number;
  maxAttempts?: number;
  /** Per request (default 30 s). */
  timeoutMs?: number;
}

export interface Window { startTime?: number; endTime?: number }

export interface Ctx {
  sdk: LogsSdk;
  client: CloudWatchLogsClient;
  opts: CloudWatchSourceOptions;
  window: Window;
  endpoint: string | undefined;
  progress: (message: string) => void;
  /** LogRecord.source of every record: one string, so collectRuns sees the same source by identity. */
  source: string;
}

/** Yields the records of the selected run(s), one array per page fetched. */
export async function* readCloudWatchRecords(options: CloudWatchSourceOptions): AsyncGenerator<LogRecord[]> {
  const ctx = await openCloudWatch(options);
  const { client, window } = ctx;
  let count = 0;
  try {
    const pages = options.run === 'latest' ? readLatest(ctx) : options.run === 'all' ? readGroup(ctx) : readFiltered(ctx);
    for await (const page of pages) {
      count += page.length;
      if (page.length) yield page;
    }
  } finally {
    client.destroy();
  }
  if (count === 0) throw new NoEventsError(noEvents(options, window));
  ctx.progress(eventsFetched(count));
}

/** The flags checked, the window resolved and the client made (read once, or followed: cloudwatch-follow.ts); the caller destroys the client. */
export async function openCloudWatch(options: CloudWatchSourceOptions): Promise<Ctx> {
  const now = options.now ?? Date.now();
  const window: Window = {
    ...(options.since ? { startTime: parseTimeBound(options.since, now, '--since') } : {}),
    ...(options.until ? { endTime: parseTimeBound(options.until, now, '--until') } : {}),
  };
  // before any request: the service's own "End time should not be before the start time", or
  // "no events in the time window", did not say that the window itself was empty
  if (window.startTime !== undefined && window.startTime > now) throw new UserError(sinceInFuture(options.since!, window.startTime, now));
  if (window.startTime !== undefined && window.endTime !== undefined && window.startTime >= window.endTime) {
    throw new UserError(sinceNotBeforeUntil(options.since!, window.startTime, options.until!, window.endTime));
  }
  if (options.logStream && options.logStreamPrefix) throw new UserError('use either --log-stream or --log-stream-prefix, not both');
  const progress = options.onProgress ?? (() => {});
  const { sdk, client, endpoint } = await createLogsClient({ ...options, onRetry: (line) => progress(`cloudwatch: ${line}`) });
  return { sdk, client, opts: options, window, endpoint, progress, source: `cloudwatch:${options.logGroup}` };
}

/** The read found no event at all (a --baseline read says so in its own words). */
export class NoEventsError extends UserError {}

/** Maps any SDK failure of `fn` to one line (UserError or ServiceError). */
export async function call<T>(ctx: Ctx, permission: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw failure(ctx, permission, err);
  }
}

export function failure(ctx: Ctx, permission: string, err: unknown): Error {
  return cloudWatchFailure(err, {
    action: `reading log group ${ctx.opts.logGroup}`, logGroup: ctx.opts.logGroup, logStream: ctx.opts.logStream,
    permission, endpoint: ctx.endpoint, profile: ctx.opts.profile, timeoutMs: ctx.opts.timeoutMs ?? 30_000,
  });
}

/**
 * Whether reading `run` from a log group fetches an mnist-train run's events by its run_id alone
 * (runIdPattern), so that lines of its streams without one are not read: --run ID (readFiltered), and
 * --run latest (readLatest) unless --log-stream names a stream, which it reads whole. --run all reads
 * everything, and a text run has no run_id: its stream is read whole.
 */
export function readsByRunId(o: { run: string; logStream?: string | undefined }, format: LogFormat): boolean {
  return format === 'events' && o.run !== 'all' && !(o.run === 'latest' && o.logStream);
}

/** JSON filter pattern for one run id; quotes and backslashes escaped. */
export function runIdPattern(id: string): string {
  return `{ $.run_id = "${id.replace(/[\\"]/g, (c) => `\\${c}`)}" }`;
}

export interface FilterInput {
  logGroupName: string;
  logStreamNames?: string[];
  logStreamNamePrefix?: string;
  filterPattern?: string;
  startTime?: number;
  endTime?: number;
}

/** FilterLogEvents, one array of records per page (empty pages included: the caller skips them). */
export function filterPages(ctx: Ctx, input: FilterInput, label: string): AsyncGenerator<LogRecord[]> {
  const pages = ctx.sdk.paginateFilterLogEvents({ client: ctx.client }, input);
  return recordPages(ctx, 'logs:FilterLogEvents', `${label}: `, pages, (p: FilterLogEventsCommandOutput) =>
    (p.events ?? []).flatMap((e) => (e.message === undefined ? [] : [record(ctx, e.logStreamName ?? null, e.message, e.timestamp, e.eventId ?? null)])));
}

/** GetLogEvents forwards from the head of one stream, inside `window`, one array per page. */
export function streamPages(ctx: Ctx, stream: string, window: Window): AsyncGenerator<LogRecord[]> {
  ctx.progress(`cloudwatch: reading stream ${stream}`);
  const pages = ctx.sdk.paginateGetLogEvents(
    { client: ctx.client, stopOnSameToken: true },
    { logGroupName: ctx.opts.logGroup, logStreamName: stream, startFromHead: true, ...window },
  );
  return recordPages(ctx, 'logs:GetLogEvents', '', pages, (p: GetLogEventsCommandOutput) =>
    (p.events ?? []).flatMap((e) => (e.message === undefined ? [] : [record(ctx, stream, e.message, e.timestamp, null)])));
}

/** A paginator's pages as records, an SDK failure as one line, progress after each page. */
async function* recordPages<P>(ctx: Ctx, permission: string, label: string, pages: AsyncIterable<P>, toRecords: (page: P) => LogRecord[]): AsyncGenerator<LogRecord[]> {
  const it = pages[Symbol.asyncIterator]();
  let page = 0;
  let events = 0;
  for (;;) {
    let next: IteratorResult<P>;
    try {
      next = await it.next();
    } catch (err) {
      throw failure(ctx, permission, err);
    }
    if (next.done) return;
    const out = toRecords(next.value);
    events += out.length;
    ctx.progress(pageRead(label, ++page, out.length, events));
    yield out;
  }
}

export function record(ctx: Ctx, stream: string | null, message: string, timestamp: number | undefined, eventId: string | null): LogRecord {
  return { message, source: ctx.source, stream, timestamp: timestamp ?? null, eventId, line: null };
}
