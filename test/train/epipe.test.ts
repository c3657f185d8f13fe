// A reader that closes the pipe early (`mnist-train | head -1`) must not crash the
// trainer: it says so once on stderr, and --out still receives every event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRAIN_BIN } from './run-trainer.js';
import { tempDir } from '../faults/support.js';

test('stdout closed early: no stack trace, exit 0, --out keeps the whole run', async (t) => {
  const out = join(tempDir(t, 'epipe-'), 'events.jsonl');
  const args = ['--epochs', '1', '--train-samples', '1000', '--validation-samples', '500', '--log-every-batches', '2', '--out', out];
  const child = spawn(process.execPath, [TRAIN_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  child.stdout.once('data', () => child.stdout.destroy()); // the reader goes away after its first chunk
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  assert.equal(code, 0, stderr);
  assert.match(stderr, /stdout: the reader closed the pipe \(EPIPE\)/);
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  const events = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(events.at(-1).event, 'run_end');
  assert.equal(events.at(-1).status, 'completed');
});

test('stderr closed early (`mnist-train 2>&1 | head -1`): trains to the end, exit 0, every event on stdout and in --out', async (t) => {
  const out = join(tempDir(t, 'epipe-'), 'events.jsonl');
  const args = ['--epochs', '1', '--train-samples', '500', '--validation-samples', '100', '--out', out];
  const child = spawn(process.execPath, [TRAIN_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.destroy(); // before its first line (the backend): every progress line fails with EPIPE
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  assert.equal(code, 0);
  const events = readFileSync(out, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { event: string }).event);
  assert.equal(events.at(-1), 'run_end');
  assert.equal(stdout.trim().split('\n').length, events.length);
});
