// Next Steps: mnist-train's flags only for mnist-train's own log, no "train longer" beside "rerun to
// completion", and a log that holds every planned epoch but lost its end is not said to have stopped early.
// The Conclusion, decided again with them, says a comparison's finding as the verdict does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeRun, withComparison } from '../../src/analyze/analyze.js';
import { compareBaseline } from '../../src/analyze/baseline.js';
import type { Analysis } from '../../src/analyze/types.js';
import { end, epoch, GEN, quality, run } from './build.js';
import { readRuns } from '../parse/helpers.js';

const analyseFile = async (path: string): Promise<Analysis[]> => {
  const parsed = await readRuns(path);
  return parsed.runs.map((r) => analyzeRun(r, parsed.quality, { generatedAt: GEN, noRun: parsed.no_run }));
};

test("another trainer's log gets the setting in words, not mnist-train's command line", () => {
  // a Keras log: no run_start or run_end, 5 of 5 epochs, validation loss still falling 20% an epoch
  const a = analyzeRun(run({ format: 'keras3', start: null, end: null }), quality(), { generatedAt: GEN });
  assert.equal(a.run.outcome, 'completed');
  assert.deepEqual(a.next_steps, [
    "Train longer: about 10 epochs instead of 5 (your trainer's epochs setting); validation loss still fell by 20.0% in the last epoch.",
  ]);
  const diverged = analyzeRun(run({ format: 'pytorch-mnist', start: null, end: null, epochs: [1, 2, 3].map((n) => epoch(n, { loss: 0.3 * n, epochs: 3 })) }),
    quality(), { generatedAt: GEN });
  assert.ok(diverged.next_steps.some((s) => s.startsWith("Lower the learning rate tenfold: your trainer's learning-rate setting;")), diverged.next_steps.join('\n'));
  assert.ok(!diverged.next_steps.some((s) => /mnist-train|`--/.test(s)), diverged.next_steps.join('\n'));
});

test("no real capture of another trainer (fixtures/formats) is told to run mnist-train", async () => {
  for (const f of readdirSync('fixtures/formats')) {
    for (const a of await analyseFile(join('fixtures/formats', f))) {
      assert.equal(a.run.format === 'events', false, f);
      assert.ok(!a.next_steps.some((s) => /mnist-train/.test(s)), `${f}: ${a.next_steps.join(' | ')}`);
    }
  }
});

test('a run cut at epoch 2 of 5 is told to rerun to completion, not also to train longer than planned', async () => {
  const [a] = await analyseFile('fixtures/bad/stopped-after-epoch-2.jsonl');
  assert.equal(a!.convergence.reading, 'improving');
  assert.equal(a!.next_steps[0], 'Find out why the run stopped early (task stop, out of memory, log cut) and rerun it to completion: `mnist-train --epochs 5`.');
  assert.ok(!a!.next_steps.some((s) => /^Train longer/.test(s)), a!.next_steps.join('\n'));
});

test('a log whose run_end was cut after all 5 planned epochs: its end is missing, the run did not stop early', async () => {
  const lines = readFileSync('fixtures/mnist-train-5epochs.jsonl', 'utf8').replace(/\n$/, '').split('\n');
  const last = lines.pop()!;
  assert.match(last, /"run_end"/);
  const path = join(mkdtempSync(join(tmpdir(), 'next-steps-')), 'cut.jsonl');
  writeFileSync(path, `${lines.join('\n')}\n${last.slice(0, last.length / 2)}`);
  const [a] = await analyseFile(path);
  assert.deepEqual([a!.run.outcome, a!.run.epochs_seen, a!.run.epochs_planned], ['incomplete', 5, 5]);
  assert.ok(!a!.next_steps.some((s) => /stopped early|rerun it to completion/.test(s)), a!.next_steps.join('\n'));
  assert.equal(a!.next_steps[0], 'All 5 planned epochs are in the log, but it ends without run_end: find out whether the log was cut or the task ' +
    'stopped after its last epoch (run_end carries the outcome and the test metrics); no epoch is missing.');
  assert.match(a!.verdict.reason, /^The log stops after epoch 5 of 5, the last planned epoch, with no run_end: its end was cut or the run is still finishing/);
  assert.doesNotMatch(a!.verdict.reason, /cut short/);
});

test('a run interrupted after all its planned epochs is not told to find out why it stopped early', () => {
  const a = analyzeRun(run({ end: end('interrupted') }), quality(), { generatedAt: GEN });
  assert.equal(a.run.outcome, 'interrupted');
  assert.equal(a.next_steps[0], 'The run was interrupted after all 5 planned epochs were logged: no epoch is missing; ' +
    "find out what stopped the task if you need what comes after the epochs (run_end's test metrics).");
  assert.ok(!a.next_steps.some((s) => /stopped early/.test(s)), a.next_steps.join('\n'));
});

test('a last epoch that improves but stays above an earlier lowest validation loss: "stop at the lowest", not also "train longer"', async () => {
  // the Keras capture's first fit: lowest validation loss at epoch 15, the last (21) 6.0% better than 20 but above 15's
  const [fit1] = await analyseFile('fixtures/formats/keras1-verbose2.log');
  assert.equal(fit1!.convergence.reading, 'improving');
  assert.ok(fit1!.next_steps.some((s) => s.startsWith('Stop at the epoch with the lowest validation loss, epoch 15')), fit1!.next_steps.join('\n'));
  assert.ok(!fit1!.next_steps.some((s) => s.startsWith('Train longer')), fit1!.next_steps.join('\n'));
});

test('a regression against the baseline is in the Conclusion, as in the verdict and Next Steps (real 1-epoch run against the 5-epoch one)', async () => {
  const [one, five] = await Promise.all(['fixtures/mnist-train-1epoch-evaluation.jsonl', 'fixtures/mnist-train-5epochs.jsonl'].map(readRuns));
  const analysed = (p: typeof one) => analyzeRun(p!.runs[0]!, p!.quality, { generatedAt: GEN });
  const base = analysed(five);
  const current = analysed(one);
  assert.ok(!current.conclusion.some((s) => /baseline/.test(s)), 'no baseline yet');
  const a = withComparison({ ...current, baseline: compareBaseline(current, base, 'base/report.json') });
  assert.deepEqual(a.verdict.findings.map((f) => f.rule), ['weak-class', 'regression']);
  const said = `Validation accuracy is significantly lower than baseline run ${base.run.run_id} (−12.25 pp); see Compared with Baseline.`;
  assert.equal(a.conclusion.at(-2), said);
  // the Conclusion quotes the verdict's finding, and both name the section by its heading
  assert.equal(said, `${a.verdict.findings[1]!.reason}; see Compared with Baseline.`);
  assert.match(a.verdict.reason, /\(and 1 more finding, see Compared with Baseline\)\.$/);
  assert.ok(a.next_steps.some((s) => s.startsWith(`Validation accuracy regressed against baseline run ${base.run.run_id}`)));
});
