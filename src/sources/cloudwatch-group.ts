// A whole log group (--list, --run all, --history) read with Logs Insights (--engine):
//
//   one query ──cloudwatch-insights.ts──▶ run_start, epoch_end, run_end of every mnist-train run
//     (and every line that is not an mnist-train event: text trainers' logs are read whole),
//     handed on a window of rows at a time, oldest first (the group's rows are never all held)
//   ──▶ the runs the report renders (--readWhole: the latest, one id, or all) are read again whole,
//       FilterLogEvents { $.run_id = "<id>" } over their own streams and time range (batch
//       points, the evaluation event), and their Insights rows dropped
//   ──▶ runs the --since/--until window cut are completed beyond its edges (cloudwatch-filtered.ts)
//
// auto: Insights for --list and --history; --run all renders every run, so it needs every event
// anyway and reads with FilterLogEvents. Insights denied or missing on the endpoint: auto says so
// in one line and reads with FilterLogEvents; --engine insights stops with that line.

import type { LogRecord } from '../types.js';
import { UserError } from '../errors.js';
import { failure, filterPages, record, runIdPattern, type Ctx, type FilterInput } from './cloudwatch.js';
import { readCutRuns, readFiltered } from './cloudwatch-filtered.js';
import { RunEdges, runIdOf } from './cloudwatch-run-edges.js';
import { firstLine } from './cloudwatch-errors.js';
import { newTotals, runInsights, type InsightsRow, type InsightsTotals } from './cloudwatch-insights.js';

export type Engine = 'auto' | 'insights' | 'filter';
export const ENGINES: readonly Engine[] = ['auto', 'insights', 'filter'];

/** Error names that mean "no Insights here": IAM without logs:StartQuery, or an endpoint without the action. */
const UNAVAILABLE = new Set(['AccessDeniedException', 'AccessDenied', 'UnknownOperationException', 'UnrecognizedOperationException', 'NotImplemented', 'InvalidAction']);

/** The records of a whole log group by the engine the options ask for. */
export async function* readGroup(ctx: Ctx): AsyncGenerator<LogRecord[]> {
  const engine = ctx.opts.engine ?? 'auto';
  // a caller that does not say which runs it renders gets every event (as before --engine)
  const wanted = engine === 'auto' && (ctx.opts.readWhole ?? 'all') === 'all' ? 'filter' : engine;
  if (wanted === 'filter') return yield* readFiltered(ctx);
  const windows = queryGroup(ctx);
  let first: IteratorResult<InsightsRow[], void>;
  try {
    // "no Insights here" comes at the first StartQuery, before any row
    first = await windows.next();
  } catch (err) {
    const name = String((err as Error)?.name);
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (!UNAVAILABLE.has(name) && status !== 404 && status !== 501) throw failure(ctx, 'logs:StartQuery and logs:GetQueryResults', err);
    const why = `${name}: ${firstLine((err as Error).message, 200)}`;
    if (engine === 'insights') {
      throw new UserError(`reading log group ${ctx.opts.logGroup} with Logs Insights: not available (${why}); the caller needs logs:StartQuery, logs:GetQueryResults and logs:StopQuery, or use --engine filter`);
    }
    ctx.progress(`Logs Insights is not available for log group ${ctx.opts.logGroup} (${why}): reading it with FilterLogEvents instead`);
    return yield* readFiltered(ctx);
  }
  yield* completeRuns(ctx, theRest(ctx, first, windows));
}

/** The query's windows, the first one already read; a failure after it is one line, as any other. */
async function* theRest(ctx: Ctx, first: IteratorResult<InsightsRow[], void>, windows: AsyncGenerator<InsightsRow[]>): AsyncGenerator<InsightsRow[]> {
  if (first.done) return;
  yield first.value;
  try {
    yield* windows;
  } catch (err) {
    throw failure(ctx, 'logs:StartQuery and logs:GetQueryResults', err);
  }
}

/** The Insights query's rows, a window at a time, with its cost said on stderr at the end (bytes scanned are billed). */
async function* queryGroup(ctx: Ctx): AsyncGenerator<InsightsRow[]> {
  const now = ctx.opts.now ?? Date.now();
  const startSec = Math.floor((ctx.window.startTime ?? 0) / 1000);
  const endSec = Math.ceil((ctx.window.endTime ?? now) / 1000);
  const from = ctx.window.startTime !== undefined ? new Date(startSec * 1000).toISOString() : 'the first event';
  ctx.progress(`cloudwatch: Logs Insights query from ${from} to ${new Date(endSec * 1000).toISOString()}`);
  const totals = newTotals();
  yield* runInsights({
    sdk: ctx.sdk, client: ctx.client, logGroup: ctx.opts.logGroup, queryString: groupQuery(ctx), startSec, endSec, progress: ctx.progress,
    afterAnswer: ctx.opts.afterAnswer,
  }, totals);
  ctx.progress(costLine(totals));
  for (const sec of totals.overfull) {
    ctx.progress(`Logs Insights: the second ${new Date(sec * 1000).toISOString()} alone matched more than 10,000 rows; rows beyond them are missing (use --engine filter)`);
  }
}

function costLine(t: InsightsTotals): string {
  const mb = t.bytesScanned / 1e6;
  return `cloudwatch: Logs Insights: ${t.queries} ${t.queries === 1 ? 'query' : 'queries'} (${t.split} split at the 10,000-row cap), ` +
    `${t.recordsScanned} events and ${mb < 10 ? mb.toFixed(2) : mb.toFixed(0)} MB scanned (billed per GB scanned), ${t.rows} rows`;
}

/** Only run_start, epoch_end and run_end of our events; any other line (text trainers) as it is. */
function groupQuery(ctx: Ctx): string {
  const o = ctx.opts;
  const stream = o.logStream !== undefined ? `| filter @logStream = "${o.logStream.replace(/[\\"]/g, (c) => `\\${c}`)}"\n`
    : o.logStreamPrefix !== undefined ? `| filter @logStream like /^${o.logStreamPrefix.replace(/[\\^$.*+?()[\]{}|/]/g, (c) => `\\${c}`)}/\n` : '';
  return 'fields @timestamp, @logStream, @message\n' +
    '| filter @message like /"event" *: *"(run_start|epoch_end|run_end)"/ or @message not like /"schema" *: *"mnist-train\\//\n' +
    stream +
    '| sort @timestamp asc\n' +
    '| limit 10000';
}

interface RunSpan { first: number; last: number; streams: Set<string>; ended: boolean }

/**
 * Insights rows as records, a window at a time; the runs to render read again whole; runs cut by
 * the window completed. The rows of a run read whole are left out (its FilterLogEvents read
 * replaces them). For --run latest that run is the one whose first row came last, known only at
 * the end: the rows of the newest run so far are held back and handed on when a newer run
 * begins, before that run's first row, so the runs stage sees every record in the order of the
 * rows, but for the held ones, whose runs are still created in the same order.
 */
async function* completeRuns(ctx: Ctx, windows: AsyncIterable<InsightsRow[]>): AsyncGenerator<LogRecord[]> {
  const which = ctx.opts.readWhole ?? 'all';
  const spans = new Map<string, RunSpan>();
  const edges = ctx.window.startTime !== undefined || ctx.window.endTime !== undefined ? new RunEdges() : null;
  let held: { id: string; records: LogRecord[] } | null = null;
  for await (const rows of windows) {
    const out: LogRecord[] = [];
    for (const r of rows) {
      // (a listing needs a row's run only to tell a window's cut runs: edges)
      const id = edges ? edges.see(r.message) : which === 'none' ? null : runIdOf(r.message);
      // made only for the rows handed on or held (not those of a run read whole again)
      const rec = () => record(ctx, r.stream, r.message, r.timestamp, r.ptr);
      // a listing reads no run whole: nothing to note of its span
      if (id === null || which === 'none') {
        out.push(rec());
        continue;
      }
      let s = spans.get(id);
      if (!s) {
        spans.set(id, (s = { first: r.timestamp, last: r.timestamp, streams: new Set(), ended: false }));
        if (which === 'latest') {
          if (held) for (const h of held.records) out.push(h);
          held = { id, records: [] };
        }
      }
      s.first = Math.min(s.first, r.timestamp);
      s.last = Math.max(s.last, r.timestamp);
      s.streams.add(r.stream);
      if (/"event"\s*:\s*"run_end"/.test(r.message)) s.ended = true;
      if (held?.id === id) held.records.push(rec());
      else if (which !== 'all' && which !== id) out.push(rec());
    }
    if (out.length) yield out;
  }
  const whole = which === 'none' ? [] : which === 'all' ? [...spans.keys()] : which === 'latest' ? (held ? [held.id] : []) : spans.has(which) ? [which] : [];
  held = null;
  for (const id of whole) {
    const s = spans.get(id)!;
    const streams = [...s.streams];
    const input: FilterInput = {
      logGroupName: ctx.opts.logGroup, filterPattern: runIdPattern(id), startTime: s.first,
      ...(s.ended ? { endTime: s.last } : ctx.window.endTime !== undefined ? { endTime: ctx.window.endTime } : {}),
      ...(streams.length <= 100 ? { logStreamNames: streams } : ctx.opts.logStreamPrefix !== undefined ? { logStreamNamePrefix: ctx.opts.logStreamPrefix } : {}),
    };
    ctx.progress(`cloudwatch: reading run ${id} whole (${streams.length} ${streams.length === 1 ? 'stream' : 'streams'})`);
    yield* filterPages(ctx, input, `run ${id}`);
  }
  if (edges) yield* readCutRuns(ctx, edges);
}
