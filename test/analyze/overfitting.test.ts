// Overfitting is a validation-loss rise (patience epochs, training loss falling) that starts at or
// after the epoch with the lowest validation loss: one that validation loss never recovered from.
// A rise before the lowest epoch is said as info, and no sentence calls an epoch the lowest unless it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRun } from '../../src/analyze/analyze.js';
import { evaluateGates } from '../../src/analyze/gates.js';
import { parseGateRules } from '../../src/analyze/gates-rules.js';
import type { Analysis } from '../../src/analyze/types.js';
import { end, epoch, GEN, quality, run, start } from './build.js';
import { iterate, readRuns, rec } from '../parse/helpers.js';
import { collectRuns } from '../../src/runs/collect.js';
import { readFileSync } from 'node:fs';

const rules = (a: Analysis) => a.verdict.findings.map((f) => f.rule);
const check = (a: Analysis, id: string) => a.checks.find((c) => c.id === id)!;
const overfittingGate = (a: Analysis) => evaluateGates(a, parseGateRules([{ text: 'overfitting', origin: '--fail-on' }])).results[0]!;

/** Every sentence the report prints from the analysis: verdict, checks, observations, conclusion, next steps. */
function sentences(a: Analysis): string[] {
  return [a.verdict.reason, ...a.verdict.findings.map((f) => f.reason), ...a.verdict.caveats, ...a.checks.map((c) => c.message),
    ...a.observations.flatMap((o) => o.sentences), ...a.conclusion, ...a.next_steps];
}

/** Each "epoch N had the lowest validation loss" / "lowest validation loss: `mnist-train --epochs N`" names a.best. */
function lowestNamed(a: Analysis): number[] {
  const out: number[] = [];
  for (const s of sentences(a)) {
    for (const m of s.matchAll(/[Ee]poch (\d+) had the lowest validation loss/g)) out.push(Number(m[1]));
    for (const m of s.matchAll(/lowest validation loss(?:, epoch (\d+)|: `mnist-train --epochs (\d+)`)/g)) out.push(Number(m[1] ?? m[2]));
  }
  return out;
}

// /tmp/tester/dip.jsonl's shape: up in epochs 3 and 4, then down to a new low every epoch to 8
const DIP = [0.30, 0.20, 0.22, 0.24, 0.15, 0.10, 0.08, 0.07];
const dipRun = (vals: number[]) => analyzeRun(run({
  start: start({ epochs: vals.length }),
  epochs: vals.map((v, i) => epoch(i + 1, { epochs: vals.length, val_loss: v, loss: 0.5 - i * 0.04 })),
}), quality(), { generatedAt: GEN });

test('a rise validation loss later falls below, to a new low, is not overfitting: info, no finding, no onset, the gate passes', () => {
  const a = dipRun(DIP);
  assert.deepEqual(a.overfitting, { patience: 2, onset_epoch: null, recovered: { epoch: 3, low_epoch: 8 }, stop_epoch: 4, kept_epoch: 2 });
  assert.equal(a.best?.epoch, 8);
  assert.equal(check(a, 'overfitting').status, 'info');
  assert.equal(check(a, 'overfitting').message, 'No overfitting of the final model: validation loss rose for 2 consecutive epochs from epoch 3 ' +
    'while training loss fell, but then fell to a new low, its lowest at epoch 8; early stopping with patience 2 would have stopped ' +
    'after epoch 4 and kept epoch 2, not the one with the lowest validation loss (epoch 8).');
  assert.ok(!rules(a).includes('overfitting'), rules(a).join());
  assert.doesNotMatch(a.verdict.reason, /[Oo]verfitting/);
  assert.equal(overfittingGate(a).status, 'pass');
  assert.deepEqual(lowestNamed(a).filter((e) => e !== 8), []);
  assert.ok(!a.next_steps.some((s) => /--epochs 2\b|Stop at/.test(s)), a.next_steps.join('\n'));
});

test('a rise after the lowest epoch is overfitting even after an earlier recovered rise; every sentence names the lowest epoch', () => {
  const a = dipRun([...DIP, 0.09, 0.11]); // lowest at 8, then up in 9 and 10 while training loss falls
  assert.deepEqual([a.overfitting.onset_epoch, a.overfitting.recovered, a.overfitting.kept_epoch], [9, { epoch: 3, low_epoch: 8 }, 2]);
  assert.equal(check(a, 'overfitting').status, 'warn');
  assert.equal(rules(a)[0], 'overfitting');
  assert.equal(a.verdict.reason, 'Overfitting from epoch 9: validation loss rose while training loss fell; epoch 8 had the lowest validation loss.');
  assert.match(check(a, 'overfitting').message, /^Overfitting from epoch 9: validation loss rose for 2 consecutive epochs while training loss fell after the lowest validation loss \(epoch 8\) and never fell below it again;/);
  assert.ok(a.next_steps.includes('Stop at the epoch with the lowest validation loss: `mnist-train --epochs 8` ' +
    '(patience-2 early stopping would stop sooner, after epoch 4, and keep epoch 2).'), a.next_steps.join('\n'));
  assert.deepEqual(lowestNamed(a).filter((e) => e !== 8), []);
  assert.equal(overfittingGate(a).status, 'fail');
  // not "try a larger model": a model that overfits is regularised
  assert.ok(a.next_steps.includes("More epochs or a larger model would overfit more: to do better than epoch 8, regularise instead (more dropout, weight decay, data augmentation: in the model's code, mnist-train has no flag for them)."), a.next_steps.join('\n'));
  assert.ok(!a.next_steps.some((s) => /larger model \(/.test(s)), a.next_steps.join('\n'));
  // interrupted at epoch 2 of 5, still improving, training accuracy 4 points ahead: finish the run, no "would overfit more"
  const cut = analyzeRun(run({ epochs: [epoch(1, { accuracy: 0.95, val_accuracy: 0.93 }), epoch(2, { accuracy: 0.99, val_accuracy: 0.95 })], end: end('interrupted', { epochs_completed: 2 }) }),
    quality(), { generatedAt: GEN });
  assert.equal(check(cut, 'generalization.gap').status, 'warn');
  assert.ok(cut.next_steps.some((s) => /rerun it to completion/.test(s)), cut.next_steps.join('\n'));
  assert.ok(!cut.next_steps.some((s) => /would overfit more/.test(s)), cut.next_steps.join('\n'));
});

test('the Lightning capture (val_loss 1.820 at epoch 11, 0.833 at 99): no overfitting, nothing says epoch 11 was the lowest', async () => {
  const parsed = await readRuns('fixtures/formats/lightning-bar.log');
  const a = analyzeRun(parsed.runs[0]!, parsed.quality, { generatedAt: GEN, noRun: parsed.no_run });
  assert.equal(a.run.format, 'lightning');
  assert.equal(a.best?.epoch, 99);
  assert.deepEqual([a.overfitting.onset_epoch, a.overfitting.recovered], [null, { epoch: 12, low_epoch: 99 }]);
  assert.equal(check(a, 'overfitting').status, 'info');
  assert.ok(!rules(a).includes('overfitting'));
  // the training-ahead gap (99.9% against 79.1%) is the finding now, no longer pointed to overfitting
  assert.deepEqual([a.verdict.level, rules(a)[0]], ['needs attention', 'train-ahead']);
  assert.equal(overfittingGate(a).status, 'pass');
  assert.deepEqual(lowestNamed(a).filter((e) => e !== 99), []);
  assert.ok(!sentences(a).some((s) => /epoch 11 had|--epochs 11|epochs setting.*\b11\b/.test(s)), a.next_steps.join('\n'));
  // its last epoch's validation loss rose 0.4%, within the 5% the loss-rise check allows: a plateau, not a
  // second warning of the same step (convergence warned "got worse by 0.4%" before)
  assert.equal(a.convergence.reading, 'plateau');
  // with training accuracy 20 points above validation, a larger model is not the advice: regularising is
  // and the loss-rise check's warning (other-warning) has its own step
  assert.deepEqual(a.next_steps, ['More epochs or a larger model would overfit more: to do better on the validation data, regularise instead (more dropout, weight decay, data augmentation).',
    'Look at epoch 68, where val_loss rose by 18.3% (the largest rise): rises that recur point to a learning rate too high for that stage of training, which a lower one, or one that decays, steadies.']);
});

test('one validation-loss rise after the lowest epoch, with no overfitting onset, is judged once: by best vs final; loss rises and convergence point to it', async () => {
  // hf-trainer.log (real): validation loss 0.0371, 0.0336, 0.0397: +18.1% in the last epoch, once, so no onset
  const parsed = await readRuns('fixtures/formats/hf-trainer.log');
  const a = analyzeRun(parsed.runs[0]!, parsed.quality, { generatedAt: GEN });
  assert.equal(check(a, 'overfitting').status, 'pass');
  assert.deepEqual([check(a, 'best_vs_final').status, check(a, 'best_vs_final').see], ['warn', undefined]);
  for (const id of ['stability.loss_rises', 'convergence']) assert.deepEqual([check(a, id).status, check(a, id).see], ['info', 'best_vs_final'], id);
  assert.match(check(a, 'stability.loss_rises').message, /18\.1% \(val_loss, epoch 3\)/);
  // its 13 unread lines are the script's own prints ([INFO] …): plain text, no data-quality finding
  assert.deepEqual(rules(a), ['best-earlier']);
});

test('a loss rise before the lowest epoch is its own finding: only the last epoch\'s rise points to best vs final', async () => {
  // keras1-verbose2.log (real) cut after epoch 9: validation loss +63.5% in epoch 7 (recovered: lowest at epoch 8), +7.8% in epoch 9
  const lines = readFileSync('fixtures/formats/keras1-verbose2.log', 'utf8').split('\n').slice(0, 19);
  const parsed = await collectRuns(iterate([lines.map((l, i) => rec(l, { line: i + 1 }))]));
  const a = analyzeRun(parsed.runs[0]!, parsed.quality, { generatedAt: GEN });
  assert.equal(a.best?.epoch, 8);
  assert.deepEqual([check(a, 'best_vs_final').status, check(a, 'convergence').status, check(a, 'convergence').see], ['warn', 'info', 'best_vs_final']);
  assert.deepEqual([check(a, 'stability.loss_rises').status, check(a, 'stability.loss_rises').see], ['warn', undefined]);
  assert.match(check(a, 'stability.loss_rises').message, /63\.5% \(val_loss, epoch 7\)/);
});
