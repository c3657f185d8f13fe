// bench:runs — `mnist-report --run all` over a file of many runs: does peak memory grow with
// the number of runs rendered? (issue 12: 10,000 runs reached 824 MB.)
//
//   Files of N runs each (bench/gen-runs.ts: 97 events a run, numbers differing from run to run);
//   --run all -f json at 1,000 and 10,000 runs, and with the default formats (md, html, json, SVG
//   and PNG charts) at two smaller sizes that fit the time. For each pair: wall time, CPU time,
//   peak RSS, and the ratio of the larger's peak to the smaller's (1.00 = flat). The anchor of
//   each row is the same command on the smaller file, measured in the same run.
//
//   npm run build && npm run bench:runs [-- --json 1000,10000] [--default 50,200] [--bin OTHER/dist/cli/report.cjs]
//   (--bin: another build, e.g. main's, for a before/after in the same sitting)

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupRun } from './gen-runs.js';
import { load } from './measure.js';

const arg = (name: string, dflt: string): number[] => {
  const i = process.argv.indexOf(name);
  return (i > 0 ? process.argv[i + 1]! : dflt).split(',').map(Number);
};
const BIN = (() => {
  const i = process.argv.indexOf('--bin');
  return i > 0 ? process.argv[i + 1]! : 'dist/cli/report.cjs';
})();
const TIME = '/usr/bin/time';
if (!existsSync(BIN) || !existsSync(TIME)) {
  process.stderr.write(`bench:runs: needs ${BIN} (npm run build) and GNU time at ${TIME}\n`);
  process.exit(2);
}

interface Ran { wallS: number; cpuS: number; rssMb: number; code: number | null; reports: number }

/** One process under GNU time; its stderr is counted, not kept (10,000 progress lines). */
function measure(args: string[]): Promise<Ran> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(TIME, ['-f', 'BENCH %M %U %S', process.execPath, BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let tail = '';
    let reports = 0;
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      reports += (d.match(/wrote \d+ files to /g) ?? []).length;
      tail = (tail + d).slice(-400);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const m = /BENCH (\d+) ([\d.]+) ([\d.]+)/.exec(tail);
      resolve({ wallS: (performance.now() - t0) / 1000, cpuS: m ? Number(m[2]) + Number(m[3]) : NaN, rssMb: m ? Number(m[1]) / 1024 : NaN, code, reports });
    });
  });
}

const tmp = await mkdtemp(join(tmpdir(), 'bench-runs-'));
const files = new Map<number, string>();
async function fileOf(n: number): Promise<string> {
  let path = files.get(n);
  if (!path) {
    path = join(tmp, `runs-${n}.jsonl`);
    const lines: string[] = [];
    for (let i = 0; i < n; i++) for (const e of groupRun(i, Date.UTC(2026, 10, 1) + i * 60_000)) lines.push(e.message);
    await writeFile(path, lines.join('\n') + '\n');
    files.set(n, path);
  }
  return path;
}

console.log(`# bench:runs (${BIN}; node ${process.version}; load ${load()})\n`);
console.log('formats | runs | wall s | CPU s (user+sys) | MB peak RSS | exit | reports written | load');
console.log('--- | ---: | ---: | ---: | ---: | ---: | ---: | ---');
const verdicts: string[] = [];
for (const [label, sizes, format] of [['-f json', arg('--json', '1000,10000'), ['-f', 'json']], ['md, html, json + charts', arg('--default', '50,200'), []]] as const) {
  const ran: { n: number; r: Ran }[] = [];
  for (const n of sizes) {
    const r = await measure(['-i', await fileOf(n), '--run', 'all', ...format, '-o', join(tmp, `out-${n}-${format.length}`), '--generated-at', '2026-11-24T00:00:00Z']);
    console.log(`${label} | ${n} | ${r.wallS.toFixed(2)} | ${r.cpuS.toFixed(2)} | ${r.rssMb.toFixed(0)} | ${r.code} | ${r.reports} | ${load()}`);
    ran.push({ n, r });
    await rm(join(tmp, `out-${n}-${format.length}`), { recursive: true, force: true });
  }
  const [a, b] = [ran[0]!, ran.at(-1)!];
  verdicts.push(`${label}: ${a.n} → ${b.n} runs, peak RSS ${a.r.rssMb.toFixed(0)} → ${b.r.rssMb.toFixed(0)} MB (x${(b.r.rssMb / a.r.rssMb).toFixed(2)}), ` +
    `${(1000 * a.r.cpuS / a.n).toFixed(0)} → ${(1000 * b.r.cpuS / b.n).toFixed(0)} ms CPU a run`);
}
console.log(`\n${verdicts.map((v) => `- ${v}`).join('\n')}\n\nload now ${load()}`);
await rm(tmp, { recursive: true, force: true });
