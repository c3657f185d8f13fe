// Issue 12, the trainer's side: bad --model, --save-model and a full --out disk end
// with one line and no stack; --save-model is checked before any training.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEvents, runTrainer } from '../train/run-trainer.js';
import { parseTrainArgs } from '../../src/train/options.js';
import { UserError } from '../../src/errors.js';
import type { RunEndEvent } from '../../src/events.js';
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
  oneLine(r, 2, /^mnist-train: --save-model .*file: cannot write the model there: it, or a folder on its path, is a file$/);
  assert.equal(r.lines.length, 0, 'nothing trained, no event written');
});

test('--save-model /proc/self/model: one line at once, no endless mkdir', T, async () => {
  const r = await runTrainer([...QUICK, '--save-model', '/proc/self/model']);
  oneLine(r, 2, /^mnist-train: --save-model \/proc\/self\/model: cannot write the model there: no such file or folder/);
});

test('--out FILE on a disk that fills during training: exit 1, one line, run_end failed on stdout', T, async (t) => {
  const disk = tmpfs(t, '64k');
  if (!disk) return;
  fill(disk, 4 * 1024);
  const r = await runTrainer(['--epochs', '1', '--train-samples', '2000', '--validation-samples', '100', '--log-every-batches', '1', '--out', join(disk, 'events.jsonl')]);
  assert.ok(r.lines.some((l) => l.includes('"batch_end"')), 'it failed during training, not at the start');
  oneLine(r, 1, /^mnist-train: --out .*events\.jsonl: cannot append events: no space left on the device$/);
  const last = JSON.parse(r.lines[r.lines.length - 1]!);
  assert.deepEqual([last.event, last.status], ['run_end', 'failed']);
});

test('every value flag needs its value (a bare --epochs trained 5 epochs on 60k images); a bad number is quoted as given', T, async () => {
  const bare = await runTrainer(['--epochs']);
  oneLine(bare, 2, /^mnist-train: Not enough arguments following: epochs \(see --help\)$/);
  assert.equal(bare.lines.length, 0, 'nothing trained');
  // every flag --help lists that is not a switch (a flag added later is checked too)
  const help = await parseTrainArgs(['--help']);
  assert.ok('help' in help);
  const blocks = help.help.split(/\n(?= {2}--)/).slice(1); // one per flag, its description wrapped over lines
  const valued = blocks.filter((b) => !/\[boolean\]/.test(b)).map((b) => /^ {2}--([a-z-]+)/.exec(b)![1]!);
  assert.ok(valued.length >= 20, valued.join(' '));
  for (const flag of valued) {
    await assert.rejects(parseTrainArgs([`--${flag}`]), (err: Error) => err instanceof UserError && err.message === `Not enough arguments following: ${flag} (see --help)`, flag);
  }
  await assert.rejects(parseTrainArgs(['--epochs', 'abc']), { message: '--epochs must be an integer >= 1, got "abc"' });
  await assert.rejects(parseTrainArgs(['--learning-rate', '']), { message: '--learning-rate must be a positive number, got ""' });
  await assert.rejects(parseTrainArgs(['--log-group', 'g', '--timeout', 'soon']), { message: '--timeout must be a positive number, got "soon"' });
});

test('--out that cannot be opened: one line with the "mnist-train: " every other error has (it had none)', T, async () => {
  const r = await runTrainer([...QUICK, '--out', '/proc/x/events.jsonl']);
  oneLine(r, 2, /^mnist-train: --out \/proc\/x\/events\.jsonl: cannot open for appending \(ENOENT\)$/);
});

test('counts in the flags\' errors and --help have thousands separators: 60,000 and 10,000 images', T, async () => {
  oneLine(await runTrainer(['--train-samples', '0']), 2, /^mnist-train: --train-samples must be an integer between 1 and 60,000, got "0"$/);
  await assert.rejects(parseTrainArgs(['--validation-samples', '10001']), { message: '--validation-samples must be an integer between 1 and 10,000, got "10001"' });
  const help = await parseTrainArgs(['--help']);
  assert.ok('help' in help);
  const text = help.help.replace(/\s+/g, ' ');
  assert.match(text, /of the 60,000 training images/);
  assert.match(text, /of the 10,000 test images/);
});

test('--batch-size larger than the training set trains with batches of the whole set (was a RangeError, exit 1)', T, async () => {
  const r = await runTrainer(['--batch-size', '1000000', ...QUICK]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /internal error|RangeError/);
  const events = parseEvents(r.lines);
  assert.equal(events[0]!.event, 'run_start');
  assert.equal((events.at(-1) as RunEndEvent).status, 'completed');
});

test('--endpoint-url that is not a URL: one line before training (it trained, then said "4 of 4 events were not shipped")', T, async () => {
  const r = await runTrainer([...QUICK, '--log-group', '/x', '--endpoint-url', 'not-a-url']);
  oneLine(r, 2, /^mnist-train: --endpoint-url "not-a-url" is not an http:\/\/ or https:\/\/ URL: give the CloudWatch Logs endpoint with its scheme/);
  assert.equal(r.lines.length, 0, 'nothing trained');
  const env = await runTrainer([...QUICK, '--log-group', '/x'], { env: { AWS_ENDPOINT_URL: 'garbage' } });
  oneLine(env, 2, /^mnist-train: AWS_ENDPOINT_URL "garbage" is not an http:\/\/ or https:\/\/ URL/);
  assert.equal(env.lines.length, 0, 'nothing trained');
});
