// The report writer: the only place the report side writes files, and what
// --follow re-renders through. The unit of atomicity is a run's folder:
//
//   openReportWriter(out)   before any input is read: --out made one level at a time and
//                           probed with a temp folder (then the folders it made are removed
//                           again, so a bad input leaves nothing behind), temporaries of
//                           dead writers cleaned
//   placeRun(slug, run)     the folder for a run: <slug>, or <slug>-2, … when <slug> holds another run's
//                           report (run-folder.ts)
//   writeRun(name, files)   .<name>.tmp-<pid>-<n>/ filled (plus files of others carried over)
//                           ──▶ old <name> renamed to .<name>.old-<pid>-<n> ──▶ temp renamed to <name>
//                           ──▶ old one removed
//   writeTop(files)         <out>/index.*: each file replaced through a temp file and a rename
//   abandon()               synchronous, for a signal: this process's temporaries removed
//   abandonTemporaries()    the same before a writer exists (a signal during the probe)
//
// So <out>/<name> is at every moment the old whole report, the new whole report, or
// (between the two renames, or after a crash there until the next run restores it)
// absent; never a mix. Two writers each rename whole folders, so neither can mix the
// other's files in. Only real folders are replaced: a symbolic link or a file where
// a run folder or one of our files belongs is refused, so nothing leaves --out.

import { lstatSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cp, lstat, readdir, realpath, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { describeFsError, exists, makeDirs, replaceFile, retryWhileVanished } from '../atomic-write.js';
import { IoError, UserError } from '../errors.js';
import type { OutputFile, ReportFiles } from './report.js';
import { placeRun, type ReportedRun, type RunPlace } from './run-folder.js';

export interface ReportWriter {
  /** --out as given (for messages). */
  readonly out: string;
  /** The folder `run` is written to: `slug`, or the next name free of other runs' reports (run-folder.ts). */
  placeRun(slug: string, run: ReportedRun): Promise<RunPlace>;
  /**
   * Replace <out>/<folder> with a folder holding exactly `files` (and any files not ours that were there).
   * Files still being made (ReportFiles' `later`, a report's PNGs) are written once they are, the others meanwhile.
   */
  writeRun(folder: string, files: OutputFile[] | ReportFiles, hooks?: WriteHooks): Promise<void>;
  /** Write files at the top of --out (the --run all index), each replaced atomically. */
  writeTop(files: OutputFile[]): Promise<void>;
  /** Remove this process's temporaries now (signal handlers; synchronous). */
  abandon(): void;
}

/** Test seam: runs between filling the temp folder and swapping it in. */
export interface WriteHooks {
  beforeSwap?: () => Promise<void> | void;
  /** After the new folder is in place, before the old one moved aside is removed (tests: a signal there). */
  afterSwap?: () => Promise<void> | void;
}

/** Names a report folder may hold that mnist-report writes; anything else in the folder is carried over. */
export type OwnedNames = readonly string[];

const TEMP = /^\.(.+)\.(tmp|old)-(\d+)-\d+$/;
const TOP_TEMP = /^index\.(md|html|json)\.tmp-(\d+)$/;
const PROBE = /^\.mnist-report-probe-(\d+)-\d+$/;
let seq = 0;
// This process's temporaries (probe and run folders) and old reports moved aside: what a
// signal handler must undo. Registered before the folder is made, so no moment is uncovered.
const active = new Set<string>();
const asides = new Map<string, string>();

/** Synchronous, for a signal handler: old reports put back where their place is empty, this process's temporaries removed. */
export function abandonTemporaries(): void {
  for (const [aside, target] of asides) {
    let placed = true;
    try { lstatSync(target); } catch { placed = false; }
    // the new report already in place: the old one moved aside is done with (a signal between the
    // swap and its removal left it behind); otherwise it goes back
    try {
      if (placed) rmSync(aside, { recursive: true, force: true, maxRetries: 2 });
      else renameSync(aside, target);
    } catch { /* next run restores or removes it (cleanStale) */ }
  }
  for (const p of active) {
    try { rmSync(p, { recursive: true, force: true, maxRetries: 2 }); } catch { /* a later run removes it (cleanStale) */ }
  }
}

/** Check --out before any input is read: made if missing, writable, stale temporaries gone. */
export async function openReportWriter(out: string, owned: OwnedNames, hooks: ProbeHooks = {}): Promise<ReportWriter> {
  const root = await usableRoot(out, hooks);
  await cleanStale(root);
  let made: Promise<unknown> | null = null;
  const ensureRoot = async (): Promise<void> => {
    try {
      await (made ??= makeDirs(root));
    } catch (err) {
      throw outError(out, err);
    }
  };
  const claimed = new Map<string, ReportedRun>();
  return {
    out,
    placeRun: (slug, run) => placeRun(root, slug, run, claimed).catch((err: unknown) => { throw outError(out, err); }),
    writeRun: async (folder, files, hooks) => {
      await ensureRoot();
      await writeRun(root, out, folder, files, owned, hooks);
    },
    writeTop: async (files) => {
      await ensureRoot();
      try {
        await Promise.all(files.map((f) => replaceFile(insideOut(root, f.name), f.data)));
      } catch (err) {
        throw outError(out, err);
      }
    },
    abandon: abandonTemporaries,
  };
}

/** Resolve `parts` under `root`; throws if the result would escape root. */
export function insideOut(root: string, ...parts: string[]): string {
  const base = resolve(root);
  const target = resolve(base, ...parts);
  // (the root folder, "/", ends with the separator already: -o / was refused as outside itself)
  if (target !== base && !target.startsWith(base.endsWith(sep) ? base : base + sep)) {
    throw new Error(`refusing to write outside the output folder: ${target}`);
  }
  return target;
}

/** Test seam for openReportWriter: runs once --out is made, before it is probed (tests: another process removing it there). */
export interface ProbeHooks { beforeProbe?: () => Promise<void> | void }

/**
 * --out made and probed. Another mnist-report that made the same folder (or a parent of it) a
 * moment ago removes it again after its own probe, if it is still empty: then it is made again
 * and probed once more (retryWhileVanished, as makeDirs does when a parent vanishes under it).
 */
async function usableRoot(out: string, hooks: ProbeHooks): Promise<string> {
  try {
    return await retryWhileVanished(() => probeRoot(out, hooks), async () => !(await exists(out)));
  } catch (err) {
    throw outError(out, err);
  }
}

async function probeRoot(out: string, hooks: ProbeHooks): Promise<string> {
  const created = await makeDirs(out);
  await hooks.beforeProbe?.();
  const root = await realpath(out);
  const probe = join(root, `.mnist-report-probe-${process.pid}-${seq++}`);
  // Synchronous: a signal handler runs only between these steps, never while the
  // folder is half made, so it always sees the probe in `active` or already gone.
  active.add(probe);
  try {
    mkdirSync(probe);
    writeFileSync(join(probe, 'probe'), 'mnist-report checks that --out can be written\n');
  } finally {
    rmSync(probe, { recursive: true, force: true });
    active.delete(probe);
  }
  // made again at the first write; one another writer has written in meanwhile is not empty, and stays
  for (const dir of created.reverse()) await rmdir(dir).catch(() => undefined);
  return root;
}

/** One line naming --out and what is wrong: exit 1 for a full disk or an I/O error, else exit 2. */
function outError(out: string, err: unknown, what = `--out ${out}`): Error {
  if (err instanceof UserError || err instanceof IoError) return err;
  const why = describeFsError(err);
  if (why === null) return err as Error;
  const code = (err as NodeJS.ErrnoException).code;
  const path = (err as NodeJS.ErrnoException).path;
  const where = path && resolve(path) !== resolve(out) ? ` (${path})` : '';
  const msg = `${what}: cannot write the report: ${why}${where}`;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'EIO' ? new IoError(msg, { cause: err }) : new UserError(msg, { cause: err });
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temporaries whose writer is gone: a new folder is removed, an old one put back if its place is empty. */
async function cleanStale(root: string): Promise<void> {
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const m = TEMP.exec(name);
    const top = TOP_TEMP.exec(name);
    const probe = PROBE.exec(name);
    if (top && !alive(Number(top[2]))) await rm(join(root, name), { force: true });
    if (probe && !alive(Number(probe[1]))) await rm(join(root, name), { recursive: true, force: true });
    if (!m || alive(Number(m[3]))) continue;
    const target = join(root, m[1]!);
    if (m[2] === 'old' && !(await exists(target))) await rename(join(root, name), target).catch(() => undefined);
    else await rm(join(root, name), { recursive: true, force: true });
  }
}

/** writeRun's mark for "no PNG failed" (an error can be any value). */
const NOT_FAILED = Symbol('not failed');

async function writeRun(root: string, out: string, folder: string, given: OutputFile[] | ReportFiles, owned: OwnedNames,
  hooks: WriteHooks = {}): Promise<void> {
  const { now: files, later } = Array.isArray(given) ? { now: given, later: null } : given;
  const target = insideOut(root, folder);
  if (dirname(target) !== root) throw new Error(`a run folder must sit directly in --out: ${folder}`);
  const shown = `${out}/${folder}`;
  const ours = new Set([...owned, ...files.map((f) => f.name)]);
  const old = await checkTarget(target, shown, ours);
  const n = `${process.pid}-${seq++}`;
  const tmp = join(root, `.${folder}.tmp-${n}`);
  const aside = join(root, `.${folder}.old-${n}`);
  active.add(tmp);
  // a PNG that could not be made fails as itself (resvg's error, whose `code`, e.g. GenericFailure, outError would take for --out's)
  let pngError: unknown = NOT_FAILED;
  try {
    await makeTemp(root, tmp);
    // A fresh folder: nothing in it can be a link placed by someone else. Written synchronously, as
    // the folder is made: a signal handler then runs between whole steps and never removes the folder
    // while libuv's pool is still creating files in it (written asynchronously, SIGTERM left
    // .<run>.tmp-<pid>-<n> behind: rmSync's retries ended before the pool's last writes). A report's
    // 19 files took 5-7 ms either way.
    for (const f of files) writeFileSync(insideOut(tmp, f.name), f.data, { flag: 'wx' });
    // the PNGs, once the worker has made them: the rest of the folder was written while it drew them
    const pngs = later ? await later.catch((err: unknown) => { pngError = err; throw err; }) : [];
    for (const f of pngs) {
      ours.add(f.name);
      writeFileSync(insideOut(tmp, f.name), f.data, { flag: 'wx' });
    }
    if (old) await carryOver(target, tmp, ours);
    await hooks.beforeSwap?.();
    await swapIn(tmp, target, aside, asides);
    await hooks.afterSwap?.();
  } catch (err) {
    // failed between the renames: put the old report back
    if ((await exists(aside)) && !(await exists(target))) await rename(aside, target).catch(() => undefined);
    throw err === pngError ? err : outError(out, err, shown);
  } finally {
    // Synchronous, and forgotten by the signal handler only once gone: removed asynchronously after
    // asides.delete(), a SIGTERM during the removal (libuv's pool deleting the old report's 19 files)
    // left .<run>.old-<pid>-<n> behind, the handler no longer knowing it (the signal test, CI)
    rmSync(tmp, { recursive: true, force: true });
    active.delete(tmp);
    rmSync(aside, { recursive: true, force: true });
    asides.delete(aside);
  }
}

/**
 * The run's temporary folder, made synchronously, as the probe: a signal sees it registered and
 * made, or not made. --out is made at the first write; if it is gone when a later one comes (removed
 * by someone, or by another mnist-report's probe that had made it), it is made again.
 */
async function makeTemp(root: string, tmp: string): Promise<void> {
  await retryWhileVanished(async (attempt) => {
    if (attempt > 1) await makeDirs(root);
    mkdirSync(tmp);
  }, async () => !(await exists(root)));
}

/** Whether a folder is there to replace; a file or link in its place, or a folder where one of our files goes, is refused. */
async function checkTarget(target: string, shown: string, ours: Set<string>): Promise<boolean> {
  const st = await lstat(target).catch(() => null);
  if (!st) return false;
  if (st.isSymbolicLink()) throw new UserError(`${shown} is a symbolic link; mnist-report replaces only real folders inside --out, so that nothing is written outside it (remove the link)`);
  if (!st.isDirectory()) throw new UserError(`${shown} is a file, not a report folder (move it away, or choose another --out)`);
  for (const name of await readdir(target)) {
    if (!ours.has(name)) continue;
    // a folder there would be lost with the old report (a link or a file is simply replaced)
    const s = await lstat(join(target, name)).catch(() => null);
    if (s?.isDirectory()) throw new UserError(`${shown}/${name} is a folder, where mnist-report writes a file (move it away)`);
  }
  return true;
}

/** Files someone else put in the run folder stay in it (links are copied as links, never followed). */
async function carryOver(from: string, to: string, ours: Set<string>): Promise<void> {
  const names = await readdir(from).catch(() => [] as string[]);
  for (const name of names.filter((n) => !ours.has(n))) {
    await cp(join(from, name), join(to, name), { recursive: true, verbatimSymlinks: true, errorOnExist: true, force: false })
      .catch((e: NodeJS.ErrnoException) => { if (e.code !== 'ENOENT') throw e; });
  }
}

/** rename(tmp → target) once the place is empty; another writer may fill it in between, so retry a few times. */
async function swapIn(tmp: string, target: string, aside: string, asides: Map<string, string>): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await rename(tmp, target);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
    }
    if (await exists(aside)) await rm(aside, { recursive: true, force: true });
    asides.set(aside, target);
    await rename(target, aside).catch((e: NodeJS.ErrnoException) => { if (e.code !== 'ENOENT') throw e; });
  }
  throw new UserError(`${target}: other writers kept replacing this folder; gave up after 20 attempts`);
}
