// Two invocations into one --out whose runs get the same folder name (train.log of two folders is run
// "train" in both): the second must not replace the first's report (src/render/run-folder.ts). The
// report of the same input again (the log grew) still replaces its own folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_BIN, ROOT, runReport, sandbox } from './report-cli.js';

const GEN = ['--generated-at', '2026-11-24T00:00:00Z'];
const T = { timeout: 120_000 };

/** /a/train.log (PyTorch, 10 epochs) and /b/train.log (plain prints, 4 epochs): both run "train". */
function twoTrainLogs(): { dir: string; out: string; a: string; b: string } {
  const { dir, out } = sandbox();
  const [a, b] = [join(dir, 'a', 'train.log'), join(dir, 'b', 'train.log')];
  mkdirSync(join(dir, 'a'));
  mkdirSync(join(dir, 'b'));
  copyFileSync(join(ROOT, 'fixtures/formats/pytorch-mnist.log'), a);
  copyFileSync(join(ROOT, 'fixtures/formats/plain-print.log'), b);
  return { dir, out, a, b };
}

const reported = (out: string, folder: string) =>
  JSON.parse(readFileSync(join(out, folder, 'report.json'), 'utf8')) as { sources: string[]; run: { run_id: string; epochs_seen: number } };
const report = (args: string[]) => runReport([...args, ...GEN], { bin: DIST_BIN });

test('another invocation\'s run of the same folder name: its report is kept, this one goes to <name>-2 with one line naming both; each again replaces its own', T, async () => {
  const { out, a, b } = twoTrainLogs();
  const first = await report(['-i', a, '-o', out]);
  assert.equal(first.code, 0, first.stderr);
  const second = await report(['-i', b, '-o', out]);
  assert.equal(second.code, 0, second.stderr);
  assert.ok(second.stderr.split('\n').includes(`mnist-report: ${out}/train/ holds the report of run "train" from ${a}, not of run "train" from ${b}: ` +
    `it is kept, and this report goes to ${out}/train-2/`), second.stderr);
  assert.match(second.stderr, new RegExp(`wrote 9 files to ${out}/train-2/ \\(run "train", end unknown, 4 epochs\\)`));
  assert.deepEqual(readdirSync(out).sort(), ['train', 'train-2']);
  assert.deepEqual([reported(out, 'train').sources, reported(out, 'train').run.epochs_seen], [[a], 10]);
  assert.deepEqual([reported(out, 'train-2').sources, reported(out, 'train-2').run.epochs_seen], [[b], 4]);
  // b again: its own folder, train-2, replaced (no train-3); a's untouched
  const aJson = readFileSync(join(out, 'train', 'report.json'), 'utf8');
  const again = await report(['-i', b, '-o', out]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /wrote 9 files to .*\/train-2\//);
  assert.deepEqual(readdirSync(out).sort(), ['train', 'train-2']);
  assert.equal(readFileSync(join(out, 'train', 'report.json'), 'utf8'), aJson);
  // --run all of b: the index links the folder its report went to
  const all = await report(['-i', b, '-o', out, '--run', 'all']);
  assert.equal(all.code, 0, all.stderr);
  const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as { runs: { run_id: string; folder: string }[] };
  assert.deepEqual(index.runs.map((r) => [r.run_id, r.folder]), [['train', 'train-2']]);
  assert.match(readFileSync(join(out, 'index.md'), 'utf8'), /\[train\]\(train-2\/report\.md\)/);
  assert.deepEqual(readdirSync(out).filter((n) => !n.startsWith('index') && !n.startsWith('runs-')).sort(), ['train', 'train-2']);
});

test('the same input reported again as its log grew: its folder is replaced, no second folder, no line about another run', T, async () => {
  const { out, a } = twoTrainLogs();
  const full = readFileSync(a, 'utf8');
  // the log as it was at epoch 4 (the line of epoch 5's first batch on)
  writeFileSync(a, full.slice(0, full.indexOf('Train Epoch: 5 ')));
  const early = await report(['-i', a, '-o', out]);
  assert.equal(early.code, 0, early.stderr);
  assert.equal(reported(out, 'train').run.epochs_seen, 4);
  writeFileSync(a, full);
  const later = await report(['-i', a, '-o', out]);
  assert.equal(later.code, 0, later.stderr);
  assert.doesNotMatch(later.stderr, /holds the report of/);
  assert.deepEqual(readdirSync(out), ['train']);
  assert.equal(reported(out, 'train').run.epochs_seen, 10);
});
