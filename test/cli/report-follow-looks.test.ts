// followReport (cli/report-follow.ts) in-process, on a real file followed by the real file source and the real
// runs stage: what the follow decides at each look at the file's end (caughtUp) while the --run id has no
// event in it. Steps wait for a number of looks, never for a length of time; the reporter's clock is moved
// by shifting Date.now, as a run id turns old while the file is quiet. The report itself is a stub: which
// run it was asked for is what these tests check.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReportArgs } from '../../src/cli/report-args.js';
import { followReport } from '../../src/cli/report-follow.js';
import { followSource, withFollowFlag, type FollowSource } from '../../src/cli/report-follow-source.js';
import { UserError } from '../../src/errors.js';
import { FIRST_EVENT_WITHIN_MS, generateRunId } from '../../src/run-id.js';
import { createRunCollector } from '../../src/runs/collect.js';
import type { Analysis } from '../../src/analyze/types.js';
import type { Run } from '../../src/types.js';

const FIXTURE_ID = '20261130T070537Z-f4b168';
const fixtureLines = async (id: string): Promise<string[]> =>
  (await readFile(new URL('../../fixtures/mnist-train-5epochs.jsonl', import.meta.url), 'utf8')).split('\n').filter(Boolean).map((l) => l.replaceAll(FIXTURE_ID, id));
const upTo = (lines: string[], epoch: number): number => lines.findIndex((l) => l.includes('"event":"epoch_end"') && l.includes(`"epoch":${epoch},`)) + 1;

interface Followed {
  lines: string[];
  reported: Run[];
  looks: () => number;
  /** Resolves once n looks have ended; rejects with the follow's error, or when it ended first. */
  afterLooks: (n: number) => Promise<void>;
  /** As Ctrl-C: the follow's own SIGINT handler. */
  interrupt: () => void;
  result: Promise<number>;
}

async function follow(log: string, run: string): Promise<Followed> {
  const args = (await parseReportArgs(['--follow', '-i', log, '--run', run, '--poll-interval', '0.01'], withFollowFlag))!;
  const source = followSource(args, null);
  const lines: string[] = [];
  const reported: Run[] = [];
  let looks = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const counted: FollowSource = {
    ...source,
    records: (o) => source.records({ ...o, caughtUp: () => {
      o.caughtUp?.();
      looks++;
      for (const w of waiters.splice(0)) if (looks >= w.n) w.resolve(); else waiters.push(w);
    } }),
  };
  const result = followReport(counted, {
    args, newCollector: () => createRunCollector({ format: args.logFormat }), say: (l) => lines.push(l),
    report: async (r) => {
      reported.push(r);
      return { analysis: { run: { outcome: 'incomplete', epochs_seen: r.epochs.length }, verdict: { level: 'unknown' }, epochs: [] } as unknown as Analysis, folder: r.run_id, exitCode: 0 };
    },
  }).finally(() => { for (const s of ['SIGINT', 'SIGTERM'] as const) process.removeAllListeners(s); });
  const afterLooks = (n: number) => new Promise<void>((resolve, reject) => {
    if (looks >= n) return resolve();
    waiters.push({ n, resolve });
    result.then(() => reject(new Error(`the follow ended after ${looks} looks, before look ${n}: ${lines.join('\n')}`)), reject);
  });
  return { lines, reported, looks: () => looks, afterLooks, interrupt: () => { process.emit('SIGINT'); }, result };
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'follow-looks-'));
  try { await fn(dir); } finally { await rm(dir, { recursive: true, force: true }); }
}

test('--run with mnist-train\'s id that turns old while the file is quiet: refused at a look (one line, exit 2), not waited for ever', (t) => withDir(async (dir) => {
  const log = join(dir, 'runs.jsonl');
  await writeFile(log, `${(await fixtureLines(FIXTURE_ID)).join('\n')}\n`);
  // the id of a run starting now: it may not have written its first event yet
  const id = generateRunId();
  const f = await follow(log, id);
  await f.afterLooks(2);
  assert.match(f.lines.join('\n'), new RegExp(`waiting for the first event of run "${id}"`));
  // the file stays as it is; the clock moves past the time the run's first event would be there by
  const real = Date.now.bind(Date);
  t.mock.method(Date, 'now', () => real() + FIRST_EVENT_WITHIN_MS + 60_000);
  await f.afterLooks(f.looks() + 3).catch(() => {});
  f.interrupt(); // (without the look: the wait would go on; Ctrl-C ends it with exit 130)
  await assert.rejects(f.result, (e: Error) => e instanceof UserError && /^--follow --run \S+: \S+ holds no run of that id .*, and none is coming: the id is mnist-train's own/.test(e.message));
  assert.deepEqual(f.reported, []);
}));

/**
 * Follows run `id` of a file holding its first 2 epochs; then a new file, holding another writer's run, is renamed
 * over it (rotated) and read: returned two looks after the follow said so. `rest`: the run's lines after epoch 2.
 */
async function followedThenRotated(dir: string, id: string): Promise<{ f: Followed; log: string; rest: string[] }> {
  const lines = await fixtureLines(id);
  const log = join(dir, 'runs.jsonl');
  await writeFile(log, `${lines.slice(0, upTo(lines, 2)).join('\n')}\n`);
  const f = await follow(log, id);
  await f.afterLooks(1);
  assert.match(f.lines.join('\n'), /epoch 2\/5: /);
  await writeFile(join(dir, 'new.jsonl'), `${(await fixtureLines('other-1')).slice(0, 3).join('\n')}\n`);
  await rename(join(dir, 'new.jsonl'), log);
  while (!f.lines.some((l) => l.includes('was replaced'))) await f.afterLooks(f.looks() + 1);
  await f.afterLooks(f.looks() + 2);
  return { f, log, rest: lines.slice(upTo(lines, 2)) };
}

test('--run with mnist-train\'s id of a run begun long ago, followed, then the file rotated and another writer\'s run read first: the run is not "not coming"; it is followed on in the new file to its end', () => withDir(async (dir) => {
  const old = '20251130T070537Z-f4b168';
  const { f, log, rest } = await followedThenRotated(dir, old);
  // the followed run goes on in the new file
  await appendFile(log, `${rest.join('\n')}\n`);
  assert.equal(await f.result, 0, f.lines.join('\n'));
  assert.doesNotMatch(f.lines.join('\n'), /none is coming/);
  const last = f.reported.at(-1)!;
  assert.equal(last.run_id, old);
  assert.deepEqual(last.epochs.map((e) => e.epoch), [3, 4, 5]);
}));

test('--run ID read, then the file rotated, then Ctrl-C before the new file holds an event of it: not "no event of run ID was read" (some was)', () => withDir(async (dir) => {
  const { f, log } = await followedThenRotated(dir, 'exp-7');
  f.interrupt();
  assert.equal(await f.result, 130, f.lines.join('\n'));
  assert.equal(f.lines.at(-1), `no event of run "exp-7" was read from ${log} since it was truncated or replaced (what was read before is not in it any more)`);
}));
