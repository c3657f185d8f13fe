// writeOutputs: the only place the report side writes files. Every path is
// checked to stay inside --out, and every file is replaced atomically (write a
// temp file in the same folder, then rename over the old one), so a reader never
// sees half a report and a crash leaves the previous report intact.

import { mkdir, unlink } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { replaceFile } from '../atomic-write.js';
import type { OutputFile } from './report.js';

/** Resolve `parts` under `root`; throws if the result would escape root. */
export function insideOut(root: string, ...parts: string[]): string {
  const base = resolve(root);
  const target = resolve(base, ...parts);
  if (target !== base && !target.startsWith(base + sep)) {
    throw new Error(`refusing to write outside the output folder: ${target}`);
  }
  return target;
}

export async function writeOutputs(root: string, folder: string, files: OutputFile[]): Promise<void> {
  const targets = files.map((file) => insideOut(root, folder, file.name));
  for (const dir of new Set(targets.map((t) => dirname(t)))) await mkdir(dir, { recursive: true });
  // The files are independent, so they are written side by side (a report's 11 files:
  // ~6 ms one after another, ~2 ms together); each is still replaced atomically, and
  // every write finishes (or cleans up its temp file) before the first error is thrown.
  const results = await Promise.allSettled(targets.map((target, i) => replaceFile(target, files[i]!.data)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Remove files a previous report left in the folder that this one did not write
 * (e.g. batch-loss.png when the new log has no batch events), but only names
 * this tool writes: a stale chart must not sit beside a report that no longer
 * shows it, and nothing else in the folder is touched.
 */
export async function removeStale(root: string, folder: string, written: string[], ours: readonly string[]): Promise<void> {
  for (const name of ours.filter((n) => !written.includes(n))) {
    await unlink(insideOut(root, folder, name)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }
}
