// Ships the trainer's events to CloudWatch Logs with PutLogEvents, beside stdout (which
// stays exactly as it was). Events queue in memory and go out in batches that respect the
// service limits:
//
//   write ──▶ serialise, stamp with the event time (never earlier than the previous one:
//             a batch must be chronological), split a line over 256 KB − 26 bytes
//         ──▶ queue ──(every 5 s, when ~512 KB are waiting, on flush/close)──▶ batches of
//             ≤ 10,000 events, ≤ 1,048,576 bytes counting 26 bytes each, ≤ 24 h span
//         ──▶ PutLogEvents (creating the stream, and the group when missing, first)
//
// Every request has a timeout (default 30 s) and the SDK retries it (adaptive mode), each retry
// said in one line on stderr. Delivery
// is at-least-once: a batch whose answer was lost (timeout, reset, 5xx) may have been stored,
// and the SDK's retry stores it again (mnist-report drops such duplicates). So our own extra
// rounds re-send a batch only after throttling, which the service refused and did not store.
// A failure that persists is one line on stderr, after which shipping stops and training
// carries on: the events are still on stdout. close() waits at most flushDeadlineMs and then
// says how many events were not shipped.

import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { serializeEvent, type TrainEvent } from '../events.js';
import { createLogsClient, DEFAULT_TIMEOUT_MS, type LogsSdk } from '../sources/cloudwatch-client.js';
import { cloudWatchFailure, isThrottling } from '../sources/cloudwatch-errors.js';
import type { EventSink } from './sinks.js';
import { resending } from '../wording/cloudwatch.js';

export const PUT_LIMITS = {
  events: 10_000,
  bytes: 1_048_576,
  overhead: 26,
  eventBytes: 262_144,
  spanMs: 24 * 3600_000,
} as const;

export interface CloudWatchSinkOptions {
  logGroup: string;
  logStream: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  /** How often queued events are sent at the latest (default 5000 ms). */
  flushIntervalMs?: number;
  maxAttempts?: number;
  /** Per request (default 30 s). */
  timeoutMs?: number;
  /** How long close() may take (default 20 s). */
  flushDeadlineMs?: number;
  /** One line for people (default: stderr). */
  warn?: (message: string) => void;
}

export interface CloudWatchSink extends EventSink {
  /** Stop the timer and send everything still queued. */
  close(): Promise<void>;
  /** The error that stopped shipping, if any. */
  readonly failure: Error | null;
  /** Log events handed to the sink and not (yet) accepted by CloudWatch. */
  readonly unshipped: number;
}

export const DEFAULT_FLUSH_DEADLINE_MS = 20_000;

interface Queued { timestamp: number; message: string; size: number }

const EARLY_FLUSH_BYTES = 512 * 1024;
/** Sends of a batch at most when PutLogEvents keeps being throttled past the SDK's retries (1 s, then 2 s between them). */
const RESEND_ROUNDS = 3;

export function createCloudWatchSink(options: CloudWatchSinkOptions): CloudWatchSink {
  const warn = options.warn ?? ((m: string) => void process.stderr.write(`mnist-train: cloudwatch: ${m}\n`));
  const queue: Queued[] = [];
  let queuedBytes = 0;
  let lastTimestamp = 0;
  let failure: Error | null = null;
  let written = 0;
  let shipped = 0;
  let closing = false;
  const endpoint = options.endpointUrl ?? (process.env.AWS_ENDPOINT_URL || undefined);
  const where = `log group ${options.logGroup}, stream ${options.logStream}${endpoint ? ` at ${endpoint}` : ''}`;
  let chain: Promise<void> = Promise.resolve();
  let connection: Promise<{ sdk: LogsSdk; client: CloudWatchLogsClient; endpoint: string | undefined }> | null = null;
  let streamReady = false;
  const context = (): Parameters<typeof cloudWatchFailure>[1] => ({
    action: `shipping events to log group ${options.logGroup}, stream ${options.logStream}`,
    logGroup: options.logGroup, logStream: options.logStream, profile: options.profile,
    permission: 'logs:CreateLogGroup, logs:CreateLogStream and logs:PutLogEvents', endpoint,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    throttleHint: 'the account\'s PutLogEvents quota is exhausted (ship fewer events: a larger --log-every-batches)',
  });

  const timer = setInterval(() => void flush(), options.flushIntervalMs ?? 5000);
  timer.unref(); // never keeps the process alive

  function enqueue(timestamp: number, message: string): void {
    const size = Buffer.byteLength(message, 'utf8') + PUT_LIMITS.overhead;
    queue.push({ timestamp, message, size });
    queuedBytes += size;
    written++;
  }

  function write(event: TrainEvent): void {
    if (failure) {
      written++;
      return;
    }
    const line = serializeEvent(event);
    const stamped = Date.parse(event.time);
    const timestamp = Math.max(Number.isFinite(stamped) ? stamped : Date.now(), lastTimestamp);
    lastTimestamp = timestamp;
    const parts = splitUtf8(line, PUT_LIMITS.eventBytes - PUT_LIMITS.overhead);
    if (parts.length > 1) {
      warn(`${event.event} event of ${Buffer.byteLength(line)} bytes is over the 256 KB CloudWatch limit; shipped in ${parts.length} fragments`);
    }
    for (const part of parts) enqueue(timestamp, part);
    if (queuedBytes >= EARLY_FLUSH_BYTES || queue.length >= PUT_LIMITS.events) void flush();
  }

  function flush(): Promise<void> {
    chain = chain.then(drain, drain);
    return chain;
  }

  async function drain(): Promise<void> {
    while (queue.length > 0 && !failure) {
      const batch = takeBatch(queue);
      queuedBytes -= batch.reduce((n, e) => n + e.size, 0);
      try {
        await send(batch);
        shipped += batch.length;
      } catch (err) {
        failure = cloudWatchFailure(err, context());
        queue.length = 0;
        queuedBytes = 0;
        if (!closing) warn(`${failure.message}; shipping stopped, ${events(written - shipped)} not shipped so far (stdout has every event)`);
      }
    }
  }

  async function connect(): Promise<{ sdk: LogsSdk; client: CloudWatchLogsClient }> {
    connection ??= createLogsClient({ ...options, onRetry: warn });
    return connection;
  }

  async function ensureStream(sdk: LogsSdk, client: CloudWatchLogsClient): Promise<void> {
    if (streamReady) return;
    const ignoreExisting = (err: unknown): void => {
      if ((err as Error).name !== 'ResourceAlreadyExistsException') throw err;
    };
    const input = { logGroupName: options.logGroup, logStreamName: options.logStream };
    try {
      await client.send(new sdk.CreateLogStreamCommand(input)).catch(ignoreExisting);
    } catch (err) {
      // The group is created only when it is missing, so that a role with just
      // CreateLogStream + PutLogEvents on an existing group is enough.
      if ((err as Error).name !== 'ResourceNotFoundException') throw err;
      await client.send(new sdk.CreateLogGroupCommand({ logGroupName: options.logGroup })).catch(ignoreExisting);
      await client.send(new sdk.CreateLogStreamCommand(input)).catch(ignoreExisting);
    }
    streamReady = true;
  }

  async function send(batch: Queued[]): Promise<void> {
    const { sdk, client } = await connect();
    for (let round = 0; ; round++) {
      try {
        await ensureStream(sdk, client);
        const out = await client.send(new sdk.PutLogEventsCommand({
          logGroupName: options.logGroup, logStreamName: options.logStream,
          logEvents: batch.map((e) => ({ timestamp: e.timestamp, message: e.message })),
        }));
        const r = out.rejectedLogEventsInfo;
        if (r && (r.tooOldLogEventEndIndex !== undefined || r.tooNewLogEventStartIndex !== undefined || r.expiredLogEventEndIndex !== undefined)) {
          warn(`CloudWatch rejected some events for their timestamps (${JSON.stringify(r)}); the clock may be off`);
        }
        return;
      } catch (err) {
        // Only a refusal is safe to send again: after a timeout or a 5xx the batch may be stored.
        if (!isThrottling(err) || round + 1 >= RESEND_ROUNDS) throw err;
        const wait = 1000 * 2 ** round;
        warn(resending(round + 2, RESEND_ROUNDS, wait));
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  async function close(): Promise<void> {
    clearInterval(timer);
    const deadline = options.flushDeadlineMs ?? DEFAULT_FLUSH_DEADLINE_MS;
    let timeout: NodeJS.Timeout | undefined;
    const late = await Promise.race([
      flush().then(() => false),
      new Promise<boolean>((resolve) => { timeout = setTimeout(() => resolve(true), deadline); }),
    ]);
    clearTimeout(timeout);
    closing = true;
    const lost = written - shipped;
    if (late) warn(`the final flush to ${where} did not end within ${deadline / 1000} s: ${lost} of ${events(written)} not shipped (stdout has every event)`);
    else if (failure && lost) warn(`${lost} of ${events(written)} were not shipped to ${where} (stdout has every event)`);
    if (connection) (await connection).client.destroy();
  }

  return { write, flush, close, get failure() { return failure; }, get unshipped() { return written - shipped; } };
}

function events(n: number): string {
  return `${n} event${n === 1 ? '' : 's'}`;
}

/** Remove and return the longest prefix of `queue` that PutLogEvents accepts in one call. */
function takeBatch(queue: Queued[]): Queued[] {
  let bytes = 0;
  let n = 0;
  const first = queue[0]!.timestamp;
  while (n < queue.length && n < PUT_LIMITS.events) {
    const e = queue[n]!;
    if (bytes + e.size > PUT_LIMITS.bytes || e.timestamp - first > PUT_LIMITS.spanMs) break;
    bytes += e.size;
    n++;
  }
  return queue.splice(0, Math.max(n, 1));
}

/** Split a string into pieces of at most `maxBytes` UTF-8 bytes, never inside a character. */
function splitUtf8(text: string, maxBytes: number): string[] {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= maxBytes) return [text];
  const parts: string[] = [];
  let start = 0;
  while (start < buf.length) {
    let end = Math.min(start + maxBytes, buf.length);
    while (end < buf.length && end > start && (buf[end]! & 0xc0) === 0x80) end--; // continuation byte
    parts.push(buf.subarray(start, end).toString('utf8'));
    start = end;
  }
  return parts;
}
