// The in-memory data model of the CloudWatch-Logs-compatible test server, with the
// service's documented limits. Each operation takes the parsed JSON request and
// returns the JSON response or throws an AwsError in the service's shape.

import { compileFilterPattern, FilterPatternError } from './cloudwatch-filter.js';
import { AwsError, decodeToken, encodeToken, nextGeneration, parseSeqToken, seqToken } from './cloudwatch-tokens.js';

export { AwsError };

export interface StoredEvent { eventId: string; timestamp: number; ingestionTime: number; message: string }
export interface Stream {
  name: string;
  creationTime: number;
  events: StoredEvent[]; // sorted by timestamp (stable)
  lastIngestionTime?: number;
}
export interface Group { name: string; creationTime: number; streams: Map<string, Stream> }

export const LIMITS = {
  putEvents: 10_000,
  putBytes: 1_048_576,
  eventOverhead: 26,
  eventBytes: 262_144,
  putSpanMs: 24 * 3600_000,
  pageEvents: 10_000,
  pageBytes: 1_048_576,
  describeLimit: 50,
};

export const ACCOUNT = '123456789012';
type Req = Record<string, unknown>;

let eventCounter = 0n;
function nextEventId(timestamp: number): string {
  eventCounter += 1n;
  // Real ids are 56-digit decimal strings; keep the shape, make them unique.
  return (BigInt(timestamp) * 10n ** 30n + eventCounter).toString().padStart(56, '0');
}

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
const str = (req: Req, k: string): string | undefined => (typeof req[k] === 'string' ? (req[k] as string) : undefined);
const num = (req: Req, k: string): number | undefined => (typeof req[k] === 'number' ? (req[k] as number) : undefined);

function required(req: Req, k: string): string {
  const v = str(req, k);
  if (!v) throw new AwsError('InvalidParameterException', `1 validation error detected: Value null at '${k}' failed to satisfy constraint: Member must not be null`);
  return v;
}

function limitOf(req: Req, max: number, dflt: number): number {
  const l = num(req, 'limit');
  if (l === undefined) return dflt;
  if (!Number.isInteger(l) || l < 1 || l > max) {
    throw new AwsError('InvalidParameterException', `1 validation error detected: Value '${l}' at 'limit' failed to satisfy constraint: Member must have value between 1 and ${max}`);
  }
  return l;
}

export class Store {
  readonly groups = new Map<string, Group>();
  /** How many events FilterLogEvents examines before it returns a (possibly empty) page. */
  filterScanBudget = 20_000;
  /** Set by the fault layer: the next N Filter/Get pages come back empty but keep their token. */
  forceEmptyPages = 0;
  /** Set by the fault layer: the next N FilterLogEvents pages send each event twice. */
  duplicatePages = 0;
  now: () => number = () => Date.now();
  /** Bumped by every append (and by whoever fills streams directly), so that a kept merge order is never stale. */
  appended = 0;
  private lastMerge: { key: string; merged: { s: Stream; e: StoredEvent }[] } | undefined;

  arn(group: string, stream?: string): string {
    const base = `arn:aws:logs:us-east-2:${ACCOUNT}:log-group:${group}`;
    return stream === undefined ? `${base}:*` : `${base}:log-stream:${stream}`;
  }

  group(req: Req): Group {
    const name = str(req, 'logGroupName') ?? str(req, 'logGroupIdentifier')?.replace(/^arn:.*:log-group:/, '').replace(/:\*$/, '');
    if (!name) return this.group({ logGroupName: required(req, 'logGroupName') });
    const g = this.groups.get(name);
    if (!g) throw new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');
    return g;
  }

  stream(req: Req): Stream {
    const g = this.group(req);
    const s = g.streams.get(required(req, 'logStreamName'));
    if (!s) throw new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.');
    return s;
  }

  createLogGroup(req: Req): Req {
    const name = required(req, 'logGroupName');
    if (!/^[\w\-./#]{1,512}$/.test(name)) throw new AwsError('InvalidParameterException', `1 validation error detected: Value '${name}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`);
    if (this.groups.has(name)) throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists');
    this.groups.set(name, { name, creationTime: this.now(), streams: new Map() });
    return {};
  }

  createLogStream(req: Req): Req {
    const g = this.group(req);
    const name = required(req, 'logStreamName');
    if (name.includes(':') || name.includes('*') || bytes(name) > 512) throw new AwsError('InvalidParameterException', `1 validation error detected: Value '${name}' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*`);
    if (g.streams.has(name)) throw new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
    g.streams.set(name, { name, creationTime: this.now(), events: [] });
    return {};
  }

  putLogEvents(req: Req): Req {
    const s = this.stream(req);
    const events = Array.isArray(req.logEvents) ? (req.logEvents as { timestamp?: unknown; message?: unknown }[]) : [];
    if (events.length === 0) throw new AwsError('InvalidParameterException', "1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1");
    if (events.length > LIMITS.putEvents) throw new AwsError('InvalidParameterException', `1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to ${LIMITS.putEvents}`);
    let total = 0;
    let prev = -Infinity;
    for (const e of events) {
      if (typeof e.timestamp !== 'number' || typeof e.message !== 'string') throw new AwsError('InvalidParameterException', 'Each log event needs a numeric timestamp and a string message.');
      const size = bytes(e.message) + LIMITS.eventOverhead;
      if (e.message.length === 0) throw new AwsError('InvalidParameterException', 'Log event message must have length greater than or equal to 1');
      if (size > LIMITS.eventBytes) throw new AwsError('InvalidParameterException', `Log event too large: ${size} bytes exceeds limit of ${LIMITS.eventBytes}`);
      if (e.timestamp < prev) throw new AwsError('InvalidParameterException', 'Log events in a single PutLogEvents request must be in chronological order.');
      prev = e.timestamp;
      total += size;
    }
    if (total > LIMITS.putBytes) throw new AwsError('InvalidParameterException', `Upload too large: ${total} bytes exceeds limit of ${LIMITS.putBytes}`);
    const first = events[0]!.timestamp as number;
    if (prev - first > LIMITS.putSpanMs) throw new AwsError('InvalidParameterException', 'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
    const now = this.now();
    const rejected: Req = {};
    let tooNew: number | undefined;
    let tooOld: number | undefined;
    events.forEach((e, i) => {
      const ts = e.timestamp as number;
      if (ts > now + 2 * 3600_000) { tooNew ??= i; return; }
      if (ts < now - 14 * 86400_000) { tooOld = i + 1; return; }
      this.append(s, ts, e.message as string, now);
    });
    if (tooNew !== undefined) rejected.tooNewLogEventStartIndex = tooNew;
    if (tooOld !== undefined) rejected.tooOldLogEventEndIndex = tooOld;
    const out: Req = { nextSequenceToken: seqToken('f', s.events.length).slice(2, -2) };
    if (Object.keys(rejected).length) out.rejectedLogEventsInfo = rejected;
    return out;
  }

  /** Append one event keeping the stream sorted by timestamp (ties keep arrival order). */
  append(s: Stream, timestamp: number, message: string, ingestionTime: number): StoredEvent {
    const e = { eventId: nextEventId(timestamp), timestamp, ingestionTime, message };
    let i = s.events.length;
    while (i > 0 && s.events[i - 1]!.timestamp > timestamp) i--;
    s.events.splice(i, 0, e);
    s.lastIngestionTime = ingestionTime;
    this.appended++;
    return e;
  }

  describeLogGroups(req: Req): Req {
    const prefix = str(req, 'logGroupNamePrefix') ?? '';
    const limit = limitOf(req, LIMITS.describeLimit, LIMITS.describeLimit);
    const all = [...this.groups.values()].filter((g) => g.name.startsWith(prefix)).sort((a, b) => (a.name < b.name ? -1 : 1));
    const start = decodeToken('groups', str(req, 'nextToken'));
    const page = all.slice(start, start + limit);
    const out: Req = {
      logGroups: page.map((g) => ({
        logGroupName: g.name, creationTime: g.creationTime, metricFilterCount: 0, arn: this.arn(g.name),
        logGroupArn: this.arn(g.name).replace(/:\*$/, ''), storedBytes: 0, logGroupClass: 'STANDARD',
      })),
    };
    if (start + limit < all.length) out.nextToken = encodeToken('groups', start + limit);
    return out;
  }

  describeLogStreams(req: Req): Req {
    const g = this.group(req);
    const prefix = str(req, 'logStreamNamePrefix');
    const orderBy = str(req, 'orderBy') ?? 'LogStreamName';
    if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') throw new AwsError('InvalidParameterException', `1 validation error detected: Value '${orderBy}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]`);
    if (prefix !== undefined && orderBy === 'LastEventTime') throw new AwsError('InvalidParameterException', 'Cannot order by LastEventTime with a logStreamNamePrefix.');
    const limit = limitOf(req, LIMITS.describeLimit, LIMITS.describeLimit);
    const last = (s: Stream): number => s.events.at(-1)?.timestamp ?? 0;
    const all = [...g.streams.values()].filter((s) => prefix === undefined || s.name.startsWith(prefix));
    all.sort(orderBy === 'LogStreamName' ? (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : (a, b) => last(a) - last(b) || (a.name < b.name ? -1 : 1));
    if (req.descending === true) all.reverse();
    const start = decodeToken('streams', str(req, 'nextToken'));
    const page = all.slice(start, start + limit);
    const out: Req = {
      logStreams: page.map((s) => {
        const o: Req = { logStreamName: s.name, creationTime: s.creationTime, arn: this.arn(g.name, s.name), storedBytes: 0 };
        if (s.events.length) {
          o.firstEventTimestamp = s.events[0]!.timestamp;
          o.lastEventTimestamp = last(s);
          o.lastIngestionTime = s.lastIngestionTime;
          o.uploadSequenceToken = seqToken('f', s.events.length).slice(2, -2);
        }
        return o;
      }),
    };
    if (start + limit < all.length) out.nextToken = encodeToken('streams', start + limit);
    return out;
  }

  getLogEvents(req: Req): Req {
    const s = this.stream(req);
    const limit = limitOf(req, LIMITS.pageEvents, LIMITS.pageEvents);
    const lo = num(req, 'startTime') ?? -Infinity;
    const hi = num(req, 'endTime') ?? Infinity; // endTime is exclusive, as documented
    const inWindow = (e: StoredEvent): boolean => e.timestamp >= lo && e.timestamp < hi;
    const token = str(req, 'nextToken');
    const fromHead = req.startFromHead === true;
    const pos = token !== undefined ? parseSeqToken(token) : { dir: fromHead ? 'f' : 'b', index: fromHead ? 0 : s.events.length };
    const picked: number[] = [];
    let size = 0;
    const fits = (e: StoredEvent): boolean => {
      const b = bytes(e.message) + LIMITS.eventOverhead;
      if (picked.length >= limit || (picked.length > 0 && size + b > LIMITS.pageBytes)) return false;
      size += b;
      return true;
    };
    if (pos.dir === 'f') {
      for (let i = pos.index; i < s.events.length; i++) {
        if (!inWindow(s.events[i]!)) continue;
        if (!fits(s.events[i]!)) break;
        picked.push(i);
      }
    } else {
      for (let i = pos.index - 1; i >= 0; i--) {
        if (!inWindow(s.events[i]!)) continue;
        if (!fits(s.events[i]!)) break;
        picked.unshift(i);
      }
    }
    if (picked.length > 0 && this.takeEmptyPage()) {
      const gen = nextGeneration();
      return {
        events: [],
        nextForwardToken: seqToken('f', pos.index, gen),
        nextBackwardToken: seqToken('b', pos.index, gen),
      };
    }
    // At the end the service answers with the very token it was sent.
    const firstIdx = picked[0];
    const lastIdx = picked.at(-1);
    const forward = lastIdx === undefined ? pos.index : lastIdx + 1;
    const backward = firstIdx === undefined ? pos.index : firstIdx;
    return {
      events: picked.map((i) => ({ timestamp: s.events[i]!.timestamp, message: s.events[i]!.message, ingestionTime: s.events[i]!.ingestionTime })),
      nextForwardToken: token !== undefined && pos.dir === 'f' && picked.length === 0 ? token : seqToken('f', forward),
      nextBackwardToken: token !== undefined && pos.dir === 'b' && picked.length === 0 ? token : seqToken('b', backward),
    };
  }

  filterLogEvents(req: Req): Req {
    const g = this.group(req);
    const names = Array.isArray(req.logStreamNames) ? (req.logStreamNames as string[]) : undefined;
    const prefix = str(req, 'logStreamNamePrefix');
    if (names && prefix !== undefined) throw new AwsError('InvalidParameterException', 'You cannot specify both logStreamNames and logStreamNamePrefix.');
    if (names && (names.length < 1 || names.length > 100)) throw new AwsError('InvalidParameterException', 'logStreamNames must contain between 1 and 100 names.');
    if (names) for (const n of names) if (!g.streams.has(n)) throw new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.');
    const limit = limitOf(req, LIMITS.pageEvents, LIMITS.pageEvents);
    let match;
    try { match = compileFilterPattern(str(req, 'filterPattern')); }
    catch (err) { if (err instanceof FilterPatternError) throw new AwsError('InvalidParameterException', err.message); throw err; }
    const lo = num(req, 'startTime') ?? -Infinity;
    const hi = num(req, 'endTime') ?? Infinity;
    // Interleaved across streams by timestamp; the cursor is an offset into this order. The order of
    // the last request is kept while nothing is appended: a paginated read of millions of events
    // (bench/insights.ts) would otherwise sort them all again for every page.
    const key = JSON.stringify([g.name, names, prefix, lo, hi, this.appended]);
    let merged = this.lastMerge?.key === key ? this.lastMerge.merged : undefined;
    if (!merged) {
      const streams = [...g.streams.values()].filter((s) => (names ? names.includes(s.name) : prefix === undefined || s.name.startsWith(prefix)));
      merged = [];
      for (const s of streams) for (const e of s.events) if (e.timestamp >= lo && e.timestamp <= hi) merged.push({ s, e });
      merged.sort((a, b) => a.e.timestamp - b.e.timestamp || (a.e.eventId < b.e.eventId ? -1 : 1));
      this.lastMerge = { key, merged };
    }
    const start = decodeToken('filter', str(req, 'nextToken'));
    if (start < merged.length && this.takeEmptyPage()) {
            return { events: [], searchedLogStreams: [], nextToken: encodeToken('filter', start, nextGeneration()) };
    }
    const out: Req[] = [];
    let size = 0;
    let i = start;
    {
      for (let scanned = 0; i < merged.length && scanned < this.filterScanBudget; i++, scanned++) {
        const { s, e } = merged[i]!;
        if (!match(e.message)) continue;
        const b = bytes(e.message) + LIMITS.eventOverhead;
        if (out.length >= limit || (out.length > 0 && size + b > LIMITS.pageBytes)) break;
        size += b;
        out.push({ logStreamName: s.name, timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime, eventId: e.eventId });
      }
    }
    if (this.duplicatePages > 0 && out.length > 0) {
      this.duplicatePages--;
      out.splice(0, out.length, ...out.flatMap((e) => [e, { ...e }]));
    }
    const res: Req = { events: out, searchedLogStreams: [] };
    if (i < merged.length) res.nextToken = encodeToken('filter', i);
    return res;
  }

  private takeEmptyPage(): boolean {
    if (this.forceEmptyPages <= 0) return false;
    this.forceEmptyPages--;
    return true;
  }
}
