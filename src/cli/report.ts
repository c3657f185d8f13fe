#!/usr/bin/env node
// mnist-report: a training log → the results-analysis document. The stages, top to bottom:
//
//   argv ──parseReportArgs──▶ options (+ a fixed generation time: --generated-at | SOURCE_DATE_EPOCH; else the clock at each report)
//        ──checkGateComparisons──▶ regression needs --baseline, below_history --history (else exit 2, nothing read)
//        ──openReportWriter──▶ --out made and probed before any input is read (temporaries of dead writers cleaned)
//   source   selectSource (report-source.ts) ──▶ AsyncIterable<LogRecord | LogRecord[]>
//   parse    createLogParser ──▶ one record → a ParseResult, with its stream's state
//   runs     createRunCollector: add(records) as they come ──snapshot()──▶ runs + data quality ──pickRuns(--run)
//            (--run all over files: read twice, each run reported once its last record is read, then dropped: report-all.ts)
//   analyze  analyzeRun ──▶ Analysis per run ──POST_ANALYSIS steps──▶ gates/baseline added, verdict re-decided, exit codes
//            ──▶ stderr: the verdict line (healthy | needs attention | failed: reason)
//   render   renderReportFiles ──▶ files (the PNGs later)
//   write    writer.writeRun ──▶ <out>/<safe-run-id>/ swapped in whole (+ <out>/index.* for --run all), or stdout with -o -
//        ──▶ exit: 0 ok | 2 bad input or an ended run with no epochs nor an evaluation (report still written) | 3 gate failed (by default:
//            a failed verdict) | 4 a run with no epoch results yet that has not ended (report still written)
//
// Progress and diagnostics go to stderr; a bad input is one line, never a stack trace.

import { analyzeRun, nothingToJudge, nothingToJudgeExit, nothingYet } from '../analyze/analyze.js';
import type { Analysis, FollowStop } from '../analyze/types.js';
import { verdictLine } from '../wording/verdict.js';
import * as words from '../wording/cli.js';
import * as usage from '../wording/usage.js';
import { describeFailure, EXIT, UserError, worseExit } from '../errors.js';
import { safeRunId, shownId, visibleText } from '../render/escape.js';
import { FORMAT_NAMES } from '../parse/formats.js';
import type { LineFormat } from '../parse/format.js';
import { indexFields, renderIndex, type IndexEntry } from '../render/index-report.js';
import { REPORT_FILE_NAMES, renderReportFiles, wantsCharts } from '../render/report.js';
import { dropPrestartedPngWorker, IN_WORKER, startPngWorker, usePngWorker } from '../render/png-worker.js';
import { abandonTemporaries, openReportWriter, type ReportWriter } from '../render/write.js';
import { collectRuns, createRunCollector } from '../runs/collect.js';
import { clipQuote } from '../runs/quality.js';
import { readsByRunId } from '../sources/cloudwatch.js';
import { cloudWatchOptionsFromArgs, defineCloudWatchFlags } from '../sources/cloudwatch-flags.js';
import type { DataQuality, ParsedLog, Run } from '../types.js';
import { parseReportArgs, reportTime, type ReportArgs } from './report-args.js';
import { baselineRunId, baselineStep, checkBaselineRun, checkGateComparisons, gatesStep, readBaselineRun, withGateFlags, type StepContext } from './report-gates.js';
import { eachHeldRun, eachRunInTwoReads, type RunToReport } from './report-all.js';
import { historyStep, historySummaries, wantsHistory, withHistoryFlag } from './report-history.js';
import { followReport } from './report-follow.js';
import { followSource, wantsFollow, withFollowFlag } from './report-follow-source.js';
import { collectGarbageIfGrown, fixYoungGeneration, optimiseLess, scavengeAlone } from './heap.js';
import { checkListFlags, formatListing, LIST_SUMMARIES, listRuns, listsJson, listSourceRun, withListFlag } from './report-list.js';
import { checkStdout, wantsStdout, writeStdout } from './report-stdout.js';
import { inOrder, type Log } from './in-order.js';
import { selectSource, smallFiles, type Source } from './report-source.js';
import { emptyInputKind } from '../sources/file.js';
import { carryOnWithoutStderr, stopWhenStdoutCloses } from './pipes.js';
import { BINARY_DATA } from '../parse/line.js';

const say = (line: string): void => void process.stderr.write(`mnist-report: ${line}\n`);
carryOnWithoutStderr();
stopWhenStdoutCloses();

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
const POST_ANALYSIS: PostAnalysisStep[] = [baselineStep, historyStep, gatesStep];

/** --run latest|all|<id>. Runs are sorted oldest first by collectRuns. */
function pickRuns(parsed: ParsedLog, which: string, source: InputNames, forced: LineFormat | null): Run[] {
  const { runs, quality } = parsed;
  if (!runs.length) throw noRunFound(quality, source, forced);
  if (which === 'latest') return [runs[runs.length - 1]!];
  if (which === 'all') return runs;
  const found = runs.filter((r) => r.run_id === which);
  if (!found.length) {
    throw new UserError(words.runNotFound(shownId(which), runs.map((r) => shownId(r.run_id)).slice(-10), runs.length));
  }
  return found;
}

/** The input's names in messages, and its local files. */
type InputNames = Pick<Source, 'labels' | 'files'>;

/** The input held no run: one line, with the first line that was not read as one; `forced`: --log-format's. */
function noRunFound(quality: DataQuality, source: InputNames, forced: LineFormat | null): UserError {
  const example = quality.examples[0];
  // binary data is said, not quoted: its undecodable bytes are U+FFFD, which a terminal shows as boxes
  const text = example && example.reason !== BINARY_DATA ? visibleText(clipQuote(example.text, 60)) : null;
  // one file with no record: what it holds, 0 bytes or gzip data of nothing
  const empty = quality.records === 0 && source.files?.length === 1 ? emptyInputKind(source.files[0]!) : null;
  const steps = quality.step_log ? { trainer: quality.step_log.trainer, text: visibleText(clipQuote(quality.step_log.text, 60)) } : null;
  return new UserError(words.noRunFound(source.labels, quality, example ? { text, reason: example.reason } : null, FORMAT_NAMES, forced?.name ?? null, empty, steps));
}

/**
 * With more reports to come, a report's PNGs that the worker has not taken yet are drawn on this
 * thread, but for the last 4 (a report's worth when the run has no evaluation), left to the worker
 * while this thread goes on to the next report (png-worker.ts, drainPngs): this thread helps only
 * when the worker has fallen a report behind. Drawn here, a PNG costs more CPU (this thread's heap
 * collects its pixels later) and adds to the peak. One report (or the last) leaves them all to the
 * worker. -i 200 runs of 4 charts, the worker holding 4 (png-worker.ts, IN_WORKER), 3 runs each
 * alternating (2026-11-30, 18:36-18:39 UTC, load 2-3): leaving 4, 14.6-17.9 s and 185-195 MB;
 * leaving 8 (all of two reports), 16.5-20.0 s and 187-194 MB; leaving none, 16.1-17.5 s and
 * 183-196 MB, and 217-232 MB when the worker held 4. (Before the worker held 4, leaving 8 had
 * been the best of 3, 8 and none; it is what the worker held that kept it idle.)
 */
const LEAVE_PNGS = 4;

/**
 * `input`: the parsed input the run is of (and a --baseline run read apart), for the steps; `log`: where this
 * run's stderr lines go (in run order under --run all; nowhere for --follow's reports while the run trains).
 */
async function reportRun(run: Run, input: StepContext, args: ReportArgs, writer: ReportWriter | null, position: string,
  log: Log, more = false, followStopped?: FollowStop): Promise<{ analysis: Analysis; folder: string; exitCode: number }> {
  const { parsed, labels } = input;
  // the newest run is kept whole while reading, by its first time so far; a run whose earlier events came later can turn out newest
  if (run.summary) throw new UserError(words.runReadAsSummary(run.run_id));
  // analyze: the pure analysis, then the steps that add gates, baseline (and history) to it
  const logStream = args.raw['log-stream'];
  const readByRunId = args.raw['log-group'] !== undefined
    && readsByRunId({ run: args.run, logStream: typeof logStream === 'string' ? logStream : undefined }, run.format);
  // a run with no epochs yet reported as the latest: the verdict names the latest before it that has some, for --run
  const earlierWithEpochs = args.run === 'latest' && !run.epochs.length ? latestWithEpochs(parsed.runs, run) : undefined;
  // dated now, once its input has been read (and, for --follow, at each report: a follow may last hours)
  let analysis = analyzeRun(run, parsed.quality, { generatedAt: reportTime(args.generatedAt), title: args.title, sources: labels, noRun: parsed.no_run, readByRunId,
    followStopped, earlierWithEpochs });
  let exitCode: number = EXIT.ok;
  for (const step of POST_ANALYSIS) {
    const r = await step(analysis, args, input);
    analysis = r.analysis ?? analysis;
    for (const m of r.messages ?? []) log(m);
    exitCode = Math.max(exitCode, r.exitCode ?? EXIT.ok);
  }
  const v = analysis.verdict;
  log(verdictLine(shownId(run.run_id), v.level, visibleText(v.reason)));
  // render, then write: a folder swapped in whole, or the one document on stdout
  let folder = safeRunId(run.run_id);
  // -o -: the one document goes to stdout, and charts are files: none are drawn (report-stdout.ts)
  const charts = writer !== null;
  if (charts && wantsCharts(args.format) && !wantsFollow(args)) {
    // The PNG worker starts now (unless a small file started it before the reading, in main), not at
    // the first chart's PNG: its start (60-140 ms while this thread works) then overlaps the first
    // SVGs. Then V8 optimises less (heap.ts), once the worker is made: the flag is the whole
    // process', and a worker started under it took 80-100 ms to be ready instead of 50-60 (a bare
    // worker loading resvg).
    startPngWorker();
    optimiseLess();
    // one report's charts (heap.ts); under --run all, reading and fetching go on between the reports
    if (args.run !== 'all') scavengeAlone();
  }
  const files = await renderReportFiles(analysis, args.format, { charts, ...(args.run === 'all' ? { index: '../index.html' } : {}), ...(more ? { leavePngs: LEAVE_PNGS } : {}) });
  if (writer === null) {
    // -o -: no charts, so nothing comes later
    await writeStdout(files.now, args.format[0]!);
  } else {
    // a folder holding another run's report (a file of the same name in another folder) is kept: the next free name
    const place = await writer.placeRun(folder, { run_id: run.run_id, streams: analysis.run.streams });
    folder = place.folder;
    const kept = place.passed;
    if (kept) {
      const shown = (streams: readonly string[]) => streams.map(visibleText);
      log(words.keptOtherRun(args.out, { folder: kept.folder, runId: shownId(kept.run.run_id), streams: shown(kept.run.streams) },
        folder, shownId(run.run_id), shown(analysis.run.streams)));
    }
    // the folder is swapped in whole: a chart of an earlier report cannot stay beside one that no longer shows it
    await writer.writeRun(folder, files);
    log(words.wroteRun(position, files.now.length + (await files.later).length, args.out, folder, shownId(run.run_id), analysis.run.outcome, analysis.run.epochs_seen));
  }
  if (nothingToJudge(analysis)) {
    log(words.noEpochResults(shownId(run.run_id), analysis.run.outcome, nothingYet(analysis)));
    // whatever a --fail-on gate made of its missing values, nothing was there to judge: bad input (2), or a run
    // that has started and not ended, nothing to judge yet (4)
    exitCode = nothingToJudgeExit(analysis);
  }
  return { analysis, folder, exitCode };
}

/** The latest run before `run` in the input (oldest first) that has epochs, with how many. */
function latestWithEpochs(runs: readonly Run[], run: Run): { run_id: string; epochs_seen: number } | undefined {
  const before = runs.slice(0, Math.max(0, runs.indexOf(run)));
  const found = before.reverse().find((r) => r.epochs.length > 0);
  return found ? { run_id: found.run_id, epochs_seen: found.epochs.length } : undefined;
}

async function main(argv: string[]): Promise<number> {
  fixYoungGeneration();
  const args = await parseReportArgs(argv, (y) => withFollowFlag(withHistoryFlag(withListFlag(defineCloudWatchFlags(withGateFlags(y))))));
  if (!args) return EXIT.ok; // --help / --version printed
  for (const [dropped, kept] of args.sameFiles) say(words.sameFile(dropped, kept));
  const listing = args.raw.list === true;
  // (a listing applies no gate, and takes no flag of a report)
  if (listing) checkListFlags(args);
  else checkGateComparisons(args);
  const which = listing ? listSourceRun(args.run) : args.run;
  // a history needs every run of the log group, whichever is reported
  const read = wantsHistory(args) ? 'all' : which;
  const toStdout = !listing && wantsStdout(args.out);
  if (toStdout) checkStdout(args.format, args.run, args.given.has('format'));
  const follow = wantsFollow(args) ? followSource(args, cloudWatchOptionsFromArgs(args.raw, which, say)) : null;
  if (follow !== null && (listing || toStdout)) throw new UserError(usage.FOLLOW_NEEDS_FOLDER);
  const source = selectSource(args, read, listing ? 'none' : which, say);
  // --out is made and probed before any input is read; a listing or -o - writes no folder
  if (!listing && !toStdout) cleanUpOnSignal(); // before the probe folder is made
  const writer = listing || toStdout ? null : await openReportWriter(args.out, REPORT_FILE_NAMES);
  // (once: it looks on disk for a file of that name)
  const baselineRun = listing ? null : baselineRunId(args);
  const place = source.cloud && words.logGroupPlace(source.cloud);
  if (follow !== null) {
    // the same stages, fed as the file grows or the log group's polls bring events (report-follow.ts);
    // a log group's follower hands over the followed run alone: a --baseline run is read before
    const baselineRead = source.cloud && baselineRun !== null ? await readBaselineRun(baselineRun, source.cloud, args.logFormat, say) : undefined;
    const newCollector = () => createRunCollector({ format: args.logFormat });
    return followReport(follow, { args, newCollector, say, report: (run, parsed, quiet, stopped) =>
      reportRun(run, { parsed, labels: source.labels, baselineRead, place, baselineRun }, args, writer, '', quiet ? () => {} : say, false, stopped) });
  }
  // PNGs on a worker thread (png-worker.ts), started by the first report (reportRun). With more
  // reports to come it holds IN_WORKER charts and this thread draws the rest (LEAVE_PNGS); one
  // report leaves them all to it
  if (!listing && !toStdout && wantsCharts(args.format)) {
    // (--run all with --history too: every run is reported, one after another)
    usePngWorker(which === 'all' ? IN_WORKER : Infinity);
    // A small file is read and analysed in milliseconds: the worker starts now, and its start (~80 ms)
    // overlaps them and the first SVG (one report of the bundled fixture: its first PNG ~35 ms sooner).
    // A large one, stdin or a log group start it at the first report (reportRun): an idle worker
    // added ~11 MB to the peak of a 1M-line log (151 MB, not 140).
    if (source.files && smallFiles(source.files)) startPngWorker();
  }
  // the worker the bin's loader started for a file (scripts/build-report.mjs) has been adopted just
  // now, or it is ended here
  dropPrestartedPngWorker();
  say(words.reading(source.labels));
  const counted = (parsed: ParsedLog, runs: number): void => {
    const q = parsed.quality;
    for (const e of q.gzip_ended_early ?? []) say(words.gzipEndedEarly(e.source, e.byte, e.partial_line));
    say(words.readCounts(q.records, q.recognised, runs));
    // a file of another format beside a run's (or a log group's sidecar stream): its lines are in no verdict
    const none = parsed.no_run;
    const unread = none ? none.unrecognised + none.invalid_events : 0;
    if (none && unread > 0 && runs > 0) {
      const places = [...new Set(none.examples.map((e) => visibleText(e.stream ?? words.inputLabel(e.source))))];
      say(words.noRunLines(unread, places.slice(0, 3)));
    }
  };
  let toReport: Iterable<RunToReport> | AsyncIterable<RunToReport>;
  let baselineRead: ParsedLog | null | undefined;
  const everyRun = which === 'all' && !wantsHistory(args);
  if (everyRun && !listing && source.files) {
    // files are read twice, so that memory does not grow with the number of runs (report-all.ts)
    toReport = eachRunInTwoReads({ files: source.files, format: args.logFormat, baselineRun, placed: (parsed, ids) => {
      counted(parsed, ids.length);
      if (!ids.length) throw noRunFound(parsed.quality, source, args.logFormat);
      if (baselineRun !== null) checkBaselineRun(baselineRun, ids);
    } });
  } else {
    // a listing needs no more of any run than its summary, a history no more of the runs it compares with
    const summaries = listing ? LIST_SUMMARIES : historySummaries(args, which, baselineRun);
    const parsed = await collectRuns(source.records, { format: args.logFormat, ...(summaries ? { summaries } : {}) });
    counted(parsed, parsed.runs.length);
    const runs = pickRuns(parsed, which, source, args.logFormat);
    if (listing) {
      process.stdout.write(formatListing(listRuns(runs), listsJson(args.format), process.stdout.isTTY === true));
      return EXIT.ok;
    }
    if (everyRun) {
      // a log group is read once: each run is let go once it has been handed over (report-all.ts)
      if (baselineRun !== null) checkBaselineRun(baselineRun, runs.map((r) => r.run_id), place);
      toReport = eachHeldRun(parsed, baselineRun);
    } else {
      // a log group read for one run (--run latest or an id) brought only that run
      if (source.cloud && baselineRun !== null && read !== 'all' && !parsed.runs.some((r) => r.run_id === baselineRun)) {
        baselineRead = await readBaselineRun(baselineRun, source.cloud, args.logFormat, say);
      }
      toReport = runs.map((run, i) => ({ run, parsed, position: i + 1, count: runs.length, order: i }));
    }
  }
  let exitCode: number = EXIT.ok;
  const done: (IndexEntry & { order: number })[] = [];
  // the next report is drawn while the last one's PNGs are made; stderr stays in run order (in-order.ts)
  await inOrder(toReport, async ({ run, parsed, position, count, order }, log) => {
    const more = position < count;
    return { order, more, r: await reportRun(run, { parsed, labels: source.labels, baselineRead, place, baselineRun, reports: count }, args, writer, words.runPosition(position - 1, count), log, more) };
  }, ({ order, more, r }) => {
    // The index needs a few fields of each analysis: keeping whole analyses grew memory with every run.
    done.push({ analysis: indexFields(r.analysis), folder: r.folder, order });
    exitCode = worseExit(exitCode, r.exitCode);
    // (after the last report nothing more is drawn: a collection then would only cost time)
    if (more) collectGarbageIfGrown();
  }, say);
  done.sort((a, b) => a.order - b.order);
  if (args.run === 'all' && writer) {
    const files = await renderIndex(done, args.format, args.title, reportTime(args.generatedAt));
    await writer.writeTop(files);
    say(words.wroteIndex(done.length, args.out));
  }
  return exitCode;
}

/** SIGINT/SIGTERM: no temporary folder left behind, the old report put back if it was moved aside; then exit 130/143. */
function cleanUpOnSignal(): void {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      abandonTemporaries();
      say(words.stoppedBySignal(signal));
      process.exit(code);
    });
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    const { exitCode, message } = describeFailure(err);
    say(message);
    process.exitCode = exitCode;
  },
);
