// Local log files (or stdin) as a stream of LogRecords, whatever their shape:
//   read bytes ──▶ gunzip when the magic bytes say gzip (stopped beyond MAX_GZIP_RATIO)
//     ──▶ decode UTF-8, or UTF-16 when a byte-order mark, or ASCII text's 0 every other byte, says so
//     ──▶ sniff the start ──▶ aws-cli JSON document (scan "events") | lines (blank stretches counted, not parsed),
//         their EVENTS lines read as events when it is aws-cli's --output text
// Nothing is read whole, so memory stays flat however big the file is. Records
// are handed over in arrays, one per piece of text read: an await per record
// through the generators here and in the caller cost more than parsing them.

import { closeSync, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createRequire } from 'node:module';
import type * as Zlib from 'node:zlib';
import { describeFsError } from '../atomic-write.js';
import { UserError } from '../errors.js';
import type { LogRecord } from '../types.js';
import { AWS_KEYS, AwsEventsScanner, ShapeError, wholeDocumentEvents, type AwsEvent } from './aws-json.js';
import { LineRecords } from './lines.js';
import { AwsTextEvents, looksAwsText } from './aws-text.js';
import { compressedInput, gzipCutBeforeData, type EmptyInput } from '../wording/cli.js';

/** node:zlib, loaded for a gzip file only (~2 ms of every start otherwise: the PNGs are deflated on their worker thread). */
const zlib = (): typeof Zlib => createRequire(import.meta.url)('node:zlib') as typeof Zlib;

/**
 * Read size. Decoded text pieces stay below V8's large-object size (~128 KB) so
 * that they are allocated, and freed, in the young generation: 256 KB pieces made
 * decoding 4x slower (a fresh mapping for each) and left the old generation to grow.
 */
const CHUNK_BYTES = 64 * 1024;
/** How much decoded text the format sniffer looks at. */
const SNIFF_CHARS = 64 * 1024;

/**
 * Reads one local log file ("-" for stdin) and yields its records, in file order, an array at a time.
 * `name` is the records' source and the name in messages (a copy of stdin is read as "-").
 */
export async function* readFileRecords(path: string, name = path): AsyncGenerator<LogRecord[]> {
  try {
    yield* readRecords(path, name);
  } catch (err) {
    // a read that fails half-way (EIO from /proc/self/mem, a vanished network file) is one line too
    if (err instanceof UserError || (err as NodeJS.ErrnoException).syscall === undefined) throw err;
    throw new UserError(`${name}: cannot read (${describeFsError(err)})`, { cause: err });
  }
}

async function* readRecords(file: string, path: string): AsyncGenerator<LogRecord[]> {
  const cut: GzipCut = { at: null };
  const text = decodeText(maybeGunzip(path, await openBytes(file), cut));
  const it = text[Symbol.asyncIterator]();
  const { head: start, ended } = await readHead(it, SNIFF_CHARS);
  const head = start.charCodeAt(0) === 0xfeff ? start.slice(1) : start;
  const rest = withHead(head, ended ? null : it);
  const shape = sniff(head);
  if (shape === 'json-document') yield* awsDocument(path, rest, cut);
  else yield* textLines(path, rest, cut, shape === 'aws-text' ? new AwsTextEvents(path) : null);
}

/** Set by maybeGunzip when the gzip data ended early: the byte it ended at (the compressed bytes read). */
interface GzipCut {
  at: number | null;
}

type Shape = 'json-document' | 'aws-text' | 'lines';

/**
 * A document that opens with `{` and an aws-cli key is aws logs output (compact
 * or pretty-printed). A first line that is only `{` or `[` is some other
 * pretty-printed JSON document, which the scanner then rejects by name.
 * Everything else — our JSON lines, trainer text, garbage — is read line by line.
 */
function sniff(head: string): Shape {
  const m = /^\s*\{\s*"([A-Za-z]{1,40})"\s*:/.exec(head.slice(0, 4096));
  if (m && AWS_KEYS.has(m[1]!)) return 'json-document';
  const firstLine = /^\s*([^\n]*)/.exec(head.slice(0, 4096))?.[1]?.trim();
  return firstLine === '{' || firstLine === '[' ? 'json-document' : looksAwsText(head) ? 'aws-text' : 'lines';
}

/** `events`: the aws CLI's text output, whose EVENTS lines are events (sources/aws-text.ts); null for any other text. */
async function* textLines(path: string, text: AsyncIterable<string>, cut: GzipCut, events: AwsTextEvents | null): AsyncGenerator<LogRecord[]> {
  const lines = new LineRecords(path);
  for await (const chunk of text) {
    const out = lines.push(chunk);
    const records = events && out.length ? events.feed(out) : out;
    if (records.length) yield records;
  }
  const last = events ? [...events.feed(lines.end(cut.at)), ...events.end()] : lines.end(cut.at);
  if (last.length) yield last;
}

/** A document up to this many characters is parsed whole (wholeDocumentEvents); a longer one is scanned as it is read. */
const WHOLE_DOCUMENT_CHARS = 4 * 1024 * 1024;

async function* awsDocument(path: string, text: AsyncIterable<string>, cut: GzipCut): AsyncGenerator<LogRecord[]> {
  const records = (events: AwsEvent[]): LogRecord[] =>
    events.map((e) => ({ message: e.message, source: path, stream: e.logStreamName, timestamp: e.timestamp, eventId: e.eventId, line: null }));
  const it = text[Symbol.asyncIterator]();
  // the start of the document, whole if it is short (one character more says it is not)
  const { head, ended } = await readHead(it, WHOLE_DOCUMENT_CHARS + 1);
  const events = ended ? wholeDocumentEvents(head) : null;
  if (events) {
    if (events.length) yield records(events);
    return;
  }
  const scanner = new AwsEventsScanner();
  try {
    for await (const chunk of withHead(head, ended ? null : it)) {
      const events = scanner.feed(chunk);
      if (!events.length) continue;
      yield records(events);
    }
    // gzip data that ended early: the events before the cut, and a record that says where it was
    if (cut.at !== null) yield [{ message: '', source: path, stream: null, timestamp: null, eventId: null, line: null, gzipEnded: cut.at }];
    else scanner.end();
  } catch (err) {
    if (err instanceof ShapeError) {
      throw new UserError(`${path}: not a known log shape (expected JSON lines, text, or the JSON of aws logs filter-log-events/get-log-events): ${err.message}`);
    }
    throw err;
  }
}

/** The text's first pieces, until they hold at least `chars` characters or the text ends (`ended`). */
async function readHead(it: AsyncIterator<string>, chars: number): Promise<{ head: string; ended: boolean }> {
  const pieces: string[] = [];
  let length = 0;
  while (length < chars) {
    const r = await it.next();
    if (r.done) return { head: pieces.join(''), ended: true };
    pieces.push(r.value);
    length += r.value.length;
  }
  return { head: pieces.join(''), ended: false };
}

async function* withHead(head: string, rest: AsyncIterator<string> | null): AsyncGenerator<string> {
  try {
    if (head) yield head;
    if (!rest) return;
    while (true) {
      const r = await rest.next();
      if (r.done) return;
      yield r.value;
    }
  } finally {
    // A consumer that stops early closes the file behind it.
    await rest?.return?.();
  }
}

// ---------------------------------------------------------------------------
// Bytes

async function openBytes(path: string): Promise<AsyncIterable<Buffer>> {
  if (path === '-') return process.stdin;
  try {
    const handle = await open(path, 'r');
    const st = await handle.stat();
    if (st.isDirectory()) {
      await handle.close();
      throw new UserError(`${path}: is a directory, not a log file`);
    }
    // a pipe or a device may block or never end: a stream, read on libuv's pool, can wait for it
    return st.isFile() ? readRegularFile(handle) : handle.createReadStream({ highWaterMark: CHUNK_BYTES });
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(describeOpenError(path, err), { cause: err });
  }
}

/** Reads between two turns of the event loop (1 MiB): a signal or another task waits a few milliseconds at most. */
const CHUNKS_PER_TURN = 16;

/**
 * A regular file, read synchronously into one buffer that is used again for every
 * read: each chunk is a view of it, valid until the next one is asked for (the text
 * decoder copies it at once; the gunzip branch copies it). Against a read stream
 * (a fresh 64 KB buffer, a trip to libuv's pool and a promise per read) this took
 * 196 MB in ~90 ms of CPU instead of ~300 ms. Reads from the page cache do not
 * block for long, and every CHUNKS_PER_TURN reads the event loop gets a turn.
 */
async function* readRegularFile(handle: FileHandle): AsyncGenerator<Buffer> {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  try {
    for (let n = 1; ; n++) {
      const bytes = readSync(handle.fd, buffer, 0, CHUNK_BYTES, null);
      if (bytes === 0) return;
      yield buffer.subarray(0, bytes);
      if (n % CHUNKS_PER_TURN === 0) await new Promise(setImmediate);
    }
  } finally {
    await handle.close();
  }
}

function describeOpenError(path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${path}: no such file`;
  if (code === 'EISDIR') return `${path}: is a directory, not a log file`;
  if (code === 'EACCES' || code === 'EPERM') return `${path}: permission denied`;
  return `${path}: cannot read (${code ?? (err as Error).message})`;
}

/**
 * Real logs compress 5-25x (fixtures/: JSON lines 6x, Keras progress bars 15-24x);
 * 1 GiB of zeros compresses 230x (gzip -1) to 1000x (gzip -9). Beyond this ratio,
 * once the output is big enough to matter, the data is not a log.
 */
export const MAX_GZIP_RATIO = 200;
const GZIP_RATIO_FROM_BYTES = 64 * 1024 * 1024;

/** Gzip data, by its magic bytes (1f 8b), not by the file name. */
export function isGzip(head: Uint8Array): boolean {
  return head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * What a local input that held no record is, for the CLI's "no training run found": a file of no bytes, or gzip data
 * that decompresses to nothing; null for anything else and for stdin (read once, and gone).
 */
export function emptyInputKind(path: string): EmptyInput | null {
  if (path === '-') return null;
  try {
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(2);
      const n = readSync(fd, head, 0, 2, 0);
      return n === 0 ? 'no bytes' : isGzip(head) ? 'gzip of nothing' : null;
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

/** A compression only gzip of which is read: its name and the commands that undo it (to a file, to a pipe). */
export interface Compression { name: string; decompress: string; cat: string }

/** Magic bytes of the compressions people ship logs in, besides gzip (zip: a local file header, or an empty or spanned archive's). */
const COMPRESSIONS: { magic: (h: Uint8Array) => boolean; is: Compression }[] = [
  { magic: (h) => h[0] === 0x42 && h[1] === 0x5a && h[2] === 0x68 && h[3]! >= 0x31 && h[3]! <= 0x39, is: { name: 'bzip2', decompress: 'bunzip2 -k', cat: 'bzcat' } },
  { magic: (h) => [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00].every((b, i) => h[i] === b), is: { name: 'xz', decompress: 'unxz -k', cat: 'xzcat' } },
  { magic: (h) => h[0] === 0x28 && h[1] === 0xb5 && h[2] === 0x2f && h[3] === 0xfd, is: { name: 'zstd', decompress: 'unzstd', cat: 'zstdcat' } },
  { magic: (h) => h[0] === 0x50 && h[1] === 0x4b && [0x0304, 0x0506, 0x0708].includes((h[2]! << 8) | h[3]!), is: { name: 'zip', decompress: 'unzip', cat: 'unzip -p' } },
];
/** Bytes enough to tell them all (xz's magic is 6). */
const MAGIC_BYTES = 6;

/** bzip2, xz, zstd or zip data, by its magic bytes (not the file name), which is not read: null for anything else. */
export function compressionOf(head: Uint8Array): Compression | null {
  return COMPRESSIONS.find((c) => c.magic(head))?.is ?? null;
}

/**
 * UTF-16 text, by its byte-order mark, or without one (.NET's `Encoding.Unicode`, `iconv -t UTF-16LE`) by
 * the pattern ASCII text has in it: a 0 byte beside every character's, on the high side. Which of the two, or null.
 */
export function utf16Of(head: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  return head[0] === 0xff && head[1] === 0xfe ? 'utf-16le' : head[0] === 0xfe && head[1] === 0xff ? 'utf-16be' : utf16Pattern(head);
}

/** Bytes looked at for UTF-16 without a BOM: 256 characters; fewer than 8 characters say too little. */
const UTF16_SNIFF = 512;
const UTF16_LEAST = 16;

/**
 * UTF-16 without a BOM: at least 90% of the first characters are printable ASCII (or tab, CR, LF) with a
 * 0 high byte, and none is NUL. UTF-8 text has no 0 byte at all, so this takes no UTF-8 log; binary
 * data with a 0 every other byte and text between is what it would take, and that reads as lines no
 * format knows, quoted, not as a run.
 */
function utf16Pattern(head: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(head.length, UTF16_SNIFF) & ~1;
  if (n < UTF16_LEAST) return null;
  let le = 0;
  let be = 0;
  for (let i = 0; i < n; i += 2) {
    const a = head[i]!;
    const b = head[i + 1]!;
    if (a === 0 && b === 0) return null;
    if (b === 0 && asciiText(a)) le++;
    else if (a === 0 && asciiText(b)) be++;
  }
  const most = (n / 2) * 0.9;
  return le >= most ? 'utf-16le' : be >= most ? 'utf-16be' : null;
}

function asciiText(c: number): boolean {
  return (c >= 0x20 && c < 0x7f) || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Gzip is recognised by its magic bytes, not by the file name. Data that ends early (zlib's "unexpected end
 * of file": a log still being written through `| gzip`, a copy stopped half-way) ends the text where it
 * ended, and `cut.at` says at which byte; everything before it has been handed on. Data damaged before
 * its end (a wrong byte: zlib's Z_DATA_ERROR, "invalid distance too far back", "incorrect data check")
 * is refused whole: what it decompresses to past the damage is not the log.
 */
async function* maybeGunzip(path: string, bytesP: AsyncIterable<Buffer>, cut: GzipCut): AsyncGenerator<Buffer> {
  const it = bytesP[Symbol.asyncIterator]();
  let bytesIn = 0;
  let first = Buffer.alloc(0);
  while (first.length < MAGIC_BYTES) {
    const r = await it.next();
    if (r.done) break;
    first = Buffer.concat([first, toBuffer(r.value)]);
  }
  const rest = (async function* () {
    try {
      if (first.length) yield first;
      bytesIn = first.length;
      while (true) {
        const r = await it.next();
        if (r.done) return;
        const b = toBuffer(r.value);
        bytesIn += b.length;
        yield b;
      }
    } finally {
      await it.return?.();
    }
  })();
  // bzip2, xz, zstd, zip: read as text they were "binary data", with advice to name a --log-format
  const packed = compressionOf(first);
  if (packed) {
    await it.return?.(); // (rest has not started, so its finally would not close the file)
    throw new UserError(compressedInput(path, packed));
  }
  if (!isGzip(first)) {
    yield* rest;
    return;
  }
  const gunzip = zlib().createGunzip({ chunkSize: CHUNK_BYTES });
  // the stream may hold a chunk after asking for the next, and a file's chunks share one buffer: copies
  pipeline(Readable.from(copies(rest)), gunzip, () => {});
  let bytesOut = 0;
  try {
    for await (const chunk of gunzip) {
      bytesOut += (chunk as Buffer).length;
      if (bytesOut > GZIP_RATIO_FROM_BYTES && bytesOut > MAX_GZIP_RATIO * bytesIn) {
        gunzip.destroy();
        throw new UserError(`${path}: gzip data expands more than ${MAX_GZIP_RATIO}x (${mib(bytesIn)} became ${mib(bytesOut)} and counting); ` +
          'a log does not compress like that, so it was not read (a gzip bomb, or a disk image?)');
      }
      yield chunk as Buffer;
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'Z_BUF_ERROR' && (err as Error).message === 'unexpected end of file') {
      // cut before any of its data (inside its header, say): nothing was read, so it is not a log read up to a cut
      if (bytesOut === 0) throw new UserError(gzipCutBeforeData(path, bytesIn));
      cut.at = bytesIn;
      return;
    }
    if (code.startsWith('Z_')) throw new UserError(`${path}: damaged gzip data (${(err as Error).message})`);
    throw err;
  }
}

async function* copies(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const b of chunks) yield Buffer.from(b);
}

function toBuffer(v: unknown): Buffer {
  return Buffer.isBuffer(v) ? v : Buffer.from(v as string);
}

const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;

/**
 * UTF-8 (with or without its BOM), or UTF-16 when the file starts with its byte-order
 * mark (PowerShell 5's `>` writes UTF-16LE) or, without one, has ASCII text's UTF-16 pattern
 * (utf16Of): its lines would otherwise all be binary data (a NUL between every character).
 */
async function* decodeText(bytes: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let decoder: { write(b: Buffer): string; end(): string } | null = null;
  for await (const b of bytes) {
    decoder ??= decoderFor(b);
    const s = decoder.write(b);
    if (s) yield s;
  }
  const tail = decoder?.end();
  if (tail) yield tail;
}

function decoderFor(first: Buffer): { write(b: Buffer): string; end(): string } {
  const utf16 = utf16Of(first);
  if (utf16 === null) return new StringDecoder('utf8');
  const d = new TextDecoder(utf16); // drops the BOM itself
  return { write: (b) => d.decode(b, { stream: true }), end: () => d.decode() };
}
