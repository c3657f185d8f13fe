// mnist-report's --help: the usage line, examples, each flag's description and the
// epilogue, in one place. Flags are defined (types, defaults, coercion) where they are
// handled, in cli/; what they say is here. The flags of the CloudWatch source
// (sources/cloudwatch-flags.ts) still describe themselves.

import { GATE_FORMS } from '../analyze/gates-rules.js';
import { DEFAULT_HISTORY_RUNS } from '../analyze/history.js';
import { FIRST_EVENT_WITHIN_MS } from '../run-id.js';
import { bandRule } from './history.js';

export const USAGE = '$0 --input FILE [options]\n\nAnalyse an MNIST training log and write the results-analysis document ' +
  '(Markdown, HTML, JSON, SVG and PNG charts). Progress goes to stderr.';

/** [command, what it does] */
export const EXAMPLES: readonly (readonly [string, string])[] = [
  ['$0 -i run.jsonl', 'latest run in run.jsonl → reports/<run>/'],
  ['$0 -i events.json --run all', 'every run in an aws logs export + index'],
  ['$0 -i run.jsonl.gz -f md,json -o /tmp/r', 'Markdown and JSON only, into /tmp/r'],
  ['mnist-train | $0 -i - --title Smoke', 'read stdin'],
  ['$0 -i x.jsonl --generated-at 2026-11-24', 'same bytes every run'],
];

// one line a paragraph: yargs wraps them to the terminal (hard line breaks here broke its wrapping mid-sentence)
export const EPILOGUE = `Output: <out>/<run>/report.md, report.html (self-contained), report.json (the analysis), and <chart>.svg + <chart>.png for each chart; with --format summary also summary.md. Each opens with the verdict (healthy, needs attention or failed) and its reason, also printed on stderr. <run> is the run id made safe for a file name (only A-Z a-z 0-9 . _ -; a short hash is appended when anything had to change). Nothing is written outside --out, and a run's folder is replaced whole (old report or new, never a mix). --out is checked before the input is read.

Reproducible output: the generation time printed in the report comes from --generated-at, else from SOURCE_DATE_EPOCH (seconds since 1970, as reproducible-builds tools set it), else the clock when the report is made (after its input is read). With a fixed time the same input gives byte-identical files: the "start" and "report:example" scripts in package.json pass --generated-at 2026-11-30T12:00:00Z to write the committed example in reports/.

Exit codes: 0 ok; 2 bad input or usage (one line on stderr), also when a run that ended has no epoch results and no evaluation (its report is still written and says so); 3 a quality gate failed, including the default gate "failed" (the verdict is failed; --no-verdict-gate turns it off); 4 nothing to judge yet: the run has started but has no epoch results and no end (its report is still written); 1 an internal error, or CloudWatch Logs failing in a way that may pass (unreachable, throttled past the retries, only empty pages).`;

/**
 * The core flags' descriptions (cli/report-args.ts); the format names are the parser's. --help shows no
 * type or default column (yargs' [string] said nothing a reader needs, and glued itself to a full last line:
 * "gates on it[string]"), so a description names its flag's default.
 */
export function reportFlags(formatNames: readonly string[], defaultFormats: readonly string[]) {
  return {
    input: 'Log file to read (a value is required: -i FILE); repeatable; "-" reads stdin; .gz is fine (bzip2, xz, zstd, zip: decompress first). Formats are detected by content: ' +
      'mnist-train JSON lines, the JSON (or --output text) of `aws logs filter-log-events`/`get-log-events`, and the text formats of --log-format',
    'log-format': `Read every text line as this format instead of detecting it by content (our JSON events are always read): ${formatNames.join(', ')}`,
    out: 'Folder to write into (default reports; created if missing); "-" writes the one document of --format md, json or summary to stdout',
    format: 'Comma-separated outputs: md, html, json, summary (summary.md: verdict, key numbers and the checks that do not pass, ' +
      `for a PR comment or CI job summary; charts are written with md or html); default ${defaultFormats.join(',')}`,
    title: 'Report title (default "MNIST Training Results Analysis")',
    run: 'Which run: latest (the default: the run that started last, in files and in a log group alike; a run with no times, trainer text in a file, counts as started where it is in the input, after the runs before it: the last row of --list), all (one folder per run + index.md/index.html comparing them), ' +
      'or a run id as --list shows it (trainer text: its file or log stream, -fitN its N-th fit)',
    'generated-at': 'Generation time to print, ISO-8601 (e.g. 2026-11-24T00:00:00Z); default: SOURCE_DATE_EPOCH, else when the report is made',
    version: 'Show version number',
  };
}

export const FAIL_ON_HELP =
  `Quality gate, repeatable: exit 3 (after writing the report) when the rule holds. Forms: ${GATE_FORMS}. ` +
  'Metrics are the final epoch\'s; gap = validation − training accuracy in percentage points (gap<-2pp); loss_gap = val_loss − loss; ' +
  'test_accuracy and test_loss = run_end\'s or a printed test line, else the log\'s final evaluation; ' +
  'nan = any epoch metric NaN/Infinity (a log with no epochs cannot pass it); overfitting = the overfitting check found an onset, or could not look for one (no validation loss, ' +
  'or fewer epochs than patience + 1); ' +
  'incomplete = the run did not complete; failed = the verdict is failed (on by default); attention = the verdict is not healthy; ' +
  'regression = validation accuracy significantly below the --baseline run\'s (needs --baseline); below_history = final validation accuracy below the band ' +
  'of the previous runs (needs --history; passes when there are too few for a band, fails when the log names no model to match them by); either without its flag is a usage error (exit 2) ' +
  'before any input is read. A metric the log lacks fails its gate. A threshold at or past the end of its metric\'s range (accuracies 0-100%, losses 0 or more, ' +
  'gap ±100pp) is refused: val_accuracy>1 could never fail, val_loss>-1 would fail every run.';

/** --gates, --verdict-gate and --baseline (cli/report-gates.ts). */
export const GATE_FLAGS = {
  gates: 'File of --fail-on rules, one per line (# comments), e.g. .ci/gates.txt',
  'verdict-gate': 'Apply the gate "failed" by default: exit 3 when the verdict is failed (NaN, divergence, chance-level accuracy, ' +
    'a failed or interrupted run); --no-verdict-gate turns it off (a run with no epochs and no evaluation exits 2 either way)',
  baseline: 'Compare with an earlier run: its report.json (or the folder holding it), or a run id in the same input (a log group: read from it too); ' +
    'adds a deltas table that knows which direction is better (loss lower, accuracy higher)',
} as const;

/** --history (cli/report-history.ts); the band's rule is history.ts's. */
export function historyFlag(): string {
  return `Compare the run with the previous N runs of the same model in the input (default N: ${DEFAULT_HISTORY_RUNS}): ` +
    `a History section with a trend chart of final validation accuracy and loss, the band ${bandRule()}, ` +
    'and the settings that changed; a log group is read whole (as --run all) to find them. --fail-on below_history gates on it';
}

export const LIST_FLAG = 'List the runs in the input (id, start, end, streams, outcome, epochs, final validation accuracy as a percentage), one line each ' +
  'on stdout (tab-separated, under a line naming the columns when stdout is a terminal), without writing reports; with --format json, as a JSON array (the accuracy as a fraction). Reads a log group as --run all does. ' +
  'The flags of a report (--out but -, --title, --fail-on, --gates, --[no-]verdict-gate, --baseline, --history), and a --format other than json, are a usage error with it';

export const FOLLOW_FLAG = 'Follow a run as it trains: a log file as tail -F follows it (truncation and rotation included), or a --log-group as ' +
  '"aws logs tail --follow" does (FilterLogEvents polled from the run\'s start; --run latest waits for the next run when the latest has ended; ' +
  'a file, a --log-stream or a trainer-text stream whose latest run is over gets that run\'s report first, as without --follow; --run takes any id --list prints, ' +
  'and an id the input holds no event of yet is waited for (a run given its id before it starts: mnist-train --run-id), ' +
  `except mnist-train's own id of a run that started over ${FIRST_EVENT_WITHIN_MS / 60_000} minutes ago, in an input that holds runs: that is one line, exit 2). ` +
  'Re-writes the report at each new epoch, prints each epoch on stderr, and ends at the run\'s end with the gates applied; ' +
  'Ctrl-C (or a failed read) writes the report of what was read, saying where the follow stopped, and exits 130 (1)';

/** --poll-interval, with the defaults in seconds. */
export function pollIntervalFlag(groupSeconds: number, fileSeconds: number): string {
  return `Seconds between --follow's looks for new events: default ${groupSeconds} for a log group ` +
    `(each look is one or more FilterLogEvents requests, at most 4 a second), ${fileSeconds} for a file`;
}
