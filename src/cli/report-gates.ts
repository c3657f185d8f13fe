// The report CLI's quality-gate and baseline options: their yargs definitions
// (help text in one place) and the file reading at the edge. Evaluation itself is
// pure and lives in src/analyze/gates.ts and baseline.ts.

import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { gatesFileSources, parseGateRules, GATE_FORMS, type GateRule, type GateSource } from '../analyze/gates-rules.js';
import { parseBaselineReport } from '../analyze/baseline-input.js';
import type { Analysis } from '../analyze/types.js';

export const GATE_OPTIONS = {
  'fail-on': {
    type: 'string',
    array: true,
    requiresArg: true,
    describe:
      `Quality gate, repeatable: exit 3 (after writing the report) when the rule holds. Forms: ${GATE_FORMS}. ` +
      'Metrics are the final epoch\'s; gap = training accuracy − validation accuracy, loss_gap = val_loss − loss; ' +
      'nan = any epoch metric NaN/Infinity; overfitting = the overfitting check found an onset; ' +
      'incomplete = the run did not complete. A metric that is missing fails its gate.',
  },
  gates: {
    type: 'string',
    requiresArg: true,
    describe: 'File of --fail-on rules, one per line (# comments), e.g. .ci/gates.txt',
  },
  baseline: {
    type: 'string',
    requiresArg: true,
    describe: 'Compare with an earlier run: its report.json (or the folder holding it), or a run id in the same input; ' +
      'adds a deltas table (loss lower is better, accuracy higher)',
  },
} as const;

/** --fail-on values and the --gates file, parsed; a bad rule or unreadable file is a UserError. */
export async function loadGateRules(failOn: readonly string[] | undefined, gatesFile: string | undefined): Promise<GateRule[]> {
  const sources: GateSource[] = (failOn ?? []).map((text) => ({ text, origin: '--fail-on' }));
  if (gatesFile !== undefined) {
    let text: string;
    try {
      text = await readFile(gatesFile, 'utf8');
    } catch (e) {
      throw new UserError(`--gates ${gatesFile}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    sources.push(...gatesFileSources(text, gatesFile));
  }
  return parseGateRules(sources);
}

export interface BaselineInput {
  analysis: Analysis;
  /** For the report: "path/report.json" or "run <id> in the input". */
  source: string;
}

/**
 * --baseline FILE|DIR|RUN_ID. A path that exists wins; otherwise the argument is
 * a run id, analysed from the same input by `analyzeRunById` (null when absent).
 */
export async function loadBaseline(arg: string | undefined, analyzeRunById: (id: string) => Analysis | null,
  runIds: readonly string[]): Promise<BaselineInput | null> {
  if (arg === undefined) return null;
  const file = await reportFile(arg);
  if (file !== null) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new UserError(`--baseline ${file}: ${(e as Error).message}`);
    }
    return { analysis: parseBaselineReport(text, file), source: file };
  }
  const analysis = analyzeRunById(arg);
  if (analysis) return { analysis, source: `run ${arg} in the input` };
  const known = runIds.length ? ` (runs in the input: ${runIds.slice(0, 5).join(', ')}${runIds.length > 5 ? ', …' : ''})` : '';
  throw new UserError(`--baseline ${arg}: no such file, and no run with that id in the input${known}`);
}

async function reportFile(arg: string): Promise<string | null> {
  try {
    const s = await stat(arg);
    return s.isDirectory() ? join(arg, 'report.json') : arg;
  } catch {
    return null;
  }
}
