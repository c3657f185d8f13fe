// A run's log records from CloudWatch Logs.
//
//   --run latest  ──▶ find the stream: --log-stream, else DescribeLogStreams ordered by
//                     LastEventTime (1 call), else with a prefix page by name and take the
//                     stream with the latest event ──▶ GetLogEvents from the head
//                     (stopOnSameToken) inside the time window
//   --run all|id  ──▶ FilterLogEvents over the stream prefix (or the one stream) with
//                     { $.run_id = "<id>" } for an id, no pattern for all (text trainers'
//                     lines must reach the parser too)
//   then          ──▶ dedupe by eventId, sort by timestamp (stable: a stream keeps its order)
//
// The whole fetch completes before the first record is yielded: a fetch that fails half-way
// throws and the caller never sees (or renders) a partial run.

import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { UserError } from '../errors.js';
import type { LogRecord } from '../types.js';
import { createLogsClient, type LogsSdk } from './cloudwatch-client.js';
import { cloudWatchFailure } from './cloudwatch-errors.js';
import { parseTimeBound } from './cloudwatch-time.js';

export interface CloudWatchSourceOptions {
  logGroup: string;
  region?: string;
  profile?: string;
  logStream?: string;
  logStreamPrefix?: string;
  /** A duration back from now (2h, 7d) or a timestamp. */
  since?: string;
  until?: string;
  run: 'latest' | 'all' | string;
  endpointUrl?: string;
  onProgress?: (message: string) => void;
  /** The clock, for --since/--until (tests pass a fixed one). */
  now?: number;
  maxAttempts?: number;
}

interface Ctx {
  sdk: LogsSdk;
  client: CloudWatchLogsClient;
  opts: CloudWatchSourceOptions;
  window: { startTime?: number; endTime?: number };
  endpoint: string | undefined;
  progress: (message: string) => void;
  /** LogRecord.source of every record: one string, so collectRuns sees the same source by identity. */
  source: string;
}

/**
 * Yields the records of the selected run(s), only after the whole fetch has succeeded:
 * one array, as the file source yields its blocks (an await per record costs more
 * than parsing it).
 */
export async function* readCloudWatchRecords(options: CloudWatchSourceOptions): AsyncGenerator<LogRecord[]> {
  const now = options.now ?? Date.now();
  const window = {
    ...(options.since ? { startTime: parseTimeBound(options.since, now, '--since') } : {}),
    ...(options.until ? { endTime: parseTimeBound(options.until, now, '--until') } : {}),
  };
  if (window.startTime !== undefined && window.endTime !== undefined && window.startTime >= window.endTime) {
    throw new UserError('--since must be earlier than --until');
  }
  if (options.logStream && options.logStreamPrefix) throw new UserError('use either --log-stream or --log-stream-prefix, not both');
  const { sdk, client, endpoint } = await createLogsClient(options);
  const progress = options.onProgress ?? (() => {});
  const ctx: Ctx = { sdk, client, opts: options, window, endpoint, progress, source: `cloudwatch:${options.logGroup}` };
  let records: LogRecord[];
  try {
    records = options.run === 'latest' ? await readLatest(ctx) : await readFiltered(ctx);
  } finally {
    client.destroy();
  }
  if (records.length === 0) throw new UserError(noEventsMessage(options, window));
  progress(`cloudwatch: ${records.length} events fetched`);
  yield records;
}

function noEventsMessage(o: CloudWatchSourceOptions, w: Ctx['window']): string {
  const where = o.logStream ? `log stream ${o.logStream}` : o.logStreamPrefix ? `streams starting with ${o.logStreamPrefix}` : 'any stream';
  const span = w.startTime !== undefined || w.endTime !== undefined
    ? ` between ${w.startTime !== undefined ? new Date(w.startTime).toISOString() : 'the beginning'} and ${w.endTime !== undefined ? new Date(w.endTime).toISOString() : 'now'}`
    : '';
  const run = o.run === 'latest' || o.run === 'all' ? '' : ` for run ${o.run}`;
  return `log group ${o.logGroup}: no events${run} in ${where}${span}`;
}

async function call<T>(ctx: Ctx, permission: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw cloudWatchFailure(err, {
      action: `reading log group ${ctx.opts.logGroup}`, logGroup: ctx.opts.logGroup, logStream: ctx.opts.logStream,
      permission, endpoint: ctx.endpoint, profile: ctx.opts.profile,
    });
  }
}

// ---------------------------------------------------------------------------
// latest: one stream, read from the head

async function readLatest(ctx: Ctx): Promise<LogRecord[]> {
  const stream = ctx.opts.logStream ?? (await findLatestStream(ctx));
  ctx.progress(`cloudwatch: reading stream ${stream}`);
  const records: LogRecord[] = [];
  const pages = ctx.sdk.paginateGetLogEvents(
    { client: ctx.client, stopOnSameToken: true },
    { logGroupName: ctx.opts.logGroup, logStreamName: stream, startFromHead: true, ...ctx.window },
  );
  await call(ctx, 'logs:GetLogEvents', async () => {
    let page = 0;
    for await (const p of pages) {
      page++;
      for (const e of p.events ?? []) {
        if (e.message === undefined) continue;
        records.push(record(ctx, stream, e.message, e.timestamp, null));
      }
      ctx.progress(`cloudwatch: page ${page}, ${records.length} events`);
    }
  });
  return records.sort(byTime);
}

/**
 * The stream whose last event is the newest and which has events inside the window.
 * lastEventTimestamp is eventually consistent in the service (usually updated within an
 * hour), which is why --log-stream and --run <id> exist for a run that just ended.
 */
async function findLatestStream(ctx: Ctx): Promise<string> {
  const { startTime, endTime } = ctx.window;
  const inWindow = (s: { firstEventTimestamp?: number; lastEventTimestamp?: number }): boolean =>
    s.lastEventTimestamp !== undefined &&
    (startTime === undefined || s.lastEventTimestamp >= startTime) &&
    (endTime === undefined || (s.firstEventTimestamp ?? 0) < endTime);
  const prefix = ctx.opts.logStreamPrefix;
  let seen = 0;
  let best: { name: string; last: number } | null = null;
  // The service refuses a prefix together with orderBy LastEventTime: with a prefix, page by name.
  const input = prefix !== undefined
    ? { logGroupName: ctx.opts.logGroup, logStreamNamePrefix: prefix }
    : { logGroupName: ctx.opts.logGroup, orderBy: 'LastEventTime' as const, descending: true };
  // The newest stream is usually the answer: ask for one first, then for full pages.
  let nextToken: string | undefined;
  let limit = prefix !== undefined ? 50 : 1;
  await call(ctx, 'logs:DescribeLogStreams', async () => {
    do {
      const page = await ctx.client.send(new ctx.sdk.DescribeLogStreamsCommand({ ...input, limit, nextToken }));
      const streams = page.logStreams ?? [];
      seen += streams.length;
      for (const s of streams) {
        if (!s.logStreamName || !inWindow(s)) continue;
        if (!best || s.lastEventTimestamp! > best.last) best = { name: s.logStreamName, last: s.lastEventTimestamp! };
      }
      if (prefix === undefined) {
        if (best) break;
        // Ordered newest first: once a stream ends before the window starts, none later can be in it.
        const oldest = streams.at(-1)?.lastEventTimestamp;
        if (startTime !== undefined && oldest !== undefined && oldest < startTime) break;
      }
      nextToken = page.nextToken;
      limit = 50;
      ctx.progress(`cloudwatch: ${seen} streams examined`);
    } while (nextToken);
  });
  const found = best as { name: string; last: number } | null;
  if (!found) {
    const where = prefix !== undefined ? ` starting with ${prefix}` : '';
    throw new UserError(seen === 0
      ? `log group ${ctx.opts.logGroup} has no log streams${where}`
      : `log group ${ctx.opts.logGroup}: no log stream${where} has events in the time window`);
  }
  ctx.progress(`cloudwatch: latest stream ${found.name} (last event ${new Date(found.last).toISOString()})`);
  return found.name;
}

// ---------------------------------------------------------------------------
// all / a run id: FilterLogEvents

/** JSON filter pattern for one run id; quotes and backslashes escaped. */
export function runIdPattern(id: string): string {
  return `{ $.run_id = "${id.replace(/[\\"]/g, (c) => `\\${c}`)}" }`;
}

async function readFiltered(ctx: Ctx): Promise<LogRecord[]> {
  const { opts } = ctx;
  const input = {
    logGroupName: opts.logGroup,
    ...(opts.logStream ? { logStreamNames: [opts.logStream] } : {}),
    ...(opts.logStreamPrefix !== undefined ? { logStreamNamePrefix: opts.logStreamPrefix } : {}),
    ...(opts.run !== 'all' ? { filterPattern: runIdPattern(opts.run) } : {}),
    ...ctx.window,
  };
  const seen = new Set<string>();
  const records: LogRecord[] = [];
  const streams = new Set<string>();
  let duplicates = 0;
  await call(ctx, 'logs:FilterLogEvents', async () => {
    let page = 0;
    for await (const p of ctx.sdk.paginateFilterLogEvents({ client: ctx.client }, input)) {
      page++;
      for (const e of p.events ?? []) {
        if (e.message === undefined) continue;
        if (e.eventId) {
          if (seen.has(e.eventId)) { duplicates++; continue; }
          seen.add(e.eventId);
        }
        const stream = e.logStreamName ?? null;
        if (stream) streams.add(stream);
        records.push(record(ctx, stream, e.message, e.timestamp, e.eventId ?? null));
      }
      ctx.progress(`cloudwatch: page ${page}, ${records.length} events from ${streams.size} streams`);
    }
  });
  if (duplicates) ctx.progress(`cloudwatch: ${duplicates} duplicate events dropped`);
  return records.sort(byTime);
}

// ---------------------------------------------------------------------------

function record(ctx: Ctx, stream: string | null, message: string, timestamp: number | undefined, eventId: string | null): LogRecord {
  return { message, source: ctx.source, stream, timestamp: timestamp ?? null, eventId, line: null };
}

function byTime(a: LogRecord, b: LogRecord): number {
  return (a.timestamp ?? 0) - (b.timestamp ?? 0);
}
