// The report CLI's quality-gate and baseline flags and their post-analysis steps.
// Flags are checked while argv is parsed (a typo in a rule fails before any log
// is read); evaluation is pure and lives in src/analyze/gates.ts and baseline.ts.
//
//   --fail-on RULE… + --gates FILE ──parseGateRules──▶ rules ──evaluateGates──▶ analysis.gates, exit 3 if any failed
//   --baseline FILE|DIR|RUN_ID ──report.json | analyzeRun(run in input)──compareBaseline──▶ analysis.baseline

import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { EXIT, UserError } from '../errors.js';
import { analyzeRun } from '../analyze/analyze.js';
import { gatesFileSources, parseGateRules, GATE_FORMS, type GateSource } from '../analyze/gates-rules.js';
import { evaluateGates } from '../analyze/gates.js';
import { gatesFailed } from '../analyze/gates-messages.js';
import { baselineCurves, compareBaseline } from '../analyze/baseline.js';
import { parseBaselineReport } from '../analyze/baseline-input.js';
import type { Analysis } from '../analyze/types.js';
import type { ParsedLog } from '../types.js';
import type { ReportArgs } from './report-args.js';
import { readLimitedText } from '../read-limited.js';

/** A gates file is a few lines of rules; a report.json of 100,000 epochs is ~50 MB. */
const MAX_GATES_BYTES = 64 * 1024;
const MAX_BASELINE_BYTES = 256 * 1024 * 1024;

export const FAIL_ON_HELP =
  `Quality gate, repeatable: exit 3 (after writing the report) when the rule holds. Forms: ${GATE_FORMS}. ` +
  'Metrics are the final epoch\'s; gap = training accuracy − validation accuracy; loss_gap = val_loss − loss; ' +
  'nan = any epoch metric NaN/Infinity; overfitting = the overfitting check found an onset; ' +
  'incomplete = the run did not complete. A metric the log lacks fails its gate.';

/** Adds --fail-on, --gates and --baseline (pass to parseReportArgs as `extend`). */
export function withGateFlags<T>(y: Argv<T>) {
  return y
    .option('fail-on', {
      type: 'string', array: true, requiresArg: true, describe: FAIL_ON_HELP,
      coerce: (rules: unknown[]): GateSource[] => checked(rules.map((r) => ({ text: String(r), origin: '--fail-on' }))),
    })
    .option('gates', {
      type: 'string', requiresArg: true,
      describe: 'File of --fail-on rules, one per line (# comments), e.g. .ci/gates.txt',
      coerce: (file: unknown): GateSource[] => checked(readGatesFile(String(file))),
    })
    .option('baseline', {
      type: 'string', requiresArg: true,
      describe: 'Compare with an earlier run: its report.json (or the folder holding it), or a run id in the same input; ' +
        'adds a deltas table that knows which direction is better (loss lower, accuracy higher)',
    });
}

/** Where a step can look beyond its own run: the whole parsed input. */
export interface StepContext {
  parsed: ParsedLog;
  labels: string[];
}

/** --fail-on/--gates → analysis.gates; exit 3 when any gate failed. */
export function gatesStep(analysis: Analysis, args: ReportArgs) {
  const sources = [...sourcesOf(args.raw['fail-on']), ...sourcesOf(args.raw.gates)];
  if (!sources.length) return {};
  const gates = evaluateGates(analysis, parseGateRules(sources));
  const failed = gates.results.filter((g) => g.status === 'fail');
  return {
    analysis: { ...analysis, gates },
    exitCode: failed.length ? EXIT.gate : EXIT.ok,
    messages: [failed.length ? gatesFailed(failed, analysis.run.run_id) : gates.summary],
  };
}

/** --baseline → analysis.baseline (the deltas table). */
export function baselineStep(analysis: Analysis, args: ReportArgs, ctx: StepContext) {
  const arg = args.raw.baseline;
  if (typeof arg !== 'string') return {};
  const loaded = loadBaseline(arg, analysis, args, ctx);
  if (!loaded) return { messages: [`--baseline ${arg} is the run being reported; no deltas table for it`] };
  const { base, source } = loaded;
  const baseline = { ...compareBaseline(analysis, base, source), curves: baselineCurves(base) };
  return { analysis: { ...analysis, baseline }, messages: [baseline.summary] };
}

function loadBaseline(arg: string, current: Analysis, args: ReportArgs, ctx: StepContext): { base: Analysis; source: string } | null {
  const file = reportFile(arg);
  if (file !== null) {
    const text = readLimitedText(file, MAX_BASELINE_BYTES, '--baseline');
    return { base: parseBaselineReport(text, file), source: file };
  }
  const run = ctx.parsed.runs.find((r) => r.run_id === arg);
  if (!run) {
    const ids = ctx.parsed.runs.map((r) => r.run_id);
    const known = ids.length ? ` (runs in the input: ${ids.slice(-5).join(', ')})` : '';
    throw new UserError(`--baseline ${arg}: no such file, and no run with that id in the input${known}`);
  }
  if (run.run_id === current.run.run_id) return null;
  const base = analyzeRun(run, ctx.parsed.quality, { generatedAt: args.generatedAt, title: args.title, sources: ctx.labels });
  return { base, source: `run ${arg} in ${ctx.labels.join(', ')}` };
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
