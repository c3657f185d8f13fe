// The SDK's retries, said as they happen. The SDK retried in silence: against an endpoint that
// never answers, 8 attempts of 30 s were minutes without a line before the final one. Here the
// SDK's own adaptive strategy still decides whether to retry (the error's class, the attempts
// left, its retry quota and its client-side rate after throttling), but waits no backoff of its
// own: this strategy picks the backoff the SDK would (full jitter, exponential from 50 ms, from
// 1 s after throttling, at most 20 s, a Retry-After hint honoured up to 5 s more), says it in one
// line, and then waits it.

import type { AdaptiveRetryStrategy } from '@smithy/core/retry';
import { retrying } from '../wording/cloudwatch.js';
import { retryReason } from './cloudwatch-errors.js';

type RetryModule = typeof import('@smithy/core/retry');
type Token = Awaited<ReturnType<AdaptiveRetryStrategy['acquireInitialRetryToken']>>;
type RenewToken = Parameters<AdaptiveRetryStrategy['refreshRetryTokenForRetry']>[0];
type ErrorInfo = Parameters<AdaptiveRetryStrategy['refreshRetryTokenForRetry']>[1];

export interface AnnouncedRetriesOptions {
  maxAttempts: number;
  timeoutMs: number;
  /** One line per retry, before its wait. */
  say: (line: string) => void;
  /** The operation a failed attempt was for (recorded by the client's middleware), else undefined. */
  operationOf: (error: unknown) => string | undefined;
}

/** The retry strategy of a client: the SDK's adaptive one deciding, each retry said before its wait. */
export async function announcedRetries(options: AnnouncedRetriesOptions): Promise<AnnouncedRetries> {
  const retry: RetryModule = await import('@smithy/core/retry');
  // no backoff of its own: announce() waits it, after saying it
  const noBackoff = { setDelayBase: () => {}, computeNextBackoffDelay: () => 0 };
  const inner = new retry.AdaptiveRetryStrategy(options.maxAttempts, { maxAttempts: options.maxAttempts, backoff: noBackoff });
  return new AnnouncedRetries(inner, retry, options);
}

export class AnnouncedRetries {
  readonly mode = 'adaptive';

  constructor(private readonly inner: AdaptiveRetryStrategy, private readonly retry: RetryModule, private readonly options: AnnouncedRetriesOptions) {}

  acquireInitialRetryToken(scope: string): Promise<Token> {
    return this.inner.acquireInitialRetryToken(scope);
  }

  /** Throws (no retry) as the SDK's strategy does; else says the retry and waits its backoff. */
  async refreshRetryTokenForRetry(token: RenewToken, info: ErrorInfo): Promise<Token> {
    const next = await this.inner.refreshRetryTokenForRetry(token, { ...info, retryAfterHint: undefined });
    const wait = this.backoff(token.getRetryCount(), info);
    const { say, maxAttempts, timeoutMs, operationOf } = this.options;
    const operation = operationOf(info.error) ?? 'request';
    say(retrying(operation, retryReason(info.error, timeoutMs), token.getRetryCount() + 1, maxAttempts, wait));
    await new Promise((resolve) => setTimeout(resolve, wait));
    return next;
  }

  recordSuccess(token: RenewToken): void {
    this.inner.recordSuccess(token);
  }

  /** The SDK's backoff (its DefaultRetryBackoffStrategy and Retry-After rule), which it no longer waits itself. */
  private backoff(retries: number, info: ErrorInfo): number {
    const { Retry, MAXIMUM_RETRY_DELAY } = this.retry;
    const base = info.errorType === 'THROTTLING' ? Retry.throttlingDelay() : Retry.delay();
    const delay = Math.floor(Math.random() * Math.min(base * 2 ** retries, MAXIMUM_RETRY_DELAY));
    const hint = info.retryAfterHint;
    return hint instanceof Date ? Math.max(delay, Math.min(hint.getTime() - Date.now(), delay + 5000)) : delay;
  }
}
