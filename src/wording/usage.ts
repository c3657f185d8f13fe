// The one-line usage errors of mnist-report's flags (exit 2, "mnist-report: " before each):
// a value a flag does not take, or flags that do not go together. Each says what was given
// and what to give instead. --follow's and the gates' own are follow.ts's and gates.ts's.

/** JSON.stringify, so that an empty or odd value is seen as given. */
export const given = (v: unknown): string => JSON.stringify(v);

export function formatBad(formats: readonly string[], flag: unknown): string {
  return `--format must list ${formats.join(', ')} (any of them), got ${given(flag)}`;
}

export const OUT_EMPTY = '--out must name a folder';

/** --title '' (or blanks): the report's heading would be empty. */
export const TITLE_EMPTY = '--title must not be empty: give the heading, or leave --title out for the default';

/**
 * A flag that takes one value, given more than once (yargs makes the values a list). Also mnist-train's.
 * Given each time without a value (`--history --history`), there are no values to quote.
 */
export function givenMoreThanOnce(flag: string, values: readonly unknown[]): string {
  const quoted = values.every((v) => v === '') ? '' : ` (${values.map(given).join(', ')})`;
  return `--${flag} given more than once${quoted}: give it once`;
}

/** `--no-out`, `--no-log-group`: yargs' negation of a flag that takes a value (it read "false", a folder or a log group of that name). */
export function negatedValueFlag(flag: string): string {
  return `--no-${flag}: --${flag} takes a value and has no --no- form: give --${flag} with its value, or leave it out`;
}

/** A switch given both ways: `--no-verdict-gate --verdict-gate`. */
export function switchBothWays(flag: string): string {
  return `--${flag} and --no-${flag} both given: give one of them`;
}

/** A flag a --list cannot use (it prints the runs on stdout: no report, gate, comparison or folder). */
export function notWithList(flag: string): string {
  return `--list prints the runs on stdout and writes no report: ${flag} does not go with it`;
}

/** A flag given with no value after it (`-o DIR -i`): yargs' "Not enough arguments following: input". */
export function needsValue(flag: string): string {
  return flag === 'input' ? '--input needs a value: a file to read, or - for stdin' : `--${flag} needs a value`;
}

/** An unknown argument that names a file (`mnist-report run.log`): the flag that reads it. */
export function unknownFile(message: string, files: readonly string[]): string {
  return `${message}: to read ${files.length === 1 ? 'that file' : 'those files'}, give ${files.map((f) => `--input ${f}`).join(' ')}`;
}

/** --list with a --format it cannot print: it prints tab-separated lines, or a JSON array with --format json. */
export function listFormatBad(formats: readonly string[]): string {
  return `--list prints tab-separated lines, or a JSON array with --format json: --format ${formats.join(',')} does not go with it`;
}

export const STDIN_TWICE = '-i - (stdin) can be read once: give it one time';

export function logFormatBad(names: readonly string[], flag: unknown): string {
  return `--log-format must be one of ${names.join(', ')}, got ${given(flag)}`;
}

export function generatedAtBad(flag: string): string {
  return `--generated-at must be an ISO-8601 time such as 2026-11-24T00:00:00Z, got ${given(flag)}`;
}

export function sourceDateEpochBad(maxSeconds: number, epoch: string): string {
  return `SOURCE_DATE_EPOCH must be whole seconds since 1970 up to ${maxSeconds} (year 9999), got ${given(epoch.slice(0, 40))}`;
}

export function historyBad(text: string, max: number, byDefault: number): string {
  return `--history ${given(text)}: give a whole number of earlier runs from 1 to ${max} (default ${byDefault})`;
}

/**
 * -o - with formats that are not exactly one text document. `given`: they came from --format; else they are
 * the default (md,html,json), which no --format was written to ask for, so "got" would quote a flag not given.
 */
export function stdoutFormats(documents: readonly string[], formats: readonly string[], given = true): string {
  return given
    ? `-o - writes one text document to stdout: give one of --format ${documents.join(', ')} (got ${formats.join(',')})`
    : `-o - writes one text document to stdout, so it needs --format with one of ${documents.join(', ')}: without --format the default is ${formats.join(',')}`;
}

export const STDOUT_ALL = '-o - writes one run\'s document: name the run with --run latest or --run <id>, or write --run all into a folder';

export const FOLLOW_NEEDS_FOLDER = '--follow writes a report folder: not with --list or -o -';
