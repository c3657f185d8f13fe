// mnist-report's own lines on stderr (prefixed "mnist-report: " by the CLI) and the
// one-line errors a bad run selection ends with: what was read, what was written,
// what is missing. The verdict line is verdict.ts's, the gates' line gates.ts's.
// --follow's lines are follow.ts's.

import type { DataQuality, StepLog } from '../types.js';
import { fmtInt, fmtList } from '../analyze/format.js';
import { plural } from './plural.js';

/** How an --input is named in messages and the report: `-` is standard input. */
export function inputLabel(input: string): string {
  return input === '-' ? 'stdin' : input;
}

export function reading(labels: readonly string[]): string {
  return `reading ${labels.join(', ')}`;
}

/** A long read, as far as it has gone: its lines, and megabytes of the inputs' size when known (`total`, bytes). */
export function readSoFar(lines: number, chars: number, total: number | null): string {
  const mb = (n: number) => (n / 1e6).toFixed(n < 1e7 ? 1 : 0);
  const of = total !== null && chars <= total ? ` of ${mb(total)} MB` : '';
  return `read ${plural(lines, 'line', 'lines')} so far (~${mb(chars)} MB${of})`;
}

/** An --input that names a file given before (src/cli/report-args.ts, onceEach). */
export function sameFile(dropped: string, kept: string): string {
  return dropped === kept ? `${dropped} is given twice: it is read once` : `${dropped} is the same file as ${kept}: it is read once`;
}

/** A gzip input whose data ended early (LogRecord.gzipEnded): read up to the cut, and said once. */
export function gzipEndedEarly(source: string, byte: number, partialLine: boolean): string {
  return `${inputLabel(source)}: the gzip data ended early, at byte ${fmtInt(byte)} (unexpected end of file): read what came before it` +
    `${partialLine ? ' (its last line, cut there, counted as a fragment)' : ''}; the log may go on beyond what was read`;
}

/** A gzip input whose data ended before any of it decompressed (cut inside its header, say): nothing to read, so refused. */
export function gzipCutBeforeData(source: string, byte: number): string {
  return `${source === '-' ? 'stdin is gzip data' : `${source} is a gzip file`} cut short at byte ${fmtInt(byte)}${byte < GZIP_HEADER_BYTES ? `, inside its ${GZIP_HEADER_BYTES}-byte header` : ''}, ` +
    'before any of its data: there is nothing to read (a copy stopped early, or a log still being written through gzip: read it once it is whole)';
}

/** A gzip member's fixed header (RFC 1952): magic, method, flags, time, extra flags, OS. */
const GZIP_HEADER_BYTES = 10;

/** What a local input that held no record is (sources/file.ts emptyInputKind). */
export type EmptyInput = 'no bytes' | 'gzip of nothing';

/** After the input is read: "98 records, 98 recognised, 1 run". */
export function readCounts(records: number, recognised: number, runs: number): string {
  return `${plural(records, 'record', 'records')}, ${fmtInt(recognised)} recognised, ${plural(runs, 'run', 'runs')}`;
}

/**
 * Lines of the input that no run holds (a file or log stream without any run) and that were not read: no verdict
 * counts them, so stderr says so, naming where the first ones are (`places`: files or streams, already printable).
 */
export function noRunLines(unread: number, places: readonly string[]): string {
  const where = !places.length ? 'files or log streams that hold no run'
    : `${places.length === 1 ? `${places[0]}, which holds` : `${fmtList([...places])}, which hold`} no run,`;
  return `${plural(unread, 'line', 'lines')} of ${where} could not be read: no run's verdict counts ${unread === 1 ? 'it' : 'them'}; see Data Quality`;
}

/** "run 2/8: " before a line about one run of several (--run all); "" for a single run. */
export function runPosition(i: number, runs: number): string {
  return runs > 1 ? `run ${i + 1}/${runs}: ` : '';
}

/**
 * A folder under --out as the user wrote --out, with one slash between the parts and one at the end:
 * `-o ./` printed ".//keras3/", `-o reports/` "reports//". (Not path.join, which drops the "./".)
 */
export function folderShown(out: string, folder?: string): string {
  const base = out.replace(/\/+$/, '');
  return `${base}/${folder === undefined ? '' : `${folder}/`}`;
}

/** One run's report written (runId is already made safe to print). */
export function wroteRun(position: string, files: number, out: string, folder: string, runId: string, outcome: string, epochs: number): string {
  return `${position}wrote ${plural(files, 'file', 'files')} to ${folderShown(out, folder)} (run ${runId}, ${outcome}, ${plural(epochs, 'epoch', 'epochs')})`;
}

/**
 * A run's folder holds the report of another run (render/run-folder.ts): it is kept, and this report is written
 * to the next free name. Run ids and streams are already made safe to print.
 */
export function keptOtherRun(out: string, kept: { folder: string; runId: string; streams: readonly string[] },
  folder: string, runId: string, streams: readonly string[]): string {
  return `${folderShown(out, kept.folder)} holds the report of run ${kept.runId} from ${fewStreams(kept.streams)}, not of run ${runId} ` +
    `from ${fewStreams(streams)}: it is kept, and this report goes to ${folderShown(out, folder)}`;
}

function fewStreams(streams: readonly string[]): string {
  if (!streams.length) return 'no named input';
  return streams.length <= 2 ? fmtList([...streams]) : `${streams.slice(0, 2).join(', ')} and ${plural(streams.length - 2, 'other', 'others')}`;
}

/** `yet`: the run has not ended (analyze.ts nothingYet), which exits 4, not 2. */
export function noEpochResults(runId: string, outcome: string, yet = false): string {
  return yet ? `run ${runId} has no epoch results yet and has not ended (exit 4: report it again once it has an epoch); the report says what the log holds`
    : `run ${runId} has no epoch results (${outcome}); the report says what the log holds`;
}

export function wroteIndex(runs: number, out: string): string {
  return `wrote an index of ${plural(runs, 'run', 'runs')} to ${folderShown(out)}`;
}

export function stoppedBySignal(signal: string): string {
  return `${signal}: stopped; no report folder was left half-written`;
}

/** A file name as a shell reads it: as is when it holds nothing the shell would split or expand, else in single quotes. */
function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`;
}

/** An input in a compression mnist-report does not read (bzip2, xz, zstd, zip: only gzip is): how to read it. */
export function compressedInput(path: string, c: { name: string; decompress: string; cat: string }): string {
  if (path === '-') return `stdin is compressed with ${c.name}: decompress it in the pipe (${c.cat} FILE | mnist-report -i -); only gzip is read directly`;
  const file = shellWord(path);
  return `${path} is compressed with ${c.name}: decompress it first (${c.decompress} ${file}) or pipe it: ${c.cat} ${file} | mnist-report -i - (only gzip is read directly)`;
}

export const NO_INPUT = 'no input: give --input FILE (repeatable; "-" reads stdin) or --log-group NAME; see --help';

/** A step-based trainer's log (parse/step-logs.ts): what it is, and what it counts instead of epochs. */
const STEP_LOGS: Record<StepLog, { log: string; counts: string }> = {
  'tf-estimator': { log: 'a TensorFlow 1 Estimator log', counts: 'global steps' },
  detectron2: { log: "a detectron2 trainer's log", counts: 'iterations' },
  'mmengine-iter': { log: "an mmengine runner's log of iteration-based training", counts: 'iterations' },
};

/**
 * The input held no run, with what to do about it; `firstUnusable` is the first unusable line, already made
 * printable (null text: binary data, not quoted); `formats`: the names --log-format takes; `forced`: the one it was given;
 * `empty`: what an input without records holds; `stepLog`: a step-based trainer's line the input held, its text made printable, said instead of the first unusable line.
 */
export function noRunFound(labels: readonly string[], q: Pick<DataQuality, 'records' | 'recognised' | 'ignored' | 'unrecognised' | 'invalid_events' | 'fragments' | 'duplicate_records'>,
  firstUnusable: { text: string | null; reason: string } | null, formats: readonly string[], forced: string | null = null,
  empty: EmptyInput | null = null, stepLog: { trainer: StepLog; text: string } | null = null): string {
  const counts = `no training run found in ${labels.join(', ')}: ${plural(q.records, 'record', 'records')}, ${recordKinds(q)}`;
  if (stepLog !== null && forced === null) {
    const s = STEP_LOGS[stepLog.trainer];
    return `${counts}; it looks like ${s.log} ("${stepLog.text}"), which counts ${s.counts} and prints no epochs: mnist-report reads a trainer's epochs, so it does not read this log`;
  }
  const first = !firstUnusable ? '' : firstUnusable.text === null ? `; first unusable line: ${firstUnusable.reason}, not quoted`
    : `; first unusable line: "${firstUnusable.text}" (${firstUnusable.reason})`;
  // a format the user named that reads nothing: the advice is to let the content decide, or name another
  const hint = q.records === 0 ? `it is empty${empty === 'no bytes' ? ' (0 bytes)' : empty === 'gzip of nothing' ? ': gzip data of an empty file (0 bytes once decompressed)' : ''}: is it the log file you meant?`
    : forced !== null ? `is it a ${forced} log? no line was read as one: leave --log-format out, so that the format is detected by content, or name another (${formats.filter((f) => f !== forced).join(', ')})`
    : `is it a training log? mnist-report reads mnist-train's JSON lines, CloudWatch's JSON and the epochs printed in the formats --log-format names (${formats.join(', ')}), `
      + 'and read no epoch here; a trainer that prints another format can also print one line of JSON per epoch, '
      + `such as {"epoch": 1, "loss": 0.31, "val_accuracy": 0.95}, which is read as generic-json`;
  return `${counts}${first}; ${hint}`;
}

/**
 * What the records were, every one in a category, so that they add up to the count: the three always
 * said, and ignored lines (blank, progress, headers, a trainer's status lines: no epoch result in them),
 * fragments and dropped duplicates when there were some.
 */
function recordKinds(q: Pick<DataQuality, 'recognised' | 'ignored' | 'unrecognised' | 'invalid_events' | 'fragments' | 'duplicate_records'>): string {
  const kinds = [`${fmtInt(q.recognised)} recognised`];
  if (q.ignored) kinds.push(`${fmtInt(q.ignored)} ignored (blank, progress, headers and status lines, with no epoch result in them)`);
  kinds.push(`${fmtInt(q.unrecognised)} unrecognised`, plural(q.invalid_events, 'invalid event', 'invalid events'));
  if (q.fragments) kinds.push(plural(q.fragments, 'line fragment', 'line fragments'));
  if (q.duplicate_records) kinds.push(plural(q.duplicate_records, 'duplicate record', 'duplicate records'));
  return kinds.join(', ');
}

/** "runs in the input: a, b", or "the last 5 of 7 runs in the input: c, d, e, f, g" when `ids` are only the last of `total`. */
function runsShown(ids: readonly string[], total: number, where = 'the input'): string {
  return ids.length < total ? `the last ${ids.length} of ${total} runs in ${where}: ${ids.join(', ')}` : `runs in ${where}: ${ids.join(', ')}`;
}

/** What of a log group was read: "log group G", "log stream S of log group G", "the streams starting with P of log group G". */
export function logGroupPlace(o: { logGroup: string; logStream?: string | undefined; logStreamPrefix?: string | undefined }): string {
  const of = o.logStream !== undefined ? `log stream ${o.logStream} of ` : o.logStreamPrefix !== undefined ? `the streams starting with ${o.logStreamPrefix} of ` : '';
  return `${of}log group ${o.logGroup}`;
}

/** After a log group held no run of the id asked for (--run, --baseline): where the ids are. */
export const RUN_IDS_HINT = "--list shows the runs' ids (a trainer-text run's is its log stream's name, -fitN its N-th fit in it), --log-stream reads one stream";

/** --baseline RUN_ID on a log group whose read brought only the reported run: that run read too. */
export function readingBaseline(runId: string, place: string): string {
  return `reading the --baseline run ${runId} from ${place}`;
}

/** --run ID named no run; `ids` are the last runs' ids (of `total`), already made safe to print. */
export function runNotFound(runId: string, ids: readonly string[], total = ids.length): string {
  return `run ${runId} not found; ${runsShown(ids, total)}`;
}

/** --baseline named the run being reported. */
export function baselineIsThisRun(arg: string): string {
  return `--baseline ${arg} is the run being reported; no deltas table for it`;
}

/** `ids`: the last runs' ids, of `total`; `place`: the log group read (logGroupPlace), for a log group. */
export function baselineNotFound(arg: string, ids: readonly string[], total = ids.length, place?: string): string {
  if (place !== undefined) {
    const known = ids.length ? ` (${runsShown(ids, total, place)})` : `; ${RUN_IDS_HINT}`;
    return `--baseline ${arg}: no run with that id in ${place}, and no file of that name${known}`;
  }
  const known = ids.length ? ` (${runsShown(ids, total)})` : '';
  return `--baseline ${arg}: no such file, and no run with that id in the input${known}`;
}

/** Where a baseline taken from the same input came from (the report's baseline source). */
export function baselineInInput(runId: string): string {
  return `run ${runId} in the same input`;
}

/** The run to report was read as a summary (the newest so far was another when its records came): name it to read it whole. */
export const runReadAsSummary = (runId: string): string =>
  `run ${runId} turned out to be the latest only after it was read as a summary (its events are out of time order against another run's): report it by name with --run ${runId}`;
