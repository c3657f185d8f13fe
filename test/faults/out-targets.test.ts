// Issue 12: every unusable --out is one line (exit 2, or 1 for a full disk), found
// before the input is read, and a report folder is always one whole report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DIST_BIN } from '../e2e/report-cli.js';
import { FIXTURE, GEN, RUN, fill, generationTimes, immutable, oneLineError, remountReadOnly, report, snapshot, temporaries, tempDir, tmpfs } from './support.js';

const T = { timeout: 30_000 };

// -i /dev/zero never ends: a run that stops at once proves --out was checked before reading it.
const ENDLESS = ['-i', '/dev/zero'];

test('--out is a file: one line, exit 2, before any input is read', T, async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'afile'), 'x');
  oneLineError(await report([...ENDLESS, '-o', join(dir, 'afile')]), 2, /^mnist-report: --out .*afile: cannot write the report: it, or a folder on its path, is a file$/);
});

test('-o /etc/hostname/x, a path over PATH_MAX, /proc/self/reports: one line each, no endless mkdir', T, async (t) => {
  const dir = tempDir(t);
  oneLineError(await report([...ENDLESS, '-o', '/etc/hostname/x']), 2, /--out \/etc\/hostname\/x: .*is a file$/);
  oneLineError(await report([...ENDLESS, '-o', join(dir, 'a'.repeat(200), 'b'.repeat(4200))]), 2, /: cannot write the report: path too long/);
  oneLineError(await report([...ENDLESS, '-o', '/proc/self/reports']), 2, /--out \/proc\/self\/reports: cannot write the report: no such file or folder/);
});

test('read-only mount: the message says read-only (EROFS), not ENOENT', T, async (t) => {
  const disk = tmpfs(t, '1m');
  if (!disk) return;
  remountReadOnly(disk);
  oneLineError(await report([...ENDLESS, '-o', join(disk, 'reports')]), 2, /cannot write the report: read-only file system$/);
});

test('an immutable folder as --out (chattr +i): one line, exit 2, before any input is read; nothing made in it', T, async (t) => {
  const out = join(tempDir(t), 'out');
  mkdirSync(out);
  const undo = immutable(t, out);
  if (!undo) return;
  try {
    oneLineError(await report([...ENDLESS, '-o', out]), 2, /^mnist-report: --out .*out: cannot write the report: operation not permitted \(an immutable or protected folder\?\)/);
    assert.deepEqual(readdirSync(out), []);
  } finally {
    undo();
  }
});

test('an immutable run folder inside --out: one line, exit 2, the old report untouched, no temporaries', T, async (t) => {
  const out = join(tempDir(t), 'out');
  assert.equal((await report(['-i', FIXTURE, '-o', out, '-f', 'json', ...GEN('2026-01-01T00:00:00Z')])).code, 0);
  const before = snapshot(join(out, RUN));
  const undo = immutable(t, join(out, RUN));
  if (!undo) return;
  try {
    oneLineError(await report(['-i', FIXTURE, '-o', out, '-f', 'md,json', ...GEN()]), 2, /cannot write the report: operation not permitted/);
    assert.deepEqual(snapshot(join(out, RUN)), before);
    assert.deepEqual(temporaries(out), []);
  } finally {
    undo();
  }
});

test('full disk with a good report in the folder: exit 1, one line, the old report untouched, no temporaries', T, async (t) => {
  const disk = tmpfs(t, '2m'); // the fixture's md + json report with its 8 charts as SVG and PNG: about 1 MB
  if (!disk) return;
  const out = join(disk, 'reports');
  const first = await report(['-i', FIXTURE, '-o', out, '-f', 'md,json', ...GEN('2026-01-01T00:00:00Z')]);
  assert.equal(first.code, 0, first.stderr);
  const before = snapshot(join(out, RUN));
  fill(disk, 8 * 1024);
  const r = await report(['-i', FIXTURE, '-o', out, ...GEN('2026-02-02T00:00:00Z')]);
  oneLineError(r, 1, /cannot write the report: no space left on the device$/);
  assert.deepEqual(snapshot(join(out, RUN)), before, 'the old report, whole');
  assert.deepEqual(temporaries(out), []);
});

test('small empty disk: exit 1 and no partial report (not 7 charts and no document)', T, async (t) => {
  const disk = tmpfs(t, '200k');
  if (!disk) return;
  const out = join(disk, 'reports');
  oneLineError(await report(['-i', FIXTURE, '-o', out, ...GEN()]), 1, /no space left on the device$/);
  assert.deepEqual(readdirSync(out), []);
});

test('<out>/<run> is a file, report.md is a folder: one line each, exit 2, nothing replaced', T, async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, RUN), 'mine');
  oneLineError(await report(['-i', FIXTURE, '-o', dir, ...GEN()]), 2, new RegExp(`${RUN} is a file, not a report folder`));
  assert.equal(readFileSync(join(dir, RUN), 'utf8'), 'mine');
  const dir2 = tempDir(t);
  mkdirSync(join(dir2, RUN, 'report.md'), { recursive: true });
  oneLineError(await report(['-i', FIXTURE, '-o', dir2, ...GEN()]), 2, /report\.md is a folder, where mnist-report writes a file/);
  assert.deepEqual(readdirSync(join(dir2, RUN)), ['report.md']);
});

test('a symlink inside --out does not take files outside it', T, async (t) => {
  const dir = tempDir(t);
  const out = join(dir, 'out');
  mkdirSync(join(dir, 'outside'));
  mkdirSync(out);
  symlinkSync(join(dir, 'outside'), join(out, RUN));
  oneLineError(await report(['-i', FIXTURE, '-o', out, ...GEN()]), 2, /is a symbolic link; mnist-report replaces only real folders inside --out/);
  assert.deepEqual(readdirSync(join(dir, 'outside')), []);
});

test('files someone else put in a run folder stay; a stale chart of ours goes', T, async (t) => {
  const out = tempDir(t);
  assert.equal((await report(['-i', FIXTURE, '-o', out, ...GEN()])).code, 0);
  writeFileSync(join(out, RUN, 'notes.txt'), 'keep me');
  writeFileSync(join(out, RUN, 'batch-loss.png'), 'stale');
  assert.equal((await report(['-i', FIXTURE, '-o', out, '-f', 'json', ...GEN()])).code, 0);
  assert.deepEqual(readdirSync(join(out, RUN)).sort(), ['notes.txt', 'report.json']);
});

test('run ids that sanitise alike (a/b and a-b-<hash>) get two folders, and the index links each to its own', T, async (t) => {
  const dir = tempDir(t);
  const lines = readFileSync(FIXTURE, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const as = (id: string, hour: string) => lines.map((e) => JSON.stringify({ ...e, run_id: id, time: String(e.time).replace('T07', `T${hour}`) }));
  const input = join(dir, 'two.jsonl');
  writeFileSync(input, [...as('a/b', '07'), ...as('a-b-c14cddc0', '08')].join('\n'));
  const out = join(dir, 'out');
  const r = await report(['-i', input, '-o', out, '--run', 'all', ...GEN()]);
  assert.equal(r.code, 0, r.stderr);
  const folders = readdirSync(out, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  assert.equal(folders.length, 2, folders.join(', '));
  const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as { runs: { run_id: string; folder: string }[] };
  assert.equal(new Set(index.runs.map((x) => x.folder)).size, 2);
  for (const row of index.runs) assert.equal(JSON.parse(readFileSync(join(out, row.folder, 'report.json'), 'utf8')).run.run_id, row.run_id);
});

test('signals while writing: the folder is the old or the new report, whole; SIGTERM leaves no temporaries, a later run clears SIGKILL\'s', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  const out = join(dir, 'out');
  assert.equal((await report(['-i', FIXTURE, '-o', out, ...GEN('2026-01-01T00:00:00Z')])).code, 0);
  // The delays spread the signal over start-up, reading, rendering and writing (where
  // it lands differs from run to run; the assertions hold wherever it lands).
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    for (const [i, ms] of [150, 200, 250, 300, 350, 400].entries()) {
      const child = spawn(process.execPath, [DIST_BIN, '-i', FIXTURE, '-o', out, ...GEN(`2026-03-0${i + 1}T00:00:00Z`)], { stdio: 'ignore' });
      setTimeout(() => child.kill(signal), ms);
      await new Promise((resolve) => child.on('close', resolve));
      if (existsSync(join(out, RUN))) assert.equal(generationTimes(join(out, RUN)).size, 1, `${signal} after ${ms} ms: one report`);
      if (signal === 'SIGTERM') assert.deepEqual(temporaries(out), [], `SIGTERM after ${ms} ms`);
    }
  }
  assert.equal((await report(['-i', FIXTURE, '-o', out, ...GEN()])).code, 0);
  assert.deepEqual(temporaries(out), [], 'a later run removes what a killed writer left');
  assert.equal(generationTimes(join(out, RUN)).size, 1);
});
