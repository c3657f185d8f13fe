// The file-system ground rules both CLIs share: replace a file through a temp file
// and a rename (a reader never sees half a file; a crash keeps the old one), create
// folders one level at a time (Node's recursive mkdir spins forever under /proc,
// where mkdir says ENOENT for a parent that exists), and say what a failed call
// means in one line (EROFS is "read-only", not the ENOENT a retry loop ends on).

import { lstat, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

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

/** Test seam for makeDirs: runs before each mkdir (tests: another process removing a parent there). */
export interface MakeDirsHooks { beforeMkdir?: (path: string) => Promise<void> | void }

/** Attempts in all of a step whose folder vanished under it (retryWhileVanished). */
const VANISHED_ATTEMPTS = 3;

/**
 * `step(attempt)` again, up to VANISHED_ATTEMPTS attempts in all, while it fails with ENOENT and
 * `vanished(err)` says a folder it needed is really gone: another process removed it (another
 * mnist-report removing the --out folders it made for its probe, render/write.ts). Any other
 * error, or an ENOENT where the folder is still there (under /proc), is thrown at once.
 */
export async function retryWhileVanished<T>(step: (attempt: number) => Promise<T>, vanished: (err: NodeJS.ErrnoException) => Promise<boolean>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step(attempt);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code !== 'ENOENT' || attempt >= VANISHED_ATTEMPTS || !(await vanished(err))) throw e;
    }
  }
}

/**
 * mkdir -p, bounded: each missing level is created once with a plain mkdir, so
 * any error (ENOENT under /proc, EROFS, ENOTDIR, ENAMETOOLONG) ends it at once.
 * One exception: a parent found or made a moment ago that is gone when its child is
 * made (ENOENT, and the parent no longer there) means another process removed it;
 * the path is then walked again (retryWhileVanished). Under /proc the parent is
 * still there, so that ENOENT ends it at once as before.
 * Throws the system error; `describeFsError` turns it into a sentence. Returns the
 * folders it created, outermost first.
 */
export async function makeDirs(path: string, hooks: MakeDirsHooks = {}): Promise<string[]> {
  const created: string[] = [];
  await retryWhileVanished(() => makeMissing(path, created, hooks), async (err) => !!err.path && !(await exists(dirname(err.path))));
  return created;
}

async function makeMissing(path: string, created: string[], hooks: MakeDirsHooks): Promise<void> {
  const missing: string[] = [];
  for (let p = resolve(path); ; p = dirname(p)) {
    const st = await lstat(p).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null;
      throw e;
    });
    if (st) {
      if (!st.isDirectory() && !(st.isSymbolicLink() && (await isDirThroughLink(p)))) throw fsError('ENOTDIR', p);
      break;
    }
    missing.push(p);
    if (dirname(p) === p) break;
  }
  for (const p of missing.reverse()) {
    await hooks.beforeMkdir?.(p);
    await mkdir(p).then(() => { if (!created.includes(p)) created.push(p); }, (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e; // someone else made it meanwhile
    });
  }
}

/** Whether anything (a link included) is at `p`. */
export async function exists(p: string): Promise<boolean> {
  return lstat(p).then(() => true, () => false);
}

function isDirThroughLink(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isDirectory(), () => false);
}

function fsError(code: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${path}`), { code, path });
}

/** What a failed file-system call means, for a one-line message; null if not a system error. */
export function describeFsError(err: unknown): string | null {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'EROFS': return 'read-only file system';
    case 'ENOSPC': return 'no space left on the device';
    case 'EDQUOT': return 'disk quota exceeded';
    case 'EACCES': return 'permission denied';
    case 'EPERM': return 'operation not permitted (an immutable or protected folder?)';
    case 'ENOTDIR': return 'it, or a folder on its path, is a file';
    case 'EISDIR': return 'is a folder, not a file';
    case 'EEXIST': return 'already exists';
    case 'ENAMETOOLONG': return 'path too long';
    case 'ELOOP': return 'too many symbolic links';
    case 'ENOENT': return 'no such file or folder (or the file system does not allow creating one there)';
    case 'EIO': return 'input/output error';
    case 'EMFILE': case 'ENFILE': return 'too many open files';
    default: return typeof e?.code === 'string' ? e.code : null;
  }
}
