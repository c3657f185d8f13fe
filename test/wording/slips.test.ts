// Small wording slips a tester and a reviewer found: counts without thousands separators, "every 1
// batches", "after 1 attempts", and mnist-train's memory advice that repeated the refused batch size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeRun } from '../../src/analyze/analyze.js';
import { baselineRow, compareBaseline } from '../../src/analyze/baseline.js';
import { configuration } from '../../src/wording/document.js';
import { batchTooLarge } from '../../src/wording/train.js';
import { cloudWatchFailure } from '../../src/sources/cloudwatch-errors.js';
import { readRuns } from '../parse/helpers.js';
import { GEN } from '../analyze/build.js';

const analyseFile = async (path: string) => {
  const parsed = await readRuns(path);
  return analyzeRun(parsed.runs[0]!, parsed.quality, { generatedAt: GEN });
};

test('the baseline comparison writes counts with thousands separators: training samples 60,000 → 2,000, 12,975/s', async () => {
  const [base, current] = await Promise.all([analyseFile('fixtures/mnist-train-5epochs.jsonl'), analyseFile('fixtures/mnist-train-1epoch-evaluation.jsonl')]);
  const b = compareBaseline(current, base, 'base/report.json');
  assert.deepEqual(b.settings.find((s) => s.setting === 'training samples'), { setting: 'training samples', baseline: '60,000', current: '2,000' });
  assert.match(baselineRow(b, 'samples_per_second')!.shown.baseline, /^\d{1,3},\d{3}\/s$/);
});

test('"every batch", not "every 1 batches"; "after 1 attempt", not "after 1 attempts"', async () => {
  const a = await analyseFile('fixtures/mnist-train-5epochs.jsonl');
  const at = (every: number) => configuration({ ...a, config: { ...a.config!, log_every_batches: every } }).find((f) => f.label === 'Batch events')!.value;
  assert.equal(at(1), 'every batch (90 logged)');
  assert.equal(at(100), 'every 100 batches (90 logged)');
  const throttled = (attempts: number) => cloudWatchFailure(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { attempts } }),
    { action: 'reading log group g', logGroup: 'g' }).message;
  assert.match(throttled(1), / kept throttling after 1 attempt \(ThrottlingException\)/);
  assert.match(throttled(3), / kept throttling after 3 attempts \(ThrottlingException\)/);
});

test('mnist-train\'s memory advice: within wasm\'s 4 GiB but refused by the machine, it does not advise the refused batch size', () => {
  const refused = batchTooLarge(60000, 3_100_000_000, null);
  assert.equal(refused, '--batch-size 60000: a batch of 60,000 images needs 3,100 MB of wasm memory for the fused training step, ' +
    "more than this machine gave (it is within wasm's 4,295 MB); give a smaller --batch-size, or --no-fused-step");
  assert.doesNotMatch(refused, /--batch-size 60000 or less/);
  assert.match(batchTooLarge(1_000_000, 16_000_000_000, 268_000), /more than a wasm memory holds \(4,295 MB at most\); give --batch-size 268000 or less, or --no-fused-step$/);
});

test('a healthy run whose end is unknown is not said to have completed: PyTorch-tqdm and plain prints "N epochs logged"', async () => {
  for (const [path, n] of [['fixtures/formats/pytorch-mnist-tqdm.log', 15], ['fixtures/formats/plain-print.log', 4]] as const) {
    const a = await analyseFile(path);
    assert.deepEqual([a.run.outcome, a.verdict.level], ['end unknown', 'healthy'], path);
    assert.doesNotMatch(a.verdict.reason, /Completed/, path);
    assert.match(a.verdict.reason, new RegExp(`^${n} epochs logged with finite, non-diverging metrics and \\d+\\.\\d\\d% validation accuracy; no check failed or warned\\. `
      + "The log ends without the run's end, so whether the run finished is not known\\.$"), path);
  }
  // a run whose end is known still completed
  assert.match((await analyseFile('fixtures/keras2-verbose2.log')).verdict.reason, /^Completed 5 of 5 epochs /);
});

test('the checks table writes a count with thousands separators: validation data 10,000, not 10000', () => {
  for (const doc of ['report.md', 'report.html']) {
    const text = readFileSync(join('reports', '20261130T070537Z-f4b168', doc), 'utf8');
    const row = text.split(/\n|<tr>/).find((l) => l.includes('validation.<wbr>holdout') || l.includes('`validation.holdout`'));
    assert.ok(row, `${doc}: the validation.holdout row`);
    assert.match(row, /10,000/, doc);
    assert.doesNotMatch(row, /\b10000\b/, doc);
  }
});
