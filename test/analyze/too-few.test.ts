// A check that cannot fail or warn on the data the log has is info and says how much it needs,
// never a pass (README: "What the log lacks is not a pass"). For each check: at the least data it
// needs it can warn or fail, and with one less it is info with `too_few`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRun } from '../../src/analyze/analyze.js';
import * as msg from '../../src/wording/checks.js';
import * as verdictMsg from '../../src/wording/verdict.js';
import type { Analysis, CheckId } from '../../src/analyze/types.js';
import type { BatchRecord, EpochRecord } from '../../src/types.js';
import { epoch, GEN, quality, run, start } from './build.js';
import { readRuns } from '../parse/helpers.js';

const check = (a: Analysis, id: CheckId) => {
  const c = a.checks.find((x) => x.id === id);
  assert.ok(c, `check ${id} present`);
  return c;
};
const analyse = (epochs: EpochRecord[], batches: BatchRecord[] = []) =>
  analyzeRun(run({ epochs, batches, start: start({ epochs: epochs.length }) }), quality(), { generatedAt: GEN });

const JUDGED_OVER_EPOCHS: CheckId[] = ['loss.divergence', 'overfitting', 'best_vs_final', 'stability.loss_rises', 'convergence', 'timing.stalls'];

test('the real 1-epoch mnist-train capture: the checks that compare epochs are info and say they need more, none passes', async () => {
  const parsed = await readRuns('fixtures/mnist-train-1epoch-evaluation.jsonl');
  const a = analyzeRun(parsed.runs[0]!, parsed.quality, { generatedAt: GEN });
  assert.equal(a.epochs.length, 1);
  for (const id of JUDGED_OVER_EPOCHS) {
    const c = check(a, id);
    assert.equal(c.status, 'info', `${id}: ${c.message}`);
    assert.equal(c.value, null, id);
    assert.ok(c.too_few && c.too_few.has === 1 && c.too_few.needs > 1, `${id}: ${JSON.stringify(c.too_few)}`);
  }
  assert.equal(check(a, 'loss.divergence').message, msg.TOO_FEW.divergence({ needs: 2, has: 1 }));
  assert.equal(check(a, 'overfitting').message, msg.TOO_FEW.overfitting({ needs: 3, has: 1 }, 2));
  assert.equal(check(a, 'best_vs_final').message, msg.TOO_FEW.bestVsFinal({ needs: 2, has: 1 }));
  assert.equal(check(a, 'stability.loss_rises').message, msg.TOO_FEW.lossRises({ needs: 2, has: 1 }));
  assert.equal(check(a, 'timing.stalls').message, msg.TOO_FEW.stalls({ needs: 3, has: 1 }, 3, true));
  // convergence says the log has one epoch, not that a validation loss is not finite
  assert.equal(check(a, 'convergence').message, msg.TOO_FEW.convergence({ needs: 3, has: 1 }, 'val_loss'));
  assert.doesNotMatch(check(a, 'convergence').message, /finite/);
  for (const c of a.checks) assert.doesNotMatch(c.message, /fell in every epoch|from 1\.2247 to 1\.2247|never rose/, c.id);
});

test('a healthy 1-epoch run: the verdict does not call the metrics non-diverging, and says what was not judged', () => {
  const a = analyse([epoch(1)]);
  assert.equal(a.verdict.level, 'healthy');
  const few = a.checks.filter((c) => c.too_few).map((c) => c.id);
  assert.deepEqual([...few].sort(), [...JUDGED_OVER_EPOCHS].sort());
  assert.equal(a.verdict.reason, verdictMsg.verdictHealthy(1, 1, a.final!.val_accuracy, false, few));
  assert.doesNotMatch(a.verdict.reason, /non-diverging/);
  assert.match(a.verdict.reason, /no check failed or warned, but 6 checks could not be judged with so few epochs \(see Checks\)\.$/);
  // enough epochs: the line is as it was
  assert.match(analyse([1, 2, 3, 4].map((n) => epoch(n))).verdict.reason, /finite, non-diverging metrics .*; no check failed or warned\.$/);
});

test('each check can fail or warn at the least data it says it needs, and is info below it', () => {
  const losses = (vals: number[], key: 'loss' | 'val_loss', other: Partial<EpochRecord> = {}) =>
    vals.map((v, i) => epoch(i + 1, { [key]: v, ...other }));
  // `see`: the check judges at that much data, and its warning is the same cause as that check's, reported there
  const cases: { id: CheckId; at: Analysis; below: Analysis; needs: number; status: 'fail' | 'warn'; see?: CheckId }[] = [
    // training loss 0.1 → 0.2: more than 1.5× the first epoch's
    { id: 'loss.divergence', at: analyse(losses([0.1, 0.2], 'loss')), below: analyse(losses([0.2], 'loss')), needs: 2, status: 'fail' },
    // validation loss up two epochs in a row while training loss falls
    { id: 'overfitting', at: analyse([0.1, 0.12, 0.14].map((v, i) => epoch(i + 1, { val_loss: v, loss: 0.3 - i * 0.1 }))),
      below: analyse([0.1, 0.12].map((v, i) => epoch(i + 1, { val_loss: v, loss: 0.3 - i * 0.1 }))), needs: 3, status: 'warn' },
    { id: 'best_vs_final', at: analyse(losses([0.1, 0.2], 'val_loss')), below: analyse(losses([0.2], 'val_loss')), needs: 2, status: 'warn' },
    { id: 'stability.loss_rises', at: analyse(losses([0.1, 0.2], 'loss')), below: analyse(losses([0.2], 'loss')), needs: 2, status: 'warn' },
    { id: 'stability.loss_rises', at: analyse(losses([0.1, 0.2], 'val_loss')), below: analyse(losses([0.2], 'val_loss')), needs: 2, status: 'warn', see: 'best_vs_final' },
    // a trend needs 3 epochs; a rising one is never a second warning: it points to the check that warns (overfitting here)
    { id: 'convergence', at: analyse(losses([0.1, 0.15, 0.2], 'val_loss')), below: analyse(losses([0.15, 0.2], 'val_loss')), needs: 3, status: 'warn', see: 'overfitting' },
  ];
  // three 10 s epochs, the third ending 100 s after the second (stalled outside its measured duration)
  const stalled = [1, 2, 3].map((n) => epoch(n, { time: new Date(Date.UTC(2026, 10, 24, 7, 0, n === 3 ? 120 : 10 * n)).toISOString() }));
  // two epochs, the second stalled inside its own duration: its gap is less than 2× the median of the two
  const two = [epoch(1), epoch(2, { duration_ms: 100_000, time: new Date(Date.UTC(2026, 10, 24, 7, 0, 110)).toISOString() })];
  cases.push({ id: 'timing.stalls', at: analyse(stalled), below: analyse(two), needs: 3, status: 'warn' });
  const batches = (n: number): BatchRecord[] => Array.from({ length: n }, (_, i) => ({ epoch: 1, batch: i + 1, loss: i === n - 1 ? 5 : 0.5, accuracy: 0.9 }));
  const five = [1, 2, 3, 4, 5].map((n) => epoch(n));
  cases.push({ id: 'stability.batch_spikes', at: analyse(five, batches(6)), below: analyse(five, batches(5)), needs: 6, status: 'warn' });
  for (const { id, at, below, needs, status, see } of cases) {
    assert.deepEqual([check(at, id).status, check(at, id).see], see ? ['info', see] : [status, undefined], `${id} at ${needs}: ${check(at, id).message}`);
    if (see) assert.equal(check(at, see).status, status, `${see}, which ${id} points to`);
    assert.equal(check(at, id).too_few, undefined, id);
    const c = check(below, id);
    assert.deepEqual([c.status, c.too_few], ['info', { needs, has: needs - 1 }], `${id} below ${needs}: ${c.message}`);
    assert.match(c.message, new RegExp(`needs ${needs} .*; the log has ${needs - 1}, so .* cannot be judged\\.$`), id);
  }
});
