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
  // a Keras log: no run_start or run_end, 5 of 5 epochs, validation loss still falling 32.4% an epoch (0.25 / n)
  const a = analyzeRun(run({ format: 'keras3', start: null, end: null }), quality(), { generatedAt: GEN });
  assert.equal(a.run.outcome, 'completed');
  assert.deepEqual(a.next_steps, [
    "Train longer: about 10 epochs instead of 5 (your trainer's epochs setting); validation loss still fell by 32.4% an epoch over the last 5 epochs (1–5).",
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
  // two epochs are too few for a trend: convergence cannot say, and the step is the rerun
  assert.deepEqual([a!.convergence.reading, a!.checks.find((c) => c.id === 'convergence')!.too_few], ['unknown', { needs: 3, has: 2 }]);
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
  // the Keras capture's first fit: lowest validation loss at epoch 15, the last (21) 6.0% better than 20 but above 15's;
  // over its last 5 epochs (17–21) the validation loss rose: not improving
  const [fit1] = await analyseFile('fixtures/formats/keras1-verbose2.log');
  assert.equal(fit1!.convergence.reading, 'worsening');
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

// Every rule that can head the verdict has a step addressing it: a check that fails or warns and no step names
// gets only the pointer "Look at the check … this report has no more specific next step", which no real capture needs.
const POINTER = /this report has no more specific next step/;

test('every real capture in fixtures/ (and fixtures/formats, fixtures/bad): each check that fails or warns has a specific next step, never only the pointer', async () => {
  const files = [...readdirSync('fixtures').filter((f) => /\.(log|jsonl|json|csv)$/.test(f)).map((f) => join('fixtures', f)),
    ...readdirSync('fixtures/formats').map((f) => join('fixtures/formats', f)),
    ...readdirSync('fixtures/bad').filter((f) => /\.(log|jsonl|csv)$/.test(f)).map((f) => join('fixtures/bad', f))];
  let judged = 0;
  for (const f of files) {
    let analyses: Analysis[];
    try { analyses = await analyseFile(f); } catch { continue; } // a file of no run (empty.log, garbage.bin)
    for (const a of analyses) {
      judged++;
      assert.ok(!a.next_steps.some((s) => POINTER.test(s)), `${f} (${a.verdict.findings.map((x) => x.rule).join(', ')}): ${a.next_steps.join(' | ')}`);
    }
  }
  assert.ok(judged > 25, `${judged} runs`);
});

test('rule weak-class: the real 1-epoch evaluation names the weak digits, what the confusion matrix reads them as, and more epochs and images, not augmentation', async () => {
  const [a] = await analyseFile('fixtures/mnist-train-1epoch-evaluation.jsonl');
  assert.equal(a!.verdict.findings[0]!.rule, 'weak-class');
  assert.equal(a!.next_steps[0], 'Digits 5 (recall 74.33%), 8 (recall 75.56%) and 9 (recall 77.01%) are missed most; the evaluation reads 5 as 3 (78 times, 8.7% of the 5s) ' +
    'and 4 (48 times, 5.4% of the 5s); 8 as 3 (68 times, 7.0% of the 8s) and 5 (54 times, 5.5% of the 8s); 9 as 4 (113 times, 11.2% of the 9s) and 7 (47 times, 4.7% of the 9s): ' +
    '1 epoch cannot show whether the model has converged, so train longer first (`mnist-train --epochs 2`) and on more of the 60,000 training images than 2,000 ' +
    "(`mnist-train --train-samples 60000`), then see in the next run's Evaluation whether they catch up.");
  // the same weak digits in a run that has converged (plateau): the data, not more epochs
  const converged = analyzeRun({ ...(await readRuns('fixtures/mnist-train-1epoch-evaluation.jsonl')).runs[0]!,
    epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { epochs: 5, val_loss: [0.0630, 0.0628, 0.0626, 0.0625, 0.0624][n - 1], loss: 0.3 / n, val_accuracy: 0.8541, accuracy: 0.86 })) },
  quality(), { generatedAt: GEN });
  const step = converged.next_steps.find((s) => s.startsWith('Digits 5'))!;
  assert.match(step, /more epochs are unlikely to fix them \(validation loss has levelled off\): augment their training images \(small shifts, rotations, stroke widths: in the model's code, mnist-train has no flag for them\), check how many training images each digit has \(class balance: the log does not say\)/);
  assert.doesNotMatch(step, /--epochs/);
  // levelled off while the training loss still rose: not "more epochs are unlikely to fix them" (the convergence check says training had not settled)
  const unsettled = analyzeRun({ ...(await readRuns('fixtures/mnist-train-1epoch-evaluation.jsonl')).runs[0]!,
    epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { epochs: 5, val_loss: [0.0630, 0.0628, 0.0626, 0.0625, 0.0624][n - 1], loss: 0.1 + n * 0.004, val_accuracy: 0.8541, accuracy: 0.86 })) },
  quality(), { generatedAt: GEN });
  assert.equal(unsettled.convergence.training_rose, true);
  assert.match(unsettled.next_steps.find((s) => s.startsWith('Digits 5'))!,
    /the log cannot say whether more epochs would fix them \(validation loss has levelled off, but the training loss was still rising\): augment their training images/);
  // an evaluation alone (scikit-learn's SVM): no epochs, so nothing is said about convergence
  const [svm] = await analyseFile('fixtures/sklearn-svm-confusion-matrix.log');
  assert.equal(svm!.next_steps[0], 'Class 9 (recall 96.92%) is missed most; the evaluation reads 9 as 8 (9 times, 0.9% of the 9s) and 3 (7 times, 0.7% of the 9s): ' +
    'the log has no training epochs to say whether more training would help: augment its training images (small shifts, rotations, stroke widths), ' +
    'check how many training images each class has (class balance: the log does not say), and look at its misread images under Evaluation.');
});

test('rule chance: the step reads the training loss: fell (validation paired or prepared apart) or not (labels, learning rate)', () => {
  const flat = (n: number) => epoch(n, { loss: 2.3, val_loss: 2.3, accuracy: 0.1, val_accuracy: 0.1 });
  const stuck = analyzeRun(run({ epochs: [1, 2, 3, 4, 5].map(flat) }), quality(), { generatedAt: GEN });
  assert.equal(stuck.verdict.findings[0]!.rule, 'chance');
  assert.ok(stuck.next_steps.includes('Validation accuracy 10.00% is no better than guessing, and training loss did not fall (2.3000 to 2.3000): the model learned nothing, ' +
    'so check that the labels belong to their images and try another learning rate (`--learning-rate`, now 0.001).'), stuck.next_steps.join('\n'));
  const learned = analyzeRun(run({ epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { loss: 2.3 / n, val_loss: 2.3, accuracy: 0.2 * n, val_accuracy: 0.1 })) }), quality(), { generatedAt: GEN });
  assert.ok(learned.next_steps.some((s) => /though training loss fell from 2\.3000 to 0\.4600: what the model learned does not carry over/.test(s)), learned.next_steps.join('\n'));
});

test('rules cut-short, data-quality, train-ahead and other-warning: a step each (completed short of its plan, missing epochs, gap while improving, batch spikes)', () => {
  const short = analyzeRun(run({ epochs: [epoch(1), epoch(2), epoch(3)] }), quality(), { generatedAt: GEN });
  assert.equal(short.verdict.findings[0]!.rule, 'cut-short');
  assert.ok(short.next_steps.includes('The run says it completed, but its last epoch is 3 of 5 planned: find out what ended it early, and rerun it to completion: `mnist-train --epochs 5`.'), short.next_steps.join('\n'));
  const gap = analyzeRun(run({ missing_epochs: [{ first: 3, last: 3 }], epochs: [1, 2, 4, 5].map((n) => epoch(n, { accuracy: 0.99, val_accuracy: 0.9 + n * 0.01 })) }), quality(), { generatedAt: GEN });
  assert.deepEqual(gap.verdict.findings.map((f) => f.rule), ['train-ahead', 'data-quality']);
  assert.ok(gap.next_steps.some((s) => s.startsWith('Training accuracy is ahead of validation accuracy (gap, validation − training, −4.00 pp): as it trains longer, see whether the gap stays')), gap.next_steps.join('\n'));
  assert.ok(gap.next_steps.some((s) => s.startsWith('Find out where the lines of epoch 3 went')), gap.next_steps.join('\n'));
  const batches = Array.from({ length: 30 }, (_, i) => ({ epoch: 1, batch: i + 1, loss: i === 25 ? 5 : 0.3, accuracy: 0.9 }));
  const spiky = analyzeRun(run({ batches, batch_count: 30 }), quality(), { generatedAt: GEN });
  assert.equal(spiky.verdict.findings[0]!.rule, 'other-warning');
  assert.ok(spiky.next_steps.some((s) => s.startsWith('Look at the batches where the loss spiked (1 spike, the largest 16.7× the recent median at epoch 1, batch 26;')), spiky.next_steps.join('\n'));
  for (const a of [short, gap, spiky]) assert.ok(!a.next_steps.some((s) => POINTER.test(s)), a.next_steps.join('\n'));
});
