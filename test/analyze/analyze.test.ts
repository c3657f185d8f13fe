import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRun } from '../../src/analyze/analyze.js';
import * as msg from '../../src/wording/checks.js';
import { windowSpread } from '../../src/analyze/stability.js';
import { printedDecimals } from '../../src/analyze/stats.js';
import type { Analysis, CheckId } from '../../src/analyze/types.js';
import { end, epoch, GEN, quality, run, start } from './build.js';
import { readRuns } from '../parse/helpers.js';

/** The latest run of a real capture, analysed as the CLI does. */
async function analyseCapture(path: string): Promise<Analysis | undefined> {
  const parsed = await readRuns(path);
  const r = parsed.runs[parsed.runs.length - 1];
  return r && analyzeRun(r, parsed.quality, { generatedAt: GEN, noRun: parsed.no_run });
}

const check = (a: Analysis, id: CheckId) => {
  const c = a.checks.find((x) => x.id === id);
  assert.ok(c, `check ${id} present`);
  return c;
};

test('a clean completed run: final and best metrics, status pass, JSON-serialisable', () => {
  const a = analyzeRun(run(), quality(), { generatedAt: GEN });
  assert.equal(a.generated_at, GEN);
  assert.equal(a.run.outcome, 'completed');
  const e5 = epoch(5);
  assert.deepEqual(a.final, { epoch: 5, loss: e5.loss, accuracy: e5.accuracy, val_loss: e5.val_loss, val_accuracy: e5.val_accuracy });
  assert.equal(a.best?.epoch, 5);
  assert.equal(check(a, 'run.status').status, 'pass');
  assert.equal(check(a, 'run.status').message, msg.runStatus('completed', 5, 5, null));
  assert.equal(check(a, 'best_vs_final').message, msg.bestVsFinal(a.best, a.final, 0));
  assert.deepEqual(JSON.parse(JSON.stringify(a)), a);
});

test('pure: same input, same output; nothing depends on the clock', () => {
  const r = run();
  assert.deepEqual(analyzeRun(r, quality(), { generatedAt: GEN }), analyzeRun(r, quality(), { generatedAt: GEN }));
});

test('generalization gap is read honestly: val above train, dropout, test set used for validation', () => {
  const a = analyzeRun(run(), quality(), { generatedAt: GEN });
  const c = check(a, 'generalization.gap');
  assert.equal(c.status, 'pass');
  assert.ok(Math.abs((a.generalization.final_gap_accuracy ?? 0) - 0.01) < 1e-12);
  assert.equal(c.message, msg.generalizationGap(a.generalization.final_gap_accuracy, a.generalization.final_gap_loss, true, 0.02, false));
  assert.match(c.message, /exceeds the epoch-averaged training accuracy by 1\.00 pp; this is expected with dropout and epoch averaging and says little about generalization/);
  // validating on the test set is said once, by validation.holdout
  assert.doesNotMatch(c.message, /test set/);
  assert.match(check(a, 'validation.holdout').message, /not an unbiased test estimate/);
  assert.doesNotMatch(c.message, /good generalization/);
  assert.equal(check(a, 'validation.holdout').status, 'info'); // a method caveat, not a problem of the run
  const noDrop = analyzeRun(run({ start: start({ validation_samples: 5000 }, false) }), quality(), { generatedAt: GEN });
  assert.doesNotMatch(check(noDrop, 'generalization.gap').message, /dropout/);
  assert.equal(check(noDrop, 'validation.holdout').status, 'info');
  assert.equal(check(noDrop, 'validation.holdout').message, msg.validationHoldout(true, 5000, 10000));
  assert.match(check(noDrop, 'validation.holdout').message, /5,000 of the 10,000 MNIST test images/);
  // --validation-split: validation on held-out training images, so no test-set caveat and no next step about it
  const split = analyzeRun(run({ start: start({ validation_split: 0.1, validation_samples: 6000, train_samples: 54000 }) }), quality(), { generatedAt: GEN });
  assert.equal(check(split, 'validation.holdout').status, 'pass');
  assert.equal(check(split, 'validation.holdout').message, 'Validation used 6,000 held-out samples, not the test set.');
  assert.ok(!split.verdict.caveats.some((c) => /test/.test(c)));
  assert.ok(!split.next_steps.some((s) => /--validation-split/.test(s)));
  assert.ok(a.next_steps.some((s) => s.includes('mnist-train --validation-split 0.1')));
  // a text log (no run_start) does not say what validation data was
  const text = analyzeRun(run({ start: null }), quality(), { generatedAt: GEN });
  assert.doesNotMatch(check(text, 'generalization.gap').message, /test set/);
  assert.equal(check(text, 'validation.holdout').message, msg.validationHoldout(null, null, 10000));
});

test('train accuracy far above validation accuracy warns', () => {
  const epochs = [1, 2, 3].map((n) => epoch(n, { accuracy: 0.99, val_accuracy: 0.9 }));
  const a = analyzeRun(run({ epochs }), quality(), { generatedAt: GEN });
  assert.equal(check(a, 'generalization.gap').status, 'warn');
  assert.match(check(a, 'generalization.gap').message, /Training accuracy exceeds validation accuracy by 9\.00 pp, more than 2\.00 pp/);
});

test('overfitting onset with patience 2 and the epoch early stopping keeps', () => {
  const vals = [0.3, 0.2, 0.15, 0.17, 0.19, 0.22];
  const epochs = vals.map((v, i) => epoch(i + 1, { val_loss: v, loss: 0.3 - i * 0.04 }));
  const a = analyzeRun(run({ epochs }), quality(), { generatedAt: GEN });
  assert.deepEqual(a.overfitting, { patience: 2, onset_epoch: 4, recovered: null, stop_epoch: 5, kept_epoch: 3 });
  assert.equal(check(a, 'overfitting').status, 'warn');
  assert.equal(check(a, 'overfitting').message, msg.overfitting(4, 5, 3, 2, 3));
  assert.equal(a.best?.epoch, 3);
  // one cause, one finding: best-vs-final, loss rises and convergence see the same rise and point to overfitting
  assert.deepEqual([check(a, 'best_vs_final').status, check(a, 'best_vs_final').see], ['info', 'overfitting']);
  assert.deepEqual(a.stability.val_loss_rises, [4, 5, 6]);
  assert.equal(a.convergence.reading, 'worsening');
  assert.deepEqual([check(a, 'convergence').status, check(a, 'convergence').see], ['info', 'overfitting']);
  assert.deepEqual([check(a, 'stability.loss_rises').status, check(a, 'stability.loss_rises').see], ['info', 'overfitting']);
  assert.deepEqual(a.checks.filter((c) => c.status === 'warn').map((c) => c.id), ['overfitting']);
  // one rise is not a trend
  const one = analyzeRun(run({ epochs: [0.3, 0.2, 0.21, 0.19].map((v, i) => epoch(i + 1, { val_loss: v })) }), quality(), { generatedAt: GEN });
  assert.equal(one.overfitting.onset_epoch, null);
  assert.equal(one.overfitting.stop_epoch, null);
});

test('convergence: the trend over the last 5 epochs, improving above 1% an epoch, a plateau below', () => {
  // 0.25 / n over epochs 1–5: ln(loss) falls 0.391 an epoch on a least-squares line: 1 − e^−0.391 = 32.4% an epoch
  const improving = analyzeRun(run(), quality(), { generatedAt: GEN });
  assert.equal(improving.convergence.reading, 'improving');
  assert.equal(improving.convergence.metric, 'val_loss');
  assert.deepEqual([improving.convergence.trend!.from, improving.convergence.trend!.to, improving.convergence.trend!.epochs], [1, 5, 5]);
  assert.ok(Math.abs(improving.convergence.trend!.rate - 0.3238) < 1e-4, String(improving.convergence.trend!.rate));
  assert.equal(check(improving, 'convergence').value, improving.convergence.trend!.rate);
  // the last epoch against the one before is still in report.json, as it was
  assert.ok(Math.abs((improving.convergence.val_loss_improvement ?? 0) - 0.2) < 1e-12);
  // a big first drop is outside the last five epochs: 0.1 → 0.0990 over epochs 2–6 is 0.25% an epoch
  const epochs = [0.3, 0.1, 0.0995, 0.0993, 0.0992, 0.0990].map((v, i) => epoch(i + 1, { val_loss: v }));
  const plateau = analyzeRun(run({ epochs }), quality(), { generatedAt: GEN });
  assert.equal(plateau.convergence.reading, 'plateau');
  assert.equal(check(plateau, 'convergence').status, 'pass');
  assert.equal(check(plateau, 'convergence').message, msg.convergence(plateau.convergence, 0.01));
  assert.match(check(plateau, 'convergence').message, /^Validation loss fell by 0\.2% an epoch over the last 5 epochs \(2–6; .*\), below 1\.0%: flat; it has converged/);
});

test('a log that ends before its planned epochs, still improving: the planned epochs after it would help, not "more epochs"', () => {
  // interrupted (Ctrl-C) after epoch 3 of 5, validation loss still falling 42.3% an epoch
  const three = [epoch(1), epoch(2), epoch(3)];
  const a = analyzeRun(run({ epochs: three, end: end('interrupted', { epochs_completed: 3 }) }), quality(), { generatedAt: GEN });
  assert.equal(a.convergence.reading, 'improving');
  assert.equal(check(a, 'convergence').message, 'Validation loss still fell by 42.3% an epoch over the last 3 epochs (1–3; training loss fell by 42.3% an epoch), above 1.0%: ' +
    'the model had not yet converged at epoch 3 (of 5 planned), where the log ends; the planned epochs after it would likely help.');
  // every planned epoch in the log: as before
  const whole = analyzeRun(run(), quality(), { generatedAt: GEN });
  assert.match(check(whole, 'convergence').message, /: the model had not converged and more epochs would likely help\.$/);
  // a log cut after epoch 3 (no run_end): the same; stopped early by the trainer on purpose: not "where the log ends"
  const cut = analyzeRun(run({ epochs: three, end: null }), quality(), { generatedAt: GEN });
  assert.equal(cut.run.outcome, 'incomplete');
  assert.match(check(cut, 'convergence').message, /not yet converged at epoch 3 \(of 5 planned\), where the log ends/);
  const early = analyzeRun(run({ epochs: three, end: null, stopped_early: true }), quality(), { generatedAt: GEN });
  assert.equal(early.run.outcome, 'stopped early');
  assert.doesNotMatch(check(early, 'convergence').message, /where the log ends/);
});

test('convergence knows the log\'s precision: a rate above 1% that 4 printed decimals cannot show above it is flat, not still improving', () => {
  // 0.0204, 0.0202, 0.0199 as printed (4 decimals): 1.2% an epoch, but each value is anywhere within ±0.00005,
  // which allows 0.99% to 1.5%; the last pair alone (0.0202 → 0.0199, 1.5%) used to say "more epochs would likely help"
  const printed = analyzeRun(run({ epochs: [0.0204, 0.0202, 0.0199].map((v, i) => epoch(i + 1, { val_loss: v, epochs: 3 })), start: start({ epochs: 3 }) }),
    quality(), { generatedAt: GEN });
  const t = printed.convergence.trend!;
  assert.equal(t.decimals, 4);
  assert.ok(t.rate > 0.01 && t.low < 0.01 && t.high > t.rate, JSON.stringify(t));
  assert.equal(printed.convergence.reading, 'plateau');
  assert.equal(check(printed, 'convergence').status, 'pass');
  assert.match(check(printed, 'convergence').message, /^Validation loss fell by 1\.2% an epoch over the last 3 epochs \(1–3; its 4 printed decimals allow 0\.99% to 1\.5% an epoch; training loss .*\), which the printed digits cannot show to be more than 1\.0%: flat within the log's precision; more epochs are unlikely to help much\.$/);
  assert.ok(!printed.verdict.caveats.some((c) => /more epochs would likely help/.test(c)));
  assert.ok(!printed.next_steps.some((s) => s.startsWith('Train longer')), printed.next_steps.join('\n'));
  // the same the other way: a rise of 1.2% an epoch that the rounding could make 0.997% is flat, not "within 1.0%"
  const rising = analyzeRun(run({ epochs: [0.0199, 0.0202, 0.0204].map((v, i) => epoch(i + 1, { val_loss: v, epochs: 3 })), start: start({ epochs: 3 }) }),
    quality(), { generatedAt: GEN });
  assert.equal(rising.convergence.reading, 'plateau');
  assert.match(check(rising, 'convergence').message, /^Validation loss rose by 1\.2% an epoch over the last 3 epochs \(1–3; its 4 printed decimals allow a rise of 1\.0% to 1\.5% an epoch; .*\), which the printed digits cannot show to be more than 1\.0%: flat within the log's precision/);
  // the same trend printed to 6 decimals shows it: still improving
  const fine = analyzeRun(run({ epochs: [0.020412, 0.020201, 0.019911].map((v, i) => epoch(i + 1, { val_loss: v, epochs: 3 })), start: start({ epochs: 3 }) }),
    quality(), { generatedAt: GEN });
  assert.equal(fine.convergence.trend!.decimals, 6);
  assert.equal(fine.convergence.reading, 'improving');
  assert.match(check(fine, 'convergence').message, /^Validation loss still fell by 1\.2% an epoch over the last 3 epochs \(1–3; training loss [^;]*\), above 1\.0%: the model had not converged/);
});

test('the real PyTorch tqdm capture, losses to 4 decimals, ends 0.0202 0.0202 0.0199 0.0200 0.0198: flat, not "more epochs would likely help"', async () => {
  const a = (await analyseCapture('fixtures/formats/pytorch-mnist-tqdm.log'))!;
  assert.equal(a.convergence.reading, 'plateau');
  assert.deepEqual([a.convergence.trend!.from, a.convergence.trend!.to, a.convergence.trend!.decimals], [11, 15, 4]);
  assert.equal(check(a, 'convergence').message, 'Validation loss fell by 0.5% an epoch over the last 5 epochs (11–15; its 4 printed decimals allow 0.3% to 0.6% an epoch), ' +
    'below 1.0%: flat; it has converged and more epochs are unlikely to help much.');
  assert.ok(!a.next_steps.some((s) => s.startsWith('Train longer')), a.next_steps.join('\n'));
});

test('fastai\'s second fit (real capture): validation loss flat while the training loss rises is not "converged"', async () => {
  // 0.204 0.211 0.202 validation, 0.163 0.169 0.178 training: the latest run is the second fit's table
  const a = (await analyseCapture('fixtures/formats/fastai-fit-one-cycle.log'))!;
  assert.equal(a.convergence.reading, 'plateau');
  assert.equal(a.convergence.training_rose, true);
  assert.equal(check(a, 'convergence').message, 'Validation loss fell by 0.5% an epoch over the last 3 epochs (1–3; training loss rose by 4.6% an epoch), ' +
    'below 1.0%: flat, but the training loss rose over the same epochs, so training had not settled; the log cannot show whether more epochs would help.');
  // not a pass (converged): information, pointing to the loss-rise check that warns; and no "more epochs are unlikely to help" step
  assert.equal(check(a, 'convergence').status, 'info');
  assert.equal(check(a, 'convergence').see, 'stability.loss_rises');
  assert.ok(!a.next_steps.some((s) => s.startsWith('More epochs are unlikely to help')), a.next_steps.join('\n'));
  // a plateau with the training loss flat or falling still reads as converged (the tqdm capture above, and here)
  const epochs = [0.3, 0.1, 0.0995, 0.0993, 0.0992, 0.0990].map((v, i) => epoch(i + 1, { val_loss: v, loss: 0.1 - i * 0.001 }));
  // a training loss whose printed digits allow a fall (0.10 0.10 0.10 0.11 0.11: -2.9% an epoch, or +0.08%) has not "risen"
  const rounded = [0.10, 0.10, 0.10, 0.11, 0.11].map((l, i) => epoch(i + 1, { val_loss: 0.0990 - i * 0.00001, loss: l }));
  const r = analyzeRun(run({ epochs: rounded }), quality(), { generatedAt: GEN });
  assert.deepEqual([r.convergence.reading, r.convergence.training_rose], ['plateau', false]);
  assert.equal(check(r, 'convergence').status, 'pass');
  const settled = analyzeRun(run({ epochs }), quality(), { generatedAt: GEN });
  assert.match(check(settled, 'convergence').message, /: flat; it has converged and more epochs are unlikely to help much\.$/);
  assert.equal(check(settled, 'convergence').status, 'pass');
  assert.ok(settled.next_steps.some((s) => s.startsWith('More epochs are unlikely to help')), settled.next_steps.join('\n'));
});

test('convergence across epochs missing from the log: the trend is per epoch, and the words say which epochs it spans', () => {
  // epochs 1, 2 and 4 (epoch 3's line was cut), validation loss halving every epoch: 50% an epoch, not 75% for the last step
  const epochs = [epoch(1, { val_loss: 0.2 }), epoch(2, { val_loss: 0.1 }), epoch(4, { val_loss: 0.025 })];
  const a = analyzeRun(run({ epochs, missing_epochs: [{ first: 3, last: 3 }] }), quality(), { generatedAt: GEN });
  assert.ok(Math.abs(a.convergence.trend!.rate - 0.5) < 1e-12);
  assert.match(check(a, 'convergence').message, /^Validation loss still fell by 50\.0% an epoch over epochs 1–4 \(the last 3 in the log; 1 between them is not; training loss /);
  assert.match(a.next_steps.join('\n'), /validation loss still fell by 50\.0% an epoch over epochs 1–4 \(the last 3 in the log; 1 between them is not\)\./);
  // the last epoch against the one before, across the gap, is still in report.json
  assert.equal(a.convergence.from_epoch, 2);
  assert.ok(Math.abs(a.convergence.per_epoch! - 0.5) < 1e-12);
  // a rise across the gap names both ends
  const rise = analyzeRun(run({ epochs: [epoch(1), epoch(2), epoch(4, { val_loss: 0.2 })] }), quality(), { generatedAt: GEN });
  assert.deepEqual(rise.stability.largest_rise, { metric: 'val_loss', epoch: 4, relative: (0.2 - 0.125) / 0.125, from: 2 });
  assert.match(check(rise, 'stability.loss_rises').message, /\(val_loss, epoch 2 to 4\)/);
});

test('one last-epoch rise of validation loss is judged once: within the loss-rise threshold no check warns, beyond it best vs final warns and the others point to it', () => {
  // six epochs, training loss falling; validation loss 1.2% up in the last epoch
  const vals = [0.3, 0.2, 0.12, 0.09, 0.085, 0.085 * 1.012];
  const epochs = vals.map((v, i) => epoch(i + 1, { val_loss: v, epochs: 6 }));
  const a = analyzeRun(run({ epochs, start: start({ epochs: 6 }) }), quality(), { generatedAt: GEN });
  assert.deepEqual(['stability.loss_rises', 'best_vs_final', 'convergence'].map((id) => check(a, id as CheckId).status), ['pass', 'pass', 'info']);
  // the trend over epochs 2–6 still falls, but the last epoch is above the lowest: no "more epochs would help"
  assert.equal(a.convergence.reading, 'improving');
  assert.match(check(a, 'convergence').message, /, but its last epoch is still above its lowest, at epoch 5, so this is not a sign that more epochs would help\.$/);
  assert.equal(a.verdict.level, 'healthy', a.verdict.reason);
  assert.ok(!a.next_steps.some((s) => s.startsWith('Train longer')), a.next_steps.join('\n'));
  // a rise beyond 5% is one warning, best vs final's: the two other checks that see it point there
  const big = [...vals.slice(0, 5), 0.085 * 1.06].map((v, i) => epoch(i + 1, { val_loss: v, epochs: 6 }));
  const b = analyzeRun(run({ epochs: big, start: start({ epochs: 6 }) }), quality(), { generatedAt: GEN });
  assert.deepEqual(['stability.loss_rises', 'best_vs_final', 'convergence'].map((id) => [check(b, id as CheckId).status, check(b, id as CheckId).see]),
    [['info', 'best_vs_final'], ['warn', undefined], ['info', 'best_vs_final']]);
  assert.deepEqual(b.verdict.findings.map((f) => f.rule), ['best-earlier']);
  // a rising trend is not improving and never a second warning: info, pointing to the check that warns
  const rising = [0.1, 0.09, 0.085, 0.088, 0.092, 0.097].map((v, i) => epoch(i + 1, { val_loss: v, epochs: 6 }));
  const r = analyzeRun(run({ epochs: rising, start: start({ epochs: 6 }) }), quality(), { generatedAt: GEN });
  assert.equal(r.convergence.reading, 'worsening');
  assert.deepEqual([check(r, 'convergence').status, check(r, 'convergence').see], ['info', 'overfitting']);
  assert.match(check(r, 'convergence').message, /^Validation loss rose by 2\.\d% an epoch over the last 5 epochs \(2–6; .*\): it is not improving, so more epochs would not help/);
});

test('Wilson interval for n = 10000 and unknown n', () => {
  const a = analyzeRun(run(), quality(), { generatedAt: GEN });
  assert.ok(a.confidence);
  assert.equal(a.confidence.n, 10000);
  assert.ok(a.confidence.low < 0.96 && a.confidence.high > 0.96 && a.confidence.high - a.confidence.low < 0.01);
  // textbook values: 5/10 → [0.2366, 0.7634]; 0/10 → [0, 0.2775]
  const half = analyzeRun(run({ epochs: [epoch(1, { val_accuracy: 0.5 })], start: start({ validation_samples: 10 }) }), quality(), { generatedAt: GEN });
  assert.equal(half.confidence?.low.toFixed(4), '0.2366');
  assert.equal(half.confidence?.high.toFixed(4), '0.7634');
  const zero = analyzeRun(run({ epochs: [epoch(1, { val_accuracy: 0 })], start: start({ validation_samples: 10 }) }), quality(), { generatedAt: GEN });
  assert.equal(zero.confidence?.low, 0);
  assert.equal(zero.confidence?.high.toFixed(4), '0.2775');
  const text = analyzeRun(run({ start: null }), quality(), { generatedAt: GEN });
  assert.equal(text.confidence, null);
  assert.equal(check(text, 'confidence.val_accuracy').status, 'info'); // information, never a pass or a problem
  assert.equal(check(a, 'confidence.val_accuracy').status, 'info');
  assert.equal(check(text, 'confidence.val_accuracy').message, msg.confidenceInterval(0.96, null, null, null, 0.95));
  assert.equal(text.generalization.validation_is_test_set, null);
});

test('stability: loss rises, NaN loss, divergence', () => {
  const epochs = [epoch(1, { loss: 0.3 }), epoch(2, { loss: 0.36 }), epoch(3, { loss: null, val_loss: null, non_finite: ['loss', 'val_loss'] })];
  const a = analyzeRun(run({ epochs, end: null }), quality(), { generatedAt: GEN });
  assert.deepEqual(a.stability.loss_rises, [2]);
  assert.ok(Math.abs((a.stability.largest_rise?.relative ?? 0) - 0.2) < 1e-9);
  // every rise is listed, however small, and said to be: only the largest is held to the threshold
  const small = analyzeRun(run({ epochs: [0.3, 0.31, 0.2, 0.3].map((l, i) => epoch(i + 1, { loss: l })) }), quality(), { generatedAt: GEN });
  assert.equal(check(small, 'stability.loss_rises').message, 'Training loss rose in epochs 2 and 4 (by any amount); the largest rise is 50.0% (loss, epoch 4), above 5.0%.');
  assert.equal(check(a, 'stability.loss_rises').status, 'warn');
  assert.deepEqual(a.stability.non_finite, [{ epoch: 3, metrics: ['loss', 'val_loss'] }]);
  assert.equal(check(a, 'metrics.finite').status, 'fail');
  assert.equal(check(a, 'metrics.finite').message, msg.metricsFinite([{ epoch: 3, metrics: ['loss', 'val_loss'] }]));
  assert.equal(a.stability.diverged, true);
  // a loss that is only NaN is the finite-metrics finding; divergence points there instead of failing twice
  assert.deepEqual([check(a, 'loss.divergence').status, check(a, 'loss.divergence').see], ['info', 'metrics.finite']);
  assert.equal(a.run.outcome, 'incomplete');
  assert.equal(check(a, 'run.status').message, msg.runStatus('incomplete', 3, 5, null));
  assert.equal(a.best?.epoch, 2);
  assert.equal(check(a, 'best_vs_final').status, 'info'); // nothing to compare the best epoch with
  assert.equal(check(a, 'best_vs_final').message, msg.bestVsFinal(a.best, a.final, null));
  assert.match(check(a, 'best_vs_final').message, /^The lowest validation loss was at epoch 2 .*the final epoch 3 has no finite validation loss/);
  const grow = analyzeRun(run({ epochs: [epoch(1, { loss: 0.3 }), epoch(2, { loss: 0.5 })] }), quality(), { generatedAt: GEN });
  assert.equal(grow.stability.diverged, true);
  assert.equal(check(grow, 'loss.divergence').status, 'fail');
});

test('batch spikes survive and are found', () => {
  const batches = Array.from({ length: 40 }, (_, i) => ({ epoch: 1, batch: (i + 1) * 10, loss: i === 30 ? 2.5 : 0.3, accuracy: 0.9 }));
  const a = analyzeRun(run({ batches }), quality(), { generatedAt: GEN });
  assert.deepEqual(a.stability.spikes.map((s) => s.batch), [310]);
  assert.equal(check(a, 'stability.batch_spikes').status, 'warn');
  assert.equal(check(a, 'stability.batch_spikes').message, msg.batchSpikes(a.stability.spikes, 3, 40));
  const none = analyzeRun(run(), quality(), { generatedAt: GEN });
  assert.equal(check(none, 'stability.batch_spikes').message, msg.batchSpikes([], 3, 0));
});

test('a batch loss is judged against the spread of the batches before it, on a log scale', () => {
  assert.equal(windowSpread([0.3, 0.3, 0.3, 0.3, 0.3]), 1);
  // 0.1 0.2 0.4 0.2 0.1: steps of ln 2, ln 2, −ln 2, −ln 2 between logs, their median 0, so each deviates
  // by ln 2: the spread is e^(1.4826 × ln 2 / √2)
  assert.equal(windowSpread([0.1, 0.2, 0.4, 0.2, 0.1]).toFixed(4), Math.exp((1.4826 * Math.LN2) / Math.SQRT2).toFixed(4));
  // a loss falling steadily (a running mean, early training) has no spread, however fast it falls: its steps are alike
  const falling = Array.from({ length: 20 }, (_, i) => 2.3 * Math.pow(0.3 / 2.3, i / 19));
  assert.equal(windowSpread(falling).toFixed(6), '1.000000');
  // a loss ≤ 0 has no logarithm; fewer than 5 positive ones count as steady
  assert.equal(windowSpread([0.1, 0.4, -1, 0, 0.2, 0.3]), 1);
  // single-batch losses that double and halve from one printed batch to the next (0.1 0.2 0.4 0.2 …): steps of
  // ±ln 2, so a spread of ~1.79 and a bar of ~5.4x; 0.7 (3.5x the median 0.2) is within it, 2.0 (10x) beyond it
  const loss = (i: number) => (i === 30 ? 0.7 : i === 35 ? 2.0 : [0.1, 0.2, 0.4, 0.2][i % 4]!);
  const batches = Array.from({ length: 40 }, (_, i) => ({ epoch: 1, batch: i + 1, loss: loss(i), accuracy: 0.9 }));
  const a = analyzeRun(run({ batches }), quality(), { generatedAt: GEN });
  assert.deepEqual(a.stability.spikes.map((s) => [s.batch, s.ratio, s.threshold.toFixed(1)]), [[36, 10, '5.4']]);
  assert.deepEqual(a.stability.noisy_batches.map((s) => [s.batch, s.ratio.toFixed(2)]), [[31, '3.50']]);
  assert.equal(check(a, 'stability.batch_spikes').status, 'warn');
  assert.equal(check(a, 'stability.batch_spikes').message,
    '1 batch loss spike above 3× the recent median; the largest is 2.0000 (10.0×) at epoch 1, batch 36. 1 more above 3× was within the spread of the batches before it.');
  // a running mean falling steadily from 2.3 to 0.3, then a batch at 5x its recent median: a spike (the bar stays 3x)
  const trend = Array.from({ length: 20 }, (_, i) => ({ epoch: 1, batch: i + 1, loss: 2.3 * Math.pow(0.3 / 2.3, i / 19), accuracy: 0.9 }));
  const med = [...trend].sort((x, y) => x.loss - y.loss);
  const kick = 5 * (med[9]!.loss + med[10]!.loss) / 2;
  const spiked = analyzeRun(run({ batches: [...trend, { epoch: 1, batch: 21, loss: kick, accuracy: 0.9 }] }), quality(), { generatedAt: GEN });
  assert.deepEqual(spiked.stability.spikes.map((s) => [s.batch, s.ratio.toFixed(2), s.threshold.toFixed(2)]), [[21, '5.00', '3.00']]);
  // without the 2.0, the check passes and says why the 0.7 is not a spike
  const calm = analyzeRun(run({ batches: batches.filter((b) => b.batch !== 36) }), quality(), { generatedAt: GEN });
  assert.deepEqual([calm.stability.spikes, check(calm, 'stability.batch_spikes').status], [[], 'pass']);
  assert.equal(check(calm, 'stability.batch_spikes').message,
    'No batch loss spike in 39 logged batches: 1 rose above 3× the recent median, within the spread of the batches before it (the largest 0.7000, 3.5× at epoch 1, batch 31, where that spread set the bar at 5.4×).');
});

test('timing: a stall between epoch timestamps', () => {
  const t = (s: number) => new Date(Date.UTC(2026, 10, 24, 7, 0, 0) + s * 1000).toISOString();
  const epochs = [epoch(1, { time: t(10) }), epoch(2, { time: t(20) }), epoch(3, { time: t(130) }), epoch(4, { time: t(140) })];
  const a = analyzeRun(run({ epochs }), quality(), { generatedAt: GEN });
  assert.deepEqual(a.timing.stalls, [{ epoch: 3, gap_ms: 110_000, median_duration_ms: 10_000 }]);
  assert.equal(check(a, 'timing.stalls').status, 'warn');
  assert.equal(check(a, 'timing.stalls').message, msg.stalls(a.timing.stalls, 3, 10_000));
  assert.equal(a.timing.median_samples_per_second, 6000);
});

test('run status: failed with error, interrupted, no epochs (and no end: warn)', () => {
  const failed = analyzeRun(run({ end: end('failed', { error: { name: 'RangeError', message: 'boom' } }) }), quality(), { generatedAt: GEN });
  assert.equal(check(failed, 'run.status').status, 'fail');
  assert.match(check(failed, 'run.status').message, /failed after epoch 5 of 5: RangeError: boom/);
  const intr = analyzeRun(run({ end: end('interrupted'), epochs: [epoch(1), epoch(2)] }), quality(), { generatedAt: GEN });
  assert.equal(check(intr, 'run.status').status, 'fail'); // an interrupted run failed to finish
  const cut = analyzeRun(run({ end: null, epochs: [epoch(1), epoch(2)] }), quality(), { generatedAt: GEN });
  assert.equal(check(cut, 'run.status').status, 'warn'); // no run_end: cut short or still running
  const none = analyzeRun(run({ epochs: [], end: null }), quality(), { generatedAt: GEN });
  assert.equal(none.run.outcome, 'no epochs');
  // no end either: not failed as far as the log shows (still in its first epoch, or stopped in it)
  assert.deepEqual(none.checks.map((c) => [c.id, c.status]), [['run.status', 'warn']]);
  assert.equal(none.final, null);
});

test('a run that failed before its first epoch: the next step names the error\'s message, no step about validation, "1 check"', () => {
  // fixtures/bad/no-epochs.jsonl's run_end
  const a = analyzeRun(run({ epochs: [], end: end('failed', { epochs_completed: 0, error: { name: 'Error', message: 'train-images-idx3-ubyte: magic number 0, expected 2051' } }) }),
    quality(), { generatedAt: GEN });
  assert.deepEqual(a.next_steps, ['Fix the failure (Error: train-images-idx3-ubyte: magic number 0, expected 2051) and rerun the training with the same flags.']);
  assert.equal(a.conclusion.at(-1), '1 check: 1 fail (run.status), 0 warn, 0 info, 0 pass.');
});

test('a text log that reaches its planned last epoch is completed; one that stops early is incomplete', () => {
  const done = analyzeRun(run({ format: 'keras2', start: null, end: null }), quality(), { generatedAt: GEN });
  assert.equal(done.run.outcome, 'completed');
  assert.equal(check(done, 'run.status').message, msg.runStatus('completed', 5, 5, null, false));
  assert.match(check(done, 'run.status').message, /prints no end event/);
  const early = analyzeRun(run({ format: 'keras3', start: null, end: null, epochs: [epoch(1), epoch(2)] }), quality(), { generatedAt: GEN });
  assert.equal(early.run.outcome, 'incomplete');
  const ours = analyzeRun(run({ end: null }), quality(), { generatedAt: GEN });
  assert.equal(ours.run.outcome, 'incomplete', 'our events always end with run_end');
});

test('duplicate and missing epochs; data quality', () => {
  const q = quality({ unrecognised: 3, records: 10 });
  const a = analyzeRun(run({ duplicate_epochs: [2], missing_epochs: [{ first: 4, last: 4 }], quality: q }), q, { generatedAt: GEN });
  assert.equal(check(a, 'epochs.sequence').status, 'warn');
  assert.equal(check(a, 'epochs.sequence').message, msg.epochsSequence([{ first: 4, last: 4 }], [2]));
  assert.equal(check(a, 'epochs.sequence').message, 'Epoch 4 missing from the log; epoch 2 logged more than once (a restarted task?); the last occurrence is used.');
  assert.equal(check(a, 'data.quality').status, 'warn');
  assert.equal(check(a, 'data.quality').value, 3);
  assert.ok(a.next_steps.some((s) => /new run id/.test(s)));
});

test('observations only mention ECS when run_start says so', () => {
  const plain = analyzeRun(run(), quality(), { generatedAt: GEN });
  assert.ok(!JSON.stringify(plain.observations).includes('ECS'));
  const s = start();
  s.runtime.ecs = { launch_type: 'FARGATE', region: 'us-east-2' };
  const ecs = analyzeRun(run({ start: s }), quality(), { generatedAt: GEN });
  assert.ok(JSON.stringify(ecs.observations).includes('launch type FARGATE and region us-east-2'));
});

test('analyzeRun reads no clock and no random source', () => {
  const RealDate = Date;
  const realRandom = Math.random;
  class NoClock extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) throw new Error('analyzeRun read the clock');
      super(...(args as [string]));
    }
    static override now(): number {
      throw new Error('analyzeRun read Date.now');
    }
  }
  globalThis.Date = NoClock as DateConstructor;
  Math.random = () => { throw new Error('analyzeRun used Math.random'); };
  try {
    const a = analyzeRun(run({ batches: [{ epoch: 1, batch: 1, loss: 0.3, accuracy: 0.9 }] }), quality(), { generatedAt: GEN });
    assert.equal(a.generated_at, GEN);
  } finally {
    globalThis.Date = RealDate;
    Math.random = realRandom;
  }
});

test('memory per epoch from epoch_end.memory appears under resources; a growing tensor count is called out', () => {
  const mem = (n: number, tensors: number) => ({ rss_bytes: (400 + n) * 1_048_576, heap_used_bytes: 20 * 1_048_576, tensors });
  const a = analyzeRun(run({ epochs: [1, 2, 3].map((n) => epoch(n, { memory: mem(n, 18) })) }), quality(), { generatedAt: GEN });
  assert.deepEqual(a.epochs[0]!.memory, { rss_bytes: 401 * 1_048_576, heap_used_bytes: 20 * 1_048_576, tensors: 18 });
  const resources = a.observations.find((o) => o.topic === 'Resources and timing')!.sentences;
  assert.ok(resources.includes('Memory per epoch (process RSS at epoch end): 1: 401 MiB, 2: 402 MiB, 3: 403 MiB; JavaScript heap 20 MiB to 20 MiB; live tensors stayed at 18.'), resources.join('\n'));
  const leak = analyzeRun(run({ epochs: [1, 2, 3].map((n) => epoch(n, { memory: mem(n, 18 * n) })) }), quality(), { generatedAt: GEN });
  assert.match(leak.observations.at(-1)!.sentences.join(' '), /live tensors grew from 18 to 54 \(a leak\?\)/);
  const none = analyzeRun(run(), quality(), { generatedAt: GEN });
  assert.ok(!none.observations.at(-1)!.sentences.some((s) => s.startsWith('Memory')));
});

test('generalization gap exactly at its threshold does not warn (0.964 − 0.984 is −0.02 plus floating-point noise)', () => {
  const epochs = [1, 2, 3, 4].map((n) => epoch(n)).concat(epoch(5, { accuracy: 0.984, val_accuracy: 0.964 }));
  const c = check(analyzeRun(run({ epochs }), quality(), { generatedAt: GEN }), 'generalization.gap');
  assert.equal(c.status, 'pass');
  assert.match(c.message, /^Training accuracy exceeds validation accuracy by 2\.00 pp, within 2\.00 pp;/);
  const over = [1, 2, 3, 4].map((n) => epoch(n)).concat(epoch(5, { accuracy: 0.985, val_accuracy: 0.964 }));
  assert.equal(check(analyzeRun(run({ epochs: over }), quality(), { generatedAt: GEN }), 'generalization.gap').status, 'warn');
});

test('printedDecimals: the decimals a value read from a log shows, the most of a series being its printed precision', () => {
  assert.deepEqual([0.0198, 0.02, 0.836, 1.2345e-7, 19.79, 3, 0.11969562519060217].map(printedDecimals), [4, 2, 3, 11, 2, 0, 17]);
});
