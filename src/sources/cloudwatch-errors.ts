// One clear line for each way a CloudWatch Logs call can fail (DESIGN.md). Configuration
// and permission problems are UserErrors (exit 2), and so is an answer that is not CloudWatch
// Logs' JSON (below HTTP 500: a wrong endpoint or a proxy answered); failures that may pass by themselves
// (throttling that outlasted the retries, 5xx, an unreachable endpoint) are ServiceErrors.

import { ServiceError, UserError } from '../errors.js';
import * as words from '../wording/cloudwatch.js';
import type { RetryCause } from '../wording/cloudwatch.js';

export interface FailureContext {
  /** What we were doing, e.g. "reading log group /ecs/mnist-training". */
  action: string;
  logGroup: string;
  logStream?: string;
  /** The IAM action the call needs, e.g. "logs:FilterLogEvents". */
  permission?: string;
  endpoint?: string;
  /** --profile, when one was given. */
  profile?: string;
  /** The per-request timeout, to name it when it ran out. */
  timeoutMs?: number;
  /** What to try when throttling outlasted the retries (default: the report's narrowing flags). */
  throttleHint?: string;
}

const BAD_CREDENTIALS = new Set([
  'UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'ExpiredToken',
  'SignatureDoesNotMatch', 'InvalidClientTokenId', 'IncompleteSignatureException', 'MissingAuthenticationTokenException',
]);
const THROTTLED = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'LimitExceededException']);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  /** The HTTP answer the SDK could not read (not enumerable on the error). */
  $response?: { headers?: Record<string, unknown> };
}

/** Throttling: the service refused the call (so it stored nothing). */
export function isThrottling(err: unknown): boolean {
  return typeof err === 'object' && err !== null && THROTTLED.has(String((err as SdkError).name));
}

/** Turn any error from the SDK into a UserError or ServiceError with one line of text. */
export function cloudWatchFailure(err: unknown, ctx: FailureContext): Error {
  if (err instanceof UserError || err instanceof ServiceError) return err;
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as SdkError;
  const name = e.name ?? 'Error';
  const msg = firstLine(e.message ?? '');
  const cause = { cause: err };
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(msg)) {
    if (ctx.profile) return new UserError(words.noCredentialsForProfile(ctx.action, ctx.profile), cause);
    return new UserError(words.noCredentials(ctx.action, /profile/i.test(msg) ? msg : null), cause);
  }
  if (/Region is missing/i.test(msg)) return new UserError(words.noRegion(ctx.action), cause);
  if (/Region not accepted|Invalid region/i.test(msg)) return new UserError(words.badRegion(ctx.action, msg), cause);
  if (BAD_CREDENTIALS.has(name)) return new UserError(words.badCredentials(ctx.action, /expired/i.test(name + msg), name, msg), cause);
  if (name === 'AccessDeniedException' || name === 'AccessDenied') return new UserError(words.accessDenied(ctx.action, ctx.permission, msg), cause);
  if (name === 'ResourceNotFoundException') {
    return new UserError(words.notFound(ctx.action, ctx.logGroup, /stream/i.test(msg) && ctx.logStream ? ctx.logStream : null), cause);
  }
  if (name === 'InvalidParameterException') return new UserError(words.rejected(ctx.action, msg), cause);
  // not JSON, and not a 5xx (which may pass, as any 5xx): something other than CloudWatch Logs answered
  const status = e.$metadata?.httpStatusCode;
  if (name === 'SyntaxError' && (status === undefined || status < 500)) {
    const type = e.$response?.headers?.['content-type'];
    return new UserError(words.notCloudWatchJson(ctx.action, ctx.endpoint, status, typeof type === 'string' ? firstLine(type, 80) : undefined), cause);
  }
  const why = transientCause(e, msg, ctx.timeoutMs) ?? { kind: 'other', name };
  return new ServiceError(words.gaveUp(ctx.action, why, {
    message: msg, endpoint: ctx.endpoint, attempts: e.$metadata?.attempts, throttleHint: ctx.throttleHint,
  }), cause);
}

/** Why one attempt failed, for the line that announces its retry (cloudwatch-retries.ts). */
export function retryReason(err: unknown, timeoutMs: number): string {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as SdkError;
  return words.retryCause(transientCause(e, e.message ?? '', timeoutMs) ?? { kind: 'other', name: e.name ?? 'Error' });
}

/**
 * Which failure that may pass by itself `e` is, or null: throttled, timed out, a network code, HTTP 5xx,
 * in that order. `message` is the text a requestTimeout is looked for in (the final error tests the
 * first line it shows, a retry line the whole message); `timeoutMs`, the per-request timeout to name.
 */
function transientCause(e: SdkError, message: string, timeoutMs: number | undefined): Exclude<RetryCause, { kind: 'other' }> | null {
  const name = e.name ?? 'Error';
  if (THROTTLED.has(name)) return { kind: 'throttled', name };
  if (name === 'TimeoutError' || (e.code === 'ETIMEDOUT' && /requestTimeout/.test(message))) return { kind: 'timeout', ms: timeoutMs };
  const code = e.code ?? (NETWORK.has(name) ? name : undefined);
  if (code && NETWORK.has(code)) return { kind: 'network', code };
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return { kind: 'http', status, name };
  return null;
}

/** The first line of an error message, cut at `max` characters. */
export function firstLine(s: string | undefined, max = 300): string {
  const line = (s ?? '').split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
