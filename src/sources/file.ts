// Local log files (or stdin) as a stream of LogRecords, whatever their shape:
//   read bytes ──▶ gunzip when the magic bytes say gzip ──▶ decode UTF-8
//     ──▶ sniff the start ──▶ aws-cli JSON document (scan "events") | lines
// Nothing is read whole, so memory stays flat however big the file is. Records
// are handed over in arrays, one per piece of text read: an await per record
// through the generators here and in the caller cost more than parsing them.

import { open } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { UserError } from '../errors.js';
import type { LogRecord } from '../types.js';
import { AWS_KEYS, AwsEventsScanner, ShapeError } from './aws-json.js';
import { splitLines } from './lines.js';

/**
 * Read size. Decoded text pieces stay below V8's large-object size (~128 KB) so
 * that they are allocated, and freed, in the young generation: 256 KB pieces made
 * decoding 4x slower (a fresh mapping for each) and left the old generation to grow.
 */
const CHUNK_BYTES = 64 * 1024;
/** How much decoded text the format sniffer looks at. */
const SNIFF_CHARS = 64 * 1024;

/** Reads one local log file ("-" for stdin) and yields its records, in file order, an array at a time. */
export async function* readFileRecords(path: string): AsyncGenerator<LogRecord[]> {
  const text = decodeUtf8(maybeGunzip(path, await openBytes(path)));
  const it = text[Symbol.asyncIterator]();
  let head = '';
  let ended = false;
  while (head.length < SNIFF_CHARS) {
    const r = await it.next();
    if (r.done) { ended = true; break; }
    head += r.value;
  }
  if (head.charCodeAt(0) === 0xfeff) head = head.slice(1);
  const rest = withHead(head, ended ? null : it);
  if (sniff(head) === 'json-document') yield* awsDocument(path, rest);
  else yield* textLines(path, rest);
}

type Shape = 'json-document' | 'lines';

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
  return firstLine === '{' || firstLine === '[' ? 'json-document' : 'lines';
}

async function* textLines(path: string, text: AsyncIterable<string>): AsyncGenerator<LogRecord[]> {
  let line = 0;
  for await (const lines of splitLines(text)) {
    const records: LogRecord[] = new Array(lines.length);
    for (let i = 0; i < lines.length; i++) {
      records[i] = { message: lines[i]!, source: path, stream: null, timestamp: null, eventId: null, line: ++line };
    }
    yield records;
  }
}

async function* awsDocument(path: string, text: AsyncIterable<string>): AsyncGenerator<LogRecord[]> {
  const scanner = new AwsEventsScanner();
  try {
    for await (const chunk of text) {
      const events = scanner.feed(chunk);
      if (!events.length) continue;
      yield events.map((e) => ({ message: e.message, source: path, stream: e.logStreamName, timestamp: e.timestamp, eventId: e.eventId, line: null }));
    }
    scanner.end();
  } catch (err) {
    if (err instanceof ShapeError) {
      throw new UserError(`${path}: not a known log shape (expected JSON lines, text, or the JSON of aws logs filter-log-events/get-log-events): ${err.message}`);
    }
    throw err;
  }
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
    return handle.createReadStream({ highWaterMark: CHUNK_BYTES });
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(describeOpenError(path, err), { cause: err });
  }
}

function describeOpenError(path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${path}: no such file`;
  if (code === 'EISDIR') return `${path}: is a directory, not a log file`;
  if (code === 'EACCES' || code === 'EPERM') return `${path}: permission denied`;
  return `${path}: cannot read (${code ?? (err as Error).message})`;
}

/** Gzip is recognised by its magic bytes (1f 8b), not by the file name. */
async function* maybeGunzip(path: string, bytesP: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = bytesP[Symbol.asyncIterator]();
  let first = Buffer.alloc(0);
  while (first.length < 2) {
    const r = await it.next();
    if (r.done) break;
    first = Buffer.concat([first, toBuffer(r.value)]);
  }
  const rest = (async function* () {
    try {
      if (first.length) yield first;
      while (true) {
        const r = await it.next();
        if (r.done) return;
        yield toBuffer(r.value);
      }
    } finally {
      await it.return?.();
    }
  })();
  if (!(first[0] === 0x1f && first[1] === 0x8b)) {
    yield* rest;
    return;
  }
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  pipeline(Readable.from(rest), gunzip, () => {});
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_')) throw new UserError(`${path}: damaged gzip data (${(err as Error).message})`);
    throw err;
  }
}

function toBuffer(v: unknown): Buffer {
  return Buffer.isBuffer(v) ? v : Buffer.from(v as string);
}

async function* decodeUtf8(bytes: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const b of bytes) {
    const s = decoder.write(b);
    if (s) yield s;
  }
  const tail = decoder.end();
  if (tail) yield tail;
}
