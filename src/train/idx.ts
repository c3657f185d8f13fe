// IDX reader (the format of the original MNIST files). Reads a plain or gzipped
// file, checks magic number and dimensions, and turns every problem into one
// UserError line that names the file, so a bad --data-dir never shows a stack.

import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { basename } from 'node:path';
import { UserError } from '../errors.js';

/** What the caller expects to find in the file. */
export interface IdxExpectation {
  /** 2049 for labels (1 dimension), 2051 for images (3 dimensions). */
  magic: 2049 | 2051;
  /** Expected dimensions; null = any count. */
  dims: (number | null)[];
}

export interface IdxFile {
  path: string;
  dims: number[];
  data: Uint8Array;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** Read and check one IDX file; throws UserError naming the file and the problem. */
export async function readIdx(path: string, expect: IdxExpectation): Promise<IdxFile> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(idxMessage(path, code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? String(err)})`));
  }
  const bytes = isGzip(raw) ? gunzip(path, raw) : raw;
  return { path, ...decodeIdx(path, bytes, expect) };
}

function isGzip(buf: Buffer): boolean {
  return buf.length >= 2 && buf[0] === GZIP_MAGIC[0] && buf[1] === GZIP_MAGIC[1];
}

function gunzip(path: string, raw: Buffer): Buffer {
  try {
    return gunzipSync(raw);
  } catch (err) {
    throw new UserError(idxMessage(path, `gzip data is corrupt (${(err as Error).message})`));
  }
}

function decodeIdx(path: string, buf: Buffer, expect: IdxExpectation): { dims: number[]; data: Uint8Array } {
  if (buf.length < 4) throw new UserError(idxMessage(path, `too short for an IDX header (${buf.length} bytes)`));
  const magic = buf.readUInt32BE(0);
  if (magic !== expect.magic) {
    throw new UserError(idxMessage(path, `magic number is ${magic}, expected ${expect.magic} (${kind(expect.magic)})`));
  }
  const ndim = expect.dims.length;
  const headerBytes = 4 + 4 * ndim;
  if (buf.length < headerBytes) throw new UserError(idxMessage(path, `header truncated (${buf.length} of ${headerBytes} bytes)`));
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(buf.readUInt32BE(4 + 4 * i));
  expect.dims.forEach((want, i) => {
    if (want !== null && dims[i] !== want) {
      throw new UserError(idxMessage(path, `dimension ${i} is ${dims[i]}, expected ${want} (shape ${dims.join('x')})`));
    }
  });
  const payload = dims.reduce((a, b) => a * b, 1);
  const have = buf.length - headerBytes;
  if (have < payload) {
    throw new UserError(idxMessage(path, `truncated: ${have} data bytes, expected ${payload} for shape ${dims.join('x')}`));
  }
  if (have > payload) {
    throw new UserError(idxMessage(path, `${have - payload} unexpected bytes after the data for shape ${dims.join('x')}`));
  }
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + headerBytes, payload) };
}

function kind(magic: number): string {
  return magic === 2049 ? 'IDX labels' : 'IDX images';
}

/** The one message shape for every IDX problem: "<file>: <what is wrong>". */
export function idxMessage(path: string, problem: string): string {
  return `MNIST data file ${basename(path)} (${path}): ${problem}`;
}
