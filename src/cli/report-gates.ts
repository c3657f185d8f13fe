// The report CLI's quality-gate and baseline flags and their post-analysis steps.
// Flags are checked while argv is parsed (a typo in a rule fails before any log
// is read, and so does a rule that compares without its flag: checkGateComparisons);
// evaluation is pure and lives in src/analyze/gates.ts and baseline.ts.
//
//   --fail-on RULE… + --gates FILE ──parseGateRules──▶ rules ──evaluateGates──▶ analysis.gates, exit 3 if any failed
//   --baseline FILE|DIR|RUN_ID ──report.json | analyzeRun(run in input)──compareBaseline──▶ analysis.baseline
//                                (verdict, Conclusion and Next Steps decided again: withComparison)
//                                a log group read for one run: the baseline run read too, by its id (readBaselineRun)

import { statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Argv } from 'yargs';
import { EXIT, UserError } from '../errors.js';
import { analyzeRun, nothingToJudge, withComparison } from '../analyze/analyze.js';
import { gatesFileSources, parseGateRules, type GateFlag, type GateSource } from '../analyze/gates-rules.js';
import { evaluateGates } from '../analyze/gates.js';
import { gateNeedsFlag, gatesFailed, gatesPassedFor } from '../wording/gates.js';
import * as words from '../wording/cli.js';
import { FAIL_ON_HELP, GATE_FLAGS } from '../wording/help.js';
import { baselineCurves, compareBaseline } from '../analyze/baseline.js';
import { parseBaselineReport } from '../analyze/baseline-input.js';
import type { Analysis } from '../analyze/types.js';
import { withVerdict } from '../analyze/verdict.js';
import type { LineFormat } from '../parse/format.js';
import { collectRuns } from '../runs/collect.js';
import { NoEventsError, readCloudWatchRecords, type CloudWatchSourceOptions } from '../sources/cloudwatch.js';
import type { ParsedLog } from '../types.js';
import type { ReportArgs } from './report-args.js';
import { readLimitedText } from '../read-limited.js';

/** A gates file is a few lines of rules; a report.json of 100,000 epochs is ~50 MB. */
const MAX_GATES_BYTES = 64 * 1024;
const MAX_BASELINE_BYTES = 256 * 1024 * 1024;

/** Adds --fail-on, --gates and --baseline (pass to parseReportArgs as `extend`). */
export function withGateFlags<T>(y: Argv<T>) {
  return y
    .option('fail-on', {
      type: 'string', array: true, requiresArg: true, describe: FAIL_ON_HELP,
      coerce: (rules: unknown[]): GateSource[] => checked(rules.map((r) => ({ text: String(r), origin: '--fail-on' }))),
    })
    .option('gates', {
      type: 'string', requiresArg: true,
      describe: GATE_FLAGS.gates,
      coerce: (file: unknown): GateSource[] => checked(readGatesFile(String(file))),
    })
    .option('verdict-gate', {
      type: 'boolean', default: true,
      describe: GATE_FLAGS['verdict-gate'],
    })
    .option('baseline', {
      type: 'string', requiresArg: true,
      describe: GATE_FLAGS.baseline,
    });
}

/** Where a step can look beyond its own run: the whole parsed input. */
export interface StepContext {
  parsed: ParsedLog;
  labels: string[];
  /** What a read of the --baseline run apart from the input found (readBaselineRun; null: nothing). */
  baselineRead?: ParsedLog | null;
  /** The log group read (wording's logGroupPlace), when the input is one. */
  place?: string;
  /** --baseline as a run id (baselineRunId, decided once by the CLI: it looks on disk), else null. */
  baselineRun?: string | null;
  /** How many reports this command writes (--run all: one per run); with more than one, a stderr line names its run. */
  reports?: number;
}

/** The gate every report applies unless --no-verdict-gate: a failed verdict exits 3 (a NaN run must not exit 0). */
const VERDICT_GATE: GateSource = { text: 'failed', origin: 'default (--no-verdict-gate turns it off)' };

/** --fail-on/--gates (+ the default verdict gate) → analysis.gates; exit 3 when any gate failed. */
export function gatesStep(analysis: Analysis, args: ReportArgs, ctx: StepContext) {
  // a run with no epochs (and no evaluation) is bad input (exit 2), not a run to judge
  const byDefault = args.raw['verdict-gate'] !== false && !nothingToJudge(analysis) ? [VERDICT_GATE] : [];
  const sources = [...byDefault, ...sourcesOf(args.raw['fail-on']), ...sourcesOf(args.raw.gates)];
  if (!sources.length) return {};
  const gates = evaluateGates(analysis, parseGateRules(sources), { baselineIsThisRun: ctx.baselineRun === analysis.run.run_id });
  const failed = gates.results.filter((g) => g.status === 'fail');
  return {
    analysis: withVerdict({ ...analysis, gates }),
    exitCode: failed.length ? EXIT.gate : EXIT.ok,
    messages: [failed.length ? gatesFailed(failed, analysis.run.run_id)
      : (ctx.reports ?? 1) > 1 ? gatesPassedFor(gates.results.length, analysis.run.run_id) : gates.summary],
  };
}

/** The flag each rule that compares the run with others reads its comparison from. */
const COMPARED_THROUGH = { regression: 'baseline', below_history: 'history' } as const;
const comparing = (flag: GateFlag): flag is keyof typeof COMPARED_THROUGH => Object.hasOwn(COMPARED_THROUGH, flag);

/**
 * regression without --baseline, or below_history without --history, is a usage error (exit 2)
 * before any input is read: the gate could only fail, after a whole report, as if the run had regressed.
 */
export function checkGateComparisons(args: ReportArgs): void {
  for (const rule of parseGateRules([...sourcesOf(args.raw['fail-on']), ...sourcesOf(args.raw.gates)])) {
    if (rule.kind === 'flag' && comparing(rule.flag) && args.raw[COMPARED_THROUGH[rule.flag]] === undefined) {
      throw new UserError(gateNeedsFlag(rule.flag, rule.origin));
    }
  }
}

/** --baseline → analysis.baseline (the deltas table). */
export function baselineStep(analysis: Analysis, args: ReportArgs, ctx: StepContext) {
  const arg = args.raw.baseline;
  if (typeof arg !== 'string') return {};
  const loaded = loadBaseline(arg, analysis, args, ctx);
  if (!loaded) return { messages: [words.baselineIsThisRun(arg)] };
  const { base, source } = loaded;
  const baseline = { ...compareBaseline(analysis, base, source), curves: baselineCurves(base) };
  // a significant regression changes the verdict and adds a next step
  return { analysis: withComparison({ ...analysis, baseline }), messages: [baseline.summary] };
}

function loadBaseline(arg: string, current: Analysis, args: ReportArgs, ctx: StepContext): { base: Analysis; source: string } | null {
  // (a run id: the CLI looked on disk once, baselineRunId; --run all does not stat it again for every run)
  const file = ctx.baselineRun === arg ? null : reportFile(arg);
  if (file !== null) {
    const text = readLimitedText(file, MAX_BASELINE_BYTES, '--baseline');
    return { base: parseBaselineReport(text, file), source: shownPath(file) };
  }
  const read = ctx.baselineRead;
  const from = [ctx.parsed, read].find((p) => p?.runs.some((r) => r.run_id === arg));
  const run = from?.runs.find((r) => r.run_id === arg);
  // (a log group read for one run holds not the group's runs: those are not named, the place is)
  if (!from || !run) baselineNotFound(arg, read === undefined ? ctx.parsed.runs.map((r) => r.run_id) : [], ctx.place);
  if (run.run_id === current.run.run_id) return null;
  const base = analyzeRun(run, from.quality, { generatedAt: current.generated_at, title: args.title, sources: ctx.labels, noRun: from.no_run });
  return { base, source: words.baselineInInput(arg) };
}

/**
 * --baseline RUN_ID on a log group, when the read of the reported run did not bring it (--run
 * latest and --run ID read their own run alone: by its run_id, or a text run's stream): that run
 * read as --run ID reads one, whole (--since/--until chose the reported run, not this one).
 * null: the log group has no event of it, which the baseline step says.
 */
export async function readBaselineRun(id: string, cloud: CloudWatchSourceOptions, format: LineFormat | null, say: (line: string) => void): Promise<ParsedLog | null> {
  say(words.readingBaseline(id, words.logGroupPlace(cloud)));
  const { since: _since, until: _until, ...whole } = cloud;
  try {
    return await collectRuns(readCloudWatchRecords({ ...whole, run: id }), { format });
  } catch (err) {
    if (err instanceof NoEventsError) return null;
    throw err;
  }
}

/** --baseline naming a run of the input (not a report.json or its folder), or null. */
export function baselineRunId(args: ReportArgs): string | null {
  const arg = args.raw.baseline;
  return typeof arg === 'string' && reportFile(arg) === null ? arg : null;
}

/** Throws when --baseline names no file and no run among `ids` (the input's runs; `place`: the log group read, for one). */
export function checkBaselineRun(arg: string, ids: string[], place?: string): void {
  if (!ids.includes(arg)) baselineNotFound(arg, ids, place);
}

function baselineNotFound(arg: string, ids: string[], place?: string): never {
  throw new UserError(words.baselineNotFound(arg, ids.slice(-5), ids.length, place));
}

/**
 * The baseline file as the report names it: a path relative to where mnist-report
 * ran, or, when that would leave it (absolute, ../), the last folder and the file
 * name: a report is shared, a local absolute path means nothing to its readers.
 */
export function shownPath(file: string): string {
  const rel = relative(process.cwd(), resolve(file));
  if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
  return [basename(dirname(resolve(file))), basename(file)].filter(Boolean).join('/');
}

function reportFile(arg: string): string | null {
  try {
    return statSync(arg).isDirectory() ? join(arg, 'report.json') : arg;
  } catch {
    return null;
  }
}

function readGatesFile(file: string): GateSource[] {
  return gatesFileSources(readLimitedText(file, MAX_GATES_BYTES, '--gates'), file);
}

/** Parse once to reject a bad rule while argv is read; the sources are kept for the step. */
function checked(sources: GateSource[]): GateSource[] {
  parseGateRules(sources);
  return sources;
}

function sourcesOf(v: unknown): GateSource[] {
  return Array.isArray(v) ? (v as GateSource[]) : [];
}
