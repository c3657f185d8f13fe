// Issue 12, the trainer's side: bad --model, --save-model and a full --out disk end
// with one line and no stack; --save-model is checked before any training.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTrainer } from '../train/run-trainer.js';
import { fill, tempDir, tmpfs } from './support.js';

const T = { timeout: 120_000 };
const QUICK = ['--epochs', '1', '--train-samples', '200', '--validation-samples', '100'];

function oneLine(r: { code: number | null; stderr: string }, code: number, pattern: RegExp): void {
  assert.doesNotMatch(r.stderr, /\n\s+at /, `no stack trace:\n${r.stderr}`);
  assert.equal(r.code, code, r.stderr);
  const problems = r.stderr.split('\n').filter((l) => l.trim() && !/^mnist-train: (backend|run |epoch |tfjs|wasm|cpu)/.test(l));
  assert.equal(problems.length, 1, r.stderr);
  assert.match(problems[0]!, pattern);
}

test('--model foo: one line, exit 2', T, async () => {
  oneLine(await runTrainer(['--model', 'foo']), 2, /^mnist-train: Invalid values: Argument: model, Given: "foo", Choices: "mlp", "cnn" \(see --help\)$/);
});

test('--save-model naming an existing file: refused before training (no epoch_end)', T, async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'file'), 'x');
  const r = await runTrainer([...QUICK, '--save-model', join(dir, 'file')]);
  oneLine(r, 2, /^--save-model .*file: cannot write the model there: it, or a folder on its path, is a file$/);
  assert.equal(r.lines.length, 0, 'nothing trained, no event written');
});

test('--save-model /proc/self/model: one line at once, no endless mkdir', T, async () => {
  const r = await runTrainer([...QUICK, '--save-model', '/proc/self/model']);
  oneLine(r, 2, /^--save-model \/proc\/self\/model: cannot write the model there: no such file or folder/);
});

test('--out FILE on a disk that fills during training: exit 1, one line, run_end failed on stdout', T, async (t) => {
  const disk = tmpfs(t, '64k');
  if (!disk) return;
  fill(disk, 4 * 1024);
  const r = await runTrainer(['--epochs', '1', '--train-samples', '2000', '--validation-samples', '100', '--log-every-batches', '1', '--out', join(disk, 'events.jsonl')]);
  assert.ok(r.lines.some((l) => l.includes('"batch_end"')), 'it failed during training, not at the start');
  oneLine(r, 1, /^--out .*events\.jsonl: cannot append events: no space left on the device$/);
  const last = JSON.parse(r.lines[r.lines.length - 1]!);
  assert.deepEqual([last.event, last.status], ['run_end', 'failed']);
});
