// The local inputs (--input, repeatable; "-" is stdin) read as one source, file after file; and
// stdin copied to a private temporary file, for --run all, which reads its input twice
// (cli/report-all.ts) and stdin can be read only once.

import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { describeFsError } from '../atomic-write.js';
import { UserError } from '../errors.js';
import type { LogRecord } from '../types.js';
import { readFileRecords } from './file.js';

/** The records of every input, one input after another; "-" is read from `stdinCopy` when given (still named "-"). */
export function readInputs(files: string[], stdinCopy: string | null = null): AsyncGenerator<LogRecord[]> {
  return concat(files.map((f) => (f === '-' && stdinCopy !== null ? readFileRecords(stdinCopy, '-') : readFileRecords(f))));
}

async function* concat<T>(sources: AsyncIterable<T>[]): AsyncGenerator<T> {
  for (const s of sources) yield* s;
}

/**
 * stdin copied to a private temporary file, removed when done (or at exit): memory stays flat
 * and the disk holds one copy of the input as piped (gzip stays gzip).
 */
export async function spoolStdin(): Promise<{ file: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'mnist-report-stdin-'));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  process.once('exit', remove);
  const file = join(dir, 'stdin');
  try {
    await pipeline(process.stdin, createWriteStream(file, { mode: 0o600 }));
  } catch (err) {
    remove();
    throw new UserError(`-: cannot copy stdin to a temporary file for --run all (${describeFsError(err) ?? (err as Error).message})`, { cause: err });
  }
  return { file, remove };
}
