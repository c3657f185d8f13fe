// Shared by the CloudWatch benches: the test server lives in this process, so the bins run as
// async children (spawnSync would block the server), each under GNU time for its peak RSS.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { childEnv } from '../test/support/cloudwatch-sdk.js';
import type { CloudWatchServer } from '../test/support/cloudwatch-server.js';

export interface Ran { code: number | null; wallMs: number; rssMb: number | null; cpuS: number | null; stdout: string; stderr: string }

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/** `node bin args…` against the server, with a timeout after which it is killed (a hang shows as code null). */
export function runAgainst(server: CloudWatchServer, bin: string, args: string[], timeoutMs = 120_000, env: Record<string, string> = {}): Promise<Ran> {
  const argv = TIME ? ['-f', 'BENCH_RSS_KB=%M BENCH_CPU=%U+%S', process.execPath, bin, ...args] : [bin, ...args];
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    // Its own process group, so that a timeout kills GNU time and the node under it together.
    const child = spawn(TIME ?? process.execPath, argv, { env: childEnv(server, env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let killed = false;
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => { killed = true; process.kill(-child.pid!, 'SIGKILL'); }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const kb = /BENCH_RSS_KB=(\d+)/.exec(stderr)?.[1];
      const cpu = /BENCH_CPU=([\d.]+)\+([\d.]+)/.exec(stderr);
      stderr = stderr.replace(/^Command (exited with non-zero status|terminated by signal) .*\n/m, '').replace(/BENCH_RSS_KB=\d+ BENCH_CPU=\S+\s*/, '');
      resolve({ code: killed ? null : code, wallMs: performance.now() - t0, rssMb: kb ? Number(kb) / 1024 : null,
        cpuS: cpu ? Number(cpu[1]) + Number(cpu[2]) : null, stdout, stderr });
    });
  });
}
