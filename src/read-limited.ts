// Reading the small files a flag names (--gates, --baseline) whole, with a size
// limit: readFileSync on /dev/zero or /dev/urandom never ends (it had read 5.6 GB
// after a minute), and a file that size is not what the flag wants anyway.

import { closeSync, openSync, readSync } from 'node:fs';
import { describeFsError } from './atomic-write.js';
import { UserError } from './errors.js';

/** The file as UTF-8 text, at most `limit` bytes; anything bigger, binary or unreadable is a one-line UserError. */
export function readLimitedText(path: string, limit: number, flag: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new UserError(`${flag} ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : describeFsError(e) ?? String(e)}`);
  }
  try {
    const buf = Buffer.alloc(Math.min(limit + 1, 1 << 20));
    const parts: Buffer[] = [];
    let total = 0;
    while (true) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > limit) throw new UserError(`${flag} ${path}: more than ${fmtSize(limit)}; that is not ${flag === '--gates' ? 'a file of gate rules' : 'a report.json'} (is it the right file?)`);
      parts.push(Buffer.from(buf.subarray(0, n)));
    }
    const bytes = Buffer.concat(parts);
    if (bytes.includes(0)) throw new UserError(`${flag} ${path}: binary data (NUL bytes), not text`);
    return bytes.toString('utf8');
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${flag} ${path}: cannot read (${describeFsError(e) ?? String(e)})`);
  } finally {
    closeSync(fd);
  }
}

function fmtSize(n: number): string {
  return n >= 1 << 20 ? `${n / (1 << 20)} MiB` : `${n / 1024} KiB`;
}
