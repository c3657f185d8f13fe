// A check whose input the log lacks (no validation metrics, no timestamps, no training loss)
// cannot be judged: it is info and says why, never pass; and a run with no validation data at
// all is not an unqualified "healthy".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRun } from '../../src/analyze/analyze.js';
import * as msg from '../../src/wording/checks.js';
import * as verdictMsg from '../../src/wording/verdict.js';
import type { Analysis, CheckId } from '../../src/analyze/types.js';
import { epoch, GEN, quality, run } from './build.js';
import { readRuns } from '../parse/helpers.js';

const check = (a: Analysis, id: CheckId) => {
  const c = a.checks.find((x) => x.id === id);
  assert.ok(c, `check ${id} present`);
  return c;
};
const statuses = (a: Analysis, ids: CheckId[]) => Object.fromEntries(ids.map((id) => [id, check(a, id).status]));
const noVal = { val_loss: null, val_accuracy: null };
const analyse = (over: Parameters<typeof run>[0]) => analyzeRun(run(over), quality(), { generatedAt: GEN });

const VALIDATION_CHECKS: CheckId[] = ['accuracy.chance', 'overfitting', 'best_vs_final', 'generalization.gap',
  'validation.holdout', 'convergence', 'confidence.val_accuracy'];

test('the real Keras capture keras1-verbose2.log, fit4 (no val_* metrics, no timestamps): nothing about validation or stalls passes', async () => {
  const parsed = await readRuns('fixtures/formats/keras1-verbose2.log');
  const r = parsed.runs.find((x) => x.run_id === 'keras1-verbose2-fit4');
  assert.ok(r);
  const a = analyzeRun(r, parsed.quality, { generatedAt: GEN, noRun: parsed.no_run });
  assert.deepEqual(statuses(a, [...VALIDATION_CHECKS, 'timing.stalls']),
    Object.fromEntries([...VALIDATION_CHECKS, 'timing.stalls'].map((id) => [id, 'info'])));
  assert.equal(check(a, 'overfitting').message, msg.overfittingUnjudged('val_loss'));
  assert.equal(check(a, 'timing.stalls').message, msg.stalls([], 3, a.timing.median_epoch_ms, false, false));
  assert.match(check(a, 'generalization.gap').message, /no validation accuracy.*cannot be judged/);
  assert.match(check(a, 'stability.loss_rises').message, /no validation loss, so only training loss is checked/);
  for (const c of a.checks) assert.doesNotMatch(c.message, /never rose|no gap between epoch timestamps/, c.id);
  // healthy, but qualified: the reason says so, and the caveat beside it says why
  assert.equal(a.verdict.level, 'healthy');
  assert.equal(a.verdict.reason, verdictMsg.verdictHealthy(12, 12, null, true));
  assert.match(a.verdict.reason, /no validation data, so generalization is not judged/);
  // convergence reads training loss instead, and says what that cannot show
  assert.equal(a.convergence.metric, 'loss');
  assert.deepEqual(a.verdict.caveats, [msg.noValidation(), check(a, 'convergence').message]);
  assert.match(check(a, 'convergence').message, /^Training loss \(the log has no validation loss\) still fell by .*the log cannot show whether they would help on unseen data\.$/);
});

test('no validation metrics in an events log: the validation checks are info, the holdout caveat is stated beside "healthy"', () => {
  const a = analyse({ epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, noVal)) });
  assert.deepEqual(statuses(a, VALIDATION_CHECKS), Object.fromEntries(VALIDATION_CHECKS.map((id) => [id, 'info'])));
  assert.equal(check(a, 'best_vs_final').message, msg.bestVsFinal(null, a.final, null, false));
  // convergence is read on training loss (0.3 / n: 32.4% an epoch), which cannot show more epochs help on unseen data
  assert.match(check(a, 'convergence').message, /^Training loss \(the log has no validation loss\) still fell by 32\.4% an epoch over the last 5 epochs \(1–5\), above 1\.0%: training had not converged/);
  // with no loss at all, nothing to read
  const none = analyse({ epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { ...noVal, loss: null })) });
  assert.equal(check(none, 'convergence').message, 'The log has no validation or training loss, so convergence cannot be judged.');
  assert.equal(check(a, 'validation.holdout').message, msg.noValidation());
  // timestamps and training loss are there: those checks still judge
  assert.deepEqual(statuses(a, ['timing.stalls', 'loss.divergence', 'stability.loss_rises']),
    { 'timing.stalls': 'pass', 'loss.divergence': 'pass', 'stability.loss_rises': 'pass' });
  assert.equal(check(a, 'stability.loss_rises').message,
    'Training loss fell in every epoch; the log has no validation loss, so only training loss is checked.');
  assert.equal(a.verdict.level, 'healthy');
  assert.ok(a.verdict.caveats.includes(msg.noValidation()));
  // a held-out validation split that the log then never reports is no "pass" either
  const split = analyse({ epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, noVal)), start: { ...run().start!, config: { ...run().start!.config, validation_split: 0.1 } } });
  assert.equal(check(split, 'validation.holdout').status, 'info');
});

test('a run that logs validation loss but not validation accuracy: the accuracy gap is info, and says the loss gap', () => {
  const a = analyse({ epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { val_accuracy: null })) });
  assert.equal(check(a, 'generalization.gap').status, 'info');
  assert.match(check(a, 'generalization.gap').message, /^The log has no validation accuracy, so the gap between training and validation accuracy cannot be judged; validation loss minus training loss is /);
  assert.equal(check(a, 'overfitting').status, 'pass', 'validation loss is there: overfitting is judged');
  assert.equal(a.verdict.reason, verdictMsg.verdictHealthy(5, 5, null, false));
});

test('no timestamps: durations alone cannot show a stall; neither timestamps nor durations, the same', () => {
  const durations = analyse({ epochs: [1, 2, 3].map((n) => epoch(n, { time: null })) });
  assert.equal(check(durations, 'timing.stalls').status, 'info');
  assert.equal(check(durations, 'timing.stalls').value, null);
  assert.match(check(durations, 'timing.stalls').message, /durations but no timestamps/);
  const nothing = analyse({ epochs: [1, 2, 3].map((n) => epoch(n, { time: null, duration_ms: null })) });
  assert.equal(check(nothing, 'timing.stalls').status, 'info');
  assert.equal(check(nothing, 'timing.stalls').message, msg.stalls([], 3, null, false, false));
  const one = analyse({ epochs: [epoch(1)] });
  assert.equal(check(one, 'timing.stalls').status, 'info', 'one epoch: no gap to measure');
});

test('no training loss: divergence, overfitting and loss rises cannot be judged', () => {
  const a = analyse({ epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { loss: null, accuracy: null })) });
  assert.deepEqual(statuses(a, ['loss.divergence', 'overfitting', 'generalization.gap']),
    { 'loss.divergence': 'info', overfitting: 'info', 'generalization.gap': 'info' });
  assert.equal(check(a, 'overfitting').message, msg.overfittingUnjudged('loss'));
  assert.match(check(a, 'loss.divergence').message, /cannot be judged/);
  const none = analyse({ epochs: [1, 2, 3].map((n) => epoch(n, { loss: null, ...noVal })) });
  assert.equal(check(none, 'stability.loss_rises').status, 'info');
});

test('a run whose run_end says completed but which failed (NaN, divergence): the Conclusion opens with the failure', async () => {
  const parsed = await readRuns('fixtures/bad/nan-loss.jsonl');
  const a = analyzeRun(parsed.runs[0]!, parsed.quality, { generatedAt: GEN });
  assert.equal(a.verdict.level, 'failed');
  assert.equal(a.run.outcome, 'completed');
  assert.equal(a.conclusion[0], 'The run failed: 3 checks fail (metrics.finite, loss.divergence, accuracy.chance), '
    + 'though its training reached epoch 5 of 5 and run_end says completed.');
  // a healthy run still opens with the run status
  const ok = analyse({});
  assert.equal(ok.conclusion[0], check(ok, 'run.status').message);
});
