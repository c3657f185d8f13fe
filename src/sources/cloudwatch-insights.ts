// One Logs Insights query over a log group's time window, run as as many queries as it takes
// for none to lose rows to the 10,000-row result cap:
//
//   [start, end] ──StartQuery──▶ queryId ──GetQueryResults (polled, backoff)──▶ Complete: rows, statistics
//     capped (10,000 rows returned, more matched): the rows before the last row's second are whole
//     (sorted by @timestamp asc); the rest of the window, [that second, end], is split into
//     pieces of about 5,000 expected rows by the statistics' recordsMatched, and each is run again
//
// Queries run a few at a time (the account allows 30 at once, shared with dashboards and
// colleagues); a LimitExceededException, once the SDK's retries are spent, lowers our own
// count and the window waits its turn. Windows are whole epoch seconds, both ends included,
// as StartQuery takes them. A failure stops the queries still running (StopQuery).

import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LogsSdk } from './cloudwatch-client.js';

const ROW_CAP = 10_000;
/** Queries of ours running at once. */
const CONCURRENCY = 4;
/** A window is split so that each piece should match about this many rows: half the cap, room for uneven time. */
const ROWS_PER_PIECE = ROW_CAP / 2;
const POLL_FIRST_MS = 150;
const POLL_MAX_MS = 2_500;

export interface InsightsRow { timestamp: number; stream: string; message: string; ptr: string }

export interface InsightsTotals {
  queries: number;
  /** Windows that came back at the cap and were split. */
  split: number;
  rows: number;
  bytesScanned: number;
  recordsScanned: number;
  /** Seconds that alone held more than the cap (their rows beyond it are lost; said on stderr). */
  overfull: number[];
}

export interface InsightsQuery {
  sdk: LogsSdk;
  client: CloudWatchLogsClient;
  logGroup: string;
  queryString: string;
  /** Epoch seconds, inclusive. */
  startSec: number;
  endSec: number;
  progress: (message: string) => void;
}

interface Win { start: number; end: number }

/** Every row the query matches in the window, oldest first, and what it cost. */
export async function runInsights(q: InsightsQuery): Promise<{ rows: InsightsRow[]; totals: InsightsTotals }> {
  const totals: InsightsTotals = { queries: 0, split: 0, rows: 0, bytesScanned: 0, recordsScanned: 0, overfull: [] };
  const rows: InsightsRow[] = [];
  const running = new Set<string>();

  async function runWindow(w: Win): Promise<Win[]> {
    const started = await q.client.send(new q.sdk.StartQueryCommand({
      logGroupName: q.logGroup, startTime: w.start, endTime: w.end, queryString: q.queryString, limit: ROW_CAP,
    }));
    const id = started.queryId!;
    running.add(id);
    totals.queries++;
    let wait = POLL_FIRST_MS;
    for (;;) {
      await sleep(wait);
      wait = Math.min(POLL_MAX_MS, Math.round(wait * 1.6));
      const r = await q.client.send(new q.sdk.GetQueryResultsCommand({ queryId: id }));
      if (r.status === 'Scheduled' || r.status === 'Running') continue;
      running.delete(id);
      if (r.status !== 'Complete') throw new Error(`Logs Insights query ${id} ended ${r.status ?? 'without a status'}`);
      totals.bytesScanned += r.statistics?.bytesScanned ?? 0;
      totals.recordsScanned += r.statistics?.recordsScanned ?? 0;
      const got = (r.results ?? []).map(toRow);
      const matched = r.statistics?.recordsMatched ?? got.length;
      if (got.length < ROW_CAP || matched <= got.length) {
        rows.push(...got);
        return [];
      }
      return splitCapped(w, got, matched);
    }
  }

  function splitCapped(w: Win, got: InsightsRow[], matched: number): Win[] {
    totals.split++;
    const lastSec = Math.floor(got.at(-1)!.timestamp / 1000);
    if (lastSec === w.end && w.start === w.end) {
      // one second holding more rows than the cap: time cannot split it further
      totals.overfull.push(w.start);
      rows.push(...got);
      return [];
    }
    // rows before the last row's second are whole; that second may have been cut
    const whole = got.filter((r) => Math.floor(r.timestamp / 1000) < lastSec);
    rows.push(...whole);
    const rest: Win = { start: lastSec, end: w.end };
    const pieces = Math.min(rest.end - rest.start + 1, Math.max(2, Math.ceil((matched - whole.length) / ROWS_PER_PIECE)));
    return evenPieces(rest, pieces);
  }

  try {
    await pool([{ start: q.startSec, end: q.endSec }], runWindow);
  } catch (err) {
    await Promise.allSettled([...running].map((queryId) => q.client.send(new q.sdk.StopQueryCommand({ queryId }))));
    throw err;
  }
  rows.sort((a, b) => a.timestamp - b.timestamp);
  totals.rows = rows.length;
  return { rows, totals };
}

/** `n` windows of whole seconds covering `w`, as even as seconds allow. */
function evenPieces(w: Win, n: number): Win[] {
  const span = w.end - w.start + 1;
  const out: Win[] = [];
  for (let i = 0; i < n; i++) {
    const start = w.start + Math.floor((span * i) / n);
    const end = w.start + Math.floor((span * (i + 1)) / n) - 1;
    if (end >= start) out.push({ start, end });
  }
  return out;
}

/** Runs `run` over the windows, CONCURRENCY at a time; a window may give more windows. */
function pool(initial: Win[], run: (w: Win) => Promise<Win[]>): Promise<void> {
  const queue = [...initial];
  let active = 0;
  let cap = CONCURRENCY;
  let failed = false;
  return new Promise((resolve, reject) => {
    const pump = (): void => {
      if (failed) return;
      if (!queue.length && active === 0) return resolve();
      while (queue.length && active < cap) {
        const w = queue.shift()!;
        active++;
        run(w).then(
          (more) => { active--; queue.push(...more); pump(); },
          (err: unknown) => {
            active--;
            if ((err as Error)?.name === 'LimitExceededException' && active > 0) {
              // the account's concurrent queries are taken (by others too): fewer of ours at once
              cap = Math.max(1, active);
              queue.unshift(w);
              return;
            }
            failed = true;
            reject(err);
          },
        );
      }
    };
    pump();
  });
}

function toRow(fields: { field?: string; value?: string }[]): InsightsRow {
  const row: InsightsRow = { timestamp: 0, stream: '', message: '', ptr: '' };
  for (const f of fields) {
    if (f.field === '@timestamp') row.timestamp = Date.parse(`${(f.value ?? '').replace(' ', 'T')}Z`);
    else if (f.field === '@logStream') row.stream = f.value ?? '';
    else if (f.field === '@message') row.message = f.value ?? '';
    else if (f.field === '@ptr') row.ptr = f.value ?? '';
  }
  return row;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
