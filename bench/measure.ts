// Whole-process measurement for the benches: wall time from here, peak RSS from
// GNU time (/usr/bin/time) when the machine has it, else from the child's own
// process.resourceUsage() (node children only), and medians over repeated runs.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { delimiter, dirname } from 'node:path';

/** cpuMs: the child's user + system CPU time (from GNU time; null without it). */
export interface Measure { wallMs: number; rssMb: number | null; cpuMs: number | null; code: number | null; err: string }

const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
export const RSS_SOURCE = timeBin ?? "the child's process.resourceUsage()";

/** Prints the process' peak RSS and CPU time at its exit, for a node child when GNU time is missing. */
const EXIT_USAGE = "data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write(`\\nBENCH_RSS_KB=${u.maxRSS} BENCH_CPU_S=${u.userCPUTime/1e6} ${u.systemCPUTime/1e6}\\n`)})";

/**
 * Run `cmd argv` once, its stdout discarded (as `> /dev/null`). `cmd` is node, a program, or a
 * node script run as a command (a bin: .js/.cjs/.mjs), which finds node on PATH as a user's
 * shell does, and gets this node's folder first on it.
 */
export function measureCommand(cmd: string, argv: string[], cwd: string): Measure {
  const node = cmd === process.execPath;
  const script = /\.[cm]?js$/.test(cmd);
  const env = script ? { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` } : process.env;
  // without GNU time a node child reports its own usage: through --import, or NODE_OPTIONS for a bin
  if (!timeBin && script) env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import=${EXIT_USAGE.replaceAll(' ', '%20')}`.trim();
  const t0 = performance.now();
  const child = timeBin
    ? spawnSync(timeBin, ['-f', 'BENCH_RSS_KB=%M BENCH_CPU_S=%U %S', cmd, ...argv], { encoding: 'utf8', maxBuffer: 1 << 26, cwd, env, stdio: ['ignore', 'ignore', 'pipe'] })
    : spawnSync(cmd, node ? ['--import', EXIT_USAGE, ...argv] : argv, { encoding: 'utf8', maxBuffer: 1 << 26, cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const wallMs = performance.now() - t0;
  const stderr = child.stderr ?? '';
  const kb = /BENCH_RSS_KB=(\d+)/.exec(stderr)?.[1];
  const cpu = /BENCH_CPU_S=([\d.]+) ([\d.]+)/.exec(stderr);
  const err = stderr.replace(/BENCH_RSS_KB=\d+( BENCH_CPU_S=[\d.]+ [\d.]+)?\s*/, '').trim().split('\n').slice(-1)[0] ?? String(child.error ?? '');
  return { wallMs, rssMb: kb ? Number(kb) / 1024 : null, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : null, code: child.status, err };
}

/** `node argv` once. */
export const measure = (argv: string[], cwd: string): Measure => measureCommand(process.execPath, argv, cwd);

/** The run of median wall time (the upper middle one of an even count). */
export function median(ms: Measure[]): Measure {
  const sorted = [...ms].sort((a, b) => a.wallMs - b.wallMs);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The median of `xs` as median() takes it (the upper middle one of an even count), or null for none. */
export function medianOf(xs: number[]): number | null {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : null;
}

export const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');
