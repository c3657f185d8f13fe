// Spawning node on a bin (the built dist/cli/train.js and dist/cli/report.cjs, or a
// source file through tsx) and collecting its output: the CloudWatch tests run the
// bins against the CloudWatch test server; test/e2e/report-cli.ts builds on runNode.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const TRAIN_BIN = `${ROOT}dist/cli/train.js`;
export const REPORT_BIN = `${ROOT}dist/cli/report.cjs`;

export interface Ran { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Run a bin to completion; `onStdout` sees stdout as it arrives (e.g. to send a signal). */
export function runBin(bin: string, args: string[], env: NodeJS.ProcessEnv, onStdout?: (soFar: string, child: ChildProcess) => void): Promise<Ran> {
  return runNode([bin, ...args], env, { onStdout });
}

type RunOptions = { stdin?: string | Buffer; onStdout?: (soFar: string, child: ChildProcess) => void };

/** `node argv…` in the repository to completion; stdin gets `stdin` (then EOF), or nothing at all when it is not given. */
export function runNode(argv: string[], env: NodeJS.ProcessEnv, opts: RunOptions = {}): Promise<Ran> {
  return runProgram(process.execPath, argv, env, opts);
}

/** `program argv…` in the repository to completion, as runNode (a bin run as a command: its shebang picks the interpreter). */
export function runProgram(program: string, argv: string[], env: NodeJS.ProcessEnv, opts: RunOptions = {}): Promise<Ran> {
  const { stdin, onStdout } = opts;
  return new Promise((resolve, reject) => {
    const child = spawn(program, argv, { env, cwd: ROOT, stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; onStdout?.(stdout, child); });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    if (stdin !== undefined) child.stdin!.end(stdin);
  });
}

/** stderr lines that are not progress: what a user is told went wrong. */
export function problemLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() && !/^mnist-report: (cloudwatch: |reading cloudwatch:)/.test(l));
}
