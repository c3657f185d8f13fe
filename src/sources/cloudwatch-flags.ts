// mnist-report's CloudWatch flags (registered through parseReportArgs' `extend` hook) and
// their normalisation into the source's options. yargs only; the SDK is not loaded here.

import type { Argv } from 'yargs';
import { UserError } from '../errors.js';
import type { CloudWatchSourceOptions } from './cloudwatch.js';
import { ENGINES, type Engine } from './cloudwatch-group.js';
import { endpointProblem } from './cloudwatch-client.js';

/** The flags that only mean something with --log-group, in --help's order (the first one given names the error). */
const CLOUD_ONLY_FLAGS = {
  region: 'AWS region of the log group (default: AWS_REGION, then the profile)',
  profile: 'AWS profile from ~/.aws/config (default: AWS_PROFILE, then the usual chain)',
  'log-stream': 'Read only this log stream',
  'log-stream-prefix': 'Only streams whose names start with this (e.g. ecs/mnist-training/)',
  since: 'Only runs with events after this: now, a duration back from now (2h, 7d, "2h ago"), epoch seconds (up to 11 digits) or ms (12 or 13), or a timestamp (no zone = UTC); not after now; a run it selects is read whole',
  until: 'Only runs with events before this: the same forms as --since',
  'endpoint-url': 'CloudWatch Logs endpoint (default: AWS_ENDPOINT_URL, then the region\'s)',
  timeout: 'Seconds to wait for each CloudWatch Logs request, connecting included (default 30); a request that runs out is retried',
  'max-attempts': 'Attempts per CloudWatch Logs request, retries included (default: AWS_MAX_ATTEMPTS, else 8)',
  engine: 'How --list, --run all and --history read the whole log group: insights (CloudWatch Logs Insights: one query for the runs and their epochs, ' +
    'the reported runs then read whole), filter (FilterLogEvents: every event), or auto (default: insights for --list and --history when allowed, ' +
    'else filter, said on stderr; --run all reads with filter)',
} as const;

export function defineCloudWatchFlags<T>(y: Argv<T>): Argv<T> {
  let flags = y.option('log-group', { type: 'string', requiresArg: true,
    describe: 'Read the run from this CloudWatch Logs group (e.g. /ecs/mnist-training) instead of --input' });
  for (const [name, describe] of Object.entries(CLOUD_ONLY_FLAGS)) flags = flags.option(name, { type: 'string', requiresArg: true, describe }) as typeof flags;
  return flags
    // (short enough for yargs' command column: a longer one wrapped inside it, read as two commands)
    .example('$0 --log-group /ecs/mnist-training --since 7d', 'the latest run of the last week, from CloudWatch Logs (region: --region or AWS_REGION)')
    .example('$0 --log-group /ecs/mnist-training --run all', 'every run in the group, one report each, plus an index') as unknown as Argv<T>;
}

/** The CloudWatch source options the flags ask for, or null when --log-group is absent. */
export function cloudWatchOptionsFromArgs(raw: Record<string, unknown>, run: string, onProgress: (m: string) => void, readWhole?: string): CloudWatchSourceOptions | null {
  const text = (k: string): string | undefined => {
    const v = raw[k];
    if (v === undefined) return undefined;
    const s = String(v);
    if (s.trim() === '') throw new UserError(`--${k} must not be empty`);
    return s;
  };
  const logGroup = text('log-group');
  const cloudOnly = Object.keys(CLOUD_ONLY_FLAGS).filter((k) => raw[k] !== undefined);
  if (logGroup === undefined) {
    if (cloudOnly.length) throw new UserError(`--${cloudOnly[0]} needs --log-group`);
    return null;
  }
  const input = raw.input;
  if (Array.isArray(input) && input.length) throw new UserError('give either --input or --log-group, not both');
  const endpointUrl = text('endpoint-url');
  // here, with the flags: the SDK's "TypeError: Invalid URL" was an internal error (exit 1)
  const badEndpoint = endpointProblem(endpointUrl, process.env);
  if (badEndpoint) throw new UserError(badEndpoint);
  return {
    logGroup,
    region: text('region'),
    profile: text('profile'),
    logStream: text('log-stream'),
    logStreamPrefix: text('log-stream-prefix'),
    since: text('since'),
    until: text('until'),
    endpointUrl,
    timeoutMs: numberFlag('timeout', text('timeout'), 1000),
    maxAttempts: numberFlag('max-attempts', text('max-attempts'), 1),
    engine: engineFlag(text('engine')),
    run,
    ...(readWhole !== undefined ? { readWhole } : {}),
    onProgress,
  };
}

/** --timeout SECONDS (× 1000 → ms) or --max-attempts N (× 1): a positive number, whole for attempts. */
export function numberFlag(flag: 'timeout' | 'max-attempts', value: string | undefined, scale: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const ok = flag === 'timeout' ? Number.isFinite(n) && n > 0 : Number.isInteger(n) && n >= 1 && n <= 100;
  if (!ok) throw new UserError(`--${flag} must be ${flag === 'timeout' ? 'a number of seconds above 0' : 'a whole number from 1 to 100'}, got ${JSON.stringify(value)}`);
  return Math.round(n * scale);
}

function engineFlag(value: string | undefined): Engine {
  if (value === undefined) return 'auto';
  if (!(ENGINES as readonly string[]).includes(value)) throw new UserError(`--engine must be one of ${ENGINES.join(', ')}, got ${JSON.stringify(value)}`);
  return value as Engine;
}
