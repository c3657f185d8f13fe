// Command-line flags of mnist-train, normalised once into TrainOptions.

import yargs from 'yargs';
import { UserError } from '../errors.js';
import { given, givenMoreThanOnce, negatedValueFlag } from '../wording/usage.js';
import { intBad } from '../wording/train.js';
import { TRAIN_EPILOGUE, TRAIN_USAGE, trainFlags } from '../wording/train-help.js';
import { TEST_SIZE, TRAIN_SIZE } from './dataset.js';
import { packageVersion } from '../version.js';
import { BACKEND_REQUESTS } from './backend.js';
import type { BackendRequest } from './backend.js';
import { MODEL_NAMES } from './models.js';
import type { ModelName } from './models.js';
import { DEFAULT_NAMESPACE } from './emf.js';
import { endpointProblem } from '../sources/cloudwatch-client.js';

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  model: ModelName;
  backend: BackendRequest;
  /** The default MLP on wasm trains through our fused step (mlp-step.ts) unless false. */
  fusedStep: boolean;
  trainSamples: number;
  validationSamples: number;
  /** --validation-split: validate on this held-out fraction of the training images (not the test set); null: the test set. */
  validationSplit: number | null;
  /** null: no batch_end events. */
  logEveryBatches: number | null;
  /** Emit a lighter evaluation event (the validation set's confusion matrix) after every epoch. */
  evaluateEveryEpoch: boolean;
  saveModel: string | null;
  out: string | null;
  /** null: generate one at startup. */
  runId: string | null;
  dataDir: string | null;
  metricsNamespace: string;
  /** --log-group: also ship events to CloudWatch Logs; null when not asked for. */
  cloudwatch: {
    logGroup: string; logStream: string | null; region?: string; profile?: string; endpointUrl?: string;
    timeoutMs?: number; maxAttempts?: number; flushDeadlineMs?: number; flushIntervalMs?: number;
  } | null;
}


/** --help or --version: the text to print on stdout instead of training. */
export interface HelpRequest {
  help: string;
}

/** A number flag: taken as text (so that an error can quote it: yargs' numbers turn "abc" into NaN), never without its value. */
const NUMBER = { type: 'string', requiresArg: true } as const;
const byDefault = (n: number) => ({ default: String(n), defaultDescription: String(n) });

/** Parse argv (without node and script); bad flags throw UserError. */
export async function parseTrainArgs(argv: string[]): Promise<TrainOptions | HelpRequest> {
  const help = trainFlags(TRAIN_SIZE, TEST_SIZE);
  // (the parser's declared flags, for the middleware below; getOptions is yargs 17's, missing from its typings)
  let declared: (() => { key: Record<string, unknown>; boolean: string[] }) | null = null;
  const parser = yargs(argv)
    // before yargs' own checks (a flag's choices): yargs negates any flag, and `--no-log-group` gave false, which
    // the flag's reading took as text (a TypeError); `--out x --no-out` gave ["x", false]
    .middleware((a) => {
      const options = declared!();
      const negated = Object.keys(options.key).find((k) => !options.boolean.includes(k) && (a[k] === false || (Array.isArray(a[k]) && (a[k] as unknown[]).includes(false))));
      if (negated !== undefined) throw new UserError(negatedValueFlag(negated));
    }, true)
    .scriptName('mnist-train')
    .usage(TRAIN_USAGE)
    .option('epochs', { ...NUMBER, ...byDefault(5), describe: help.epochs })
    .option('batch-size', { ...NUMBER, ...byDefault(32), describe: help['batch-size'] })
    .option('learning-rate', { ...NUMBER, ...byDefault(0.001), describe: help['learning-rate'] })
    .option('seed', { ...NUMBER, ...byDefault(42), describe: help.seed })
    .option('model', { requiresArg: true, choices: MODEL_NAMES, default: 'mlp' as ModelName, describe: help.model })
    .option('backend', { requiresArg: true, choices: BACKEND_REQUESTS, default: 'auto' as BackendRequest, describe: help.backend })
    .option('fused-step', { type: 'boolean', default: true, describe: help['fused-step'] })
    .option('train-samples', { ...NUMBER, ...byDefault(TRAIN_SIZE), describe: help['train-samples'] })
    .option('validation-samples', { ...NUMBER, describe: help['validation-samples'] })
    .option('validation-split', { ...NUMBER, describe: help['validation-split'] })
    .option('log-every-batches', { ...NUMBER, ...byDefault(0), describe: help['log-every-batches'] })
    .option('evaluate-every-epoch', { type: 'boolean', default: false, describe: help['evaluate-every-epoch'] })
    .option('save-model', { type: 'string', requiresArg: true, describe: help['save-model'] })
    .option('out', { type: 'string', requiresArg: true, describe: help.out })
    .option('run-id', { type: 'string', requiresArg: true, describe: help['run-id'] })
    .option('data-dir', { type: 'string', requiresArg: true, describe: help['data-dir'] })
    .option('metrics-namespace', { type: 'string', requiresArg: true, default: DEFAULT_NAMESPACE, describe: help['metrics-namespace'] })
    .option('log-group', { type: 'string', requiresArg: true, describe: help['log-group'] })
    .option('log-stream', { type: 'string', requiresArg: true, describe: help['log-stream'] })
    .option('region', { type: 'string', requiresArg: true, describe: help.region })
    .option('profile', { type: 'string', requiresArg: true, describe: help.profile })
    .option('endpoint-url', { type: 'string', requiresArg: true, describe: help['endpoint-url'] })
    .option('timeout', { ...NUMBER, describe: help.timeout })
    .option('max-attempts', { ...NUMBER, describe: help['max-attempts'] })
    .option('flush-interval', { ...NUMBER, describe: help['flush-interval'] })
    .option('flush-deadline', { ...NUMBER, describe: help['flush-deadline'] })
    .epilog(TRAIN_EPILOGUE)
    .help(false) // printed by the CLI on stdout; yargs would use console.log, which the trainer sends to stderr
    .option('help', { type: 'boolean', default: false, describe: help.help })
    .version(false) // yargs' own would print with console.log too
    .option('version', { type: 'boolean', default: false, describe: help.version })
    .strict()
    .wrap(Math.min(110, process.stderr.columns ?? 110))
    .fail((msg, err) => {
      // yargs words some failures over several lines ("Invalid values:\n  Argument: …"): one line here
      throw new UserError(`${(msg ?? err?.message ?? 'invalid arguments').replace(/:?\s*\n\s*/g, ': ')} (see --help)`);
    });
  declared = () => (parser as unknown as { getOptions(): { key: Record<string, unknown>; boolean: string[] } }).getOptions();
  const args = await parser.parse();
  if (args.help) return { help: await parser.getHelp() };
  if (args.version) return { help: packageVersion() };

  return {
    epochs: int('epochs', args.epochs, 1),
    batchSize: int('batch-size', args['batch-size'], 1),
    learningRate: positive('learning-rate', args['learning-rate']),
    seed: int('seed', args.seed, 0),
    model: one('model', args.model),
    backend: one('backend', args.backend),
    fusedStep: args['fused-step'],
    trainSamples: int('train-samples', args['train-samples'], 1, TRAIN_SIZE),
    validationSamples: args['validation-samples'] === undefined ? TEST_SIZE : int('validation-samples', args['validation-samples'], 1, TEST_SIZE),
    validationSplit: split(args['validation-split'], args['validation-samples']),
    logEveryBatches: int('log-every-batches', args['log-every-batches'], 0) || null,
    evaluateEveryEpoch: args['evaluate-every-epoch'],
    saveModel: nonEmpty('save-model', args['save-model']),
    out: nonEmpty('out', args.out),
    runId: nonEmpty('run-id', args['run-id']),
    dataDir: nonEmpty('data-dir', args['data-dir']),
    metricsNamespace: nonEmpty('metrics-namespace', args['metrics-namespace']) ?? DEFAULT_NAMESPACE,
    cloudwatch: cloudWatchShipping(args),
  };
}

/** A value flag's text as given (a flag given twice is refused, not read as its last value). */
function one<T>(flag: string, value: T | T[]): T {
  if (Array.isArray(value)) throw new UserError(givenMoreThanOnce(flag, value));
  return value;
}

/** A number flag: its text as a number (NaN when it is not one), and the text, to quote it. */
function numeric(flag: string, value: string | string[]): { n: number; text: string } {
  const text = one(flag, value);
  return { n: text.trim() === '' ? Number.NaN : Number(text), text };
}

function cloudWatchShipping(args: Record<string, unknown>): TrainOptions['cloudwatch'] {
  const flag = (k: string): string | undefined => nonEmpty(k, args[k] as string | undefined) ?? undefined;
  const logGroup = flag('log-group');
  const others = ['log-stream', 'region', 'profile', 'endpoint-url', 'timeout', 'max-attempts', 'flush-deadline', 'flush-interval'].filter((k) => args[k] !== undefined);
  if (logGroup === undefined) {
    if (others.length) throw new UserError(`--${others[0]} needs --log-group`);
    return null;
  }
  const endpointUrl = flag('endpoint-url');
  // before training, as --save-model is: a bad endpoint was found only when the run's events were shipped
  const badEndpoint = endpointProblem(endpointUrl, process.env);
  if (badEndpoint) throw new UserError(badEndpoint);
  const seconds = (k: string): number | undefined => (args[k] === undefined ? undefined : Math.round(positive(k, args[k] as string) * 1000));
  return {
    logGroup, logStream: flag('log-stream') ?? null, region: flag('region'), profile: flag('profile'), endpointUrl,
    timeoutMs: seconds('timeout'), flushDeadlineMs: seconds('flush-deadline'), flushIntervalMs: seconds('flush-interval'),
    maxAttempts: args['max-attempts'] === undefined ? undefined : int('max-attempts', args['max-attempts'] as string, 1, 100),
  };
}

function int(flag: string, value: string | string[], min: number, max = Number.MAX_SAFE_INTEGER): number {
  const { n, text } = numeric(flag, value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UserError(intBad(flag, min, max === Number.MAX_SAFE_INTEGER ? null : max, text));
  }
  return n;
}

/** --validation-split: a fraction in (0, 1); it replaces the test-set validation, so --validation-samples cannot come with it. */
function split(value: string | string[] | undefined, samples: string | string[] | undefined): number | null {
  if (value === undefined) return null;
  const { n, text } = numeric('validation-split', value);
  if (!Number.isFinite(n) || n <= 0 || n >= 1) {
    throw new UserError(`--validation-split must be a fraction between 0 and 1 (e.g. 0.1), got ${given(text)}`);
  }
  if (samples !== undefined) throw new UserError('--validation-split and --validation-samples do not go together (the split validates on training images, not the test set)');
  return n;
}

function positive(flag: string, value: string | string[]): number {
  const { n, text } = numeric(flag, value);
  if (!Number.isFinite(n) || n <= 0) throw new UserError(`--${flag} must be a positive number, got ${given(text)}`);
  return n;
}

function nonEmpty(flag: string, value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  const text = one(flag, value);
  if (text.trim() === '') throw new UserError(`--${flag} must not be empty`);
  return text;
}
