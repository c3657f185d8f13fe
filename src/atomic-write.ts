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

/**
 * mkdir -p, bounded: each missing level is created once with a plain mkdir, so
 * any error (ENOENT under /proc, EROFS, ENOTDIR, ENAMETOOLONG) ends it at once.
 * Throws the system error; `describeFsError` turns it into a sentence. Returns the
 * folders it created, outermost first.
 */
export async function makeDirs(path: string): Promise<string[]> {
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
  const created: string[] = [];
  for (const p of missing.reverse()) {
    await mkdir(p).then(() => created.push(p), (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e; // someone else made it meanwhile
    });
  }
  return created;
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
