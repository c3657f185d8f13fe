// One test per verdict rule (README "Verdict"), plus the caveats that must not
// change a healthy verdict and the key-number row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRun } from '../../src/analyze/analyze.js';
import { VERDICT_RULES, withVerdict, type VerdictRuleId } from '../../src/analyze/verdict.js';
import { compareBaseline } from '../../src/analyze/baseline.js';
import { compareHistory, earlierRun } from '../../src/analyze/history.js';
import type { Run } from '../../src/types.js';
import type { Analysis } from '../../src/analyze/types.js';
import { end, epoch, GEN, quality, run, start } from './build.js';
import { collectRuns } from '../../src/runs/collect.js';
import * as msg from '../../src/wording/checks.js';
import { readFileRecords } from '../../src/sources/file.js';

const analyse = (...args: Parameters<typeof run>) => analyzeRun(run(...args), quality(), { generatedAt: GEN });
const rules = (a: Analysis): VerdictRuleId[] => a.verdict.findings.map((f) => f.rule);

/** A healthy plateaued run: 5 epochs, loss falling, last improvement below 1%. */
const plateau = () => [1, 2, 3, 4, 5].map((n) => epoch(n, { val_loss: n === 5 ? 0.0501 : 0.25 / n, loss: 0.3 / n }));

test('every rule is listed once, most severe first', () => {
  const ids = VERDICT_RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  const levels = VERDICT_RULES.map((r) => r.level);
  assert.deepEqual(levels, [...levels].sort((x, y) => (x === 'failed' ? 0 : 1) - (y === 'failed' ? 0 : 1)));
});

test('healthy: no check fails or warns; the test-set caveat and "more epochs would help" are beside it, not against it', () => {
  const a = analyse(); // still improving, validates on the test set
  assert.equal(a.verdict.level, 'healthy');
  assert.deepEqual(a.verdict.findings, []);
  assert.equal(a.verdict.reason, 'Completed 5 of 5 epochs with finite, non-diverging metrics and 96.00% validation accuracy; no check failed or warned.');
  assert.equal(a.verdict.caveats.length, 2);
  assert.match(a.verdict.caveats[0]!, /MNIST test images/);
  assert.match(a.verdict.caveats[1]!, /more epochs would likely help/);
  assert.equal(analyse({ epochs: plateau() }).verdict.level, 'healthy');
});

test('rule run-failed: a failed or interrupted run is failed, with or without epochs', () => {
  const failed = analyse({ end: end('failed', { error: { name: 'RangeError', message: 'boom' } }) });
  assert.deepEqual([failed.verdict.level, rules(failed)[0]], ['failed', 'run-failed']);
  assert.equal(failed.verdict.reason, 'The run failed after epoch 5 of 5 (RangeError: boom).');
  const killed = analyse({ end: end('interrupted'), epochs: [1, 2, 3].map((n) => epoch(n)) });
  assert.deepEqual([killed.verdict.level, killed.verdict.reason], ['failed', 'The run was interrupted after epoch 3 of 5.']);
  // ended before its first epoch (fixtures/bad/no-epochs.jsonl): failed, as the log says
  const early = analyse({ epochs: [], end: end('failed', { epochs_completed: 0, error: { name: 'Error', message: 'magic number 0' } }) });
  assert.deepEqual([early.verdict.level, early.verdict.reason], ['failed', 'The run failed (Error: magic number 0).']);
});

test('rule cut-short: a run with run_start, no epochs and no end has not failed: no epoch results yet, needs attention', () => {
  const starting = { epochs: [], end: null, first_time: '2026-11-24T07:00:00.000Z', last_time: '2026-11-24T07:00:00.000Z' };
  const a = analyse(starting);
  assert.deepEqual([a.verdict.level, rules(a)], ['needs attention', ['cut-short']]);
  assert.equal(a.verdict.reason, 'No epoch results yet: the run started at 2026-11-24T07:00:00.000Z and the log ends there ' +
    '(still in its first epoch, or stopped before finishing it).');
  // batches logged after its start: the log ends later, still with no epoch
  const batches = analyse({ ...starting, last_time: '2026-11-24T07:00:09.000Z' });
  assert.match(batches.verdict.reason, /started at 2026-11-24T07:00:00\.000Z and the log ends at 2026-11-24T07:00:09\.000Z with no epoch finished/);
  // the CLI's --run latest names the input's latest run with epochs, for --run
  const named = analyzeRun(run(starting), quality(), { generatedAt: GEN, earlierWithEpochs: { run_id: 'r0', epochs_seen: 5 } });
  assert.equal(named.verdict.reason, 'No epoch results yet: the run started at 2026-11-24T07:00:00.000Z and the log ends there ' +
    "(still in its first epoch, or stopped before finishing it); the input's latest run with epoch results is r0 (5 epochs): --run r0 reports it.");
  assert.deepEqual(named.run.earlier_with_epochs, { run_id: 'r0', epochs_seen: 5 });
  assert.deepEqual(named.next_steps, [
    'Report the run again once it has logged its first epoch (until then mnist-report exits 4), or follow it as it trains: the same command with `--follow`.',
    "If it is no longer running, find out what stopped it before its first epoch ended (a task stop, out of memory, a crash at start-up: the task's own exit code and logs); its log holds nothing after 2026-11-24T07:00:00.000Z.",
    "To report the input's latest run with epoch results instead: the same command with `--run r0`.",
  ]);
  // a run with epochs is not given one (report.json as it was)
  assert.equal(analyzeRun(run(), quality(), { generatedAt: GEN, earlierWithEpochs: { run_id: 'r0', epochs_seen: 5 } }).run.earlier_with_epochs, undefined);
});

test('no epochs but lines that could not be read: the verdict and the run-status check say so, not just "no epoch results"', () => {
  // "Epoch 1/2" headers read as Keras, the metric lines under them in a form no format reads
  const q = quality({ records: 4, recognised: 2, unrecognised: 2 });
  const a = analyzeRun(run({ epochs: [], end: null, quality: q }), q, { generatedAt: GEN });
  assert.equal(a.verdict.reason, 'The log holds no epoch results for this run; 2 lines of the log could not be read (see Data Quality).');
  assert.equal(a.checks.find((c) => c.id === 'run.status')!.message, 'The log holds no epoch results for this run, so there is nothing to analyse; ' +
    '2 lines of the log could not be read (see Data Quality), which may be its metrics in a format mnist-report does not know.');
});

test('rule non-finite: a NaN or Infinity metric fails the run, with the epochs named', () => {
  const a = analyse({ epochs: [epoch(1), epoch(2), epoch(3, { val_loss: null, non_finite: ['val_loss'] })] , end: end('completed', { epochs_completed: 3 }), start: start({ epochs: 3 }) });
  assert.deepEqual([a.verdict.level, rules(a)[0]], ['failed', 'non-finite']);
  assert.match(a.verdict.reason, /^Metrics became NaN or Infinity: epoch 3 \(val_loss\)/);
});

test('rule diverged: training loss growing past 1.5× the first epoch fails the run', () => {
  const a = analyse({ epochs: [epoch(1, { loss: 0.3 }), epoch(2, { loss: 0.6 })], start: start({ epochs: 2 }) });
  assert.deepEqual([a.verdict.level, rules(a)[0]], ['failed', 'diverged']);
  assert.match(a.verdict.reason, /^Training loss diverged from 0\.3000 to 0\.6000/);
});

test('rule chance: validation accuracy not above 10% with 95% confidence fails the run', () => {
  const at = analyse({ epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { accuracy: 0.1, val_accuracy: 0.101 })) }); // interval 9.5%–10.7%
  assert.deepEqual([at.verdict.level, rules(at)], ['failed', ['chance']]);
  assert.equal(at.verdict.reason, 'Final validation accuracy 10.10% is not above chance with 95% confidence.');
  const above = analyse({ epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { accuracy: 0.1, val_accuracy: 0.12 })) });
  assert.ok(!rules(above).includes('chance'));
});

test('rule contradicts: a validation accuracy at chance beside the log\'s own evaluation far above it is one finding that says both (plain-print-python-logging.log)', async () => {
  // the real capture's fold 4: "Val Acc: 0.0041" each epoch, then a confusion matrix [[231 8] [2 237]]: 468 of 478 right
  const log = await collectRuns(readFileRecords('fixtures/formats/plain-print-python-logging.log'));
  const fold4 = log.runs.find((r) => r.run_id === 'plain-print-python-logging-fit4')!;
  const a = analyzeRun(fold4, fold4.quality ?? log.quality, { generatedAt: GEN });
  assert.deepEqual([a.verdict.level, rules(a)], ['needs attention', ['contradicts', 'data-quality']]);
  assert.equal(a.verdict.reason, 'The log contradicts itself: its final validation accuracy 0.41% is not above chance, but its own evaluation of 478 samples has 97.91% (and 1 more finding, see Checks).');
  const check = a.checks.find((c) => c.id === 'accuracy.chance')!;
  assert.deepEqual([check.status, check.message], ['warn', 'The log contradicts itself: its final validation accuracy 0.41% is not above the chance level of 50% for the 2 classes ' +
    "of the log's confusion matrix, but the log's own evaluation, of 478 samples, has an accuracy of 97.91%. The logged validation accuracy is likely not the share " +
    'of right answers (a count divided by the wrong total?): check how the script computes it before trusting either number.']);
  assert.ok(a.next_steps.some((s) => s.startsWith('Check how the script computes its validation accuracy')));
  assert.ok(!a.next_steps.some((s) => /no better than guessing|no more specific next step/.test(s)));
  // without that evaluation nothing contradicts the 0.41%: chance fails the run
  const alone = analyzeRun({ ...fold4, evaluation: null }, fold4.quality ?? log.quality, { generatedAt: GEN });
  assert.deepEqual([alone.verdict.level, rules(alone)[0]], ['failed', 'chance']);
});

test('rule near-chance: above chance but less than a tenth of the way to 100% needs attention (mmengine-epoch.log, 12.50% of 10 classes)', async () => {
  // the real capture: CIFAR-10 by MMPretrain, 2 epochs of 5 iterations, validation accuracy 7.50% then 12.50% (no sample count)
  const log = await collectRuns(readFileRecords('fixtures/formats/mmengine-epoch.log'));
  const a = analyzeRun(log.runs[0]!, log.quality, { generatedAt: GEN });
  assert.deepEqual([a.verdict.level, rules(a)], ['needs attention', ['near-chance']]);
  assert.equal(a.verdict.reason, "Final validation accuracy 12.50% is only 2.78% of the way from the chance level of 10% for MNIST's 10 classes to 100%, below 10%: " +
    'above chance, but the model has learned little. The 10 classes are assumed from MNIST: the log does not say how many classes its model has.');
  assert.deepEqual(['accuracy.chance', 'accuracy.learned'].map((id) => a.checks.find((c) => c.id === id)!.status), ['pass', 'warn']);
  assert.equal(a.next_steps[0], 'Validation accuracy 12.50% is barely better than guessing: the model has learned little so far, so train it longer or try another ' +
    "learning rate (your trainer's setting), and check that the labels belong to their images.");
  // the share is of the way from chance: 19% of 10 classes is 10% of it (at the threshold: a pass), 18% warns, and 18.996%,
  // which the report prints as 10.00% of the way, is not "below 10%"
  const share = (val: number) => analyse({ epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { val_accuracy: val })) }).checks.find((c) => c.id === 'accuracy.learned')!;
  assert.deepEqual([0.18, 0.18996, 0.19, 0.5, 0.9766].map((v) => share(v).status), ['warn', 'pass', 'pass', 'pass', 'pass']);
  assert.match(share(0.18996).message, /^Final validation accuracy 19\.00% is 10\.00% of the way from the chance level of 10% /);
  // a chance level that is no whole percent is printed to 2 decimals, so that the share can be worked out: (39 − 33.33) / 66.67
  assert.equal(msg.learnedBeyondChance(0.39, (0.39 - 1 / 3) / (2 / 3), true, 0.1, 1 / 3, { classes: 3, from: 'model', source: null }, false),
    'Final validation accuracy 39.00% is only 8.50% of the way from the chance level of 33.33% for the 3 classes the log gives the model (nc=3) to 100%, ' +
    'below 10%: above chance, but the model has learned little.');
  assert.ok(Math.abs((share(0.55).value as number) - 0.5) < 1e-12);
  // at chance: the chance check fails the run and says so; this one is information pointing to it
  const at = analyse({ epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { accuracy: 0.1, val_accuracy: 0.101 })) });
  const learned = at.checks.find((c) => c.id === 'accuracy.learned')!;
  assert.deepEqual([learned.status, learned.see, learned.value, rules(at)], ['info', 'accuracy.chance', null, ['chance']]);
  // a model barely above chance on its training data too: more training, not "does not carry over"; and one whose training
  // accuracy is far ahead: that one
  const slow = analyse({ epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { accuracy: 0.17, val_accuracy: 0.17, loss: 2.3 - n * 0.05 })) });
  assert.match(slow.next_steps.find((s) => s.startsWith('Validation accuracy 17.00%'))!, /barely better than guessing \(training loss fell 8\.9%, 2\.2500 to 2\.0500\): the model has learned little so far, so train it longer/);
  const apart = analyse({ epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { accuracy: 0.9, val_accuracy: 0.17 })) });
  assert.match(apart.next_steps.find((s) => s.startsWith('Validation accuracy 17.00%'))!, /while training accuracy reached 90\.00%: what the model learned does not carry over/);
});

test('rule overfitting: a validation-loss rise while training loss falls needs attention, reported once', () => {
  const vals = [0.3, 0.2, 0.15, 0.17, 0.19];
  const a = analyse({ epochs: vals.map((v, i) => epoch(i + 1, { val_loss: v, loss: 0.3 - i * 0.04 })) });
  assert.equal(a.verdict.level, 'needs attention');
  assert.deepEqual(rules(a), ['overfitting']); // best-vs-final, loss rises and convergence point to it
  assert.equal(a.verdict.reason, 'Overfitting from epoch 4: validation loss rose while training loss fell; epoch 3 had the lowest validation loss.');
});

test('rule cut-short: a log that stops before the planned last epoch without run_end needs attention', () => {
  const a = analyse({ epochs: [epoch(1), epoch(2)], end: null });
  assert.deepEqual([a.verdict.level, rules(a)], ['needs attention', ['cut-short']]);
  assert.equal(a.verdict.reason, 'The log stops after epoch 2 of 5 with no run_end: the run was cut short or is still running.');
});

test('rule best-earlier: a final epoch clearly worse than the best needs attention (no overfitting onset)', () => {
  const vals = [0.3, 0.2, 0.1, 0.09, 0.12]; // one rise: no onset, but 33% above the best
  const a = analyse({ epochs: vals.map((v, i) => epoch(i + 1, { val_loss: v })) });
  assert.equal(a.verdict.level, 'needs attention');
  assert.equal(rules(a)[0], 'best-earlier');
  assert.equal(a.verdict.findings[0]!.reason, "Epoch 4 had the lowest validation loss; the final epoch's is 33.3% higher");
});

test('rule train-ahead: training accuracy more than 2 pp above validation needs attention', () => {
  const a = analyse({ epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { accuracy: 0.99, val_accuracy: 0.95 })) });
  assert.deepEqual([a.verdict.level, rules(a)], ['needs attention', ['train-ahead']]);
  assert.match(a.verdict.reason, /gap \(validation − training\) −4\.00 pp/);
});

test('rule weak-class: a digit whose recall interval lies below the mean of the others needs attention; an even model does not', () => {
  // 10,000 test images, 1,000 per digit: 98% right for each, except digit 7 at 93%
  const matrix = (right7: number) => Array.from({ length: 10 }, (_, i) => Array.from({ length: 10 }, (_, j) => {
    const right = i === 7 ? right7 : 980;
    return j === i ? right : j === (i + 1) % 10 ? 1000 - right : 0;
  }));
  const evaluation = (m: number[][]) => ({ source: 'mnist-train' as const, set: 'test', loss: 0.07, labels: [...'0123456789'],
    confusion_matrix: m, reported: null, calibration: null, most_confident_wrong: [] });
  const weak = analyse({ epochs: plateau(), evaluation: evaluation(matrix(930)) });
  assert.deepEqual([weak.verdict.level, rules(weak)], ['needs attention', ['weak-class']]);
  assert.equal(weak.verdict.reason, "The model misses digit 7 (93.00% against 98.00% for the others) significantly more often than the rest: its recall's 99.5% interval (95% for all 10 digits together) lies below the others' mean.");
  const even = analyse({ epochs: plateau(), evaluation: evaluation(matrix(975)) });
  assert.equal(even.verdict.level, 'healthy');
  assert.equal(even.checks.find((c) => c.id === 'evaluation.recall')?.status, 'pass');
});

test('rule data-quality: unusable lines or a broken epoch sequence need attention', () => {
  const q = quality({ unrecognised: 2, records: 9 });
  const bad = analyzeRun(run({ quality: q }), q, { generatedAt: GEN });
  assert.deepEqual([bad.verdict.level, rules(bad)], ['needs attention', ['data-quality']]);
  assert.equal(bad.verdict.reason, '2 unrecognised out of 9 records; see Data Quality.');
  const dup = analyse({ duplicate_epochs: [2] });
  assert.deepEqual(rules(dup), ['data-quality']);
});

test('rule data-quality: the verdict says what warns, and leaves what is not a problem (plain text, dropped duplicates, field gaps) to Checks', () => {
  const judge = (over: Parameters<typeof quality>[0]) => {
    const q = quality(over);
    return analyzeRun(run({ quality: q }), q, { generatedAt: GEN });
  };
  const field_gaps = [{ field: 'duration_ms', missing: 3, unreadable: 0 }];
  const unknown_events = [{ name: 'learning_rate_change', count: 1 }];
  const a = judge({ records: 20, recognised: 7, unrecognised: 10, plain_text: 8, duplicate_records: 2, field_gaps, unknown_events });
  const dq = a.checks.find((c) => c.id === 'data.quality')!;
  assert.equal(dq.status, 'warn');
  // the count is Data Quality's Unrecognised column (10), and the part of it that warns (2) said beside it
  assert.match(dq.message, /^10 unrecognised \(2 of them not plain text\) out of 20 records; see Data Quality\. 8 lines of plain text \(.*\): counted too, not a problem\. 2 duplicate records .* dropped\. Events lacked a field/);
  assert.equal(a.verdict.reason, '10 unrecognised (2 of them not plain text) out of 20 records; see Data Quality.');
  assert.deepEqual(a.verdict.findings.map((f) => [f.rule, f.reason]), [['data-quality', '10 unrecognised (2 of them not plain text) out of 20 records; see Data Quality']]);
  // a gzip file cut short warns on its own: only that is said, not that every line was recognised
  const cut = judge({ gzip_ended_early: [{ source: 'run.log.gz', byte: 5000, partial_line: false }] });
  assert.match(cut.checks.find((c) => c.id === 'data.quality')!.message, /^All 7 meaningful lines were recognised .*The gzip data ended early in run\.log\.gz, at byte 5,000 /);
  assert.match(cut.verdict.reason, /^The gzip data ended early in run\.log\.gz, at byte 5,000 \(.*\): the report is of what came before the cut, and the log may go on beyond it\.$/);
  // plain text that is most of the records is itself the warning, and stays in it
  const most = judge({ records: 14, recognised: 2, unrecognised: 12, plain_text: 12 });
  assert.match(most.verdict.reason, /^12 unrecognised \(12 of them plain text, most of the records: is this a training log, in a format --log-format names\?\) out of 14 records; see Data Quality\.$/);
});

test('rule data-quality counts the run\'s own records, not the whole input\'s (several runs in one input)', () => {
  // the input holds this run's 7 clean records and another run's 2 unrecognised lines
  const input = quality({ records: 9, unrecognised: 2 });
  const clean = analyzeRun(run(), input, { generatedAt: GEN });
  assert.deepEqual([clean.verdict.level, rules(clean)], ['healthy', []]);
  assert.equal(clean.checks.find((c) => c.id === 'data.quality')?.status, 'pass');
  assert.deepEqual(clean.input_quality, { whole: input, no_run: null }, 'the whole input is shown beside the run');
  const own = quality({ records: 5, recognised: 4, unrecognised: 1 });
  const bad = analyzeRun(run({ quality: own }), input, { generatedAt: GEN, noRun: quality({ records: 1, recognised: 0, unrecognised: 1 }) });
  assert.deepEqual([bad.verdict.level, rules(bad)], ['needs attention', ['data-quality']]);
  assert.equal(bad.verdict.reason, "1 unrecognised out of this run's 5 records; see Data Quality.");
  assert.equal(bad.input_quality?.no_run?.records, 1);
  const whole = analyzeRun(run({ quality: input }), input, { generatedAt: GEN });
  assert.equal(whole.input_quality, undefined, 'a run that is the whole input has no second view (its report is as before)');
});

test('rule regression: a validation accuracy significantly below the baseline needs attention; within noise does not', () => {
  const base = analyse();
  const worse = analyse({ epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { val_accuracy: n === 5 ? 0.95 : 0.91 + n * 0.01 })) });
  const cmp = withVerdict({ ...worse, baseline: compareBaseline(worse, { ...base, run: { ...base.run, run_id: 'base' } }, 'x') });
  assert.deepEqual([cmp.verdict.level, rules(cmp)], ['needs attention', ['regression']]);
  assert.equal(cmp.verdict.reason, 'Validation accuracy is significantly lower than baseline run base (−1.00 pp).');
  const close = analyse({ epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { val_accuracy: n === 5 ? 0.9595 : 0.91 + n * 0.01 })) });
  const noise = withVerdict({ ...close, baseline: compareBaseline(close, { ...base, run: { ...base.run, run_id: 'base' } }, 'x') });
  assert.equal(noise.verdict.level, 'healthy');
  assert.match(noise.verdict.key.shown.at(-1)!.value, /−0\.05 pp val accuracy vs base \(no significant change\)/);
});

test('the pointer after the first reason says where the other findings are: a baseline regression is not in Checks', () => {
  const base = analyse();
  const base2 = { ...base, run: { ...base.run, run_id: 'base' } };
  const worse = analyse({ epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { val_accuracy: n === 5 ? 0.95 : 0.91 + n * 0.01, accuracy: n === 5 ? 0.99 : 0.9 + n * 0.01 })) });
  const cmp = withVerdict({ ...worse, baseline: compareBaseline(worse, base2, 'x') });
  assert.deepEqual(rules(cmp), ['train-ahead', 'regression']);
  assert.match(cmp.verdict.reason, /^Training accuracy is ahead of validation accuracy: .+ \(and 1 more finding, see Compared with Baseline\)\.$/);
  const nan = analyse({ epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { val_accuracy: n === 5 ? 0.95 : 0.91 + n * 0.01, accuracy: n === 5 ? 0.99 : 0.9 + n * 0.01, loss: n === 3 ? null : 0.3 / n, non_finite: n === 3 ? ['loss'] : [] })) });
  const both = withVerdict({ ...nan, baseline: compareBaseline(nan, base2, 'x') });
  assert.deepEqual(rules(both), ['non-finite', 'train-ahead', 'regression']);
  assert.match(both.verdict.reason, /\(and 2 more findings, see Checks and Compared with Baseline\)\.$/);
});

test('rule below-history: a final validation accuracy below the band of the previous runs needs attention; inside it, or with too few runs for a band, does not', () => {
  const histRun = (i: number, valAccuracy: number): Run => run({
    run_id: `h${i}`, first_time: `2026-10-0${1 + i}T07:00:00.000Z`, last_time: `2026-10-0${1 + i}T07:01:00.000Z`,
    epochs: [1, 2, 3, 4].map((n) => epoch(n)).concat(epoch(5, { val_accuracy: valAccuracy })),
  });
  const earlier = Array.from({ length: 6 }, (_, i) => histRun(i, 0.97 + (i % 2) * 0.002));
  const judged = (current: Run, all: Run[]) => {
    const a = analyzeRun(current, quality(), { generatedAt: GEN });
    return withVerdict({ ...a, history: compareHistory(a, all, 20, [], (r) => earlierRun(analyzeRun(r, quality(), { generatedAt: GEN }))) });
  };
  const low = histRun(6, 0.95);
  const below = judged(low, [...earlier, low]);
  assert.deepEqual([below.verdict.level, rules(below)], ['needs attention', ['below-history']]);
  assert.match(below.verdict.reason, /^Final validation accuracy 95\.00% is below the band of the previous 6 runs, \d\d\.\d\d% to \d\d\.\d\d% with median \d\d\.\d\d%\.$/);
  assert.equal(below.verdict.findings[0]!.check, null);
  const fine = histRun(6, 0.971);
  assert.equal(judged(fine, [...earlier, fine]).verdict.level, 'healthy');
  assert.equal(judged(low, [earlier[0]!, earlier[1]!, low]).verdict.level, 'healthy', 'two earlier runs: no band, no finding');
});

test('rule other-warning: any other warning (spikes, stalls) needs attention, so healthy never sits beside a warning', () => {
  const batches = Array.from({ length: 40 }, (_, i) => ({ epoch: 1, batch: (i + 1) * 10, loss: i === 30 ? 2.5 : 0.3, accuracy: 0.9 }));
  const a = analyse({ batches, epochs: plateau() });
  assert.deepEqual([a.verdict.level, rules(a)], ['needs attention', ['other-warning']]);
  assert.match(a.verdict.reason, /^1 batch loss spike above 3× the recent median/);
});

test('the reason counts the other findings; the key numbers say what the templates print', () => {
  const a = analyse({ epochs: [epoch(1, { loss: 0.3 }), epoch(2, { loss: 0.6, val_accuracy: 0.05 })], end: end('interrupted') });
  assert.equal(a.verdict.level, 'failed');
  // train ahead of validation by 87 pp, and the 100% loss rise, are findings too
  assert.deepEqual(rules(a), ['run-failed', 'diverged', 'chance', 'train-ahead', 'other-warning']);
  assert.equal(a.verdict.reason, 'The run was interrupted after epoch 2 of 5 (and 4 more findings, see Checks).');
  assert.deepEqual(a.verdict.key.shown.map((k) => k.label), ['Final val accuracy', 'Best epoch (lowest val loss)', 'Epochs run', 'Checks', 'Gates', 'Vs baseline']);
  assert.deepEqual(a.verdict.key.shown.slice(2).map((k) => k.value), ['2 of 5', '3 failed, 2 warned', 'none set', 'no baseline']);
  assert.deepEqual(a.verdict.key.epochs, { seen: 2, planned: 5 });
});

test('a log of losses alone: the key numbers still name the epoch of the lowest validation loss, with that loss', () => {
  const a = analyse({ epochs: [0.5, 0.4, 0.45].map((v, i) => epoch(i + 1, { val_loss: v, loss: 0.6 / (i + 1), val_accuracy: null })) });
  assert.deepEqual(a.verdict.key.best, { epoch: 2, by: 'val_loss', val_loss: 0.4, val_accuracy: null, low: null, high: null });
  assert.deepEqual(a.verdict.key.shown.slice(0, 2).map((k) => k.value), ['n/a', '2: val loss 0.4000']);
  // with accuracy, that epoch's accuracy as before
  const b = analyse({ epochs: [0.5, 0.4, 0.45].map((v, i) => epoch(i + 1, { val_loss: v, loss: 0.6 / (i + 1), val_accuracy: 0.9 + i / 100 })) });
  assert.deepEqual([b.verdict.key.best?.epoch, b.verdict.key.best?.val_loss, b.verdict.key.best?.val_accuracy], [2, 0.4, 0.91]);
  assert.match(b.verdict.key.shown[1]!.value, /^2: 91\.00%/);
});

test('a log of validation accuracy and no validation loss: the best epoch is the highest accuracy (the first of equals), said so', () => {
  const acc = [0.6, 0.9, 0.8, 0.9, 0.85];
  const a = analyzeRun(run({ start: start({ validation_samples: 22 }), epochs: acc.map((v, i) => epoch(i + 1, { val_loss: null, val_accuracy: v })) }), quality(), { generatedAt: GEN });
  assert.deepEqual([a.best?.epoch, a.best?.by, a.best?.val_accuracy, a.best?.val_loss], [2, 'val_accuracy', 0.9, null]);
  const { low, high } = a.verdict.key.best!;
  assert.deepEqual(a.verdict.key.best, { epoch: 2, by: 'val_accuracy', val_loss: null, val_accuracy: 0.9, low, high });
  assert.ok(low! < 0.9 && high! > 0.9, 'the interval over the validation size');
  assert.deepEqual(a.verdict.key.shown[1], { label: 'Best epoch (highest val accuracy)', value: `2: 90.00% (95% CI ${(low! * 100).toFixed(2)}%–${(high! * 100).toFixed(2)}%)` });
  // the Best Epoch section's finding: named, the final epoch's accuracy beside it, not judged
  const bvf = a.checks.find((c) => c.id === 'best_vs_final')!;
  assert.deepEqual([bvf.status, bvf.value], ['info', null]);
  assert.equal(bvf.message, 'The log has no validation loss, so the best epoch is the one with the highest validation accuracy, epoch 2 (90.00%); ' +
    'the final epoch 5 has 85.00% (−5.00 pp). Without a validation loss the final epoch is not judged against it.');
  // a final epoch that is the best says so
  const last = analyse({ epochs: [0.6, 0.7, 0.9].map((v, i) => epoch(i + 1, { val_loss: null, val_accuracy: v })) });
  assert.equal(last.checks.find((c) => c.id === 'best_vs_final')!.message,
    'The log has no validation loss, so the best epoch is the one with the highest validation accuracy: the final epoch (3, 90.00%).');
  // any finite validation loss keeps the lowest loss as the rule, even where accuracy peaks elsewhere
  const both = analyse({ epochs: [0.5, 0.4, 0.45].map((v, i) => epoch(i + 1, { val_loss: v, val_accuracy: [0.9, 0.91, 0.95][i]! })) });
  assert.deepEqual([both.best?.epoch, both.best?.by, both.verdict.key.shown[1]!.label], [2, 'val_loss', 'Best epoch (lowest val loss)']);
  // neither: no best epoch, the label as before
  const none = analyse({ epochs: [1, 2].map((n) => epoch(n, { val_loss: null, val_accuracy: null })) });
  assert.deepEqual([none.best, none.verdict.key.best, none.verdict.key.shown[1]], [null, null, { label: 'Best epoch (lowest val loss)', value: 'n/a' }]);
});

test('a last epoch that improves but stays above an earlier lowest validation loss does not say more epochs would help', () => {
  // val_loss: lowest at epoch 2, up in 3 and 4, down 8% in 5 (still above epoch 2's)
  const vals = [0.2, 0.1, 0.12, 0.14, 0.128];
  const a = analyse({ epochs: vals.map((v, i) => epoch(i + 1, { val_loss: v, loss: 0.3 / (i + 1) })) });
  const c = a.checks.find((x) => x.id === 'convergence')!;
  assert.equal(a.convergence.reading, 'improving');
  assert.match(c.message, /^Validation loss fell by 5\.4% an epoch over the last 5 epochs \(1–5; training loss fell by 32\.4% an epoch\), but its last epoch is still above its lowest, at epoch 2, /);
  assert.doesNotMatch(c.message, /more epochs would likely help/);
  assert.ok(!a.verdict.caveats.some((m) => /more epochs would likely help/.test(m)));
  assert.ok(!a.next_steps.some((s) => /^Train longer/.test(s)));
});

test('a loss that got worse is said to be worse, an improved one improved (not a bare percentage)', () => {
  // both losses rising by 5% an epoch over the last 5 epochs: "rose by 5.0%", not "fell by -5.0%"
  const worse = analyse({ epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { val_loss: 0.08 * 1.05 ** n, loss: 0.06 * 1.05 ** n })) });
  assert.match(worse.checks.find((x) => x.id === 'convergence')!.message, /^Validation loss rose by 5\.0% an epoch over the last 5 epochs \(1–5; training loss rose by 5\.0% an epoch\): it is not improving/);
  const better = analyse({ epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, { val_loss: 0.08 * 0.95 ** n, loss: 0.06 * 0.95 ** n })) });
  assert.match(better.checks.find((x) => x.id === 'convergence')!.message, /^Validation loss still fell by 5\.0% an epoch over the last 5 epochs \(1–5; training loss fell by 5\.0% an epoch\), above 1\.0%/);
});
