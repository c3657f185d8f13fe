import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGateRules, gatesFileSources, GATE_FORMS, type GateRule } from '../../src/analyze/gates-rules.js';
import { evaluateGates } from '../../src/analyze/gates.js';
import type { Analysis } from '../../src/analyze/types.js';
import * as msg from '../../src/wording/gates.js';
import { UserError } from '../../src/errors.js';
import { analysis, epochRow } from './analysis-fixture.js';

const cli = (...texts: string[]) => texts.map((text) => ({ text, origin: '--fail-on' }));
const rules = (...texts: string[]): GateRule[] => parseGateRules(cli(...texts));
const gates = (a: Analysis, r: GateRule[]) => evaluateGates(a, r).results;

test('parseGateRules reads thresholds, operators, percentages and flags', () => {
  assert.deepEqual(rules('val_accuracy<0.97', ' loss > 0.5 ', 'gap<=-2pp', 'VAL_LOSS<=.1', 'nan', 'Overfitting', 'incomplete'), [
    { kind: 'threshold', rule: 'val_accuracy<0.97', origin: '--fail-on', metric: 'val_accuracy', op: '<', threshold: 0.97 },
    { kind: 'threshold', rule: 'loss>0.5', origin: '--fail-on', metric: 'loss', op: '>', threshold: 0.5 },
    { kind: 'threshold', rule: 'gap<=-2pp', origin: '--fail-on', metric: 'gap', op: '<=', threshold: -2 },
    { kind: 'threshold', rule: 'val_loss<=0.1', origin: '--fail-on', metric: 'val_loss', op: '<=', threshold: 0.1 },
    { kind: 'flag', rule: 'nan', origin: '--fail-on', flag: 'nan' },
    { kind: 'flag', rule: 'overfitting', origin: '--fail-on', flag: 'overfitting' },
    { kind: 'flag', rule: 'incomplete', origin: '--fail-on', flag: 'incomplete' },
  ]);
});

test('a space before the unit is read: gap<-2 pp and val_accuracy<97 % are gap<-2pp and val_accuracy<97%', () => {
  assert.deepEqual(rules('gap<-2 pp').map((r) => r.rule), ['gap<-2pp']);
  assert.deepEqual(rules('gap < -2 pp', 'gap<-2pp').length, 1);
  assert.deepEqual(rules('val_accuracy<97 %', 'val_accuracy<0.97').length, 1);
});

test('the same rule given twice (flag and file) counts once', () => {
  assert.equal(rules('nan', 'NaN', 'val_accuracy<0.97', 'val_accuracy < 97%').length, 2);
});

test('a bad rule is a UserError naming the rule, its origin and the accepted forms', () => {
  for (const [text, why] of [
    // Keras 1's short names and others that point to one metric get a suggestion; a name that fits none does not
    ['val_acc<0.9', 'unknown metric "val_acc" (did you mean val_accuracy?)'],
    ['acc<0.9', 'unknown metric "acc" (did you mean accuracy?)'],
    ['valid_acc<0.9', 'unknown metric "valid_acc" (did you mean val_accuracy?)'],
    ['test_acc<0.9', 'unknown metric "test_acc" (did you mean test_accuracy?)'],
    ['min_rec<0.9', 'unknown metric "min_rec" (did you mean min_recall?)'],
    ['val_loss_ratio<0.9', 'unknown metric "val_loss_ratio"'],
    ['precision<0.9', 'unknown metric "precision"'],
    ['val<0.9', 'unknown metric "val"'],
    ['val_accuracy=0.9', 'not a rule'],
    ['val_accuracy<', 'not a rule'],
    ['val_accuracy<abc', 'not a rule'],
    // a slip of a rule without a threshold gets its name too, as a metric's does
    ['overfit', 'not a rule (did you mean overfitting?)'],
    ['overfiting', 'not a rule (did you mean overfitting?)'],
    ['below-history', 'not a rule (did you mean below_history?)'],
    ['regresion', 'not a rule (did you mean regression?)'],
    ['val_acuracy<0.9', 'unknown metric "val_acuracy" (did you mean val_accuracy?)'],
    ['fail', 'not a rule (did you mean failed?)'],
    ['healthy', 'not a rule'],
    // the gap's unit is required, so a rule written for the old train − val fraction cannot pass silently
    ['gap>0.02', 'gap is validation − training accuracy in percentage points: write the unit, e.g. gap<-2pp (fails when training is more than 2 points ahead)'],
    ['loss>2pp', 'only gap is in percentage points (pp)'],
    ['', 'not a rule'],
    // percent and fraction never mixed: an accuracy given as 97 would always fail
    ['val_accuracy<97', 'val_accuracy is a fraction (0.97 is 97%): write val_accuracy<0.97 or val_accuracy<97%'],
    ['val_loss>10%', 'val_loss is not a percentage: give it as a number (e.g. val_loss>0.1)'],
    ['val_accuracy<150%', 'val_accuracy is between 0% and 100%, so val_accuracy<150% fails every run'],
    ['val_accuracy<-0.5', 'val_accuracy is between 0% and 100%, so val_accuracy<-0.5 can never fail'],
    // every operator at or past either end of the metric's range: the gate never fails, or fails every run
    ['val_accuracy<-1', 'val_accuracy is between 0% and 100%, so val_accuracy<-1 can never fail'],
    ['val_accuracy>1', 'val_accuracy is between 0% and 100%, so val_accuracy>1 can never fail'],
    ['val_accuracy>100%', 'val_accuracy is between 0% and 100%, so val_accuracy>100% can never fail'],
    ['val_accuracy<0', 'val_accuracy is between 0% and 100%, so val_accuracy<0 can never fail'],
    ['val_accuracy>=0', 'val_accuracy is between 0% and 100%, so val_accuracy>=0 fails every run'],
    ['accuracy<=1', 'accuracy is between 0% and 100%, so accuracy<=1 fails every run'],
    ['test_accuracy>=101%', 'test_accuracy is between 0% and 100%, so test_accuracy>=101% can never fail'],
    ['val_loss<0', 'val_loss is never below 0, so val_loss<0 can never fail'],
    ['val_loss>-1', 'val_loss is never below 0, so val_loss>-1 fails every run'],
    ['loss>=0', 'loss is never below 0, so loss>=0 fails every run'],
    ['test_loss<=-0.1', 'test_loss is never below 0, so test_loss<=-0.1 can never fail'],
    ['gap<-100pp', 'gap is between −100 pp and +100 pp, so gap<-100pp can never fail'],
    ['gap>=-100pp', 'gap is between −100 pp and +100 pp, so gap>=-100pp fails every run'],
    ['min_recall<0', 'min_recall is between 0% and 100%, so min_recall<0 can never fail'],
    // ece and min_recall are fractions printed as percentages: a bare 5 is 500%, and past 100% or below 0 nothing is meant
    ['ece>5', 'ece is a fraction (0.05 is 5%): write ece>0.05 or ece>5%'],
    ['ece>150%', 'ece is between 0% and 100%, so ece>150% can never fail'],
    ['ece>-1%', 'ece is between 0% and 100%, so ece>-1% fails every run'],
    ['min_recall<95', 'min_recall is a fraction (0.95 is 95%): write min_recall<0.95 or min_recall<95%'],
    ['test_loss>5%', 'test_loss is not a percentage: give it as a number (e.g. test_loss>0.1)'],
  ] as const) {
    assert.throws(() => rules(text), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.message, `bad quality gate ${JSON.stringify(text)} (--fail-on): ${why}; accepted: ${GATE_FORMS}`);
      return true;
    });
  }
});

test('a threshold inside the metric\'s range is accepted at either end when some run can pass it and some fail it', () => {
  // 100% and a loss of 0 can be reached: val_accuracy<1 fails all but a perfect run, val_loss>0 all but a zero loss
  assert.deepEqual(rules('val_accuracy<1', 'val_accuracy<=0', 'val_loss>0', 'val_loss<=0', 'gap<100pp', 'loss_gap<-5', 'loss_gap>5', 'ece>=1').map((r) => r.rule),
    ['val_accuracy<1', 'val_accuracy<=0', 'val_loss>0', 'val_loss<=0', 'gap<100pp', 'loss_gap<-5', 'loss_gap>5', 'ece>=1']);
});

test('ece and min_recall take a percentage, as the report prints them: ece>1% is ece>0.01', () => {
  assert.deepEqual(rules('ece>1%', 'min_recall<95%', 'ece>0.5%').map((r) => r.kind === 'threshold' && [r.rule, r.threshold]), [
    ['ece>0.01', 0.01], ['min_recall<0.95', 0.95], ['ece>0.005', 0.005],
  ]);
  // the same rule written both ways counts once
  assert.equal(rules('ece>1%', 'ece>0.01').length, 1);
  assert.match(GATE_FORMS, /for the accuracies, min_recall and ece also a percentage such as 97%/);
});

test('gatesFileSources skips comments and blank lines and keeps line numbers', () => {
  const text = '# gates\nval_accuracy<0.95\n\n  nan  # finite only\r\nincomplete\n';
  assert.deepEqual(gatesFileSources(text, '.ci/gates.txt'), [
    { text: 'val_accuracy<0.95', origin: '.ci/gates.txt:2' },
    { text: 'nan', origin: '.ci/gates.txt:4' },
    { text: 'incomplete', origin: '.ci/gates.txt:5' },
  ]);
  assert.throws(() => parseGateRules(gatesFileSources('nan\nval_accuracy >> 1\n', 'g.txt')), /\(g\.txt:2\)/);
});

test('threshold gates pass and fail on the final epoch, with values and messages', () => {
  const a = analysis(); // final: loss 0.10, accuracy 0.970, val_loss 0.085, val_accuracy 0.974
  const results = gates(a, rules('val_accuracy<0.97', 'val_accuracy<0.999', 'loss>0.05', 'val_loss>=0.2'));
  assert.deepEqual(results.map((r) => [r.rule, r.status, r.value, r.threshold, r.shown.value, r.shown.threshold]), [
    ['val_accuracy<0.97', 'pass', 0.974, 0.97, '97.40%', '< 97.00%'],
    ['val_accuracy<0.999', 'fail', 0.974, 0.999, '97.40%', '< 99.90%'],
    ['loss>0.05', 'fail', 0.1, 0.05, '0.1000', '> 0.0500'],
    ['val_loss>=0.2', 'pass', 0.085, 0.2, '0.0850', '>= 0.2000'],
  ]);
  assert.equal(results[1]!.message, msg.thresholdGate('val_accuracy', '<', 0.999, 0.974, true));
  assert.equal(results[1]!.message, 'Final validation accuracy 97.40% is below 99.90%.');
  assert.equal(results[0]!.message, 'Final validation accuracy 97.40% is not below 97.00%.');
});

test('a threshold is printed as given and its value beside it with as many decimals: never 0.00% for ece>0.00001', () => {
  // ECE 0.33% against 0.001%: both with the threshold's 3 decimals (was "0.33% is above 0.00%")
  const evaluated = analysis({ evaluation: { set: 'test', calibration: { ece: 0.0033211 } } as unknown as Analysis['evaluation'] });
  const [ece, inPct] = gates(evaluated, rules('ece>0.00001', 'ece<0.7%'));
  assert.deepEqual([ece!.status, ece!.shown], ['fail', { value: '0.332%', threshold: '> 0.001%' }]);
  assert.equal(ece!.message, 'Expected calibration error of the evaluation 0.332% is above 0.001%.');
  assert.equal(msg.gatesFailed([ece!], 'run-a'), '1 quality gate failed for run run-a: ece>0.00001 (was 0.332%)');
  // 0.7% is the rule ece<0.007, not ece<0.006999999999999999 (0.7 / 100 in floating point)
  assert.deepEqual([inPct!.rule, inPct!.threshold, inPct!.shown.threshold], ['ece<0.007', 0.007, '< 0.70%']);
  // a missing value: the threshold alone, still as given
  assert.deepEqual(gates(analysis(), rules('ece>0.00001'))[0]!.shown, { value: 'n/a', threshold: '> 0.001%' });
  // a value that rounds onto its threshold is written until they differ, the right way round
  const near = analysis({ epochs: [epochRow(1, 0.07491, 0.97, 0.085, 0.96999)] });
  assert.deepEqual(gates(near, rules('val_accuracy<0.97', 'loss>0.0749', 'loss<0.07495', 'loss>0.00001')).map((g) => [g.status, g.shown.value, g.shown.threshold]), [
    ['fail', '96.999%', '< 97.000%'], ['fail', '0.07491', '> 0.07490'], ['fail', '0.07491', '< 0.07495'], ['fail', '0.0749', '> 1e-5'],
  ]);
  assert.equal(msg.thresholdGate('val_accuracy', '<', 0.97, 0.96999, true), 'Final validation accuracy 96.999% is below 97.000%.');
  // the usual case keeps the report's own digits
  assert.deepEqual(msg.fmtGatePair('val_accuracy', 0.974, 0.97), { value: '97.40%', threshold: '97.00%' });
  assert.deepEqual(msg.fmtGatePair('gap', -2.5, -2), { value: '−2.50 pp', threshold: '−2.00 pp' });
  assert.deepEqual(msg.fmtGatePair('gap', 0.004, 0.001), { value: '+0.004 pp', threshold: '+0.001 pp' });
});

test('gap is validation minus training accuracy in percentage points (as in the table and checks); loss_gap is val_loss minus loss', () => {
  const ahead = analysis({ epochs: [epochRow(1, 0.05, 0.99, 0.09, 0.965)] }); // train ahead by 2.5 pp
  const [gap, gapOk, lossGap] = gates(ahead, rules('gap<-2pp', 'gap<-3pp', 'loss_gap>0.03'));
  assert.equal(gap!.status, 'fail');
  assert.ok(Math.abs((gap!.value as number) + 2.5) < 1e-9);
  assert.deepEqual(gap!.shown, { value: '−2.50 pp', threshold: '< −2.00 pp' });
  assert.equal(gap!.message, 'Final accuracy gap (validation − training) −2.50 pp is below −2.00 pp.');
  assert.equal(gapOk!.status, 'pass');
  assert.equal(lossGap!.status, 'fail');
  // validation above training (the usual MNIST picture with dropout): the gap is positive and passes
  assert.equal(gates(analysis(), rules('gap<-2pp'))[0]!.status, 'pass');
  assert.ok((gates(analysis(), rules('gap<0pp'))[0]!.value as number) > 0);
});

test('a gap at the threshold up to floating-point noise passes the gate as it passes the check (0.964 − 0.984 is −2.0000000000000018 pp)', () => {
  const at = analysis({ epochs: [epochRow(1, 0.05, 0.984, 0.09, 0.964)] });
  const [gap, atOrBelow] = gates(at, rules('gap<-2pp', 'gap<=-2pp'));
  assert.equal(gap!.status, 'pass', `value ${gap!.value}`);
  assert.equal(atOrBelow!.status, 'fail');
});

test('a metric that is missing or non-finite fails its threshold gate', () => {
  const a = analysis({ epochs: [epochRow(1, 0.3, 0.9, null, null)] });
  const [va, test_] = gates(a, rules('val_accuracy<0.5', 'test_accuracy<0.5'));
  assert.equal(va!.status, 'fail');
  assert.equal(va!.value, null);
  assert.equal(va!.message, 'Final validation accuracy is missing (not logged, or NaN/Infinity), so the gate cannot pass.');
  assert.equal(test_!.status, 'fail');
  const withTest = analysis({ test: { loss: 0.07, accuracy: 0.978 } });
  assert.equal(gates(withTest, rules('test_accuracy<0.97'))[0]!.status, 'pass');
});

test('nan fails on any non-finite epoch metric', () => {
  const base = analysis();
  assert.equal(gates(base, rules('nan'))[0]!.status, 'pass');
  const bad = analysis({ stability: { ...base.stability, non_finite: [{ epoch: 3, metrics: ['loss', 'val_loss'] }] } });
  const [g] = gates(bad, rules('nan'));
  assert.deepEqual([g!.status, g!.value], ['fail', 1]);
  assert.equal(g!.message, 'Non-finite metrics (NaN or Infinity, written as null) in epoch 3 (loss, val_loss).');
});

test('overfitting fails when the analysis found an onset, and says when there are too few epochs', () => {
  const base = analysis();
  const [ok] = gates(base, rules('overfitting'));
  assert.equal(ok!.status, 'pass');
  assert.equal(ok!.message, msg.overfittingGate(null, null, null, 2));
  const fired = analysis({ overfitting: { patience: 2, onset_epoch: 4, recovered: null, stop_epoch: 5, kept_epoch: 3 } });
  const [g] = gates(fired, rules('overfitting'));
  assert.deepEqual([g!.status, g!.value, g!.shown.value], ['fail', 4, 'epoch 4']);
  const short = analysis({ epochs: [epochRow(1, 0.3, 0.9, 0.2, 0.94), epochRow(2, 0.2, 0.93, 0.15, 0.95)] });
  // too few epochs for an onset to show: not judged, so the gate cannot pass (it passed, saying "2 epochs are too few")
  const [few] = gates(short, rules('overfitting'));
  assert.deepEqual([few!.status, few!.shown.value, few!.message], ['fail', 'not judged',
    'An onset takes 3 epochs with both losses (patience 2 + 1) and the log has 2, so overfitting cannot be ruled out and the gate cannot pass.']);
  // no validation loss in the log: no onset can be seen, so the gate cannot pass (its check is info, "cannot be judged")
  const noVal = analysis({ epochs: [1, 2, 3].map((n) => epochRow(n, 0.3 / n, 0.9, null, null)) });
  const [u] = gates(noVal, rules('overfitting'));
  assert.deepEqual([u!.status, u!.shown.value, u!.message],
    ['fail', 'not judged', 'The log has no validation loss, so overfitting cannot be ruled out and the gate cannot pass.']);
});

test('incomplete fails for every outcome but completed', () => {
  const base = analysis();
  assert.equal(gates(base, rules('incomplete'))[0]!.status, 'pass');
  for (const outcome of ['interrupted', 'failed', 'incomplete', 'no epochs'] as const) {
    const a = analysis({ run: { ...base.run, outcome, epochs_planned: 5 } });
    const [g] = gates(a, rules('incomplete'));
    assert.deepEqual([g!.status, g!.value], ['fail', outcome]);
  }
  const cut = analysis({ run: { ...base.run, outcome: 'interrupted', epochs_planned: 5 } });
  assert.equal(gates(cut, rules('incomplete'))[0]!.message, 'The run was interrupted (SIGTERM or SIGINT, e.g. an ECS task stop) after epoch 3 of 5.');
});

test('the gate report counts and summarises; gatesFailed names each failed rule and its value', () => {
  const ok = evaluateGates(analysis(), rules('val_accuracy<0.9', 'nan'));
  assert.deepEqual([ok.passed, ok.failed, ok.summary], [2, 0, 'Both quality gates passed.']);
  const base = analysis();
  const bad = analysis({
    run: { ...base.run, outcome: 'interrupted' },
    stability: { ...base.stability, non_finite: [{ epoch: 2, metrics: ['loss'] }] },
  });
  const report = evaluateGates(bad, rules('val_accuracy<0.999', 'incomplete', 'nan', 'loss>1'));
  assert.deepEqual([report.passed, report.failed], [1, 3]);
  assert.equal(report.summary, '3 of 4 quality gates failed: val_accuracy<0.999, incomplete and nan. mnist-report exits with code 3.');
  const failed = report.results.filter((r) => r.status === 'fail');
  assert.equal(msg.gatesFailed(failed, 'run-a'),
    '3 quality gates failed for run run-a: val_accuracy<0.999 (was 97.40%), incomplete (interrupted), nan (1 epoch)');
  // the verdict gates' value is the verdict, and says so
  const verdict = evaluateGates({ ...base, verdict: { ...base.verdict, level: 'needs attention' } }, rules('failed', 'attention'));
  assert.equal(msg.gatesFailed(verdict.results.filter((r) => r.status === 'fail'), 'run-a'),
    '1 quality gate failed for run run-a: attention (verdict needs attention)');
  assert.equal(evaluateGates(base, []).summary, 'No quality gates were set.');
});
