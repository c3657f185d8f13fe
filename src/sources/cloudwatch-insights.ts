// One Logs Insights query over a log group's time window, run as as many queries as it takes
// for none to lose rows to the 10,000-row result cap:
//
//   [start, end] ──StartQuery──▶ queryId ──GetQueryResults (polled, backoff)──▶ Complete: rows, statistics
//     capped (10,000 rows returned, more matched): the rows before the last row's second are whole
//     (sorted by @timestamp asc); the rest of the window, [that second, end], is split into
//     pieces of about 2,500 expected rows by the statistics' recordsMatched, and each is run again
//
// Queries run a few at a time (the account allows 30 at once, shared with dashboards and
// colleagues); a LimitExceededException, once the SDK's retries are spent, lowers our own
// count and the window waits its turn. Windows are whole epoch seconds, both ends included,
// as StartQuery takes them. A failure stops the queries still running (StopQuery).
// The rows are handed on a window at a time, oldest window first, as soon as every earlier
// window is done, so the group's rows are never all in memory at once.

import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LogsSdk } from './cloudwatch-client.js';

const ROW_CAP = 10_000;
/** Queries of ours running at once. */
const CONCURRENCY = 4;
/**
 * A window is split so that each piece should match about this many rows: a quarter of the cap,
 * room for uneven time. Each answer is parsed whole (the JSON text, the SDK's objects, our rows),
 * and up to twice CONCURRENCY windows wait to be handed on: at 10,000 runs, pieces of 2,500 rows
 * instead of 5,000 took --list's peak from 180-188 MB to 163-165 MB, for twice the queries (46
 * instead of 24) and ~1 s more CPU.
 */
const ROWS_PER_PIECE = ROW_CAP / 4;
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
  /** After each answer once it is garbage: before the next poll, and when a window is done (the caller may collect it). */
  afterAnswer?: () => void;
}

interface Win { start: number; end: number }

/** A window in time order: waiting to start, its query running, or done with its rows (capped: the whole part). */
interface Slot extends Win { state: 'waiting' | 'running' | 'done'; rows: InsightsRow[] }

/**
 * Every row the query matches in the window, oldest first, handed on window by window as soon as
 * every earlier window is done: only the windows in flight are held (the whole group's rows held
 * to the end were most of the peak: 120,000 rows, ~70 MB alive, at 10,000 runs). Windows start in
 * time order, no more than twice CONCURRENCY ahead of the oldest not handed on, so that a slow
 * window cannot make the later ones' rows pile up. `totals` is filled in as queries complete.
 */
export async function* runInsights(q: InsightsQuery, totals: InsightsTotals): AsyncGenerator<InsightsRow[]> {
  const running = new Set<string>();
  // every window not yet handed on, in time order: the pieces of a split window take its place
  const slots: Slot[] = [{ start: q.startSec, end: q.endSec, state: 'waiting', rows: [] }];
  let active = 0;
  let cap = CONCURRENCY;
  let failure: { err: unknown } | null = null;
  let wake: (() => void) | null = null;
  const settled = (): void => { wake?.(); wake = null; };

  async function runWindow(slot: Slot): Promise<void> {
    const started = await q.client.send(new q.sdk.StartQueryCommand({
      logGroupName: q.logGroup, startTime: slot.start, endTime: slot.end, queryString: q.queryString, limit: ROW_CAP,
    }));
    const id = started.queryId!;
    running.add(id);
    totals.queries++;
    let wait = POLL_FIRST_MS;
    for (let polls = 0; ; polls++) {
      await sleep(wait);
      wait = Math.min(POLL_MAX_MS, Math.round(wait * 1.6));
      if (polls > 0) q.afterAnswer?.();
      const r = await q.client.send(new q.sdk.GetQueryResultsCommand({ queryId: id }));
      if (r.status === 'Scheduled' || r.status === 'Running') continue;
      running.delete(id);
      if (r.status !== 'Complete') throw new Error(`Logs Insights query ${id} ended ${r.status ?? 'without a status'}`);
      totals.bytesScanned += r.statistics?.bytesScanned ?? 0;
      totals.recordsScanned += r.statistics?.recordsScanned ?? 0;
      const got = (r.results ?? []).map(toRow);
      const matched = r.statistics?.recordsMatched ?? got.length;
      if (got.length < ROW_CAP || matched <= got.length) slot.rows = got;
      else slots.splice(slots.indexOf(slot) + 1, 0, ...splitCapped(slot, got, matched));
      return;
    }
  }

  /** A capped window keeps its whole part; the rest of it comes back as pieces to run. */
  function splitCapped(slot: Slot, got: InsightsRow[], matched: number): Slot[] {
    totals.split++;
    const lastSec = Math.floor(got.at(-1)!.timestamp / 1000);
    if (lastSec === slot.end && slot.start === slot.end) {
      // one second holding more rows than the cap: time cannot split it further
      totals.overfull.push(slot.start);
      slot.rows = got;
      return [];
    }
    // rows before the last row's second are whole; that second may have been cut
    slot.rows = got.filter((r) => Math.floor(r.timestamp / 1000) < lastSec);
    const rest: Win = { start: lastSec, end: slot.end };
    const n = Math.min(rest.end - rest.start + 1, Math.max(2, Math.ceil((matched - slot.rows.length) / ROWS_PER_PIECE)));
    return evenPieces(rest, n).map((w): Slot => ({ ...w, state: 'waiting', rows: [] }));
  }

  function start(slot: Slot): void {
    slot.state = 'running';
    active++;
    runWindow(slot).then(
      () => { active--; slot.state = 'done'; settled(); q.afterAnswer?.(); },
      (err: unknown) => {
        active--;
        if ((err as Error)?.name === 'LimitExceededException' && active > 0) {
          // the account's concurrent queries are taken (by others too): fewer of ours at once
          cap = Math.max(1, active);
          slot.state = 'waiting';
        } else failure ??= { err };
        settled();
      },
    );
  }

  try {
    for (;;) {
      // hand on the windows at the front that are done, oldest first
      while (slots[0]?.state === 'done') {
        const rows = slots.shift()!.rows;
        rows.sort((a, b) => a.timestamp - b.timestamp);
        totals.rows += rows.length;
        if (rows.length) yield rows;
      }
      if (failure) throw (failure as { err: unknown }).err;
      if (!slots.length) return;
      let ahead = 0;
      for (const slot of slots) {
        if (slot.state === 'waiting') {
          if (active >= cap || ahead >= 2 * CONCURRENCY) break;
          start(slot);
        }
        ahead++;
      }
      await new Promise<void>((resolve) => { wake = resolve; });
    }
  } finally {
    // a failure, or a consumer that stopped reading: the queries still running are stopped
    if (running.size) await Promise.allSettled([...running].map((queryId) => q.client.send(new q.sdk.StopQueryCommand({ queryId }))));
  }
}

export function newTotals(): InsightsTotals {
  return { queries: 0, split: 0, rows: 0, bytesScanned: 0, recordsScanned: 0, overfull: [] };
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
