// A bin started in the background (the built dist/ bins), for tests that act while it runs
// (--follow): its stderr so far, its exit, and a wait for a stderr line rather than for a time.

import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from './cloudwatch-cli.js';

export interface Proc { child: ChildProcess; stderr: () => string; done: Promise<number | null>; waitFor: (re: RegExp) => Promise<void> }

export function start(bin: string, args: string[], env: NodeJS.ProcessEnv = process.env): Proc {
  const child = spawn(process.execPath, [bin, ...args], { cwd: ROOT, env: { ...env, SOURCE_DATE_EPOCH: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  child.stdout!.resume();
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err += d;
    for (const w of waiters.splice(0)) if (w.re.test(err)) w.resolve(); else waiters.push(w);
  });
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child, stderr: () => err, done,
    waitFor: (re) => new Promise<void>((resolve, reject) => {
      if (re.test(err)) return resolve();
      waiters.push({ re, resolve });
      void done.then(() => (re.test(err) ? resolve() : reject(new Error(`exited before ${re}: ${err}`))));
    }),
  };
}
