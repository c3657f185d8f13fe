// -o -: the document of one text format goes to stdout, for pipes (`mnist-report -i x -f json -o - | jq`,
// `-f summary -o - >> $GITHUB_STEP_SUMMARY`).
// Charts are files, so with -o - none are drawn or written: report.md says, where they would be, that
// they come with an output folder (links to files that are not there would be broken images in a
// PR comment or a job summary).

import { UserError } from '../errors.js';
import type { OutputFile, ReportFormat } from '../render/report.js';
import { unlessReaderGone } from './pipes.js';
import * as usage from '../wording/usage.js';

/** The text formats and the file that holds each one's document. */
const DOCUMENTS: Partial<Record<ReportFormat, string>> = { md: 'report.md', json: 'report.json', summary: 'summary.md' };

export const wantsStdout = (out: string): boolean => out === '-';

/**
 * -o - takes exactly one text format and one run; say which otherwise (before anything is read).
 * `formatGiven`: --format was on the command line; without it the formats are the default, said as such.
 */
export function checkStdout(formats: readonly ReportFormat[], run: string, formatGiven = true): void {
  if (formats.length !== 1 || !DOCUMENTS[formats[0]!]) {
    throw new UserError(usage.stdoutFormats(Object.keys(DOCUMENTS), formats, formatGiven));
  }
  if (run === 'all') throw new UserError(usage.STDOUT_ALL);
}

export async function writeStdout(files: OutputFile[], format: ReportFormat): Promise<void> {
  const doc = files.find((f) => f.name === DOCUMENTS[format]);
  if (!doc) throw new Error(`no ${format} document was rendered`);
  await new Promise<void>((resolve, reject) => process.stdout.write(doc.data, (err) => {
    const failed = unlessReaderGone(err);
    if (failed) reject(failed);
    else resolve();
  }));
}
