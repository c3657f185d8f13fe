// The folder writer (src/render/write.ts) on its own: two writers on one --out never
// mix a folder, a writer killed between its renames leaves the old report to be put
// back, and --out is checked before anything is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeDirs } from '../../src/atomic-write.js';
import { openReportWriter } from '../../src/render/write.js';
import { REPORT_FILE_NAMES } from '../../src/render/report.js';
import { tempDir } from './support.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const files = (tag: string, names = ['report.md', 'report.json', 'loss.svg', 'loss.png']) => names.map((name) => ({ name, data: `${tag} ${name}` }));
const tagsIn = (folder: string): Set<string> => new Set(readdirSync(folder).map((n) => readFileSync(join(folder, n), 'utf8').split(' ')[0]!));

test('two writers on the same folder, one paused before its swap: the folder is one writer\'s whole report', async (t) => {
  const out = tempDir(t);
  const a = await openReportWriter(out, REPORT_FILE_NAMES);
  const b = await openReportWriter(out, REPORT_FILE_NAMES);
  await a.writeRun('run', files('old'));
  let release!: () => void;
  const paused = new Promise<void>((r) => (release = r));
  let reached!: () => void;
  const atSwap = new Promise<void>((r) => (reached = r));
  const slow = a.writeRun('run', files('A'), { beforeSwap: async () => { reached(); await paused; } });
  await atSwap;
  assert.deepEqual(tagsIn(join(out, 'run')), new Set(['old']), 'A has not swapped yet');
  await b.writeRun('run', files('B', ['report.md', 'report.json']));
  assert.deepEqual(tagsIn(join(out, 'run')), new Set(['B']));
  release();
  await slow;
  assert.deepEqual(tagsIn(join(out, 'run')), new Set(['A']), 'the last swap wins, whole');
  assert.deepEqual(readdirSync(join(out, 'run')).sort(), ['loss.png', 'loss.svg', 'report.json', 'report.md']);
  assert.deepEqual(readdirSync(out), ['run'], 'no temporaries');
});

test('a writer killed between its renames: the next writer puts the old report back and clears the temporaries', async (t) => {
  const out = tempDir(t);
  // a pid that is certainly gone: a process that has exited
  const dead = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString());
  mkdirSync(join(out, `.run.old-${dead}-0`));
  for (const f of files('old')) writeFileSync(join(out, `.run.old-${dead}-0`, f.name), f.data);
  mkdirSync(join(out, `.run.tmp-${dead}-1`));
  writeFileSync(join(out, `.run.tmp-${dead}-1`, 'report.md'), 'half');
  writeFileSync(join(out, `index.md.tmp-${dead}`), 'half');
  mkdirSync(join(out, `.mnist-report-probe-${dead}-0`)); // killed while probing --out
  writeFileSync(join(out, `.mnist-report-probe-${dead}-0`, 'probe'), 'half');
  mkdirSync(join(out, `.mnist-report-probe-${process.pid}-99`));
  // a live writer's temporaries (this process) are left alone
  mkdirSync(join(out, `.other.tmp-${process.pid}-99`));
  await openReportWriter(out, REPORT_FILE_NAMES);
  assert.deepEqual(readdirSync(out).sort(), [`.mnist-report-probe-${process.pid}-99`, `.other.tmp-${process.pid}-99`, 'run']);
  assert.deepEqual(tagsIn(join(out, 'run')), new Set(['old']));
});

test('abandon (a signal) removes this writer\'s temporary folder', async (t) => {
  const out = tempDir(t);
  const w = await openReportWriter(out, REPORT_FILE_NAMES);
  const pending = w.writeRun('run', files('A'), { beforeSwap: () => { w.abandon(); throw new Error('stopped'); } });
  await assert.rejects(pending, /stopped/);
  assert.deepEqual(readdirSync(out), []);
});

test('abandon (a signal) just after the swap: the new report stays, the old one moved aside is removed', async (t) => {
  const out = tempDir(t);
  const w = await openReportWriter(out, REPORT_FILE_NAMES);
  await w.writeRun('run', files('old'));
  let atSignal: string[] = [];
  await w.writeRun('run', files('new'), { afterSwap: () => { w.abandon(); atSignal = readdirSync(out); } });
  assert.deepEqual(atSignal, ['run'], 'what a signal handler leaves before the process exits');
  assert.deepEqual(tagsIn(join(out, 'run')), new Set(['new']));
});

test('a run folder name that would leave --out is refused', async (t) => {
  const out = tempDir(t);
  const w = await openReportWriter(join(out, 'r'), REPORT_FILE_NAMES);
  await assert.rejects(w.writeRun('../x', files('A')), /outside the output folder/);
  await assert.rejects(w.writeRun('a/b', files('A')), /directly in --out/);
  assert.deepEqual(readdirSync(out), ['r']);
});

// Two reports whose --out share a parent that does not exist yet: each makes the folders it
// needs, probes them, and removes the ones it made again (a bad input leaves nothing behind).
// One could remove a folder the other had just found or made. The three places it bites,
// each with the other process's removal put exactly there:

test('makeDirs: a parent removed by another process before its child is made is made again', async (t) => {
  const base = tempDir(t);
  const deep = join(base, 'a', 'b', 'c');
  let removed = false;
  const created = await makeDirs(deep, { beforeMkdir: (p) => {
    if (p !== deep || removed) return;
    removed = true;
    rmdirSync(join(base, 'a', 'b'));
    rmdirSync(join(base, 'a'));
  } });
  assert.ok(removed, 'the removal happened');
  assert.ok(existsSync(deep));
  assert.deepEqual(created, [join(base, 'a'), join(base, 'a', 'b'), deep], 'each folder made once in the list, outermost first');
});

test('makeDirs: a parent that stays while mkdir says ENOENT (as under /proc) ends at once, not walked again', async () => {
  let mkdirs = 0;
  await assert.rejects(makeDirs('/proc/self/no-such/folder', { beforeMkdir: () => { mkdirs++; } }), { code: 'ENOENT' });
  assert.equal(mkdirs, 1);
});

test('openReportWriter: --out removed by another process between its making and the probe is made and probed again', async (t) => {
  const out = join(tempDir(t), 'new', 'reports');
  let removals = 0;
  const writer = await openReportWriter(out, REPORT_FILE_NAMES, { beforeProbe: () => {
    if (removals++ === 0) rmSync(join(out, '..'), { recursive: true });
  } });
  assert.equal(removals, 2, 'probed a second time');
  assert.ok(!existsSync(out), 'nothing left behind before the first write');
  await writer.writeRun('run', files('A'));
  assert.deepEqual(tagsIn(join(out, 'run')), new Set(['A']));
});

test('writeRun: --out gone between two reports (removed while empty, or by hand) is made again', async (t) => {
  const out = join(tempDir(t), 'reports');
  const writer = await openReportWriter(out, REPORT_FILE_NAMES);
  await writer.writeRun('one', files('A'));
  rmSync(out, { recursive: true });
  await writer.writeRun('two', files('B'));
  assert.deepEqual(readdirSync(out), ['two']);
  assert.deepEqual(tagsIn(join(out, 'two')), new Set(['B']));
});

test('SIGTERM while a run\'s files are being written: the handler leaves no temporary folder', { timeout: 120_000 }, async (t) => {
  const out = tempDir(t);
  // a writer in a process of its own, with the CLI's signal handling (report.ts: abandonTemporaries,
  // then exit), writing many files so that the signal lands while they are being written
  const script = `
    import { abandonTemporaries, openReportWriter } from './src/render/write.ts';
    const w = await openReportWriter(process.argv[1], []);
    process.once('SIGTERM', () => { abandonTemporaries(); process.exit(143); });
    const data = Buffer.alloc(256 * 1024, 7);
    for (let round = 0; ; round++) await w.writeRun('run', Array.from({ length: 200 }, (_, i) => ({ name: \`f\${i}.bin\`, data })));
  `;
  for (let attempt = 0; attempt < 5; attempt++) {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, out], { cwd: ROOT, stdio: 'ignore' });
    // the signal once a temporary folder is there and filling
    while (!readdirSync(out).some((n) => n.includes('.tmp-') && readdirSync(join(out, n)).length > 3)) await new Promise((r) => setTimeout(r, 2));
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.on('close', r));
    assert.equal(code, 143);
    assert.deepEqual(readdirSync(out).filter((n) => n !== 'run'), [], `attempt ${attempt + 1}: no temporaries left`);
  }
});

test('writeRun with files still being made: the others are in the temporary folder meanwhile; a failure there leaves the old report', async (t) => {
  const out = tempDir(t);
  const w = await openReportWriter(out, REPORT_FILE_NAMES);
  await w.writeRun('run1', [{ name: 'report.md', data: 'old\n' }, { name: 'loss.png', data: 'old png' }]);
  let give!: (files: { name: string; data: string }[]) => void;
  const writing = w.writeRun('run1', { now: [{ name: 'report.md', data: 'new\n' }, { name: 'loss.svg', data: '<svg/>' }], later: new Promise((r) => { give = r; }) });
  // the PNGs are still being drawn: the rest is written into the temporary folder, the old report still in place
  for (let i = 0; i < 50 && !readdirSync(out).some((n) => n.startsWith('.run1.tmp-')); i++) await new Promise((r) => setTimeout(r, 10));
  const tmp = readdirSync(out).find((n) => n.startsWith('.run1.tmp-'));
  assert.ok(tmp, `a temporary folder while waiting: ${readdirSync(out)}`);
  assert.deepEqual(readdirSync(join(out, tmp)).sort(), ['loss.svg', 'report.md']);
  assert.equal(readFileSync(join(out, 'run1', 'report.md'), 'utf8'), 'old\n');
  give([{ name: 'loss.png', data: 'new png' }]);
  await writing;
  assert.deepEqual(readdirSync(join(out, 'run1')).sort(), ['loss.png', 'loss.svg', 'report.md']);
  assert.equal(readFileSync(join(out, 'run1', 'loss.png'), 'utf8'), 'new png');
  // a PNG that fails: its error, the old report whole, no temporary folder left
  const bad = Promise.reject(new Error('resvg: cannot draw'));
  bad.catch(() => {}); // as renderReportFiles hands it over: awaited by the writer
  const failed = w.writeRun('run1', { now: [{ name: 'report.md', data: 'newer\n' }], later: bad });
  await assert.rejects(failed, /resvg: cannot draw/);
  assert.deepEqual(readdirSync(out).sort(), ['run1']);
  assert.equal(readFileSync(join(out, 'run1', 'report.md'), 'utf8'), 'new\n');
});

test('a PNG that fails while the writer waits for it: its own error, not one of --out (resvg\'s errors carry a code, e.g. GenericFailure)', async (t) => {
  const out = tempDir(t);
  const w = await openReportWriter(out, REPORT_FILE_NAMES);
  // as resvg's addon throws it on the main thread (stealPngs, drainPngs, drawHere)
  const resvgError = Object.assign(new Error('SVG has an invalid size'), { code: 'GenericFailure' });
  const later = Promise.reject(resvgError);
  later.catch(() => {});
  await assert.rejects(w.writeRun('run1', { now: [{ name: 'report.md', data: 'new\n' }], later }), (e) => e === resvgError);
  assert.deepEqual(readdirSync(out), [], 'no temporary folder left');
});
