// mnist-report's flags: yargs definitions, then normalisation into ReportArgs
// (raw argv vs normalised options, as changesets keeps WrittenConfig vs Config).
// The only clock read of the report side is here: when neither --generated-at
// nor SOURCE_DATE_EPOCH is given, the generation time is "now".

import { statSync } from 'node:fs';
import yargs from 'yargs';
import type { Argv } from 'yargs';
import { UserError } from '../errors.js';
import { packageVersion } from '../version.js';
import { DEFAULT_FORMATS, REPORT_FORMATS, type ReportFormat } from '../render/report.js';
import type { LineFormat } from '../parse/format.js';
import { FORMAT_NAMES, formatByName } from '../parse/formats.js';
import { EPILOGUE, EXAMPLES, USAGE, reportFlags } from '../wording/help.js';
import * as usage from '../wording/usage.js';

export interface ReportArgs {
  input: string[];
  out: string;
  format: ReportFormat[];
  title: string | undefined;
  run: string;
  /** --log-format: the text format every non-JSON line is read as; null = detect by content. */
  logFormat: LineFormat | null;
  /**
   * The generation time fixed by --generated-at or SOURCE_DATE_EPOCH (ISO-8601 UTC), or null: each report is
   * then dated by the clock when it is made, after its input was read (reportTime), not when the command started.
   */
  generatedAt: string | null;
  /** Everything yargs parsed, for steps and sources added later (their own flags). */
  raw: Record<string, unknown>;
  /** Inputs left out of `input` as a file given before under another name (or the same): [left out, kept]. */
  sameFiles: [string, string][];
  /** The flags named on the command line (by their long names), not left to their defaults. */
  given: ReadonlySet<string>;
}

/** Flags of the core report; other sources and steps register theirs in `extend`. */
function defineReportFlags<T>(y: Argv<T>, help: ReturnType<typeof reportFlags>) {
  return y
    .option('input', { alias: 'i', type: 'string', array: true, requiresArg: true, default: [] as string[],
      describe: help.input })
    .option('log-format', { type: 'string', requiresArg: true,
      describe: help['log-format'] })
    .option('out', { alias: 'o', type: 'string', default: 'reports', requiresArg: true, describe: help.out })
    .option('format', { alias: 'f', type: 'string', default: DEFAULT_FORMATS.join(','), requiresArg: true,
      describe: help.format })
    .option('title', { type: 'string', requiresArg: true, describe: help.title })
    .option('run', { type: 'string', default: 'latest', requiresArg: true,
      describe: help.run })
    .option('generated-at', { type: 'string', requiresArg: true,
      describe: help['generated-at'] });
}

/** Parse argv (without node and script). Returns null when --help/--version printed; bad flags throw UserError. */
export async function parseReportArgs(argv: string[], extend: <T>(y: Argv<T>) => Argv<T> = (y) => y): Promise<ReportArgs | null> {
  let printed = false;
  argv = stdinDash(argv);
  const given = new Set<string>();
  const help = reportFlags(FORMAT_NAMES, DEFAULT_FORMATS);
  // (first: it sees each flag's values before a flag's coerce turns them into something else, e.g.
  // --gates FILE into the file's rules; getOptions is yargs 17's, missing from its typings)
  // (parsed.defaulted: the flags yargs-parser set to their defaults, read while the middleware runs)
  const parser: Argv = extend(defineReportFlags(yargs(argv).middleware((a) => {
    const internal = parser as unknown as { getOptions(): FlagOptions; parsed: { defaulted?: Record<string, boolean> } | false };
    const options = internal.getOptions();
    noNegatedValues(a, options);
    onceEachFlag(a, options);
    oneWayEachSwitch(argv, options);
    for (const flag of namedOnCommandLine(a, options, (internal.parsed && internal.parsed.defaulted) || {})) given.add(flag);
  }, true), help))
    .scriptName('mnist-report')
    .usage(USAGE)
    .example(EXAMPLES.map(([cmd, what]) => [cmd, what]))
    .epilogue(EPILOGUE)
    .strict()
    .version(false) // ours below: yargs' own needs the version string before parsing, i.e. a package.json read on every run
    .option('version', { type: 'boolean', describe: help.version })
    .help()
    .alias('help', 'h')
    .wrap(Math.min(110, process.stderr.columns ?? 110))
    .exitProcess(false)
    .fail((msg, err) => {
      const options = (parser as unknown as { getOptions(): FlagOptions }).getOptions();
      throw new UserError(`${said(msg ?? err?.message ?? 'invalid arguments', argv, options).replace(/:?\s*\n\s*/g, ': ')} (see --help)`);
    });
  parser.showHelpOnFail(false);
  // no [string]/[default] column: each description says its default (wording/help.ts); yargs 17.7's, missing from its typings
  (parser as unknown as { usageConfiguration(c: { 'hide-types': boolean }): void }).usageConfiguration({ 'hide-types': true });
  const args = (await parser.parseAsync(argv, {}, (_err, _argv, output) => {
    if (output) {
      printed = true;
      process.stdout.write(`${output}\n`);
    }
  })) as Record<string, unknown>;
  if (printed) return null;
  if (args.version) {
    process.stdout.write(`${packageVersion()}\n`);
    return null;
  }
  return normalise(args, given);
}

/**
 * yargs' message in our words where it can say more: a flag with no value (`-o DIR -i`, `-i FILE --input -o DIR`)
 * is "--input needs a value", not "Not enough arguments following: input"; an unknown argument that is a file
 * (`mnist-report run.log`) gets the flag that reads it.
 */
function said(msg: string, argv: readonly string[], options: FlagOptions): string {
  const missing = /^Not enough arguments following: (\S+)$/.exec(msg);
  // by its long name: yargs names the flag as typed (-i)
  if (missing) return usage.needsValue(longFlags(options).find((k) => k === missing[1] || options.alias[k]?.includes(missing[1]!)) ?? missing[1]!);
  const unknown = /^Unknown arguments?: (.*)$/s.exec(msg);
  if (unknown) {
    const listed = new Set(unknown[1]!.split(', '));
    const files = argv.filter((a) => listed.has(a) && isFile(a));
    if (files.length) return usage.unknownFile(msg, files);
  }
  return msg;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

interface FlagOptions { key: Record<string, unknown>; array: string[]; boolean: string[]; alias: Record<string, string[]> }

/** Every declared flag by its long name: an alias (-o) holds its flag's values, and the flag's own name is said. */
function longFlags(options: FlagOptions): string[] {
  const aliases = new Set(Object.values(options.alias).flat());
  return Object.keys(options.key).filter((k) => !aliases.has(k));
}

/** The flags (long names) the command line gave a value: not absent, not defaulted. */
function namedOnCommandLine(args: Record<string, unknown>, options: FlagOptions, defaulted: Record<string, boolean>): string[] {
  return longFlags(options).filter((k) => args[k] !== undefined && !defaulted[k]);
}

/**
 * A switch given both ways (`--no-verdict-gate --verdict-gate`, `--list --list=false`) is a usage
 * error: yargs keeps the last one, so which one was meant was decided silently. Given twice the same
 * way, it says the same thing twice. Read from argv, as yargs keeps no trace of the first.
 */
function oneWayEachSwitch(argv: readonly string[], options: FlagOptions): void {
  const switches = new Set(options.boolean);
  const seen = new Map<string, boolean>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') break; // the rest is not flags
    const m = /^--(no-)?([^=]+)(?:=(.*))?$/s.exec(token);
    if (!m) continue;
    const name = m[2]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    if (!switches.has(name)) continue;
    // yargs takes "--switch false" as "--switch=false"
    const next = argv[i + 1];
    const value = m[3] ?? (next === 'true' || next === 'false' ? next : undefined);
    const on = (value !== 'false') !== (m[1] !== undefined);
    if (seen.has(name) && seen.get(name) !== on) throw new UserError(usage.switchBothWays(name));
    seen.set(name, on);
  }
}

/**
 * A flag that takes one value and was given more than once is a usage error: yargs makes the values
 * a list, which a flag's reading then took as text ("--out a --out b" wrote the report to the folder
 * "a,b"; "--run latest --run all" looked for a run called "latest,all"; "--gates a --gates b" read a
 * file "a,b"; --history and --poll-interval took the last). Flags that take a list (--input,
 * --fail-on) are declared as arrays, and --format's comma-separated lists are joined ("-f md -f json"
 * is "-f md,json").
 */
function onceEachFlag(args: Record<string, unknown>, options: FlagOptions): void {
  for (const flag of longFlags(options)) {
    const v = args[flag];
    if (Array.isArray(v) && !options.array.includes(flag) && flag !== 'format') throw new UserError(usage.givenMoreThanOnce(flag, v));
  }
}

/**
 * `--no-X` for a flag X that takes a value is a usage error: yargs negates any flag, and X's reading
 * took the resulting false as text (`--no-out` wrote the report into a folder "false", `--no-log-group`
 * read a log group "false", `--no-run` looked for a run "false").
 */
function noNegatedValues(args: Record<string, unknown>, options: FlagOptions): void {
  for (const flag of longFlags(options)) {
    if (options.boolean.includes(flag)) continue;
    const v = args[flag];
    if (v === false || (Array.isArray(v) && v.includes(false))) throw new UserError(usage.negatedValueFlag(flag));
  }
}

/** yargs reads a lone "-" as a positional, not as a flag's value: `--input -` → `--input=-`, `-o -` → `--out=-`. */
function stdinDash(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const flag = a === '--input' || a === '-i' ? 'input' : a === '--out' || a === '-o' ? 'out' : null;
    if (flag && argv[i + 1] === '-') {
      out.push(`--${flag}=-`);
      i++;
    } else out.push(a);
  }
  return out;
}

function normalise(args: Record<string, unknown>, named: ReadonlySet<string>): ReportArgs {
  const format = String(args.format).split(',').map((s) => s.trim()).filter(Boolean);
  const bad = format.filter((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (bad.length || !format.length) throw new UserError(usage.formatBad(REPORT_FORMATS, args.format));
  const out = String(args.out);
  if (!out.trim()) throw new UserError(usage.OUT_EMPTY);
  const title = args.title === undefined ? undefined : String(args.title);
  if (title !== undefined && !title.trim()) throw new UserError(usage.TITLE_EMPTY);
  const given = (args.input as unknown[]).map(String);
  if (given.filter((f) => f === '-').length > 1) throw new UserError(usage.STDIN_TWICE);
  const { input, sameFiles } = onceEach(given);
  return {
    input,
    sameFiles,
    out,
    format: REPORT_FORMATS.filter((f) => format.includes(f)),
    title,
    run: String(args.run),
    logFormat: logFormat(args['log-format']),
    generatedAt: generationTime(args['generated-at'] as string | undefined, process.env.SOURCE_DATE_EPOCH),
    raw: args,
    given: named,
  };
}

/**
 * Each file once: a file given twice, under its own name or another (`logs/*.jsonl logs/a.jsonl`,
 * `a.jsonl ./a.jsonl`, a link), was read twice, and its run read as a restarted task ("Epochs 1-5
 * logged more than once"). Known by device and inode; an input that cannot be looked at is kept,
 * for the reading to say why.
 */
function onceEach(given: string[]): { input: string[]; sameFiles: [string, string][] } {
  const seen = new Map<string, string>();
  const input: string[] = [];
  const sameFiles: [string, string][] = [];
  for (const f of given) {
    const id = f === '-' ? null : fileId(f);
    const first = id === null ? undefined : seen.get(id);
    if (first !== undefined) {
      sameFiles.push([f, first]);
      continue;
    }
    if (id !== null) seen.set(id, f);
    input.push(f);
  }
  return { input, sameFiles };
}

function fileId(f: string): string | null {
  try {
    const st = statSync(f, { bigint: true });
    return st.isFile() ? `${st.dev}:${st.ino}` : null;
  } catch {
    return null;
  }
}

function logFormat(flag: unknown): LineFormat | null {
  if (flag === undefined) return null;
  const f = formatByName(String(flag));
  if (!f) throw new UserError(usage.logFormatBad(FORMAT_NAMES, flag));
  return f;
}

const MAX_ISO_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

/**
 * The time a report is dated: the one --generated-at or SOURCE_DATE_EPOCH fixed, else now. Called when the
 * report is made: taken at start, stdin's run was dated before its first event (issue: generated_at 17:24:04.449Z,
 * the run's run_start 17:24:05.784Z).
 */
export function reportTime(fixed: string | null): string {
  return fixed ?? new Date().toISOString();
}

/** --generated-at, else SOURCE_DATE_EPOCH (checked at start), normalised to ISO-8601 UTC with milliseconds; null: neither, the clock decides (reportTime). */
export function generationTime(flag: string | undefined, epoch: string | undefined): string | null {
  if (flag !== undefined) {
    const t = Date.parse(flag);
    if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2}))?$/.test(flag) || !Number.isFinite(t)) {
      throw new UserError(usage.generatedAtBad(flag));
    }
    return new Date(t).toISOString();
  }
  if (epoch !== undefined && epoch !== '') {
    const t = Number(epoch) * 1000;
    // Date holds ±8.64e15 ms; beyond year 9999 toISOString's shape changes, so stop there
    if (!/^\d+$/.test(epoch) || !(t <= MAX_ISO_MS)) {
      throw new UserError(usage.sourceDateEpochBad(MAX_ISO_MS / 1000, epoch));
    }
    return new Date(t).toISOString();
  }
  return null;
}
