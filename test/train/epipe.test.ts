// A reader that closes the pipe early (`mnist-train | head -1`) must not crash the
// trainer: it says so once on stderr, and --out still receives every event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRAIN_BIN } from './run-trainer.js';

test('stdout closed early: no stack trace, exit 0, --out keeps the whole run', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'epipe-')), 'events.jsonl');
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
