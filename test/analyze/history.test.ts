import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRun } from '../../src/analyze/analyze.js';
import { band, compareHistory, earlierRun, historyKey, keyFactsOf, LOSS_TOLERANCE, MIN_HISTORY_RUNS } from '../../src/analyze/history.js';
import { collectRuns } from '../../src/runs/collect.js';
import { historyLog } from '../support/history-runs.js';
import { iterate, rec } from '../parse/helpers.js';
import { evaluateGates } from '../../src/analyze/gates.js';
import { parseGateRules } from '../../src/analyze/gates-rules.js';
import type { Run } from '../../src/types.js';
import { end, epoch, GEN, quality, run, start } from './build.js';
import { historyView } from '../../src/render/history-view.js';

const INPUTS = ['f.jsonl'];

/** Run i of a history: its own id and day, its final validation accuracy as given. */
function histRun(i: number, valAccuracy: number, over: Partial<Run> = {}): Run {
  const day = String(1 + i).padStart(2, '0');
  const epochs = [1, 2, 3, 4].map((n) => epoch(n)).concat(epoch(5, { val_accuracy: valAccuracy, val_loss: 0.05 + (0.99 - valAccuracy) }));
  return run({ run_id: `h${i}`, epochs, first_time: `2026-10-${day}T07:00:00.000Z`, last_time: `2026-10-${day}T07:01:00.000Z`, ...over });
}

const analyse = (r: Run) => analyzeRun(r, quality(), { generatedAt: GEN, sources: INPUTS });
const earlierOf = (r: Run) => earlierRun(analyse(r));

test('band: median ± 3 × 1.4826 × MAD, and where a value lies', () => {
  // median 0.96, absolute deviations 0.01 0 0.01 0.02 0.49 → MAD 0.01; the outlier moves neither much
  const b = band('val_accuracy', [0.95, 0.96, 0.97, 0.98, 0.47], 0.9)!;
  assert.equal(b.median, 0.96);
  assert.ok(Math.abs(b.mad - 0.01) < 1e-12, String(b.mad));
  assert.ok(Math.abs(b.low - (0.96 - 3 * 1.4826 * 0.01)) < 1e-12);
  assert.equal(b.high, 1, '0.96 + 0.0445 is past 100%: the band stops at 1');
  assert.equal(b.position, 'below');
  assert.equal(band('val_accuracy', [0.95, 0.96, 0.97], 0.965)!.position, 'inside');
  assert.equal(band('val_loss', [0.05, 0.06, 0.07], 0.2)!.position, 'above');
  const wide = band('val_accuracy', [0.2, 0.5, 0.8, 0.99, 0.3], 1)!;
  assert.deepEqual([wide.low, wide.high, wide.position], [0, 1, 'inside'], 'an accuracy band stays within 0-100%');
  assert.equal(band('val_loss', [0.1, 2, 0.2, 3, 0.15], 0)!.low, 0, 'a loss band does not go below 0');
  assert.equal(band('val_accuracy', [0.95, null, 0.97], 0.96), null, `fewer than ${MIN_HISTORY_RUNS} values: no band`);
});

test('identical earlier runs: one test image less is not below the band; the band is never narrower than the run\'s sampling noise', () => {
  // mnist-train is deterministic for a seed: four identical runs give a MAD of 0
  const runs = [0, 1, 2, 3].map((i) => histRun(i, 0.9766));
  const one = histRun(4, 0.9765);
  const h = compareHistory(analyse(one), [...runs, one], 20, INPUTS, earlierOf);
  const b = h.bands.val_accuracy!;
  const ci = analyse(one).confidence!;
  assert.equal(b.mad, 0);
  assert.deepEqual(b.noise, { half: (ci.high - ci.low) / 2, level: 0.95 });
  assert.ok(Math.abs(b.low - (0.9766 - (ci.high - ci.low) / 2)) < 1e-12, String(b.low));
  assert.equal(h.position, 'inside', h.summary);
  assert.match(h.summary, /^Final validation accuracy 97\.65% is inside the band of the previous 4 runs of model mlp, 97\.3\d% to 97\.9\d% \(median 97\.66%\), median ± \(3 × 1\.4826 × MAD \+ 0\.30 pp of sampling noise, half this run's 95% interval\)/);
  const rules = parseGateRules([{ text: 'below_history', origin: '--fail-on' }]);
  assert.equal(evaluateGates({ ...analyse(one), history: h }, rules).results[0]!.status, 'pass');
  // below it by more than noise is still below
  const low = histRun(4, 0.97);
  assert.equal(compareHistory(analyse(low), [...runs, low], 20, INPUTS, earlierOf).position, 'below');
});

test('compareHistory: the last N earlier completed runs of the same model, not later ones', () => {
  const runs = Array.from({ length: 30 }, (_, i) => histRun(i, 0.97 + (i % 3) * 0.001));
  const current = analyse(runs[25]!);
  const h = compareHistory(current, runs, 20, INPUTS, earlierOf);
  assert.deepEqual(h.runs.map((r) => r.run_id), Array.from({ length: 20 }, (_, i) => `h${i + 5}`));
  assert.equal(h.position, 'inside');
  assert.match(h.summary, /^Final validation accuracy 97\.\d\d% is inside the band of the previous 20 runs of model mlp, /);
});

test('compareHistory: another model, an interrupted run and another job are left out', () => {
  const other = histRun(1, 0.5, { start: { ...start({ model: 'cnn' }), run_id: 'h1' } });
  const interrupted = histRun(2, 0.2, { end: end('interrupted') });
  const otherJob = histRun(3, 0.1, { streams: ['ecs/other-job/t3'] });
  const sameJob = (i: number) => histRun(i, 0.98, { streams: [`ecs/mnist-training/t${i}`] });
  const runs = [histRun(0, 0.98), other, interrupted, otherJob, sameJob(4), sameJob(5), histRun(6, 0.9, { streams: ['ecs/mnist-training/t6'] })];
  const current = analyse(runs[6]!);
  assert.deepEqual(historyKey(current, INPUTS), { model: 'mlp', job: 'ecs/mnist-training' });
  assert.deepEqual(historyKey(keyFactsOf(runs[0]!), INPUTS), { model: 'mlp', job: null }, 'a file is no job');
  const h = compareHistory(current, runs, 20, INPUTS, earlierOf);
  assert.deepEqual(h.runs.map((r) => r.run_id), ['h0', 'h4', 'h5']);
  assert.equal(h.not_completed, 1);
  assert.equal(h.position, 'below');
  assert.match(h.summary, /\(1 more did not complete and is left out\)/);
});

test('compareHistory: settings that changed against the previous and the best run', () => {
  const runs = [histRun(0, 0.99), histRun(1, 0.97), histRun(2, 0.975),
    histRun(3, 0.9, { start: { ...start({ learning_rate: 0.01 }), runtime: { ...start().runtime, backend: 'cpu' } } })];
  const h = compareHistory(analyse(runs[3]!), runs, 20, INPUTS, earlierOf);
  assert.deepEqual(h.changes.map((c) => [c.against, c.run_id, c.settings.map((s) => `${s.setting}: ${s.baseline} → ${s.current}`)]), [
    ['previous', 'h2', ['learning rate: 0.001 → 0.01', 'backend: wasm → cpu']],
    ['best', 'h0', ['learning rate: 0.001 → 0.01', 'backend: wasm → cpu']],
  ]);
});

test('too few earlier runs, or no model: no band, said in one sentence', () => {
  const runs = [histRun(0, 0.97), histRun(1, 0.97), histRun(2, 0.9)];
  const h = compareHistory(analyse(runs[2]!), runs, 20, INPUTS, earlierOf);
  assert.equal(h.bands.val_accuracy, null);
  assert.equal(h.position, null);
  assert.equal(h.summary, 'Only 2 earlier completed runs of model mlp with a final validation accuracy are in the input; a band needs at least 3, so this run is not compared with its history.');
  // the run alone: "No earlier completed run", not "Only 0 earlier completed runs"
  assert.equal(compareHistory(analyse(runs[0]!), [runs[0]!], 20, INPUTS, earlierOf).summary,
    'No earlier completed run of model mlp with a final validation accuracy is in the input; a band needs at least 3, so this run is not compared with its history.');
  assert.match(compareHistory(analyse(runs[1]!), runs.slice(0, 2), 20, INPUTS, earlierOf).summary, /^Only 1 earlier completed run of model mlp with a final validation accuracy is in the input;/);
  const noModel = run({ start: null });
  const h2 = compareHistory(analyse(noModel), [histRun(0, 0.97), noModel], 20, INPUTS, earlierOf);
  assert.equal(h2.runs.length, 0);
  assert.match(h2.summary, /does not name this run's model/);
});

test('gate below_history: fails below the band, passes inside or without a band, fails without --history', () => {
  const rules = parseGateRules([{ text: 'below_history', origin: '--fail-on' }]);
  const runs = Array.from({ length: 6 }, (_, i) => histRun(i, 0.97 + (i % 2) * 0.002));
  const gate = (current: Run, all: Run[]) => {
    const a = analyse(current);
    return evaluateGates({ ...a, history: compareHistory(a, all, 20, INPUTS, earlierOf) }, rules).results[0]!;
  };
  const low = histRun(6, 0.95);
  assert.equal(gate(low, [...runs, low]).status, 'fail');
  assert.match(gate(low, [...runs, low]).message, /^Final validation accuracy 95\.00% is below the band of the previous 6 runs/);
  const fine = histRun(6, 0.971);
  assert.equal(gate(fine, [...runs, fine]).status, 'pass');
  assert.equal(gate(fine, [runs[0]!, fine]).status, 'pass', 'no band: nothing to be below');
  assert.equal(evaluateGates(analyse(fine), rules).results[0]!.status, 'fail', 'without --history the gate cannot pass');
});

test('gate below_history: a log that names no model has no history to judge it by, so the gate fails (not judged), saying why', () => {
  // keras1-verbose2.log's runs: no run_start, no model; the gate passed with "Both quality gates passed."
  const rules = parseGateRules([{ text: 'below_history', origin: '--fail-on' }]);
  const noModel = run({ start: null });
  const a = analyse(noModel);
  const g = evaluateGates({ ...a, history: compareHistory(a, [histRun(0, 0.97), noModel], 20, INPUTS, earlierOf) }, rules).results[0]!;
  assert.equal(g.status, 'fail');
  assert.equal(g.shown.value, 'not judged');
  assert.equal(g.message, "The log does not name this run's model, so there is no history of the same model to compare it with. " +
    "The gate cannot pass: without a model to match earlier runs by, this run's history cannot be judged.");
});

test('identical earlier runs\' validation loss: a band of width 0 is widened by 5% of its median, so 0.0635 against 0.0634 is inside it, said so', async () => {
  // the real trainer fixture as five runs (test/support/history-runs.ts), final validation loss 0.0634 four times, then 0.0635
  const log = historyLog(process.cwd(), { runs: 5, final: (i) => ({ val_accuracy: 0.9766, val_loss: i === 4 ? 0.0635 : 0.0634 }) });
  const parsed = await collectRuns(iterate([log.split('\n').filter(Boolean).map((l) => rec(l))]));
  const analysed = (r: Run) => analyzeRun(r, parsed.quality, { generatedAt: GEN, sources: INPUTS });
  const now = parsed.runs[4]!;
  const h = compareHistory(analysed(now), parsed.runs, 20, INPUTS, (r) => earlierRun(analysed(r)));
  const b = h.bands.val_loss!;
  assert.deepEqual([b.mad, b.tolerance, b.position], [0, LOSS_TOLERANCE, 'inside']);
  assert.ok(Math.abs(b.high - 0.0634 * 1.05) < 1e-12, String(b.high));
  assert.match(h.summary, /; validation loss 0\.0635 is inside its band, 0\.0602 to 0\.0666 \(median 0\.0634\), median ± \(3 × 1\.4826 × MAD \+ 5\.0% of the median, as a loss has no sampling-noise estimate\)\.$/);
  // more than the tolerance above is still above
  assert.equal(band('val_loss', [0.0634, 0.0634, 0.0634], 0.07, null, LOSS_TOLERANCE)!.position, 'above');
});

test('history settings: a setting one run\'s log does not say is "not known" (not "unknown", not "same"); the same-line names only settings both logs give', () => {
  const noSeed = { start: start({ seed: undefined }) };
  // best h0 (99%) does not log its seed; previous h1 logs 1, as this run does
  const runs = [histRun(0, 0.99, noSeed), histRun(1, 0.97), histRun(2, 0.975)];
  const view = historyView(compareHistory(analyse(runs[2]!), runs, 20, INPUTS, earlierOf), null)!;
  assert.deepEqual(view.settings, [{ setting: 'seed', values: ['same', 'not known', '1'] }]);
  assert.equal(view.settingsHead, "Configuration and backend that changed, or that one run's log does not say");
  // no run logs its seed: no row for it (nothing is known to differ), and the same-line does not claim it
  const none = [0, 1, 2].map((i) => histRun(i, 0.97 + i / 1000, noSeed));
  const quiet = historyView(compareHistory(analyse(none[2]!), none, 20, INPUTS, earlierOf), null)!;
  assert.deepEqual(quiet.settings, []);
  assert.doesNotMatch(quiet.sameLine, /seed/);
  assert.match(quiet.sameLine, /^Configuration and backend are the same as the previous run's and the best run's \(learning rate, batch size, model, epochs, optimizer, training samples, validation samples, backend\)\.$/);
});
