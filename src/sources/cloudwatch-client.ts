// The CloudWatch Logs client both sides use (report: read; train: ship). The SDK is loaded
// with a dynamic import so that reporting a local file never pays for it. Retries run in
// the SDK's adaptive mode, each said in one line before its wait (cloudwatch-retries.ts); on top of that a small token bucket per operation keeps us
// below the account-wide quotas (FilterLogEvents is about 5 requests a second for the
// whole account, GetLogEvents/DescribeLogStreams about 25), so one report does not
// starve the other readers of the account.

import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { endpointBad } from '../wording/cloudwatch.js';
import { announcedRetries } from './cloudwatch-retries.js';

export type LogsSdk = typeof import('@aws-sdk/client-cloudwatch-logs');

export interface ClientOptions {
  region?: string;
  profile?: string;
  /** --endpoint-url, else AWS_ENDPOINT_URL (the SDK reads that one too). */
  endpointUrl?: string;
  /** Default: AWS_MAX_ATTEMPTS (the SDK's own variable), else 8. */
  maxAttempts?: number;
  /** Per request, connecting included (default 30 s): an endpoint that never answers is retried, then fails. */
  timeoutMs?: number;
  /** One line per retry, before its wait (what failed, attempt k of n, the wait); default: none. */
  onRetry?: (line: string) => void;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_ATTEMPTS = 8;

/** --max-attempts, else AWS_MAX_ATTEMPTS (the SDK's own variable), else 8. */
export function maxAttemptsOf(options: ClientOptions): number {
  return options.maxAttempts ?? (Number(process.env.AWS_MAX_ATTEMPTS) || DEFAULT_MAX_ATTEMPTS);
}

/**
 * What is wrong with the endpoint a client would use (--endpoint-url, else AWS_ENDPOINT_URL), or
 * null: an http(s) URL with a host. Checked before anything is done: the SDK's "TypeError: Invalid
 * URL" came as an internal error (the report), or at the end of a whole training run (the trainer).
 */
export function endpointProblem(flag: string | undefined, env: NodeJS.ProcessEnv): string | null {
  const value = endpointOf(flag, env);
  if (value === undefined) return null;
  const source = flag !== undefined ? '--endpoint-url' : 'AWS_ENDPOINT_URL';
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // not a URL at all: said below
  }
  const ok = url !== null && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  return ok ? null : endpointBad(source, value);
}

/** The endpoint a client uses: --endpoint-url, else AWS_ENDPOINT_URL (an empty one is none). */
function endpointOf(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return flag ?? (env.AWS_ENDPOINT_URL || undefined);
}

/** Requests per second per operation, below the service quotas. */
const RATE_LIMITS: Record<string, number> = {
  FilterLogEventsCommand: 4,
  GetLogEventsCommand: 20,
  DescribeLogStreamsCommand: 20,
  DescribeLogGroupsCommand: 4,
  PutLogEventsCommand: 50,
  CreateLogGroupCommand: 4,
  CreateLogStreamCommand: 20,
  // Logs Insights: StartQuery about 10 a second per account (DESIGN.md); polls and stops kept as low
  StartQueryCommand: 5,
  GetQueryResultsCommand: 5,
  StopQueryCommand: 5,
};

export async function createLogsClient(options: ClientOptions): Promise<{ sdk: LogsSdk; client: CloudWatchLogsClient; endpoint: string | undefined }> {
  // The SDK prints a multi-line notice on Node 20 about its releases from 2027; our stderr
  // promises one line per problem, and package.json pins the SDK, so it is turned off.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const sdk: LogsSdk = await import('@aws-sdk/client-cloudwatch-logs');
  const endpoint = endpointOf(options.endpointUrl, process.env);
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxAttempts = maxAttemptsOf(options);
  // The operation of each failed attempt, for its retry line (the retry strategy sees only the error).
  const failedOperation = new WeakMap<object, string>();
  const client = new sdk.CloudWatchLogsClient({
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(endpoint ? { endpoint } : {}),
    maxAttempts,
    retryStrategy: await announcedRetries({
      maxAttempts, timeoutMs: timeout, say: options.onRetry ?? (() => {}),
      // WeakMap.get of a non-object is undefined, as for an object it does not hold
      operationOf: (err) => failedOperation.get(err as object),
    }),
    // Without these the SDK waits forever on an endpoint that accepts the connection and never
    // answers. A timed-out request is a TimeoutError, which the retry strategy treats as transient.
    requestHandler: { connectionTimeout: timeout, requestTimeout: timeout, throwOnRequestTimeout: true },
  });
  // The SDK's logger middleware copies every answer (less its sensitive fields) as the argument of
  // logger.info, even for its no-op logger, which this client has: a second copy of each
  // GetQueryResults answer (2,500 rows) and FilterLogEvents page (10,000 events), ~0.4 s of CPU
  // and its garbage for a 10,000-run --list. Nothing is logged without it either.
  client.middlewareStack.remove('loggerMiddleware');
  const buckets = new Map<string, TokenBucket>();
  // After the retry middleware, so that every attempt is paced, retries included.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'other';
      let bucket = buckets.get(name);
      if (!bucket) buckets.set(name, (bucket = new TokenBucket(RATE_LIMITS[name] ?? 10)));
      await bucket.take();
      try {
        return await next(args);
      } catch (err) {
        if (typeof err === 'object' && err !== null) failedOperation.set(err, name.replace(/Command$/, ''));
        throw err;
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'mnistReportRateLimit' },
  );
  return { sdk, client, endpoint };
}

/** A token bucket: `rate` tokens a second, bursts up to `rate`. */
class TokenBucket {
  private tokens: number;
  private last = Date.now();
  private queue: Promise<void> = Promise.resolve();
  constructor(private readonly rate: number) {
    this.tokens = rate;
  }

  take(): Promise<void> {
    // Chain the waiters so that concurrent callers are served in order.
    const turn = this.queue.then(() => this.wait());
    this.queue = turn;
    return turn;
  }

  private async wait(): Promise<void> {
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) / 1000) * this.rate);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(((1 - this.tokens) / this.rate) * 1000)));
    }
  }
}
