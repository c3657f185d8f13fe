// The report's wording, in one place: every sentence a reader sees in report.md,
// report.html, report.json, summary.md and the report's stderr lines is built by a
// named function in this folder, from typed analysis values. analyze/ decides
// (statuses, rules, numbers), render/ lays out, and the templates print the strings
// made here; a translator or the next engineer reads this folder and nothing else.
//
//   checks.ts      one function per check: the Checks table's findings and "fails/warns when"
//   convergence.ts the convergence check: a loss's trend over the last epochs, its rate and the range its printed digits allow
//   verdict.ts     the verdict's one-line reasons, the healthy line, the key-number row
//   gates.ts       one function per gate kind, the sentence above the gates table, the stderr line
//   baseline.ts    the comparison with a baseline run
//   evaluation.ts  the Evaluation section: summary, confused pairs, recall, calibration
//   history.ts     the History section (--history): the inside/above/below sentence, the band, the gate's finding
//   charts.ts      every chart's title, subtitle, alt text, hover and mark labels
//   cli.ts         mnist-report's own stderr lines (read, wrote, not found) and its run-selection errors
//   usage.ts       the flags' one-line usage errors (--format, --out, -i -, --log-format, --generated-at, -o -, --history)
//   cloudwatch.ts  both CLIs' CloudWatch lines: a bad endpoint or --since/--until window, one line per retry
//   follow.ts      --follow's stderr lines: the epoch line, the status under the table, waits, file and log-group events
//   latest.ts      --run latest on a log group: which stream holds the run, which were passed over, its errors
//   help.ts        --help: usage, examples, the flags' descriptions (core, gates, baseline, history, list), the epilogue
//   narrative.ts   Key Observations, Conclusion and Next Steps (they quote the checks by typed id)
//   document.ts    the document's own lines: overview, infrastructure, configuration, final metrics,
//                  data-quality and details lines, the evaluation table's level, summary.md's baseline line,
//                  the --run all index's line
//
// Number formats (fmtPct, fmtLoss, ...) live in analyze/format.ts: they are not
// sentences, and the charts use them too.

export * as checks from './checks.js';
export * as verdict from './verdict.js';
export * as gates from './gates.js';
export * as baseline from './baseline.js';
export * as evaluation from './evaluation.js';
export * as history from './history.js';
export * as usage from './usage.js';
export * as narrative from './narrative.js';
export * as document from './document.js';
export * as charts from './charts.js';
export * as cli from './cli.js';
export * as help from './help.js';
export * as follow from './follow.js';
export * as cloudwatch from './cloudwatch.js';
export * as latest from './latest.js';
