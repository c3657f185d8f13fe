// mnist-report's CloudWatch flags (registered through parseReportArgs' `extend` hook) and
// their normalisation into the source's options. yargs only; the SDK is not loaded here.

import type { Argv } from 'yargs';
import { UserError } from '../errors.js';
import type { CloudWatchSourceOptions } from './cloudwatch.js';

export function defineCloudWatchFlags<T>(y: Argv<T>): Argv<T> {
  return y
    .option('log-group', { type: 'string', requiresArg: true, describe: 'Read the run from this CloudWatch Logs group (e.g. /ecs/mnist-training) instead of --input' })
    .option('region', { type: 'string', requiresArg: true, describe: 'AWS region of the log group (default: AWS_REGION, then the profile)' })
    .option('profile', { type: 'string', requiresArg: true, describe: 'AWS profile from ~/.aws/config (default: AWS_PROFILE, then the usual chain)' })
    .option('log-stream', { type: 'string', requiresArg: true, describe: 'Read only this log stream' })
    .option('log-stream-prefix', { type: 'string', requiresArg: true, describe: 'Only streams whose names start with this (e.g. ecs/mnist-training/)' })
    .option('since', { type: 'string', requiresArg: true, describe: 'Only events after this: a duration back from now (2h, 7d) or a timestamp' })
    .option('until', { type: 'string', requiresArg: true, describe: 'Only events before this: a duration back from now or a timestamp' })
    .option('endpoint-url', { type: 'string', requiresArg: true, describe: 'CloudWatch Logs endpoint (default: AWS_ENDPOINT_URL, then the region\'s)' })
    .example('$0 --log-group /ecs/mnist-training --region us-east-2 --since 7d', 'the latest run of the last week, straight from CloudWatch Logs')
    .example('$0 --log-group /ecs/mnist-training --run all --log-stream-prefix ecs/', 'every run in the group, one report each, plus an index') as unknown as Argv<T>;
}

/** The CloudWatch source options the flags ask for, or null when --log-group is absent. */
export function cloudWatchOptionsFromArgs(raw: Record<string, unknown>, run: string, onProgress: (m: string) => void): CloudWatchSourceOptions | null {
  const text = (k: string): string | undefined => {
    const v = raw[k];
    if (v === undefined) return undefined;
    if (Array.isArray(v)) throw new UserError(`--${k} given more than once`);
    const s = String(v);
    if (s.trim() === '') throw new UserError(`--${k} must not be empty`);
    return s;
  };
  const logGroup = text('log-group');
  const cloudOnly = ['region', 'profile', 'log-stream', 'log-stream-prefix', 'since', 'until', 'endpoint-url'].filter((k) => raw[k] !== undefined);
  if (logGroup === undefined) {
    if (cloudOnly.length) throw new UserError(`--${cloudOnly[0]} needs --log-group`);
    return null;
  }
  const input = raw.input;
  if (Array.isArray(input) && input.length) throw new UserError('give either --input or --log-group, not both');
  return {
    logGroup,
    region: text('region'),
    profile: text('profile'),
    logStream: text('log-stream'),
    logStreamPrefix: text('log-stream-prefix'),
    since: text('since'),
    until: text('until'),
    endpointUrl: text('endpoint-url'),
    run,
    onProgress,
  };
}
