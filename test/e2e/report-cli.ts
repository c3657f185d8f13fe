// Spawns the real mnist-report CLI (src/cli/report.ts through tsx, so the test
// needs no build; or the built bin, with `bin: DIST_BIN`) and collects exit code,
// stdout and stderr.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { REPORT_BIN, ROOT, runNode, type Ran } from '../support/cloudwatch-cli.js';

export { ROOT };
const CLI = join(ROOT, 'src/cli/report.ts');
/** The bin `npm run build` makes (the bundle with its code cache). */
export const DIST_BIN = REPORT_BIN;

/** The --generated-at of `npm start` (package.json), which wrote the committed reports/: one place for it. */
export const EXAMPLE_GENERATED_AT: string = (() => {
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
  return /--generated-at (\S+)/.exec(start)![1]!;
})();
export type CliResult = Ran;

export function runReport(args: string[], opts: { stdin?: string | Buffer; env?: Record<string, string>; bin?: string } = {}): Promise<Ran> {
  const argv = opts.bin ? [opts.bin, ...args] : ['--import', 'tsx', CLI, ...args];
  return runNode(argv, { ...process.env, SOURCE_DATE_EPOCH: '', ...opts.env }, { stdin: opts.stdin ?? '' });
}

const sandboxes: string[] = [];
// each test file runs in a process of its own: its sandboxes go when it ends
process.on('exit', () => {
  for (const dir of sandboxes) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp folder, removed when the test file's process ends; the report goes to <it>/out so that anything written beside out is visible. */
export function sandbox(): { dir: string; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mnist-report-e2e-'));
  sandboxes.push(dir);
  return { dir, out: join(dir, 'out') };
}

/** Every file under dir, relative, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}
