// bench:cloudwatch-defects — issue 15's defects, each as a command against the CloudWatch test
// server, run with the bin given (--bin; e.g. a build of main before the fix) and summarised in one
// line: exit code, what the report says, the API calls made. Prints a Markdown table.
//
//   npm run build && node --import tsx bench/cloudwatch-defects.ts [--bin OTHER/dist/cli/report.cjs] [--only 2,3]

import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloudWatchServer } from '../test/support/cloudwatch-server.js';
import { runLines } from '../test/support/cloudwatch-runs.js';
import { runAgainst } from './cloudwatch-run.js';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const BIN = arg('--bin', 'dist/cli/report.cjs');
const ONLY = arg('--only', '');
const T0 = Date.UTC(2026, 10, 20);
const server = await startCloudWatchServer();
const tmp = await mkdtemp(join(tmpdir(), 'bench-defects-'));

async function summary(out: string): Promise<string | null> {
  try {
    const folders = (await readdir(out)).filter((f) => !f.startsWith('index'));
    const parts: string[] = [];
    for (const folder of folders) {
      const a = JSON.parse(await readFile(join(out, folder, 'report.json'), 'utf8')) as {
        run: { run_id: string; outcome: string; epochs_seen: number }; quality: { duplicate_records: number; unrecognised: number };
        checks: { id: string; status: string }[];
      };
      const flagged = a.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id} ${c.status}`).join(', ') || 'all checks pass';
      parts.push(`run ${a.run.run_id}: ${a.run.outcome}, ${a.run.epochs_seen} epochs; duplicates dropped ${a.quality.duplicate_records}, unrecognised ${a.quality.unrecognised}; ${flagged}`);
    }
    return parts.length ? parts.join(' + ') : null;
  } catch {
    return null;
  }
}

// what went wrong: the lines that are not progress, or (when the progress filter leaves none) the last line,
// which is where a failure's one-line message is (a failed CloudWatch call's message starts like its progress lines)
const problem = (stderr: string): string => {
  const lines = stderr.split('\n').filter(Boolean);
  const kept = lines.filter((l) => !/^mnist-report: (cloudwatch: |reading |wrote |[\d,]+ records?)/.test(l));
  return (kept.length ? kept : lines.slice(-1)).join(' / ').slice(0, 200);
};

interface Case { id: string; title: string; setup: (g: string) => void; args: (g: string) => string[]; env?: Record<string, string>; timeoutMs?: number; after?: () => void }
const cases: Case[] = [
  { id: '1', title: 'endpoint never answers', setup: (g) => { server.seed.stream(g, 'ecs/t/1', runLines('r1', 2, T0)); server.faults.hang(); },
    args: (g) => ['--log-group', g], env: { AWS_MAX_ATTEMPTS: '2' }, timeoutMs: 75_000, after: () => server.faults.clear() },
  { id: '2', title: 'run spans two streams', setup: (g) => { const l = runLines('r-span', 5, T0); server.seed.stream(g, 'ecs/t/old', l.slice(0, 4)); server.seed.stream(g, 'ecs/t/new', l.slice(4)); },
    args: (g) => ['--log-group', g] },
  { id: '3', title: 'sidecar logs last', setup: (g) => { server.seed.stream(g, 'ecs/mnist/1', runLines('r-main', 3, T0)); server.seed.stream(g, 'ecs/xray/1', [{ timestamp: T0 + 60_000, message: '[Info] Successfully sent batch of 1 segments' }]); },
    args: (g) => ['--log-group', g] },
  { id: '4', title: '--since cuts a run', setup: (g) => server.seed.stream(g, 'ecs/t/1', runLines('r-cut', 10, T0)),
    args: (g) => ['--log-group', g, '--since', new Date(T0 + 6500).toISOString()] },
  { id: '5', title: 'events stored twice', setup: (g) => { const l = runLines('r-dup', 5, T0); server.seed.stream(g, 'ecs/t/1', [...l.slice(0, 4), ...l.slice(1, 4), ...l.slice(4)]); },
    args: (g) => ['--log-group', g, '--run', 'all'] },
  { id: '6', title: 'prefix over 5,000 streams', setup: (g) => { for (let i = 0; i < 5000; i++) server.seed.stream(g, `ecs/other/${String(i).padStart(4, '0')}`, [{ timestamp: T0 + i, message: 'x' }]); server.seed.stream(g, 'ecs/t/1', runLines('r-pre', 2, T0 + 3600_000)); },
    args: (g) => ['--log-group', g, '--log-stream-prefix', 'ecs/'] },
  { id: '7', title: '"latest": newest event vs started last', setup: (g) => { server.seed.stream(g, 'ecs/t/long', runLines('r-long', 100, T0)); server.seed.stream(g, 'ecs/t/short', runLines('r-short', 3, T0 + 10_000)); },
    args: (g) => ['--log-group', g] },
  { id: '8', title: 'trainer stderr lines', setup: (g) => { const l = runLines('r-err', 2, T0); server.seed.stream(g, 'ecs/t/1', [{ timestamp: T0 - 10, message: 'mnist-train: backend wasm (tfjs-node is not installed)' }, ...l.slice(0, 2), { timestamp: T0 + 1001, message: 'mnist-train: epoch 1/2 loss 0.5000 acc 0.9010 val_loss 0.4000 val_acc 0.9110 1.0s' }, ...l.slice(2)]); },
    args: (g) => ['--log-group', g] },
  { id: '10a', title: 'zone-less --until (TZ=America/New_York)', setup: (g) => { server.seed.stream(g, 'ecs/t/a', runLines('r-a', 2, T0)); server.seed.stream(g, 'ecs/t/b', runLines('r-b', 2, T0 + 4 * 3600_000)); },
    args: (g) => ['--log-group', g, '--run', 'all', '--until', '2026-11-20T03:00:00'], env: { TZ: 'America/New_York' } },
  { id: '10b', title: 'epoch seconds', setup: (g) => server.seed.stream(g, 'ecs/t/a', runLines('r-a', 2, T0)),
    args: (g) => ['--log-group', g, '--since', String(T0 / 1000 - 60)] },
];

console.log(`# issue 15 defects against the CloudWatch test server (${BIN})\n`);
console.log('defect | command | exit | s | result');
console.log('--- | --- | ---: | ---: | ---');
for (const c of cases) {
  if (ONLY && !ONLY.split(',').includes(c.id)) continue;
  const g = `/ecs/defect-${c.id}`;
  c.setup(g);
  server.resetCalls();
  const out = join(tmp, c.id);
  const args = [...c.args(g), '--format', 'json', '--out', out, '--generated-at', '2026-11-24T00:00:00Z'];
  const r = await runAgainst(server, BIN, args, c.timeoutMs ?? 120_000, c.env);
  c.after?.();
  const s = await summary(out);
  const calls = Object.entries(server.calls).map(([k, v]) => `${k} ${v}`).join(', ');
  const what = r.code === null ? `still running after ${(c.timeoutMs ?? 120_000) / 1000} s: killed` :
    s ?? problem(r.stderr);
  const env = Object.entries(c.env ?? {}).map(([k, v]) => `${k}=${v} `).join('');
  console.log(`${c.id} ${c.title} | \`${env}mnist-report ${c.args(g).join(' ')}\` | ${r.code ?? 'killed'} | ${(r.wallMs / 1000).toFixed(1)} | ${what}; calls: ${calls}`);
}
await rm(tmp, { recursive: true, force: true });
await server.close();
