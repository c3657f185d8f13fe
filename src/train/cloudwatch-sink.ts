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
// Throttling is retried by the SDK (adaptive mode) and then twice more per batch. A failure
// that persists is one line on stderr, after which shipping stops and training carries on:
// the events are still on stdout. `failure` tells the caller it happened.

import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { serializeEvent, type TrainEvent } from '../events.js';
import { ServiceError } from '../errors.js';
import { createLogsClient, type LogsSdk } from '../sources/cloudwatch-client.js';
import { cloudWatchFailure } from '../sources/cloudwatch-errors.js';
import type { EventSink } from './sinks.js';

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
  /** One line for people (default: stderr). */
  warn?: (message: string) => void;
}

export interface CloudWatchSink extends EventSink {
  /** Stop the timer and send everything still queued. */
  close(): Promise<void>;
  /** The error that stopped shipping, if any. */
  readonly failure: Error | null;
}

interface Queued { timestamp: number; message: string; size: number }

const EARLY_FLUSH_BYTES = 512 * 1024;

export function createCloudWatchSink(options: CloudWatchSinkOptions): CloudWatchSink {
  const warn = options.warn ?? ((m: string) => void process.stderr.write(`mnist-train: cloudwatch: ${m}\n`));
  const queue: Queued[] = [];
  let queuedBytes = 0;
  let lastTimestamp = 0;
  let failure: Error | null = null;
  let chain: Promise<void> = Promise.resolve();
  let connection: Promise<{ sdk: LogsSdk; client: CloudWatchLogsClient; endpoint: string | undefined }> | null = null;
  let streamReady = false;
  const context = (): Parameters<typeof cloudWatchFailure>[1] => ({
    action: `shipping events to log group ${options.logGroup}, stream ${options.logStream}`,
    logGroup: options.logGroup, logStream: options.logStream, profile: options.profile,
    permission: 'logs:CreateLogGroup, logs:CreateLogStream and logs:PutLogEvents',
  });

  const timer = setInterval(() => void flush(), options.flushIntervalMs ?? 5000);
  timer.unref(); // never keeps the process alive

  function enqueue(timestamp: number, message: string): void {
    const size = Buffer.byteLength(message, 'utf8') + PUT_LIMITS.overhead;
    queue.push({ timestamp, message, size });
    queuedBytes += size;
  }

  function write(event: TrainEvent): void {
    if (failure) return;
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
      } catch (err) {
        failure = cloudWatchFailure(err, context());
        queue.length = 0;
        queuedBytes = 0;
        warn(`${failure.message}; shipping stopped (stdout still has every event)`);
      }
    }
  }

  async function connect(): Promise<{ sdk: LogsSdk; client: CloudWatchLogsClient }> {
    connection ??= createLogsClient(options);
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
        const mapped = cloudWatchFailure(err, context());
        if (!(mapped instanceof ServiceError) || round >= 2) throw err;
        await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** round));
      }
    }
  }

  async function close(): Promise<void> {
    clearInterval(timer);
    await flush();
    if (connection) (await connection).client.destroy();
  }

  return { write, flush, close, get failure() { return failure; } };
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
