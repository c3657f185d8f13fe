// bench:report: whole-process wall time and peak RSS of `mnist-report` (the built
// bin, dist/cli/report.cjs: since the build bundles it with esbuild, that is the
// bundle) on the bundled fixture and on generated logs of 100k, 1M and 10M lines
// (the issue's: 5,000 batch_end per epoch, so 20, 200 and 2,000 epochs; and the same
// line counts at 200 epochs, to separate the log's length from the report's size),
// beside a floor: the same file read by a bare readline line counter. Also the same
// report with `-f json` (read, parse and analyse, no charts or templates), which
// shows what the log's length costs apart from the report's size, and the import
// cost of the heavy packages, to show where start-up time goes.
//
//   npm run build && npm run bench:report [-- --skip-10m] [--keep]

import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticLog } from './gen-log.js';
import { load, measure as measureNode, median, RSS_SOURCE, type Measure } from './measure.js';

const args = new Set(process.argv.slice(2));
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/cli/report.cjs');
const fixture = join(root, 'fixtures/cloudwatch-filter-log-events.json');
const counter = join(root, 'bench/count-lines.mjs');

const measure = (argv: string[]): Measure => measureNode(argv, root);

function repeat(n: number, argv: string[]): Measure {
  return median(Array.from({ length: n }, () => measure(argv)));
}

const say = (s: string) => process.stderr.write(`bench:report: ${s}\n`);

if (!existsSync(cli)) {
  process.stderr.write('bench:report: dist/cli/report.cjs is missing: run `npm run build` first\n');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'mnist-bench-'));
const out: string[] = [];
try {
  const inputs: { name: string; path: string; lines: number; epochs: number; runs: number }[] = [{ name: 'bundled fixture', path: fixture, lines: 0, epochs: 5, runs: 7 }];
  // The issue's logs: 5,000 batch_end per epoch, so 10x the lines is 10x the epochs
  // (and a report with 10x the table rows). Beside them the same line counts with
  // the epochs fixed at 200, which isolates what the log's length costs.
  const big = !args.has('--skip-10m');
  type Size = [name: string, epochs: number, batchesPerEpoch: number];
  const issueSizes: Size[] = [['100k lines', 20, 5000], ['1M lines', 200, 5000], ...(big ? [['10M lines', 2000, 5000] as Size] : [])];
  const sizes: Size[] = [...issueSizes, ['100k lines, 200 epochs', 200, 500], ...(big ? [['10M lines, 200 epochs', 200, 50_000] as Size] : [])];
  for (const [name, epochs, batches] of sizes) {
    const path = join(dir, `${name.replace(/\W+/g, '-')}.jsonl`);
    say(`generating ${name} ...`);
    const lines = await writeSyntheticLog(path, epochs, batches);
    inputs.push({ name, path, lines, epochs, runs: lines <= 200_000 ? 3 : 1 });
  }

  out.push('# bench:report (whole process: node start-up, read, parse, analyse, render md/html/json + SVG/PNG charts, write)');
  out.push(`node ${process.version}; ${availableParallelism()} cores; peak RSS from ${RSS_SOURCE}; medians of the runs shown`);
  out.push('');
  out.push('input | lines | epochs | MB | runs | floor: readline count (s / MB RSS) | mnist-report (s / MB RSS) | mnist-report -f json (s / MB RSS) | load');
  out.push('--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---');
  const results: Record<string, Measure> = {};
  const jsonResults: Record<string, Measure> = {};
  const floors: Record<string, Measure> = {};
  for (const input of inputs) {
    say(`${input.name}: floor, report, report -f json (load ${load()}) ...`);
    const floor = repeat(input.runs, [counter, input.path]);
    const ours = repeat(input.runs, [cli, '--input', input.path, '--out', join(dir, 'out'), '--generated-at', '2026-11-24T00:00:00Z']);
    const json = repeat(input.runs, [cli, '--input', input.path, '--out', join(dir, 'out-json'), '--format', 'json', '--generated-at', '2026-11-24T00:00:00Z']);
    results[input.name] = ours;
    floors[input.name] = floor;
    jsonResults[input.name] = json;
    const mb = statSync(input.path).size / 1e6;
    out.push([input.name, input.lines ? input.lines.toLocaleString('en-US') : 'fixture', input.epochs.toLocaleString('en-US'), mb.toFixed(1), input.runs,
      cell(floor), cell(ours), cell(json), load()].join(' | '));
  }
  out.push('');

  out.push('## Targets');
  const fx = results['bundled fixture'];
  const m1 = results['1M lines'];
  out.push(`- bundled fixture <= 350 ms whole process: ${verdict(fx, (m) => m.wallMs <= 350)} (${fmt(fx)})`);
  out.push(`- 1M lines <= 2 s and peak RSS <= 150 MB: ${verdict(m1, (m) => m.wallMs <= 2000 && (m.rssMb ?? Infinity) <= 150)} (${fmt(m1)})`);
  const series = (names: string[], what: Record<string, Measure>) => names.map((n) => what[n]?.rssMb).filter((r): r is number => typeof r === 'number');
  const growth = (label: string, names: string[]) => {
    const [rss, json, floor] = [series(names, results), series(names, jsonResults), series(names, floors)];
    if (rss.length < 2) return;
    const mb = (rs: number[]) => `${rs.map((r) => r.toFixed(0)).join(' -> ')} MB (x${(rs[rs.length - 1]! / rs[0]!).toFixed(2)})`;
    out.push(`- RSS flat, ${label}: mnist-report ${mb(rss)}; -f json (no charts or templates) ${mb(json)}; floor ${mb(floor)}`);
  };
  growth(`the issue's logs (${issueSizes.map(([n, e]) => `${n}: ${e} epochs`).join(', ')})`, issueSizes.map(([n]) => n));
  growth('lines alone (200 epochs each: 100k, 1M, 10M lines)', ['100k lines, 200 epochs', '1M lines', '10M lines, 200 epochs']);
  out.push('');
  out.push('## Import cost (median of 3 processes, minus a bare `node -e ""`)');
  out.push(...importCosts());
} finally {
  if (args.has('--keep')) say(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`${out.join('\n')}\n`);

function cell(m: Measure): string {
  if (m.code !== 0) return `exit ${m.code}: ${m.err.slice(0, 80)}`;
  return `${(m.wallMs / 1000).toFixed(3)} / ${m.rssMb?.toFixed(0) ?? '?'}`;
}
function fmt(m: Measure | undefined): string {
  return m ? `${m.wallMs.toFixed(0)} ms, ${m.rssMb?.toFixed(0) ?? '?'} MB, exit ${m.code}` : 'not measured';
}
function verdict(m: Measure | undefined, ok: (m: Measure) => boolean): string {
  if (!m) return 'NOT MEASURED';
  if (m.code !== 0) return `FAILED (exit ${m.code})`;
  return ok(m) ? 'MET' : 'NOT MET';
}

function importCosts(): string[] {
  const bare = repeat(3, ['-e', '']).wallMs;
  const pkgs = ['handlebars', 'vega', 'vega-lite', '@resvg/resvg-js', '@aws-sdk/client-cloudwatch-logs', '@tensorflow/tfjs', 'yargs'];
  const rows = [`- bare node: ${bare.toFixed(0)} ms`];
  for (const p of pkgs) {
    const m = repeat(3, ['--input-type=module', '-e', `await import(${JSON.stringify(p)})`]);
    rows.push(`- ${p}: +${(m.wallMs - bare).toFixed(0)} ms, ${m.rssMb?.toFixed(0) ?? '?'} MB RSS${m.code === 0 ? '' : ` (exit ${m.code})`}`);
  }
  return rows;
}
