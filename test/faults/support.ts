// Helpers for the fault matrix (issue 12): hostile inputs, unusable --out targets,
// full and read-only disks. Disks are small tmpfs mounts; where mounting is refused
// (not root, or a container without CAP_SYS_ADMIN) the tests that need one skip
// and say so.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST_BIN, runReport, type CliResult } from '../e2e/report-cli.js';

export const FIXTURE = 'fixtures/mnist-train-5epochs.jsonl';
export const RUN = '20261130T070537Z-f4b168';
export const GEN = (t = '2026-11-24T00:00:00Z') => ['--generated-at', t];

/** The built bin (`npm test` builds first): a spawn is ~0.2 s instead of ~1.5 s through tsx. */
export const report = (args: string[], opts: { stdin?: string | Buffer; env?: Record<string, string> } = {}): Promise<CliResult> =>
  runReport(args, { ...opts, bin: DIST_BIN });

export function tempDir(t: { after: (fn: () => void) => void }, prefix = 'mnist-faults-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => execFileSync('rm', ['-rf', dir]));
  return dir;
}

/** `sh -c script` with its $0, $1… (for redirections a spawn cannot make, such as a closed stdin). */
export function shell(script: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * `chattr +i` on a path, returning the undo (call it in a finally: after-hooks run in the order
 * added, so tempDir's rm -rf would come first), or null with the reason where it is refused.
 */
export function immutable(t: { skip: (why: string) => void }, path: string): (() => void) | null {
  try {
    execFileSync('chattr', ['+i', path], { stdio: 'pipe' });
  } catch (e) {
    const why = `chattr +i refused here (${String((e as { stderr?: Buffer }).stderr ?? e).trim().split('\n')[0]}); needs root on a filesystem with the immutable attribute`;
    process.stderr.write(`# skipped: ${why}\n`);
    t.skip(why);
    return null;
  }
  return () => execFileSync('chattr', ['-i', path]);
}

/** Exit code and one line on stderr that is not progress, no stack trace. */
export function oneLineError(r: CliResult, code: number, pattern: RegExp): void {
  assert.doesNotMatch(r.stderr, /\n\s+at /, `no stack trace:\n${r.stderr}`);
  assert.equal(r.code, code, r.stderr);
  const problems = r.stderr.split('\n').filter((l) => l.trim() && !/^mnist-report: (reading|[\d,]+ records?|wrote |verdict for run |The quality gate passed)/.test(l));
  assert.equal(problems.length, 1, `one line:\n${r.stderr}`);
  assert.match(problems[0]!, pattern);
}

/** A tmpfs of `size` at a new folder, or null (with the reason) where mounting is refused. */
export function tmpfs(t: { after: (fn: () => void) => void; skip: (why: string) => void }, size: string): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'mnist-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    rmdirSync(dir);
    t.skip(`mount -t tmpfs refused here (${String((e as { stderr?: Buffer }).stderr ?? e).trim().split('\n')[0]}); needs root with CAP_SYS_ADMIN`);
    return null;
  }
  t.after(() => {
    execFileSync('umount', ['-l', dir]);
    rmdirSync(dir);
  });
  return dir;
}

export function remountReadOnly(dir: string): void {
  execFileSync('mount', ['-o', 'remount,ro', dir]);
}

/** Fill a disk with one file until writes fail, leaving `room` bytes (roughly). */
export function fill(dir: string, room = 0): void {
  const free = (): number => Number(execFileSync('df', ['-B1', '--output=avail', dir]).toString().split('\n')[1]);
  mkdirSync(join(dir, 'filler'), { recursive: true });
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${join(dir, 'filler', 'zeros')}`, 'bs=1024', `count=${Math.max(0, Math.floor((free() - room) / 1024))}`], { stdio: 'ignore' });
  } catch { /* full: that was the point */ }
}

/** Every entry of a folder with the bytes of each file (a snapshot to compare). */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    out[name] = statSync(p).isDirectory() ? '<dir>' : readFileSync(p).toString('base64');
  }
  return out;
}

/** Temporaries of the folder writer (.<name>.tmp-… / .old-…) left in --out. */
export function temporaries(out: string): string[] {
  return readdirSync(out).filter((n) => /\.(tmp|old)-\d+/.test(n) || n.startsWith('.mnist-report-probe'));
}

/** The generation time each text file of a report folder says: one value means one whole report. */
export function generationTimes(folder: string): Set<string> {
  const times = new Set<string>();
  for (const name of ['report.md', 'report.html', 'report.json']) {
    const text = readFileSync(join(folder, name), 'utf8');
    const m = /(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)/.exec(text.slice(text.indexOf('enerated')));
    times.add(m?.[1] ?? `${name}: none`);
  }
  return times;
}
