// --follow's flags and where it reads from: a growing file (tail -F: sources/follow.ts) or a log group
// (FilterLogEvents polled: sources/cloudwatch-follow.ts), as records; report-follow.ts follows the run in them.

import { stat } from 'node:fs/promises';
import type { Argv } from 'yargs';
import type { CloudWatchSourceOptions } from '../sources/cloudwatch.js';
import { DEFAULT_CLOUDWATCH_POLL_MS, followCloudWatchRecords } from '../sources/cloudwatch-follow.js';
import { DEFAULT_FILE_POLL_MS, followFileRecords, type FollowOptions } from '../sources/follow.js';
import { UserError } from '../errors.js';
import type { LogRecord } from '../types.js';
import type { ReportArgs } from './report-args.js';
import * as fw from '../wording/follow.js';
import * as help from '../wording/help.js';

export function withFollowFlag<T>(y: Argv<T>) {
  return y.option('follow', { type: 'boolean', describe: help.FOLLOW_FLAG })
    .option('poll-interval', { type: 'string', requiresArg: true,
      describe: help.pollIntervalFlag(DEFAULT_CLOUDWATCH_POLL_MS / 1000, DEFAULT_FILE_POLL_MS / 1000),
      coerce: (v: unknown): number => pollSeconds(v) });
}

function pollSeconds(v: unknown): number {
  const text = String(v);
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 3600) {
    throw new UserError(fw.pollIntervalBad(text));
  }
  return n;
}

/** Whether --follow was given; --poll-interval without it is a usage error (it would do nothing). */
export function wantsFollow(args: ReportArgs): boolean {
  const follow = args.raw.follow === true;
  if (!follow && args.raw['poll-interval'] !== undefined) throw new UserError(fw.POLL_WITHOUT_FOLLOW);
  return follow;
}

/** Where --follow reads from: a growing file or a log group, as records, with how to name it. */
export interface FollowSource {
  /** In stderr lines: the file's path, or "log group G". */
  label: string;
  /** Whether runs that were over before following began may be among the records (--run latest then waits for the next run). */
  holdsEarlierRuns: () => Promise<boolean>;
  records: (options: FollowOptions) => AsyncIterable<LogRecord[]>;
}

/** The one file or log group --follow reads (`cloud`: the --log-group options, if given); anything else is a usage error. */
export function followSource(args: ReportArgs, cloud: CloudWatchSourceOptions | null): FollowSource {
  if (args.run === 'all') throw new UserError(fw.NOT_ALL);
  const poll = args.raw['poll-interval'];
  const pollMs = typeof poll === 'number' ? Math.round(poll * 1000) : undefined;
  if (cloud) {
    if (cloud.until !== undefined) throw new UserError(fw.NOT_UNTIL);
    if (typeof args.raw.history === 'number') throw new UserError(fw.NOT_HISTORY);
    return {
      label: fw.groupLabel(cloud.logGroup),
      // the source hands over only the followed run's events; a --log-stream is read whole, like a file
      holdsEarlierRuns: async () => cloud.logStream !== undefined,
      records: (o) => followCloudWatchRecords(cloud, { ...o, pollMs }),
    };
  }
  if (args.input.length !== 1 || args.input[0] === '-') throw new UserError(fw.ONE_INPUT);
  const path = args.input[0]!;
  return {
    label: path,
    holdsEarlierRuns: () => stat(path).then((s) => s.size > 0, () => false),
    records: (o) => followFileRecords(path, { ...o, pollMs }),
  };
}
