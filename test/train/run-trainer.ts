// Spawns the built trainer (dist/cli/train.js; `npm test` builds first) and collects
// its stdout lines, stderr and exit code.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { validateEvent } from '../../src/events.js';
import type { TrainEvent } from '../../src/events.js';

export const TRAIN_BIN = fileURLToPath(new URL('../../dist/cli/train.js', import.meta.url));

export interface TrainerRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: string[];
  stderr: string;
}

/** Run the trainer; `onLine` sees each stdout line as it arrives (with the child, e.g. to signal it). */
export function runTrainer(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; onLine?: (line: string, child: ReturnType<typeof spawn>) => void } = {},
): Promise<TrainerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TRAIN_BIN, ...args], { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let pending = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        lines.push(line);
        options.onLine?.(line, child);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (pending) lines.push(pending);
      resolve({ code, signal, lines, stderr });
    });
  });
}

/** Every line must be a valid event; returns them parsed. */
export function parseEvents(lines: string[]): TrainEvent[] {
  return lines.map((line, i) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`stdout line ${i + 1} is not JSON: ${line.slice(0, 120)}`);
    }
    const v = validateEvent(value);
    if (!v.ok) throw new Error(`stdout line ${i + 1} fails the schema: ${v.errors.join('; ')}`);
    return v.event;
  });
}
