// One clear line for each way a CloudWatch Logs call can fail (DESIGN.md). Configuration
// and permission problems are UserErrors (exit 2); failures that may pass by themselves
// (throttling that outlasted the retries, 5xx, an unreachable endpoint) are ServiceErrors.

import { plural } from '../wording/plural.js';
import { ServiceError, UserError } from '../errors.js';
import { fmtSeconds, retryCause } from '../wording/cloudwatch.js';

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
    if (ctx.profile) {
      return new UserError(`${ctx.action}: no AWS credentials for profile ${ctx.profile} (check ~/.aws/config and ~/.aws/credentials, or run aws sso login --profile ${ctx.profile})`, cause);
    }
    const detail = /profile/i.test(msg) ? ` (${msg})` : '';
    return new UserError(`${ctx.action}: no AWS credentials found${detail}; set AWS_PROFILE or pass --profile, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`, cause);
  }
  if (/Region is missing/i.test(msg)) {
    return new UserError(`${ctx.action}: no AWS region (pass --region or set AWS_REGION)`, cause);
  }
  if (/Region not accepted|Invalid region/i.test(msg)) {
    return new UserError(`${ctx.action}: invalid AWS region (${msg})`, cause);
  }
  if (BAD_CREDENTIALS.has(name)) {
    const why = /expired/i.test(name + msg) ? 'have expired' : 'were rejected';
    return new UserError(`${ctx.action}: the AWS credentials ${why} (${name}: ${msg}); refresh them or pick another --profile`, cause);
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return new UserError(`${ctx.action}: access denied${ctx.permission ? `; the caller needs ${ctx.permission} on the log group` : ''} (${msg})`, cause);
  }
  if (name === 'ResourceNotFoundException') {
    const what = /stream/i.test(msg) && ctx.logStream ? `log stream ${ctx.logStream} in log group ${ctx.logGroup}` : `log group ${ctx.logGroup}`;
    return new UserError(`${ctx.action}: ${what} does not exist (check the name and --region)`, cause);
  }
  if (name === 'InvalidParameterException') {
    return new UserError(`${ctx.action}: CloudWatch Logs rejected the request (${msg})`, cause);
  }
  const attempts = e.$metadata?.attempts;
  const tries = attempts ? ` after ${plural(attempts, 'attempt', 'attempts')}` : '';
  const transient = transientCause(e, msg);
  switch (transient?.kind) {
    case 'throttled':
      return new ServiceError(`${ctx.action}: CloudWatch Logs${at(ctx)} kept throttling${tries} (${name}); ${ctx.throttleHint ?? 'try again later or narrow --since/--log-stream-prefix'}`, cause);
    case 'timeout': {
      const limit = ctx.timeoutMs !== undefined ? ` within ${fmtSeconds(ctx.timeoutMs)}` : ' in time';
      return new ServiceError(`${ctx.action}: CloudWatch Logs${at(ctx)} did not answer${limit}${tries} (raise --timeout or check the endpoint)`, cause);
    }
    case 'network':
      return new ServiceError(`${ctx.action}: cannot reach CloudWatch Logs${at(ctx)} (${transient.code})${tries}`, cause);
    case 'http':
      return new ServiceError(`${ctx.action}: CloudWatch Logs failed with HTTP ${transient.status}${tries} (${name}: ${msg})`, cause);
  }
  return new ServiceError(`${ctx.action}: ${name}: ${msg || 'unknown error'}`, cause);
}

/** Why one attempt failed, for the line that announces its retry (cloudwatch-retries.ts). */
export function retryReason(err: unknown, timeoutMs: number): string {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as SdkError;
  const transient = transientCause(e, e.message ?? '');
  if (transient === null) return retryCause({ kind: 'other', name: e.name ?? 'Error' });
  return retryCause(transient.kind === 'timeout' ? { kind: 'timeout', ms: timeoutMs } : transient);
}

/** A failure that may pass by itself: the final error and each retry's line say it. */
type Transient =
  | { kind: 'throttled'; name: string }
  | { kind: 'timeout' }
  | { kind: 'network'; code: string }
  | { kind: 'http'; status: number; name: string };

/**
 * Which transient failure `e` is, or null: throttled, timed out, a network code, HTTP 5xx, in
 * that order. `message` is the text a requestTimeout is looked for in (the final error tests the
 * first line it shows, a retry line the whole message).
 */
function transientCause(e: SdkError, message: string): Transient | null {
  const name = e.name ?? 'Error';
  if (THROTTLED.has(name)) return { kind: 'throttled', name };
  if (name === 'TimeoutError' || (e.code === 'ETIMEDOUT' && /requestTimeout/.test(message))) return { kind: 'timeout' };
  const code = e.code ?? (NETWORK.has(name) ? name : undefined);
  if (code && NETWORK.has(code)) return { kind: 'network', code };
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return { kind: 'http', status, name };
  return null;
}

function at(ctx: FailureContext): string {
  return ctx.endpoint ? ` at ${ctx.endpoint}` : '';
}

/** The first line of an error message, cut at `max` characters. */
export function firstLine(s: string | undefined, max = 300): string {
  const line = (s ?? '').split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
