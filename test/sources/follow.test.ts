// followFileRecords as tail -F: appended lines, a line completed later, truncation, rotation,
// a file that appears later. Each step waits for the records it expects (no timing assertions).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followFileRecords } from '../../src/sources/follow.js';

/** Pulls records from the follower; `next(n)` resolves with the messages of the next n records. */
function follower(path: string) {
  const stop = new AbortController();
  const notices: string[] = [];
  const it = followFileRecords(path, { pollMs: 20, signal: stop.signal, notice: (l) => notices.push(l) })[Symbol.asyncIterator]();
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

test('follows appends, waits for a line\'s newline, re-reads a truncated file and follows a rotated one', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'follow-'));
  try {
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
      'FILE was truncated; reading it again from its start', 'FILE was replaced (rotated); following the new file from its start',
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
