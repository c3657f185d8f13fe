// mnist-train's run id when --run-id is not given: the run's start time (UTC, to the second) and 6 random
// hex digits, e.g. 20261124T071500Z-3f9a1c. The trainer makes it here, and --follow --run reads the start
// time back out of it: a run whose id says it started a while ago has written its first event by now, so
// an input that holds none of it will not (an id of any other shape, chosen with --run-id, may still start).

import { randomBytes } from 'node:crypto';

const GENERATED = /^(\d{8}T\d{6}Z)-[0-9a-f]{6}$/;

/**
 * How long after the start time in its id a run's first event is in its log at the latest. The trainer loads
 * MNIST and its backend (seconds), then writes run_start; awslogs and mnist-train ship every 5 s: a minute
 * would do, but the time in the id is the trainer's clock and `now` the reporter's, and a trainer whose clock
 * is behind would make the id of a run starting now look a minute old. The refusal is for ids copied from
 * old runs (hours or days old); an id that is not coming is waited for with the Ctrl-C line, which costs little.
 */
export const FIRST_EVENT_WITHIN_MS = 15 * 60_000;

/** Sortable by start time, unique across tasks. */
export function generateRunId(now: number = Date.now()): string {
  return `${stampOf(now)}-${randomBytes(3).toString('hex')}`;
}

/** An id of the generated shape: one run's, wherever it is read from (unless chosen so with --run-id). */
export function isGeneratedRunId(id: string): boolean {
  return GENERATED.test(id);
}

/**
 * The start time (epoch ms) an id of the generated shape holds, when it is more than FIRST_EVENT_WITHIN_MS
 * before `now`: that run's first event would be in its log by now. Null for any other id (of another shape,
 * or a run that may not have written its first event yet).
 */
export function startedLongAgo(id: string, now: number): number | null {
  const stamp = GENERATED.exec(id)?.[1];
  if (stamp === undefined) return null;
  const t = Date.parse(stamp.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
  // (a stamp that is no time, 20261399T…, is not one the trainer wrote)
  if (Number.isNaN(t) || stampOf(t) !== stamp) return null;
  return t < now - FIRST_EVENT_WITHIN_MS ? t : null;
}

function stampOf(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}
