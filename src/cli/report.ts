#!/usr/bin/env node
// mnist-report: a training log → the results-analysis document.
//
//   argv ──parseReportArgs──▶ options (+ generation time: --generated-at | SOURCE_DATE_EPOCH | clock)
//        ──selectSource──▶ AsyncIterable<LogRecord>          (to add a source: one branch in selectSource)
//        ──collectRuns──▶ runs + data quality ──pickRuns(--run)──▶ the runs to report
//        ──analyzeRun──▶ Analysis per run
//        ──POST_ANALYSIS steps──▶ analysis with gates/baseline, verdict re-decided, exit codes   (add a step there)
//        ──▶ stderr: the verdict line (healthy | needs attention | failed: reason)
//        ──renderReport──▶ files ──writeOutputs──▶ <out>/<safe-run-id>/  (+ <out>/index.* for --run all)
//        ──▶ exit: 0 ok | 2 bad input or a run with no epochs (report still written) | 3 gate failed (by default: a failed verdict)
//
// Progress and diagnostics go to stderr; a bad input is one line, never a stack trace.

import { analyzeRun } from '../analyze/analyze.js';
import type { Analysis } from '../analyze/types.js';
import { verdictLine } from '../analyze/verdict-messages.js';
import { collectRuns } from '../analyze/runs.js';
import { describeFailure, EXIT, UserError } from '../errors.js';
import { safeRunId, visibleControls } from '../render/escape.js';
import { renderIndex } from '../render/index-report.js';
import { CHART_FILE_NAMES, renderReport, wantsCharts } from '../render/report.js';
import { removeStale, writeOutputs } from '../render/write.js';
import { readFileRecords } from '../sources/file.js';
import { readCloudWatchRecords } from '../sources/cloudwatch.js';
import { cloudWatchOptionsFromArgs, defineCloudWatchFlags } from '../sources/cloudwatch-flags.js';
import type { LogRecord, ParsedLog, Run } from '../types.js';
import { parseReportArgs, type ReportArgs } from './report-args.js';
import { baselineStep, gatesStep, withGateFlags, type StepContext } from './report-gates.js';
import { fixYoungGeneration } from './heap.js';

const say = (line: string): void => void process.stderr.write(`mnist-report: ${line}\n`);

/** A source of log records (one at a time, or in arrays) plus how to name it in the report. */
interface Source {
  records: AsyncIterable<LogRecord | LogRecord[]>;
  labels: string[];
}

/** Which source the flags ask for. A new source (e.g. CloudWatch) is one more branch here. */
function selectSource(args: ReportArgs): Source {
  // --log-group: the whole fetch completes (or fails) before the first record is yielded.
  const cloud = cloudWatchOptionsFromArgs(args.raw, args.run, say);
  if (cloud) return { records: readCloudWatchRecords(cloud), labels: [`cloudwatch:${cloud.logGroup}`] };
  if (args.input.length) {
    return { records: concat(args.input.map((path) => readFileRecords(path))), labels: args.input };
  }
  throw new UserError('no input: give --input FILE (repeatable; "-" reads stdin) or --log-group NAME; see --help');
}

async function* concat<T>(sources: AsyncIterable<T>[]): AsyncGenerator<T> {
  for (const s of sources) yield* s;
}

/**
 * What a post-analysis step may return: a replacement analysis (e.g. with `gates`
 * or `baseline` added; it is what report.json and the templates see) and an exit code.
 */
interface StepResult {
  analysis?: Analysis;
  exitCode?: number;
  /** One line each, printed on stderr. */
  messages?: string[];
}
type PostAnalysisStep = (analysis: Analysis, args: ReportArgs, ctx: StepContext) => Promise<StepResult> | StepResult;

/** Steps run on every analysis before rendering, in order (gates and baseline plug in here). */
const POST_ANALYSIS: PostAnalysisStep[] = [baselineStep, gatesStep];

/** --run latest|all|<id>. Runs are sorted oldest first by collectRuns. */
function pickRuns(parsed: ParsedLog, which: string, labels: string[]): Run[] {
  const { runs, quality } = parsed;
  if (!runs.length) {
    const example = quality.examples[0];
    const first = example ? `; first unusable line: "${visibleControls(example.text.slice(0, 60))}" (${example.reason})` : '';
    throw new UserError(`no training run found in ${labels.join(', ')}: ${quality.records} records, ` +
      `${quality.recognised} recognised, ${quality.unrecognised} unrecognised, ${quality.invalid_events} invalid events${first}`);
  }
  if (which === 'latest') return [runs[runs.length - 1]!];
  if (which === 'all') return runs;
  const found = runs.filter((r) => r.run_id === which);
  if (!found.length) {
    const ids = runs.map((r) => JSON.stringify(r.run_id)).slice(-10).join(', ');
    throw new UserError(`run ${JSON.stringify(which)} not found; runs in the input: ${ids}`);
  }
  return found;
}

async function reportRun(run: Run, parsed: ParsedLog, args: ReportArgs, labels: string[]): Promise<{ analysis: Analysis; folder: string; exitCode: number }> {
  let analysis = analyzeRun(run, parsed.quality, { generatedAt: args.generatedAt, title: args.title, sources: labels });
  let exitCode: number = EXIT.ok;
  for (const step of POST_ANALYSIS) {
    const r = await step(analysis, args, { parsed, labels });
    analysis = r.analysis ?? analysis;
    for (const m of r.messages ?? []) say(m);
    exitCode = Math.max(exitCode, r.exitCode ?? EXIT.ok);
  }
  const v = analysis.verdict;
  say(verdictLine(run.run_id, v.level, v.reason));
  const folder = safeRunId(run.run_id);
  const files = await renderReport(analysis, args.format, args.run === 'all' ? { index: '../index.html' } : {});
  await writeOutputs(args.out, folder, files);
  // charts come with md/html: a chart from an earlier report must not sit beside one that no longer shows it
  if (wantsCharts(args.format)) await removeStale(args.out, folder, files.map((f) => f.name), CHART_FILE_NAMES);
  say(`wrote ${files.length} files to ${args.out}/${folder}/ (run ${JSON.stringify(run.run_id)}, ${analysis.run.outcome}, ` +
    `${analysis.run.epochs_seen} epochs)`);
  if (!analysis.epochs.length) {
    say(`run ${JSON.stringify(run.run_id)} has no epoch results (${analysis.run.outcome}); the report says what the log holds`);
    exitCode = Math.max(exitCode, EXIT.usage);
  }
  return { analysis, folder, exitCode };
}

async function main(argv: string[]): Promise<number> {
  fixYoungGeneration();
  const args = await parseReportArgs(argv, (y) => defineCloudWatchFlags(withGateFlags(y)));
  if (!args) return EXIT.ok; // --help / --version printed
  const source = selectSource(args);
  say(`reading ${source.labels.join(', ')}`);
  const parsed = await collectRuns(source.records);
  const q = parsed.quality;
  say(`${q.records} records, ${q.recognised} recognised, ${parsed.runs.length} ${parsed.runs.length === 1 ? 'run' : 'runs'}`);
  const runs = pickRuns(parsed, args.run, source.labels);
  let exitCode: number = EXIT.ok;
  const done: { analysis: Analysis; folder: string }[] = [];
  for (const run of runs) {
    const r = await reportRun(run, parsed, args, source.labels);
    done.push(r);
    exitCode = Math.max(exitCode, r.exitCode);
  }
  if (args.run === 'all') {
    const files = await renderIndex(done, args.format, args.title, args.generatedAt);
    await writeOutputs(args.out, '.', files);
    say(`wrote an index of ${done.length} runs to ${args.out}/`);
  }
  return exitCode;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    const { exitCode, message } = describeFailure(err);
    say(message);
    process.exitCode = exitCode;
  },
);
