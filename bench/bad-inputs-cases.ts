// The cases of bench/bad-inputs.ts: one per bullet of issue 12, in its order. Each makes its input
// in its own folder, runs the bin (or mnist-train beside it) and says what a user would see:
// a string when the case is skipped or covered by a test only.

import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, rmdirSync, watch, type FSWatcher } from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { createGzip, constants } from 'node:zlib';
import { fill, snapshot, temporaries } from '../test/faults/support.js';
import { groupRun } from './gen-runs.js';
import { writeSyntheticLog } from './gen-log.js';

export interface Ran { code: number | null; hung: boolean; stdout: string; stderr: string; rssMb: number | null; wallS: number; stack: boolean; wrote: number }
type RunOpts = { env?: Record<string, string>; timeoutS?: number; closedStdin?: boolean; onStart?: (signal: (s: NodeJS.Signals) => void) => void };
export interface Ctx {
  dir: string;
  out: string;
  report(args: string[], o?: RunOpts): Promise<Ran>;
  train(args: string[], o?: RunOpts): Promise<Ran>;
  /** Undone after the case, last first (unmount, chattr -i). */
  cleanups: (() => void)[];
  fs: { mkdirSync: typeof import('node:fs').mkdirSync; writeFileSync: typeof import('node:fs').writeFileSync;
    symlinkSync: typeof import('node:fs').symlinkSync; readdirSync: typeof import('node:fs').readdirSync };
}
export interface Judged { ran: Ran | Ran[]; folder?: string; wrong?: string | null; said?: string }
interface Case { id: string; title: string; run(c: Ctx): Promise<Judged | string> }

const FIXTURE = resolve('fixtures/mnist-train-5epochs.jsonl');
const RUN = '20261130T070537Z-f4b168';
const GEN = (t = '2026-11-24T00:00:00Z') => ['--generated-at', t];
const events = (): Record<string, unknown>[] => readFileSync(FIXTURE, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
const jsonl = (xs: unknown[]): string => `${xs.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('\n')}\n`;
const TINY_TRAIN = ['--epochs', '1', '--train-samples', '500', '--validation-samples', '100'];

function tmpfs(c: Ctx, size: string): string | null {
  const dir = join(c.dir, 'disk');
  c.fs.mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch {
    return null;
  }
  c.cleanups.push(() => { execFileSync('umount', ['-l', dir]); rmdirSync(dir); });
  return dir;
}

function immutable(c: Ctx, path: string): boolean {
  try {
    execFileSync('chattr', ['+i', path], { stdio: 'pipe' });
  } catch {
    return false;
  }
  c.cleanups.push(() => execFileSync('chattr', ['-i', path]));
  return true;
}

const NO_MOUNT = 'skipped: mount -t tmpfs refused (needs root with CAP_SYS_ADMIN); covered by test/faults/out-targets.test.ts where it can run';
/** When a report document says it was generated (its text after "enerated"), or null. */
const generatedAt = (text: string): string | null => /(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)/.exec(text.slice(text.indexOf('enerated')))?.[1] ?? null;
const DOCS = ['report.md', 'report.html', 'report.json'];

/**
 * The old report untouched; the new one whole (its three documents of one new generation time, no
 * file left from the old one that the new one does not have); or else mixed.
 */
function folderAfter(folder: string, before: Record<string, string>): string {
  if (!existsSync(folder)) return '**missing**';
  const now = snapshot(folder);
  if (JSON.stringify(now) === JSON.stringify(before)) return 'old report, untouched';
  const old = before['report.md'] ? generatedAt(Buffer.from(before['report.md'], 'base64').toString()) : null;
  const times = new Set(DOCS.map((n) => (now[n] ? generatedAt(Buffer.from(now[n]!, 'base64').toString()) : 'absent')));
  const [t] = [...times];
  if (times.size === 1 && t !== 'absent' && t !== old) return 'new report, whole';
  const fresh = Object.keys(now).filter((k) => now[k] !== before[k]).length;
  return `**mixed** (${fresh} of ${Object.keys(now).length} files changed; documents of ${[...times].join(', ')})`;
}
const outContents = (c: Ctx, out: string): string => {
  const names = existsSync(out) ? c.fs.readdirSync(out) as string[] : [];
  return names.length ? `**partial**: ${names.join(', ')}` : 'none written';
};

export const CASES: Case[] = [
  { id: '1', title: 'epoch_end with epoch 10^15', run: async (c) => {
    c.fs.writeFileSync(join(c.dir, 'in.jsonl'), jsonl(events().map((e) => (e.event === 'epoch_end' && e.epoch === 5 ? { ...e, epoch: 1e15 } : e))));
    const ran = await c.report(['-i', join(c.dir, 'in.jsonl'), '-o', c.out, '-f', 'json', ...GEN()], { timeoutS: 90 });
    return { ran, said: ran.code === 0 ? `report written; ${/\b98 records, (\d+) recognised/.exec(ran.stderr)?.[1]} of 98 lines recognised` : undefined };
  } },
  { id: '2', title: 'run_start config and runtime nested 100,000 deep', run: async (c) => {
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const lines = readFileSync(FIXTURE, 'utf8').trim().split('\n');
    lines[0] = lines[0]!.replace('"config":{', `"config":{"deep":${deep},`).replace('"runtime":{', `"runtime":{"deep":${deep},`);
    c.fs.writeFileSync(join(c.dir, 'in.jsonl'), jsonl(lines));
    const ran = await c.report(['-i', join(c.dir, 'in.jsonl'), '-o', c.out, '-f', 'json', ...GEN()]);
    return { ran, said: ran.code === 0 ? 'report written' : undefined };
  } },
  { id: '3a', title: '--out is a file', run: async (c) => {
    c.fs.writeFileSync(c.out, 'x');
    return { ran: await c.report(['-i', FIXTURE, '-o', c.out, ...GEN()]) };
  } },
  { id: '3b', title: '--out on a read-only mount', run: async (c) => {
    const disk = tmpfs(c, '1m');
    if (!disk) return NO_MOUNT;
    execFileSync('mount', ['-o', 'remount,ro', disk]);
    return { ran: await c.report(['-i', FIXTURE, '-o', join(disk, 'reports'), ...GEN()]) };
  } },
  { id: '3c', title: '--out an immutable folder (chattr +i)', run: async (c) => {
    c.fs.mkdirSync(c.out);
    if (!immutable(c, c.out)) return 'skipped: chattr +i refused (needs root on ext4/xfs); test/faults/out-targets.test.ts skips likewise';
    const ran = await c.report(['-i', FIXTURE, '-o', c.out, ...GEN()]);
    return { ran, folder: outContents(c, c.out) };
  } },
  { id: '3d', title: '--out on a full disk', run: async (c) => {
    const disk = tmpfs(c, '2m');
    if (!disk) return NO_MOUNT;
    fill(disk);
    const ran = await c.report(['-i', FIXTURE, '-o', join(disk, 'reports'), ...GEN()]);
    return { ran, folder: outContents(c, join(disk, 'reports')) };
  } },
  { id: '3e', title: '<out>/<run> is a file', run: async (c) => {
    c.fs.mkdirSync(c.out);
    c.fs.writeFileSync(join(c.out, RUN), 'mine');
    const ran = await c.report(['-i', FIXTURE, '-o', c.out, ...GEN()]);
    return { ran, folder: readFileSync(join(c.out, RUN), 'utf8') === 'mine' ? 'the file untouched' : '**replaced**' };
  } },
  { id: '3f', title: '<out>/<run>/report.md is a folder', run: async (c) => {
    c.fs.mkdirSync(join(c.out, RUN, 'report.md'), { recursive: true });
    const ran = await c.report(['-i', FIXTURE, '-o', c.out, ...GEN()]);
    const left = c.fs.readdirSync(join(c.out, RUN)) as string[];
    return { ran, folder: left.length === 1 ? 'untouched' : `**partial**: ${left.length} files beside the folder` };
  } },
  { id: '3g', title: '--out path over PATH_MAX', run: async (c) => ({ ran: await c.report(['-i', FIXTURE, '-o', join(c.dir, 'a'.repeat(200), 'b'.repeat(4200)), ...GEN()]) }) },
  { id: '3h', title: '-o /etc/hostname/x', run: async (c) => ({ ran: await c.report(['-i', FIXTURE, '-o', '/etc/hostname/x', ...GEN()]) }) },
  { id: '4a', title: '-i /proc/self/mem (EIO)', run: async (c) => ({ ran: await c.report(['-i', '/proc/self/mem', '-o', c.out, ...GEN()]) }) },
  { id: '4b', title: '-i - <&- (stdin closed)', run: async (c) => ({ ran: await c.report(['-i', '-', '-o', c.out, ...GEN()], { closedStdin: true }) }) },
  { id: '4c', title: 'SOURCE_DATE_EPOCH=99999999999999999999', run: async (c) =>
    ({ ran: await c.report(['-i', FIXTURE, '-o', c.out], { env: { SOURCE_DATE_EPOCH: '99999999999999999999' } }) }) },
  { id: '5a', title: 'mnist-train --out FILE on a disk that fills', run: async (c) => {
    const disk = tmpfs(c, '1m');
    if (!disk) return NO_MOUNT;
    fill(disk, 2048);
    return { ran: await c.train([...TINY_TRAIN, '--out', join(disk, 'events.jsonl')]) };
  } },
  { id: '5b', title: 'mnist-train --model foo', run: async (c) => {
    const ran = await c.train(['--model', 'foo', ...TINY_TRAIN]);
    return { ran, wrong: ran.stderr.trim().split('\n').length > 1 ? `${ran.stderr.trim().split('\n').length} lines` : null };
  } },
  { id: '5c', title: 'mnist-train --save-model an existing file', run: async (c) => {
    c.fs.writeFileSync(join(c.dir, 'model'), 'mine');
    const ran = await c.train([...TINY_TRAIN, '--save-model', join(c.dir, 'model')]);
    return { ran, wrong: /"epoch_end"/.test(ran.stdout) ? 'refused only after training' : null };
  } },
  { id: '6a', title: '-o /proc/self/reports', run: async (c) => ({ ran: await c.report(['-i', FIXTURE, '-o', '/proc/self/reports', ...GEN()]) }) },
  { id: '6b', title: 'mnist-train --save-model /proc/self/model', run: async (c) => ({ ran: await c.train([...TINY_TRAIN, '--save-model', '/proc/self/model'], { timeoutS: 30 }) }) },
  ...(['/dev/urandom', '/dev/zero'] as const).map((dev, i) => ({ id: `7${'ab'[i]}`, title: `--gates ${dev}`, run: async (c: Ctx) =>
    ({ ran: await c.report(['-i', FIXTURE, '-o', c.out, '--gates', dev, ...GEN()], { timeoutS: 20 }) }) })),
  { id: '7c', title: '--baseline /dev/urandom', run: async (c) => ({ ran: await c.report(['-i', FIXTURE, '-o', c.out, '--baseline', '/dev/urandom', ...GEN()], { timeoutS: 20 }) }) },
  { id: '8a', title: 'gzip bomb: 1 GiB of zeros', run: async (c) => {
    const path = join(c.dir, 'bomb.jsonl.gz');
    const gz = createGzip({ level: constants.Z_BEST_COMPRESSION });
    const done = once(gz.pipe(createWriteStream(path)), 'finish');
    const zeros = Buffer.alloc(1 << 20);
    for (let i = 0; i < 1024; i++) if (!gz.write(zeros)) await once(gz, 'drain');
    gz.end();
    await done;
    return { ran: await c.report(['-i', path, '-o', c.out, '-f', 'json', ...GEN()], { timeoutS: 60 }) };
  } },
  { id: '8b', title: '200 MiB of newlines', run: async (c) => {
    const path = join(c.dir, 'newlines.log');
    const ws = createWriteStream(path);
    const block = Buffer.alloc(1 << 20, 0x0a);
    for (let i = 0; i < 200; i++) if (!ws.write(block)) await once(ws, 'drain');
    ws.end();
    await once(ws, 'finish');
    return { ran: await c.report(['-i', path, '-o', c.out, '-f', 'json', ...GEN()], { timeoutS: 60 }) };
  } },
  { id: '8c', title: '--run all -f json, 10,000 runs (97 events each)', run: async (c) => {
    const path = join(c.dir, 'runs.jsonl');
    const ws = createWriteStream(path);
    for (let i = 0; i < 10_000; i++) {
      if (!ws.write(`${groupRun(i, Date.UTC(2026, 10, 1) + i * 60_000).map((e) => e.message).join('\n')}\n`)) await once(ws, 'drain');
    }
    ws.end();
    await once(ws, 'finish');
    const ran = await c.report(['-i', path, '--run', 'all', '-f', 'json', '-o', c.out, ...GEN()], { timeoutS: 600 });
    return { ran, said: `${ran.wrote} of 10,000 reports written in ${ran.wallS.toFixed(1)} s` };
  } },
  { id: '9a', title: 'full disk, a good report already in the folder', run: async (c) => {
    const disk = tmpfs(c, '2m');
    if (!disk) return NO_MOUNT;
    const out = join(disk, 'reports');
    const first = await c.report(['-i', FIXTURE, '-o', out, '-f', 'md,json', ...GEN('2026-01-01T00:00:00Z')]);
    if (first.code !== 0) return `bench error: the first report failed (${first.stderr.trim().split('\n').pop()})`;
    const before = snapshot(join(out, RUN));
    fill(disk, 8 * 1024);
    const ran = await c.report(['-i', FIXTURE, '-o', out, ...GEN('2026-02-02T00:00:00Z')]);
    return { ran, folder: folderAfter(join(out, RUN), before) };
  } },
  { id: '9b', title: 'small empty disk', run: async (c) => {
    const disk = tmpfs(c, '200k');
    if (!disk) return NO_MOUNT;
    const ran = await c.report(['-i', FIXTURE, '-o', join(disk, 'reports'), ...GEN()]);
    const left = existsSync(join(disk, 'reports', RUN)) ? (c.fs.readdirSync(join(disk, 'reports', RUN)) as string[]) : [];
    return { ran, folder: left.length ? `**partial**: ${left.length} files (${left.filter((n) => n.startsWith('report')).length} documents)` : 'none written' };
  } },
  { id: '9c', title: 'SIGTERM while writing the report of a 1M-line log (5 trials)', run: async (c) => {
    // two logs of 1M lines whose charts differ (50 x 20,000 and 40 x 25,000 batches), alternated, so that
    // every file of one trial's report differs from the last one's and a mix shows
    const logs = [join(c.dir, 'a.jsonl'), join(c.dir, 'b.jsonl')];
    await writeSyntheticLog(logs[0]!, 50, 20_000);
    await writeSyntheticLog(logs[1]!, 40, 25_000);
    const out = join(c.dir, 'out');
    const first = await c.report(['-i', logs[1]!, '-o', out, ...GEN('2026-01-01T00:00:00Z')], { timeoutS: 300 });
    if (first.code !== 0) return `bench error: the first report failed (${first.stderr.trim().split('\n').pop()})`;
    const folder = join(out, c.fs.readdirSync(out).find((n) => !String(n).startsWith('.')) as string);
    const ran: Ran[] = [];
    let mixed = 0;
    let leftovers = 0;
    for (const [i, ms] of [0, 0, 2, 5, 10].entries()) {
      const before = snapshot(folder);
      let watchers: FSWatcher[] = [];
      // the signal lands this long after the first file is written into --out or the run's folder
      ran.push(await c.report(['-i', logs[i % 2]!, '-o', out, ...GEN(`2026-03-0${i + 1}T00:00:00Z`)], { timeoutS: 300, onStart: (signal) => {
        watchers = [out, folder].map((d) => watch(d, (_, name) => {
          if (String(name).startsWith('.mnist-report-probe')) return; // --out is probed at start-up, before the input is read
          for (const w of watchers) w.close();
          setTimeout(() => signal('SIGTERM'), ms);
        }));
      } }));
      for (const w of watchers) w.close();
      if (folderAfter(folder, before).includes('**')) mixed++;
      if (temporaries(out).length) leftovers++;
    }
    return { ran, folder: `${mixed ? `**mixed** in ${mixed}` : 'whole in all'} of 5; temporaries left after ${leftovers} of 5`, said: `exits ${ran.map((r) => r.code).join(', ')}` };
  } },
  { id: '9d', title: 'two writers on one --out, one paused between its renames', run: async () =>
    'covered by test/faults/writer.test.ts ("two writers on the same folder, one paused before its swap"): pausing a process between two renames needs a hook inside the writer' },
  { id: '9e', title: 'run ids a/b and a-b-c14cddc0 (sanitise alike)', run: async (c) => {
    const as = (id: string, hour: string) => events().map((e) => ({ ...e, run_id: id, time: String(e.time).replace('T07', `T${hour}`) }));
    c.fs.writeFileSync(join(c.dir, 'two.jsonl'), jsonl([...as('a/b', '07'), ...as('a-b-c14cddc0', '08')]));
    const ran = await c.report(['-i', join(c.dir, 'two.jsonl'), '-o', c.out, '--run', 'all', '-f', 'md,json', ...GEN()]);
    const folders = existsSync(c.out) ? c.fs.readdirSync(c.out, { withFileTypes: true }).filter((d) => d.isDirectory()).length : 0;
    return { ran, folder: folders === 2 ? 'whole: 2 folders for 2 runs' : `**mixed**: ${folders} folder(s) for 2 runs` };
  } },
  { id: '9f', title: 'a symlink inside --out pointing outside', run: async (c) => {
    c.fs.mkdirSync(join(c.dir, 'outside'));
    c.fs.mkdirSync(c.out);
    c.fs.symlinkSync(join(c.dir, 'outside'), join(c.out, RUN));
    const ran = await c.report(['-i', FIXTURE, '-o', c.out, ...GEN()]);
    const n = c.fs.readdirSync(join(c.dir, 'outside')).length;
    return { ran, folder: n ? `**files outside --out**: ${n}` : 'nothing outside --out' };
  } },
  { id: '10a', title: 'loss 1e999, val_accuracy -1e999, --fail-on nan', run: async (c) => {
    const ran = await c.report(['-i', resolve('fixtures/bad/overflow-metrics.jsonl'), '-o', c.out, '-f', 'json', '--fail-on', 'nan', ...GEN()]);
    return { ran, wrong: ran.code === 0 ? 'passes --fail-on nan' : null };
  } },
  { id: '10b', title: 'UTF-16LE file with a BOM (PowerShell 5 >)', run: async (c) => {
    const text = readFileSync(FIXTURE, 'utf8').replace(/\n/g, '\r\n');
    c.fs.writeFileSync(join(c.dir, 'ps.log'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const ran = await c.report(['-i', join(c.dir, 'ps.log'), '-o', c.out, '-f', 'json', ...GEN()]);
    return { ran, wrong: /98 recognised/.test(ran.stderr) ? null : 'not read as text', said: /98 recognised/.test(ran.stderr) ? '98 of 98 lines recognised' : undefined };
  } },
  { id: '10c', title: 'U+202E in a run id', run: async (c) => {
    c.fs.writeFileSync(join(c.dir, 'rtl.jsonl'), jsonl(events().map((e) => ({ ...e, run_id: 'abc\u202Egpj.exe' }))));
    const ran = await c.report(['-i', join(c.dir, 'rtl.jsonl'), '-o', c.out, '--run', 'all', '-f', 'md', ...GEN()]);
    const md = existsSync(join(c.out, 'index.md')) ? readFileSync(join(c.out, 'index.md'), 'utf8') : '';
    const raw = [ran.stderr.includes('\u202E') && 'stderr', md.includes('\u202E') && 'index.md'].filter(Boolean);
    return { ran, wrong: raw.length ? `U+202E unescaped in ${raw.join(', ')}` : null, said: raw.length ? 'the override reaches the terminal' : 'escaped as \\u202e' };
  } },
];
