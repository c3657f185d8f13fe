// bench:bad-inputs — every case of issue 12 (bad input, unusable --out, signals, sanitised names,
// wrong answers), run against the bins given (--bin: e.g. a build of the commit before the fix) with a
// timeout each, and classified: exit code, stack trace or not, hang (killed at the timeout) or not,
// peak RSS, and where it matters, whether the report folder is whole, untouched, or mixed/partial.
// Prints a Markdown table and the totals the issue asks for (0 stack traces, 0 hangs, 0 mixed folders).
// Mounts (full disk, read-only) and chattr +i need root; without them the row says why it was skipped.
//
//   npm run build && npm run bench:bad-inputs [-- --bin OTHER/dist/cli/report.cjs] [--only 3a,9c] [--json rows.json]
//   npm run bench:bad-inputs -- --merge before.json after.json     # one table: case | before | after

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { load } from './measure.js';
import { CASES, type Ctx, type Ran } from './bad-inputs-cases.js';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const BIN = resolve(arg('--bin', 'dist/cli/report.cjs'));
const TRAIN = join(dirname(BIN), 'train.js');
const ONLY = arg('--only', '').split(',').filter(Boolean);
const JSON_OUT = arg('--json', '');
interface Row { id: string; title: string; cell: string; row: string; flags: { stack: boolean; hang: boolean; mixed: boolean; wrong: boolean; skipped: boolean; covered: boolean } }
if (process.argv.includes('--merge')) {
  // --merge BEFORE.json AFTER.json: one table, case | before | after, from two --json runs
  const i = process.argv.indexOf('--merge');
  const [a, b] = [process.argv[i + 1]!, process.argv[i + 2]!].map((f) => JSON.parse(readFileSync(f, 'utf8')) as { bin: string; rows: Row[]; totals: string });
  console.log(`case | before (${a!.bin}) | after (${b!.bin})\n--- | --- | ---`);
  for (const r of a!.rows) console.log(`${r.id} ${r.title} | ${r.cell} | ${b!.rows.find((x) => x.id === r.id)?.cell ?? 'not run'}`);
  console.log(`**matrix** | ${a!.totals} | ${b!.totals}`);
  process.exit(0);
}
if (!existsSync(BIN) || !existsSync('/usr/bin/time')) {
  process.stderr.write(`bench:bad-inputs: needs ${BIN} (npm run build) and GNU time at /usr/bin/time\n`);
  process.exit(2);
}

/** A stack trace, a V8 fatal error (its native stack), or an uncaught error's source line with its caret. */
const STACK = /^\s+at .+:\d+:\d+\)?$|FATAL ERROR|Fatal (JavaScript|error)|Native stack trace|^\s*\^+\s*$/m;

/**
 * One process under GNU time (for its peak RSS). stdin is closed (`<&-`) or /dev/null; `onStderr` may
 * send it a signal. At the timeout the process (the child of time) is killed: a hang.
 */
function run(bin: string, args: string[], opts: { env?: Record<string, string>; timeoutS: number; closedStdin?: boolean; cwd?: string;
  onStart?: (signal: (s: NodeJS.Signals) => void) => void }): Promise<Ran> {
  const t0 = performance.now();
  const argv = ['-f', 'BADIN_RSS_KB=%M', process.execPath, bin, ...args];
  const child = opts.closedStdin
    ? spawn('sh', ['-c', 'exec "$@" <&-', 'sh', '/usr/bin/time', ...argv], { env: { ...process.env, SOURCE_DATE_EPOCH: '', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'], cwd: opts.cwd })
    : spawn('/usr/bin/time', argv, { env: { ...process.env, SOURCE_DATE_EPOCH: '', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'], cwd: opts.cwd });
  // the node process is time's only child: signals go to it, by its parent's pid
  const signal = (s: NodeJS.Signals): void => {
    try {
      // at once, not through a spawned pkill (~10 ms): the SIGTERM trials aim at a window of milliseconds
      for (const pid of readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').split(' ').filter(Boolean)) process.kill(Number(pid), s);
    } catch { /* already gone */ }
  };
  let stdout = '';
  let stderr = '';
  let tail = ''; // GNU time's line comes last, after up to 10,000 progress lines
  let wrote = 0;
  let hung = false;
  const timer = setTimeout(() => { hung = true; signal('SIGKILL'); }, opts.timeoutS * 1000);
  child.stdout.setEncoding('utf8').on('data', (d: string) => { if (stdout.length < 1 << 20) stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    if (stderr.length < 1 << 20) stderr += d;
    wrote += (d.match(/wrote \d+ files to /g) ?? []).length;
    tail = (tail + d).slice(-4096);
  });
  opts.onStart?.(signal);
  return new Promise((done) => child.on('close', (code) => {
    clearTimeout(timer);
    const kb = /BADIN_RSS_KB=(\d+)/.exec(tail)?.[1];
    stderr = stderr.replace(/(Command (exited with non-zero status|terminated by signal) \d+\n)?BADIN_RSS_KB=\d+\s*$/, '');
    done({ code: hung ? null : code, hung, stdout, stderr, wrote, rssMb: kb ? Number(kb) / 1024 : null, wallS: (performance.now() - t0) / 1000,
      stack: STACK.test(stderr) });
  }));
}

/** stderr lines that are not progress: what the user is told went wrong. */
const problems = (stderr: string): string[] => stderr.split('\n').filter((l) => l.trim() &&
  !/^mnist-(report|train): (reading |[\d,]+ records?|wrote |verdict for run |The quality gate |run |backend|epoch |evaluat|tfjs|wasm|cpu)/.test(l));

console.log(`# issue 12 cases (${BIN}; node ${process.version}; load ${load()})\n`);
console.log('case | exit | stack trace | hang | MB peak | folder | what happened');
console.log('--- | ---: | --- | --- | ---: | --- | ---');
const root = mkdtempSync(join(tmpdir(), 'bench-bad-inputs-'));
// with --only and an existing --json file, the rows run now replace theirs in it (a case re-run)
const rows: Row[] = JSON_OUT && ONLY.length && existsSync(JSON_OUT) ? (JSON.parse(readFileSync(JSON_OUT, 'utf8')) as { rows: Row[] }).rows : [];
for (const c of CASES) {
  if (ONLY.length && !ONLY.includes(c.id)) continue;
  const dir = join(root, c.id);
  mkdirSync(dir);
  const ctx: Ctx = { dir, out: join(dir, 'out'), report: (args, o = {}) => run(BIN, args, { timeoutS: 30, ...o }),
    train: (args, o = {}) => run(TRAIN, args, { timeoutS: 120, ...o }), cleanups: [], fs: { mkdirSync, writeFileSync, symlinkSync, readdirSync } };
  const flags = { stack: false, hang: false, mixed: false, wrong: false, skipped: false, covered: false };
  let row: string;
  let cell: string;
  try {
    const r = await c.run(ctx);
    if (typeof r === 'string') {
      flags[r.startsWith('covered') ? 'covered' : 'skipped'] = true;
      row = `${c.id} ${c.title} | | | | | | ${r}`;
      cell = r;
    } else {
      const runs = Array.isArray(r.ran) ? r.ran : [r.ran];
      flags.stack = runs.some((x) => x.stack);
      flags.hang = runs.some((x) => x.hung);
      flags.mixed = r.folder?.includes('**') ?? false; // the cases mark a mixed, partial or outside folder in bold
      flags.wrong = Boolean(r.wrong);
      const rss = Math.max(...runs.map((x) => x.rssMb ?? 0));
      const exits = [...new Set(runs.map((x) => (x.hung ? 'killed' : String(x.code))))].join(', ');
      const lines = problems(runs.at(-1)!.stderr);
      const said = (r.said ?? (lines.length ? `${lines.length} line${lines.length > 1 ? 's' : ''}: ${lines[0]!.slice(0, 140)}` : 'no message')).split(root).join('$T');
      const secs = runs.reduce((t, x) => t + x.wallS, 0);
      row = `${c.id} ${c.title} | ${exits} | ${flags.stack ? '**yes**' : 'no'} | ${flags.hang ? `**yes** (killed at ${runs.find((x) => x.hung)!.wallS.toFixed(0)} s)` : `no (${secs.toFixed(1)} s)`} | ` +
        `${rss ? rss.toFixed(0) : '?'} | ${r.folder ?? '—'} | ${r.wrong ? `**wrong**: ${r.wrong}; ` : ''}${said.replace(/\|/g, '\\|')}`;
      cell = [`exit ${exits}`, flags.stack && '**stack trace**', flags.hang && '**hang**', `${rss ? rss.toFixed(0) : '?'} MB`, r.folder, r.wrong && `**wrong**: ${r.wrong}`]
        .filter(Boolean).join(', ') + `; ${said.replace(/^mnist-(report|train): /, '').replace(/\|/g, '\\|').slice(0, 90)}`;
    }
  } catch (err) {
    row = `${c.id} ${c.title} | | | | | | bench error: ${(err as Error).message.split('\n')[0]}`;
    cell = 'bench error';
  } finally {
    for (const undo of ctx.cleanups.reverse()) {
      try { undo(); } catch { /* best effort: the next cleanup still runs */ }
    }
    rmSync(dir, { recursive: true, force: true });
  }
  const at = rows.findIndex((x) => x.id === c.id);
  const entry = { id: c.id, title: c.title, cell, row, flags };
  if (at >= 0) rows[at] = entry;
  else rows.push(entry);
}
rmSync(root, { recursive: true, force: true });
rows.sort((a, b) => CASES.findIndex((c) => c.id === a.id) - CASES.findIndex((c) => c.id === b.id));
for (const r of rows) console.log(r.row);
const count = (k: keyof Row['flags']): number => rows.filter((r) => r.flags[k]).length;
const matrix = `${count('stack')} stack traces, ${count('hang')} hangs, ${count('mixed')} mixed, partial or outside-\`--out\` folders, ${count('wrong')} wrong answers`;
console.log(`\nOf ${rows.length} cases: **${matrix}**; ${count('covered')} covered by a test only, ${count('skipped')} skipped. Load now ${load()}.`);
if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify({ bin: BIN, rows, totals: matrix }, null, 1));
