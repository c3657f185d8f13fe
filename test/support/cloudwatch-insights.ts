// CloudWatch Logs Insights in the test server: StartQuery, GetQueryResults, StopQuery over the
// store's events, with the service's behaviour where a client can trip on it:
//
// - StartQuery answers a queryId; the query is Scheduled, then Running (partial results),
//   then Complete, one step per GetQueryResults poll (or after `maxRunMs`, as a real query
//   finishes whether or not anyone asks); StopQuery on a Scheduled/Running query makes it
//   Cancelled, on any other an InvalidParameterException ("not running").
// - startTime/endTime are epoch seconds, both inclusive; `limit` (request, or `| limit N`)
//   caps the rows at 10,000 (default 10,000); statistics count what the query scanned
//   (recordsScanned, bytesScanned: every event of the group in the window) and matched
//   (recordsMatched: before the limit, as the service reports it).
// - At most `concurrency` queries Scheduled or Running at once (30 by default, the account
//   quota); one more is LimitExceededException.
// - A query outside the parsed subset (cloudwatch-query.ts) is MalformedQueryException.
// - `mode`: 'missing' answers the three actions as an endpoint without them
//   (UnknownOperationException); 'denied' as IAM without logs:StartQuery (AccessDeniedException).

import { randomUUID } from 'node:crypto';
import { ACCOUNT, AwsError, type Group, type Store } from './cloudwatch-store.js';
import { insightsTime, parseQuery, QueryError, valueOf, type Row } from './cloudwatch-query.js';

export const INSIGHTS_OPERATIONS = ['StartQuery', 'GetQueryResults', 'StopQuery'] as const;
const MAX_ROWS = 10_000;

type Status = 'Scheduled' | 'Running' | 'Complete' | 'Cancelled';
interface Stats { recordsMatched: number; recordsScanned: number; bytesScanned: number }
interface RunningQuery { id: string; status: Status; polls: number; started: number; fields: string[]; rows: Row[]; stats: Stats; scanned: boolean; cap: number }

type Req = Record<string, unknown>;

export class Insights {
  mode: 'available' | 'missing' | 'denied' = 'available';
  /** Queries Scheduled or Running at once before StartQuery answers LimitExceededException. */
  concurrency = 30;
  /** Polls a query spends Scheduled and Running before it is Complete. */
  pollsBeforeComplete = 2;
  /** Events a query scans before it lets the server answer other requests. */
  scanSlice = 100_000;
  /** A query left alone is Complete after this long. */
  maxRunMs = 10_000;
  /** Milliseconds this process spent running queries (the service does that work on its own machines; benches subtract it). */
  busyMs = 0;
  /** Every query run, for tests: its window (seconds) and what it matched. */
  readonly log: { startTime: number; endTime: number; queryString: string; matched: number; returned: number }[] = [];
  private queries = new Map<string, RunningQuery>();

  constructor(private readonly store: Store) {}

  handles(op: string): boolean {
    return (INSIGHTS_OPERATIONS as readonly string[]).includes(op);
  }

  /** The answer to one of the Insights actions. */
  handle(op: string, req: Req): Req {
    if (this.mode === 'missing') throw new AwsError('UnknownOperationException', `Operation ${op} is not supported by this endpoint.`);
    if (this.mode === 'denied') {
      throw new AwsError('AccessDeniedException', `User: arn:aws:iam::${ACCOUNT}:user/test is not authorized to perform: logs:${op} because no identity-based policy allows the logs:${op} action`);
    }
    if (op === 'StartQuery') return this.startQuery(req);
    const q = this.lookup(req);
    return op === 'GetQueryResults' ? this.results(q) : this.stop(q);
  }

  reset(): void {
    this.queries.clear();
    this.log.length = 0;
    this.mode = 'available';
    this.concurrency = 30;
    this.pollsBeforeComplete = 2;
    this.scanSlice = 100_000;
  }

  private startQuery(req: Req): Req {
    const named = ['logGroupName', 'logGroupNames', 'logGroupIdentifiers'].filter((k) => req[k] !== undefined);
    if (named.length !== 1) throw new AwsError('InvalidParameterException', 'A StartQuery operation must include exactly one of logGroupName, logGroupNames or logGroupIdentifiers.');
    const groupNames = typeof req.logGroupName === 'string' ? [req.logGroupName] : (req[named[0]!] as unknown[]);
    if (!Array.isArray(groupNames) || groupNames.length < 1 || groupNames.length > 50) throw new AwsError('InvalidParameterException', 'You can query between 1 and 50 log groups.');
    const groups = groupNames.map((n) => this.store.group({ logGroupName: String(n).replace(/^arn:.*:log-group:/, '') }));
    const start = req.startTime;
    const end = req.endTime;
    if (typeof start !== 'number' || !Number.isInteger(start) || start < 0) throw new AwsError('InvalidParameterException', "1 validation error detected: Value at 'startTime' failed to satisfy constraint: Member must not be null and must be a whole number of seconds");
    if (typeof end !== 'number' || !Number.isInteger(end) || end < 0) throw new AwsError('InvalidParameterException', "1 validation error detected: Value at 'endTime' failed to satisfy constraint: Member must not be null and must be a whole number of seconds");
    if (end < start) throw new AwsError('InvalidParameterException', 'End time should not be before the start time');
    if (typeof req.queryString !== 'string' || req.queryString === '') throw new AwsError('InvalidParameterException', "1 validation error detected: Value null at 'queryString' failed to satisfy constraint: Member must not be null");
    const limit = req.limit;
    if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_ROWS)) {
      throw new AwsError('InvalidParameterException', `1 validation error detected: Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must have value between 1 and ${MAX_ROWS}`);
    }
    let query;
    try { query = parseQuery(req.queryString); } catch (err) {
      if (err instanceof QueryError) throw new AwsError('MalformedQueryException', `unexpected symbol found in query: ${err.message}`);
      throw err;
    }
    this.settle();
    const active = [...this.queries.values()].filter((q) => q.status === 'Scheduled' || q.status === 'Running').length;
    if (active >= this.concurrency) throw new AwsError('LimitExceededException', `Account maximum query concurrency limit of [${this.concurrency}] reached.`);

    // The scan runs beside the polls, a slice at a time, as the service's does: StartQuery answers at
    // once however big the group, and the query is not Complete before its scan is done.
    const cap = Math.min(query.limit ?? MAX_ROWS, (limit as number | undefined) ?? MAX_ROWS);
    const q: RunningQuery = {
      id: randomUUID(), status: 'Scheduled', polls: 0, started: Date.now(), fields: query.fields, rows: [],
      stats: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 }, scanned: false, cap,
    };
    const entry = { startTime: start, endTime: end, queryString: req.queryString, matched: 0, returned: 0 };
    this.log.push(entry);
    const scan = scanInto(q, groups, start * 1000, end * 1000 + 999, query.match, this.scanSlice);
    const step = (): void => {
      if (q.status === 'Cancelled') return;
      const began = performance.now();
      const done = scan.next().done;
      this.busyMs += performance.now() - began;
      if (!done) { setImmediate(step); return; }
      const dir = query.order === 'asc' ? 1 : -1;
      q.rows.sort((a, b) => dir * (a.timestamp - b.timestamp || (a.ptr < b.ptr ? -1 : a.ptr > b.ptr ? 1 : 0)));
      if (q.rows.length > cap) q.rows.length = cap;
      q.scanned = true;
      entry.matched = q.stats.recordsMatched;
      entry.returned = q.rows.length;
    };
    this.queries.set(q.id, q);
    step(); // a small group is scanned before StartQuery answers
    return { queryId: q.id };
  }

  private lookup(req: Req): RunningQuery {
    if (typeof req.queryId !== 'string' || req.queryId === '') throw new AwsError('InvalidParameterException', "1 validation error detected: Value null at 'queryId' failed to satisfy constraint: Member must not be null");
    const q = this.queries.get(req.queryId);
    if (!q) throw new AwsError('ResourceNotFoundException', `Query does not exist: ${req.queryId}`);
    return q;
  }

  private results(q: RunningQuery): Req {
    this.settle();
    if (q.status === 'Scheduled' || q.status === 'Running') {
      q.polls++;
      q.status = q.polls > this.pollsBeforeComplete && q.scanned ? 'Complete' : q.polls === 1 ? 'Scheduled' : 'Running';
    }
    // Scheduled: nothing yet; Running: part of the rows and statistics; Complete/Cancelled: as far as it got.
    // An answer never holds more rows than the query's limit, while it runs either (the scan collects
    // every match before the sort and the cut).
    const share = q.status === 'Scheduled' ? 0 : q.status === 'Running' ? 0.5 : 1;
    const rows = q.rows.slice(0, Math.min(q.cap, Math.floor(q.rows.length * share)));
    const stat = (n: number): number => Math.floor(n * share);
    return {
      status: q.status,
      statistics: { recordsMatched: stat(q.stats.recordsMatched), recordsScanned: stat(q.stats.recordsScanned), bytesScanned: stat(q.stats.bytesScanned) },
      results: rows.map((r) => [...q.fields.filter((f) => f !== '@ptr'), '@ptr'].flatMap((f) => {
        const value = f === '@timestamp' ? insightsTime(r.timestamp) : valueOf(r, f);
        return value === undefined ? [] : [{ field: f, value }];
      })),
    };
  }

  private stop(q: RunningQuery): Req {
    this.settle();
    if (q.status !== 'Scheduled' && q.status !== 'Running') throw new AwsError('InvalidParameterException', `Query ${q.id} is not running.`);
    q.status = 'Cancelled';
    q.rows.length = Math.floor(q.rows.length / 2);
    return { success: true };
  }

  /** Queries left alone finish by themselves. */
  private settle(): void {
    const now = Date.now();
    for (const q of this.queries.values()) if ((q.status === 'Scheduled' || q.status === 'Running') && q.scanned && now - q.started > this.maxRunMs) q.status = 'Complete';
  }
}

/** Scans the window into the query's rows and statistics, `slice` events between yields. */
function* scanInto(q: RunningQuery, groups: Group[], lo: number, hi: number, match: (r: Row) => boolean, slice: number): Generator<void> {
  let budget = slice;
  for (const g of groups) {
    for (const s of g.streams.values()) {
      const ev = s.events;
      for (let i = firstAtOrAfter(ev, lo); i < ev.length && ev[i]!.timestamp <= hi; i++) {
        const e = ev[i]!;
        q.stats.recordsScanned++;
        q.stats.bytesScanned += Buffer.byteLength(e.message, 'utf8');
        const row: Row = { timestamp: e.timestamp, ingestionTime: e.ingestionTime, message: e.message, stream: s.name, group: g.name, ptr: e.eventId };
        if (match(row)) {
          q.stats.recordsMatched++;
          q.rows.push(row);
        }
        if (--budget === 0) { budget = slice; yield; }
      }
    }
  }
}

/** Index of the first event at or after `ms` (events are sorted by timestamp). */
function firstAtOrAfter(ev: { timestamp: number }[], ms: number): number {
  let lo = 0;
  let hi = ev.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ev[mid]!.timestamp < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
