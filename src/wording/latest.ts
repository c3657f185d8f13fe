// --run latest on a log group (src/sources/cloudwatch-latest.ts): the search's lines on stderr
// (which stream holds the run, which streams were passed over and why) and the one-line errors
// it ends with when it cannot tell which run is the latest.

import { fmtInt } from '../analyze/format.js';
import { timeWindow } from './cloudwatch.js';
import { plural } from './plural.js';

export function latestRun(runId: string, stream: string): string {
  return `cloudwatch: latest run ${runId} (stream ${stream}); reading all of it`;
}

/** After each page of DescribeLogStreams: how many streams the search has gone through. */
export function streamsExamined(n: number): string {
  return `cloudwatch: ${plural(n, 'stream', 'streams')} examined`;
}

export function latestText(stream: string): string {
  return `cloudwatch: latest run: trainer text in stream ${stream}`;
}

/** A stream whose last events hold no run: it is read further back before it is passed over. */
export function readingBack(stream: string, events: number): string {
  return `cloudwatch: stream ${stream} has no training run in its last ${plural(events, 'event', 'events')}; reading it back to its start`;
}

/** A stream read whole that holds no run: the search goes on to an older one, and says so. */
export function holdsNoRun(stream: string, events: number): string {
  return `cloudwatch: stream ${stream} holds no training run (read whole: ${plural(events, 'event', 'events')}); looking at the next newest stream`;
}

const NAME_IT = (stream: string): string => `name the stream with --log-stream ${stream}, or report every run with --run all`;

/** GetLogEvents kept answering empty pages with new tokens: the stream's end was never reached. */
export function endlessEmptyPages(logGroup: string, stream: string, pages: number): string {
  return `log group ${logGroup}: GetLogEvents answered ${fmtInt(pages)} empty pages in a row for stream ${stream} without reaching ` +
    `its start, so whether it holds the latest run is not known; try again, or ${NAME_IT(stream)}`;
}

/** A stream too long to read through for a run: no run in its last `events` events. */
export function tooLongToSearch(logGroup: string, stream: string, events: number): string {
  return `log group ${logGroup}: stream ${stream} has no training run in its last ${fmtInt(events)} events and goes on ` +
    `(a sidecar's or agent's stream?), so whether it holds the latest run is not known; ${NAME_IT(stream)}, or narrow --log-stream-prefix`;
}

export function noneOfNewest(logGroup: string, looks: number, where: string): string {
  return `log group ${logGroup}: none of the ${looks} newest log streams${where} holds a training run ` +
    '(sidecar or agent streams?); name the run with --run <id>, the stream with --log-stream, or narrow --log-stream-prefix';
}

export function noStreams(logGroup: string, where: string): string {
  return `log group ${logGroup} has no log streams${where}`;
}

/** No stream (`where`: of the prefix) has events in --since/--until's window, named as noEvents names it. */
export function noStreamInWindow(logGroup: string, where: string, w: { startTime?: number | undefined; endTime?: number | undefined }): string {
  return `log group ${logGroup}: no log stream${where} has events${timeWindow(w) || ' in the time window'}`;
}
