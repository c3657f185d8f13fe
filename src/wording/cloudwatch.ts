// The CloudWatch Logs lines both CLIs print: a bad endpoint, a bad --since/--until window, a
// read that found nothing, the line each retry of a CloudWatch request gets on stderr, and a
// request's final error (mnist-report: and mnist-train: are put before them by the CLI). The
// errors are one line each (exit 2, or 1 for a failure that may pass by itself).

import { fmtInt } from '../analyze/format.js';
import { RUN_IDS_HINT } from './cli.js';
import { plural } from './plural.js';
import { given } from './usage.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/** --endpoint-url or AWS_ENDPOINT_URL that is not an http(s) URL. */
export function endpointBad(source: string, value: string): string {
  return `${source} ${given(value)} is not an http:// or https:// URL: give the CloudWatch Logs endpoint with its scheme, ` +
    'e.g. http://127.0.0.1:4566 or https://logs.us-east-2.amazonaws.com';
}

/** An epoch number with more digits than seconds (11) or milliseconds (13) have. */
export function epochTooLong(flag: string, value: string): string {
  return `${flag} ${given(value)}: an epoch time is seconds (up to 11 digits) or milliseconds (12 or 13 digits), ` +
    `this one has ${value.trim().length} digits`;
}

/** --since after the clock: no event can be in the window yet. */
export function sinceInFuture(since: string, start: number, now: number): string {
  return `--since ${given(since)} is ${iso(start)}, after now (${iso(now)}): no log has events there yet; give a time in the past (e.g. 7d or 2026-11-20)`;
}

/** --since not before --until: the window is empty. */
export function sinceNotBeforeUntil(since: string, start: number, until: string, end: number): string {
  return `--since ${given(since)} is ${iso(start)}, not before --until ${given(until)} (${iso(end)}): give --since the earlier time`;
}

/** --since/--until as read: " between 2026-12-01T18:06:49.675Z and now", or "" with neither. */
export function timeWindow(w: { startTime?: number | undefined; endTime?: number | undefined }): string {
  if (w.startTime === undefined && w.endTime === undefined) return '';
  return ` between ${w.startTime !== undefined ? iso(w.startTime) : 'the beginning'} and ${w.endTime !== undefined ? iso(w.endTime) : 'now'}`;
}

/** A read that found no event at all: where it looked, and for an id where the ids are. */
export function noEvents(
  o: { logGroup: string; run: string; logStream?: string | undefined; logStreamPrefix?: string | undefined },
  w: { startTime?: number | undefined; endTime?: number | undefined },
): string {
  const where = o.logStream ? `log stream ${o.logStream}` : o.logStreamPrefix ? `streams starting with ${o.logStreamPrefix}` : 'any stream';
  const span = timeWindow(w);
  const id = o.run !== 'latest' && o.run !== 'all';
  return `log group ${o.logGroup}: no events${id ? ` for run ${o.run}` : ''} in ${where}${span}${id ? `; ${RUN_IDS_HINT}` : ''}`;
}

/** --run ID that no mnist-train event carries, but a stream of that name exists: read as trainer text. */
export function readingAsText(run: string, stream: string): string {
  return `cloudwatch: no event has run_id ${run}: reading it as trainer text, stream ${stream}`;
}

/**
 * After each page of a read: the page's own events and the read's so far. ("page 2, 12 events" was the
 * total so far, read as the page's: the empty last page GetLogEvents ends a stream with looked like a repeat.)
 */
export function pageRead(label: string, page: number, events: number, total: number): string {
  return `cloudwatch: ${label}page ${fmtInt(page)}: ${plural(events, 'event', 'events')}, ${fmtInt(total)} so far`;
}

/** At the end of a read. */
export function eventsFetched(total: number): string {
  return `cloudwatch: ${plural(total, 'event', 'events')} fetched`;
}

/** One retry of a CloudWatch request, before its wait: what failed, attempt k of n, the wait. */
export function retrying(operation: string, why: string, attempt: number, attempts: number, waitMs: number): string {
  return `${operation} ${why} (attempt ${attempt} of ${attempts}); retrying in ${seconds(waitMs)}`;
}

/**
 * Why an attempt failed, as its retry line and the final error say it ("did not answer within 30 s"):
 * a failure that may pass by itself, or another ('other'). `ms`: the per-request timeout, when known.
 */
export type RetryCause =
  | { kind: 'timeout'; ms: number | undefined }
  | { kind: 'throttled'; name: string }
  | { kind: 'network'; code: string }
  | { kind: 'http'; status: number; name: string }
  | { kind: 'other'; name: string };

export function retryCause(c: RetryCause): string {
  switch (c.kind) {
    case 'timeout': return `did not answer ${within(c.ms)}`;
    case 'throttled': return `was throttled (${c.name})`;
    case 'network': return `could not be sent or answered (${c.code})`;
    case 'http': return `failed with HTTP ${c.status} (${c.name})`;
    case 'other': return `failed (${c.name})`;
  }
}

const within = (ms: number | undefined): string => (ms !== undefined ? `within ${fmtSeconds(ms)}` : 'in time');

// The final error of a CloudWatch Logs call, after the SDK's retries (sources/cloudwatch-errors.ts
// decides which): one line each, starting with what was being done ("reading log group /ecs/…").

/** --profile given, and it has no credentials. */
export function noCredentialsForProfile(action: string, profile: string): string {
  return `${action}: no AWS credentials for profile ${profile} (check ~/.aws/config and ~/.aws/credentials, or run aws sso login --profile ${profile})`;
}

/** No credentials anywhere; `detail`: the SDK's message when it names a profile. */
export function noCredentials(action: string, detail: string | null): string {
  return `${action}: no AWS credentials found${detail !== null ? ` (${detail})` : ''}; set AWS_PROFILE or pass --profile, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`;
}

export function noRegion(action: string): string {
  return `${action}: no AWS region (pass --region or set AWS_REGION)`;
}

export function badRegion(action: string, message: string): string {
  return `${action}: invalid AWS region (${message})`;
}

export function badCredentials(action: string, expired: boolean, name: string, message: string): string {
  return `${action}: the AWS credentials ${expired ? 'have expired' : 'were rejected'} (${name}: ${message}); refresh them or pick another --profile`;
}

/** `permission`: the IAM action the call needs, when known. */
export function accessDenied(action: string, permission: string | undefined, message: string): string {
  return `${action}: access denied${permission ? `; the caller needs ${permission} on the log group` : ''} (${message})`;
}

/** A missing log group, or (`logStream`) a missing stream in it. */
export function notFound(action: string, logGroup: string, logStream: string | null): string {
  const what = logStream !== null ? `log stream ${logStream} in log group ${logGroup}` : `log group ${logGroup}`;
  return `${action}: ${what} does not exist (check the name and --region)`;
}

export function rejected(action: string, message: string): string {
  return `${action}: CloudWatch Logs rejected the request (${message})`;
}

/**
 * The endpoint answered with something that is not CloudWatch Logs' JSON (an HTML page: a web server, a proxy, a
 * captive portal); `status` and `contentType` as it answered, when known.
 */
export function notCloudWatchJson(action: string, endpoint: string | undefined, status: number | undefined, contentType: string | undefined): string {
  const how = [status !== undefined ? `HTTP ${status}` : null, contentType ?? null].filter((x) => x !== null).join(', ');
  return `${action}: the answer of ${endpoint ?? "CloudWatch Logs' endpoint"}${how ? ` (${how})` : ''} is not CloudWatch Logs' JSON ` +
    `(${endpoint !== undefined ? 'a wrong --endpoint-url or AWS_ENDPOINT_URL, or a proxy?' : 'a proxy?'})`;
}

/**
 * The last attempt's failure: `endpoint` named when one was given, `attempts` when the SDK counted them,
 * `throttleHint` what to try when throttling outlasted the retries (default: the report's narrowing flags).
 */
export function gaveUp(action: string, c: RetryCause, o: { message: string; endpoint?: string | undefined; attempts?: number | undefined; throttleHint?: string | undefined }): string {
  const at = o.endpoint ? ` at ${o.endpoint}` : '';
  const tries = o.attempts ? ` after ${plural(o.attempts, 'attempt', 'attempts')}` : '';
  switch (c.kind) {
    case 'throttled': return `${action}: CloudWatch Logs${at} kept throttling${tries} (${c.name}); ${o.throttleHint ?? 'try again later or narrow --since/--log-stream-prefix'}`;
    case 'timeout': return `${action}: CloudWatch Logs${at} did not answer ${within(c.ms)}${tries} (raise --timeout or check the endpoint)`;
    case 'network': return `${action}: cannot reach CloudWatch Logs${at} (${c.code})${tries}`;
    case 'http': return `${action}: CloudWatch Logs failed with HTTP ${c.status}${tries} (${c.name}: ${o.message})`;
    case 'other': return `${action}: ${c.name}: ${o.message || 'unknown error'}`;
  }
}

/** mnist-train's own rounds after the SDK's retries, for a batch that was refused by throttling (so not stored). */
export function resending(round: number, rounds: number, waitMs: number): string {
  return `PutLogEvents kept being throttled: sending the batch again in ${seconds(waitMs)} (round ${round} of ${rounds})`;
}

/** A timeout: 30 s, 2.5 s. */
function fmtSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** A wait: 0.05 s, 1.3 s. */
function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 1000 ? 2 : 1)} s`;
}
