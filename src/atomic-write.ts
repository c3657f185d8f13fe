// The one way this project replaces a file: write a temp file in the same folder,
// then rename it over the target, so a reader never sees half a file and a crash
// leaves the previous version intact. Used by the report writer and --save-model.

import { rename, rm, writeFile } from 'node:fs/promises';

export async function replaceFile(target: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${target}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
