// followFileRecords as tail -F: appended lines, a line completed later, truncation, rotation,
// a file that appears later. Each step waits for the records it expects (no timing assertions).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { followFileRecords } from '../../src/sources/follow.js';
import { readFileRecords } from '../../src/sources/file.js';
import type { LogRecord } from '../../src/types.js';
import { UserError } from '../../src/errors.js';
import { gzipSync } from 'node:zlib';
import { tempDir } from '../faults/support.js';

/** Pulls records from the follower; `next(n)` resolves with the messages of the next n records. */
function follower(path: string) {
  const stop = new AbortController();
  const notices: string[] = [];
  // a restart (what was read is no longer in the file) is kept in order among the notices
  const it = followFileRecords(path, { pollMs: 20, signal: stop.signal, notice: (l) => notices.push(l), restarted: () => notices.push('RESTARTED') })[Symbol.asyncIterator]();
  const buffered: string[] = [];
  return {
    notices,
    async next(n: number): Promise<string[]> {
      while (buffered.length < n) {
        const r = await it.next();
        if (r.done) break;
        buffered.push(...r.value.map((x) => x.message));
      }
      return buffered.splice(0, n);
    },
    async end(): Promise<string[]> {
      stop.abort();
      const rest: string[] = [...buffered.splice(0)];
      for (let r = await it.next(); !r.done; r = await it.next()) rest.push(...r.value.map((x) => x.message));
      return rest;
    },
  };
}

test('follows appends, waits for a line\'s newline, re-reads a truncated file and follows a rotated one', async (t) => {
  const dir = tempDir(t, 'follow-');
  const path = join(dir, 'run.log');
  const f = follower(path); // the file does not exist yet
  await writeFile(path, 'one\ntwo\n');
  assert.deepEqual(await f.next(2), ['one', 'two']);
  await appendFile(path, 'thr');
  await appendFile(path, 'ee\r\nfour\n');
  assert.deepEqual(await f.next(2), ['three', 'four']);
  await truncate(path, 0);
  await appendFile(path, 'again\n');
  assert.deepEqual(await f.next(1), ['again']);
  // rotation: the old file moved aside (its last line has no newline), a new one in its place
  await appendFile(path, 'last of old');
  await rename(path, join(dir, 'run.log.1'));
  await writeFile(path, 'new one\n');
  assert.deepEqual(await f.next(2), ['last of old', 'new one']);
  await appendFile(path, 'more\n');
  assert.deepEqual(await f.next(1), ['more']);
  assert.deepEqual(await f.end(), []);
  // (whether the follower looked before the file was made is a race: those two notices may or may not be there)
  assert.deepEqual(f.notices.map((n) => n.replace(path, 'FILE')).filter((n) => !/does not exist yet|appeared/.test(n)), [
    'FILE was truncated: reading it again from the start', 'RESTARTED', 'FILE was replaced (rotated): reading the new file from the start', 'RESTARTED',
  ]);
});

test('a last line that is a whole JSON object is taken after a poll that finds nothing more; its newline, when it comes, ends no other line', { timeout: 30_000 }, async (t) => {
  const dir = tempDir(t, 'follow-');
  const path = join(dir, 'run.log');
  await writeFile(path, 'plain text\n{"a":1}');
  const f = follower(path);
  assert.deepEqual(await f.next(2), ['plain text', '{"a":1}']);
  // the taken line's newline, then half a line: neither is a line yet (half a JSON object is not one)
  await appendFile(path, '\n{"b":');
  await appendFile(path, '2}\r\nno newline, not JSON');
  assert.deepEqual(await f.next(1), ['{"b":2}']);
  assert.deepEqual(await f.end(), ['no newline, not JSON']);
});

test('a followed file that is removed is said once; a file of that name that comes back is followed from its start', { timeout: 30_000 }, async (t) => {
  const dir = tempDir(t, 'follow-');
  const path = join(dir, 'run.log');
  await writeFile(path, 'one\n');
  const f = follower(path);
  assert.deepEqual(await f.next(1), ['one']);
  // the follower runs while it is pulled: pull the next record while the file is gone
  const next = f.next(1);
  await rm(path);
  while (!f.notices.some((n) => n.includes('was removed'))) await new Promise((r) => setTimeout(r, 20));
  await writeFile(path, 'two\n');
  assert.deepEqual(await next, ['two']);
  assert.deepEqual(await f.end(), []);
  assert.deepEqual(f.notices.map((n) => n.replace(path, 'FILE')), [
    'FILE was removed; waiting for a file of that name, to read it from the start',
    'FILE was replaced (rotated): reading the new file from the start', 'RESTARTED',
  ]);
});

test('a followed file gives the records a one-shot read of the finished file gives: BOM, CRLF, blank stretches, a line over the 1 MiB cap', async (t) => {
  const dir = tempDir(t, 'follow-');
  const path = join(dir, 'run.log');
  // written in pieces that cut a CRLF, a blank stretch and a multi-byte character in two
  const long = 'x'.repeat(1_100_000) + 'END';
  const pieces = ['\ufeffone\r', '\ntwo\n\n\n', '\r\n\nthree é', '\u00e9\n', long.slice(0, 600_000), long.slice(600_000), '\n\n\nlast'];
  const stop = new AbortController();
  const followed: LogRecord[] = [];
  await writeFile(path, '');
  const reading = (async () => {
    for await (const records of followFileRecords(path, { pollMs: 10, signal: stop.signal })) followed.push(...records);
  })();
  for (const p of pieces) {
    await appendFile(path, p);
    await new Promise((ok) => setTimeout(ok, 40)); // pacing only: each piece is usually read on its own
  }
  stop.abort();
  await reading;
  const once: LogRecord[] = [];
  for await (const records of readFileRecords(path)) once.push(...records);
  const shape = (rs: LogRecord[]) => rs.map((r) => [r.line, r.message.length > 40 ? `${r.message.length} chars ending ${r.message.slice(-3)}` : r.message, r.blankLines ?? 0]);
  assert.deepEqual(shape(followed), shape(once));
  assert.deepEqual(shape(once), [[1, 'one', 0], [2, 'two', 0], [3, '', 3], [7, 'three éé', 0], [8, '1048576 chars ending END', 0], [9, '', 1], [11, 'last', 0]]);
});

test('a gzip or UTF-16 file is refused with one line, not misread as UTF-8 text', async (t) => {
  const dir = tempDir(t, 'follow-');
  for (const [name, bytes, kind] of [
    ['run.log.gz', gzipSync('{"event":"run_start"}\n'), 'gzip data'],
    ['run-utf16.log', Buffer.from('\ufeffone\n', 'utf16le'), 'UTF-16 text'],
    ['run-utf16-no-bom.log', Buffer.from('Epoch 1/5\n1875/1875 - 3s - loss: 0.2\n', 'utf16le'), 'UTF-16 text'],
  ] as const) {
    const path = join(dir, name);
    await writeFile(path, bytes);
    // the signal ends a follower that misreads the file instead of refusing it (it would wait for more lines)
    const it = followFileRecords(path, { pollMs: 10, signal: AbortSignal.timeout(5000) })[Symbol.asyncIterator]();
    await assert.rejects(it.next(), (err: Error) => err instanceof UserError && err.message === `${path}: is ${kind}, which --follow cannot read as it grows; report it without --follow`);
  }
  // bzip2 (read by neither reader): how to decompress it, as a report without --follow says
  const bz = join(dir, 'run.log.bz2');
  await writeFile(bz, Buffer.from('QlpoOTFBWSZTWcHAgOIAAAFBAAAQAkSgADDNAMNGKZcXckU4UJDBwIDi', 'base64'));
  const it = followFileRecords(bz, { pollMs: 10, signal: AbortSignal.timeout(5000) })[Symbol.asyncIterator]();
  await assert.rejects(it.next(), (err: Error) => err instanceof UserError && err.message.startsWith(`${bz} is compressed with bzip2: decompress it first (bunzip2 -k ${bz})`));
});
