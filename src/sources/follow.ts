// A log file followed as `tail -F` follows it: read to the end, then keep reading what is
// appended, until the consumer stops (the report CLI stops at the run's end) or the signal
// aborts. Lines are handed over as they are completed (a line still being written waits for
// its newline, or for a poll that finds nothing more when it is a whole JSON object). The file may not exist yet (followed once it appears), may be truncated
// (read again from its start) or rotated, i.e. replaced by a new file under the same name
// (the old one is read to its end, then the new one from its start). Either way the file no
// longer holds what was handed over before: `restarted` tells the consumer to forget it, so
// that the content read again is named and counted as a read of the file would (a job that
// restarted and overwrote its log is the file's first fit, not a second one after the old).
//
//   open (wait while missing) ──▶ read to EOF ──▶ lines ──▶ LogRecord[]
//        ▲                           │ at EOF: stat the path every pollMs
//        └── rotated (other inode) ◀─┴─▶ truncated (size < read position): from 0 again
//                  └───────────┬───────────┘
//                          restarted()

import { open, stat, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { describeFsError } from '../atomic-write.js';
import { UserError } from '../errors.js';
import type { LogRecord } from '../types.js';
import * as fw from '../wording/follow.js';
import { LineRecords } from './lines.js';
import { compressionOf, isGzip, utf16Of } from './file.js';
import { compressedInput } from '../wording/cli.js';

const CHUNK_BYTES = 64 * 1024;

export interface FollowOptions {
  /** How often the file (or log group) is looked at once its end is reached. */
  pollMs?: number;
  /** Stops following (after what has been read is handed over). */
  signal?: AbortSignal;
  /** One line about the file itself (appeared, truncated, rotated), for stderr. */
  notice?: (line: string) => void;
  /**
   * Called once what the file held when following began has been read (before anything appended
   * since, however soon it came), and then each time the end of the file is reached.
   */
  caughtUp?: () => void;
  /**
   * The file was truncated or replaced: what was handed over before is not in it any more (forget
   * it); the records that come next are the file's from its start. Called after the notice. A log
   * group's source calls it too when, done with a text stream read whole, it follows the next run by
   * its run_id: what comes next is that run's alone, as a one-shot read of it by its run_id has it.
   */
  restarted?: () => void;
  /**
   * A log group's source follows a stream from its head because its latest run is trainer text (no run
   * id to ask for): like a file that held lines, the stream may hold a run that was over before following
   * began. Called before the stream's first records.
   */
  wholeStream?: () => void;
  /** Asked after the first caughtUp of such a stream: true when its run was over (the source then waits for the next run). */
  latestOver?: () => boolean;
}

interface Opened {
  fh: FileHandle;
  ino: number;
  pos: number;
  decoder: StringDecoder;
  /** The same line splitting and numbering as a file read once (sources/lines.ts). */
  records: LineRecords;
  /** Nothing decoded yet: a UTF-8 byte-order mark at the start is dropped, as a file read once drops it. */
  atStart: boolean;
}

export const DEFAULT_FILE_POLL_MS = 250;

export async function* followFileRecords(path: string, options: FollowOptions = {}): AsyncGenerator<LogRecord[]> {
  const pollMs = options.pollMs ?? DEFAULT_FILE_POLL_MS;
  const say = options.notice ?? (() => {});
  let f: Opened | null = null;
  let waitedForFile = false;
  /** What the file held at the first open: read to there first, then caughtUp (null once done). */
  let startSize: number | null = null;
  let firstOpen = true;
  /** The file was removed and that was said: said once until a file of that name is back. */
  let saidRemoved = false;
  const buf = Buffer.allocUnsafe(CHUNK_BYTES);
  const records = (f: Opened, text: string): LogRecord[] => {
    if (f.atStart && text) {
      f.atStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return f.records.push(text);
  };
  try {
    while (true) {
      if (f === null) {
        f = await tryOpen(path);
        if (f === null) {
          if (!waitedForFile) say(fw.fileMissing(path));
          waitedForFile = true;
          if (await pause(pollMs, options.signal)) return;
          continue;
        }
        if (waitedForFile) say(fw.fileAppeared(path));
        if (firstOpen) {
          firstOpen = false;
          // a file that appears after following began holds nothing from before it
          startSize = waitedForFile ? null : (await f.fh.stat()).size || null;
        }
      }
      // read what is there
      let got = false;
      let grew = false;
      while (true) {
        const { bytesRead } = await f.fh.read(buf, 0, startSize === null ? CHUNK_BYTES : Math.min(CHUNK_BYTES, startSize - f.pos), f.pos);
        if (bytesRead === 0) break;
        if (f.pos === 0) refuseEncoded(path, buf.subarray(0, bytesRead));
        f.pos += bytesRead;
        grew = true;
        const out = records(f, f.decoder.write(buf.subarray(0, bytesRead)));
        if (out.length) {
          got = true;
          yield out;
        }
        if (startSize !== null && f.pos >= startSize) {
          // what was there when following began is read: the runs over by then are the earlier ones,
          // not a run appended a moment later and read in the same pass
          startSize = null;
          options.caughtUp?.();
        }
      }
      if (!grew) {
        // a poll with nothing new: a last line that is a whole JSON object is not waiting for more
        // (a writer that never ends its last line, a run_end included: the follow would never end)
        const last = f.records.takeIf(isJsonObject);
        if (last.length) {
          got = true;
          yield last;
        }
      }
      if (!got) options.caughtUp?.();
      if (options.signal?.aborted) {
        // stopped: what the file holds is handed over whole, as a one-shot read of it would give it
        // (a last line without its newline, a trailing stretch of blank lines)
        const last = flush(f);
        if (last.length) yield last;
        return;
      }
      // at the end: has the file been truncated or replaced?
      const now = await stat(path).catch(() => null);
      if (now === null || now.ino !== f.ino) {
        if (now === null && !got) {
          // removed and not yet recreated: keep the old one open until a new file appears
          // (a stop during the wait is seen above, after one more read, and hands over what is left)
          if (!saidRemoved) say(fw.fileRemoved(path));
          saidRemoved = true;
          await pause(pollMs, options.signal);
          continue;
        }
        if (now !== null) {
          saidRemoved = false;
          const last = flush(f);
          if (last.length) yield last;
          say(fw.fileRotated(path));
          options.restarted?.();
          startSize = null;
          await f.fh.close();
          f = null;
          continue;
        }
      } else if (now.size < f.pos) {
        say(fw.fileTruncated(path));
        options.restarted?.();
        startSize = null;
        f = fresh(f.fh, f.ino, path);
        continue;
      }
      if (!got) await pause(pollMs, options.signal);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).syscall === undefined) throw err;
    throw new UserError(fw.cannotFollow(path, describeFsError(err)), { cause: err });
  } finally {
    await f?.fh.close().catch(() => {});
  }
}

/** A JSON object (a prefix of a line cannot be one unless it is the whole line: its closing brace ends it). */
function isJsonObject(line: string): boolean {
  const t = line.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

/** What is left at the end: the last line when the file ends without a newline, and a trailing stretch of blank lines. */
function flush(f: Opened): LogRecord[] {
  const tail = f.decoder.end();
  return [...f.records.push(tail), ...f.records.end()];
}

/** A one-shot read gunzips and decodes UTF-16 (sources/file.ts); a file growing in either form is refused, not misread as UTF-8. */
function refuseEncoded(path: string, head: Buffer): void {
  const packed = compressionOf(head);
  if (packed) throw new UserError(compressedInput(path, packed)); // read by no reader: said as a one-shot read says it
  const kind = isGzip(head) ? 'gzip data' : utf16Of(head) ? 'UTF-16 text' : null;
  if (kind) throw new UserError(fw.followEncoded(path, kind));
}

/** A file's reading state at its start. */
function fresh(fh: FileHandle, ino: number, path: string): Opened {
  return { fh, ino, pos: 0, decoder: new StringDecoder('utf8'), records: new LineRecords(path), atStart: true };
}

async function tryOpen(path: string): Promise<Opened | null> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const s = await fh.stat();
  if (s.isDirectory()) {
    await fh.close();
    throw new UserError(fw.followFolder(path));
  }
  return fresh(fh, s.ino, path);
}

/** Waits ms; true when the signal aborted (now or during the wait). */
export function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (aborted: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(aborted);
    };
    const onAbort = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
