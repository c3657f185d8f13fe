import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareBaseline } from '../../src/analyze/baseline.js';
import { parseBaselineReport } from '../../src/analyze/baseline-input.js';
import { UserError } from '../../src/errors.js';
import { evaluateGates } from '../../src/analyze/gates.js';
import { parseGateRules } from '../../src/analyze/gates-rules.js';
import { analysis, epochRow } from './analysis-fixture.js';
import { renderReport } from '../../src/render/report.js';

const base = analysis({ run: { ...analysis().run, run_id: 'base' } }); // final val_acc 0.974, val_loss 0.085

test('deltas know the better direction: loss lower, accuracy higher', () => {
  const cur = analysis({ epochs: [epochRow(1, 0.12, 0.965, 0.07, 0.981)] });
  const c = compareBaseline(cur, base, 'old/report.json');
  const by = Object.fromEntries(c.rows.map((r) => [r.metric, r]));
  assert.deepEqual([by.val_accuracy!.better, by.val_accuracy!.verdict, by.val_accuracy!.shown], ['higher', 'improved', { baseline: '97.40%', current: '98.10%', delta: '+0.70 pp' }]);
  // losses and training accuracy have no test of sampling noise: the direction, said as untested
  assert.deepEqual([by.val_loss!.better, by.val_loss!.verdict, by.val_loss!.shown.delta], ['lower', 'better (untested)', '−0.0150']);
  assert.deepEqual([by.loss!.verdict, by.accuracy!.verdict], ['worse (untested)', 'worse (untested)']); // 0.10 → 0.12, 97.0% → 96.5%
  assert.equal(c.regressed, 0);
  assert.equal(by.gap, undefined); // no better direction, so no verdict
  assert.deepEqual(c.baseline, { run_id: 'base', source: 'old/report.json', generated_at: '2026-11-24T08:00:00.000Z' });
  assert.equal(by.val_accuracy!.significant, true); // 0.7 pp on 10,000 images is more than noise
  // the interval of a difference: ± 1.96 · √(p₁q₁/n₁ + p₂q₂/n₂), about √2 times one run's half-width
  const half = 1.959964 * Math.sqrt((0.981 * 0.019) / 10_000 + (0.974 * 0.026) / 10_000);
  assert.ok(Math.abs(by.val_accuracy!.interval!.low - (0.007 - half)) < 1e-6);
  assert.ok(Math.abs(by.val_accuracy!.interval!.high - (0.007 + half)) < 1e-6);
  assert.equal(by.val_accuracy!.interval!.level, 0.95);
  assert.equal(c.rows.some((r) => r.metric === 'test_accuracy'), false); // neither run has test metrics
});

test('a worse validation loss is worse (untested), not a regression; identical ones at printed precision are unchanged', () => {
  const worse = analysis({ epochs: [epochRow(1, 0.10, 0.970, 0.0900004, 0.9739999)] });
  const by = Object.fromEntries(compareBaseline(worse, base, 'x').rows.map((r) => [r.metric, r]));
  assert.equal(by.val_loss!.verdict, 'worse (untested)');
  assert.equal(by.val_accuracy!.verdict, 'unchanged'); // 97.40% either way
  assert.equal(by.epoch_ms!.verdict, 'unchanged');
});

test('a small validation-accuracy change reads "no significant change", and the summary says so', () => {
  const cur = analysis({ epochs: [epochRow(1, 0.10, 0.970, 0.084, 0.9745)] });
  const c = compareBaseline(cur, base, 'x');
  const va = c.rows.find((r) => r.metric === 'val_accuracy')!;
  assert.deepEqual([va.verdict, va.significant, va.shown.delta], ['no significant change', false, '+0.05 pp']);
  assert.match(c.summary, /^Against baseline run base: no significant change in validation accuracy \(final\); untested for sampling noise: better validation loss \(final\) and validation loss \(best epoch\)\./);
  assert.doesNotMatch(c.summary, /improved|regressed/);
  assert.match(c.summary, /Validation accuracy: no significant change: \+0\.05 pp \(95% interval of the difference −0\.39 pp to \+0\.49 pp\) includes zero\./);
});

test('a change that one run\'s interval would call real can still be no significant change for a difference', () => {
  // 0.35 pp: outside one run's ±0.31 pp, inside the difference's ±0.44 pp
  const cur = analysis({ epochs: [epochRow(1, 0.10, 0.970, 0.085, 0.9705)] });
  const va = compareBaseline(cur, base, 'x').rows.find((r) => r.metric === 'val_accuracy')!;
  assert.deepEqual([va.verdict, va.significant], ['no significant change', false]);
});

test('one run without a validation size: a difference inside the other run\'s own interval is no significant change, not a regression', () => {
  // keras3.log against the bundled run: 97.66% → 97.63%, n = 10,000 on the baseline's side only (±0.30 pp)
  const noN = (a: ReturnType<typeof analysis>) => ({ ...a, confidence: null, config: a.config ? { ...a.config, validation_samples: undefined } : a.config });
  const b = analysis({ run: { ...analysis().run, run_id: 'base' }, epochs: [epochRow(1, 0.076, 0.9761, 0.0712, 0.9766)] });
  const cur = noN(analysis({ epochs: [epochRow(1, 0.0741, 0.9771, 0.0772, 0.9763)] })) as ReturnType<typeof analysis>;
  const c = compareBaseline(cur, b, 'x');
  const by = Object.fromEntries(c.rows.map((r) => [r.metric, r]));
  const va = by.val_accuracy!;
  assert.deepEqual([va.verdict, va.significant, va.shown.delta, va.interval], ['no significant change', false, '−0.03 pp', null]);
  assert.equal(va.noise_floor?.side, 'baseline');
  assert.ok(Math.abs(va.noise_floor!.half - 1.959964 * Math.sqrt((0.9766 * 0.0234) / 10_000)) < 1e-6);
  assert.deepEqual([by.val_loss!.verdict, by.best_val_loss!.verdict], ['worse (untested)', 'worse (untested)']);
  assert.deepEqual([c.improved, c.regressed], [0, 0]);
  assert.doesNotMatch(c.summary, /regressed/);
  assert.match(c.summary, /Validation accuracy: no significant change: −0\.03 pp lies within the baseline run's own 95% interval \(±0\.30 pp; this run's validation size is not in its log/);
  // outside that floor the other run's n could still make it noise: untested, never "regressed"
  const far = compareBaseline(noN(analysis({ epochs: [epochRow(1, 0.0741, 0.9771, 0.0772, 0.9700)] })) as ReturnType<typeof analysis>, b, 'x');
  const fva = far.rows.find((r) => r.metric === 'val_accuracy')!;
  assert.deepEqual([fva.verdict, fva.significant], ['worse (untested)', null]);
  assert.match(far.summary, /−0\.66 pp is outside the baseline run's own 95% interval .*its significance cannot be tested\./);
  // the key numbers said "no significant change" for an untested difference
  const keyed = analysis({ epochs: [epochRow(1, 0.0741, 0.9771, 0.0772, 0.9700)], confidence: null, baseline: far });
  assert.equal(keyed.verdict.key.shown.at(-1)!.value, '−0.66 pp val accuracy vs base (not tested)');
  // neither n: untested
  const none = compareBaseline(noN(analysis({ epochs: [epochRow(1, 0.0741, 0.9771, 0.0772, 0.9700)] })) as ReturnType<typeof analysis>, noN(b) as ReturnType<typeof analysis>, 'x');
  const nva = none.rows.find((r) => r.metric === 'val_accuracy')!;
  assert.deepEqual([nva.verdict, nva.significant, nva.noise_floor], ['worse (untested)', null, undefined]);
  assert.match(none.summary, /neither run logged its validation size/);
});

test('the regression gate without validation sizes: a higher accuracy passes (it cannot be a regression), a lower one cannot pass, each saying why', () => {
  // neither log gives its validation size (a Keras run against a plain-print one): before, +1.70 pp failed the gate,
  // saying "Validation accuracy or the validation size is missing on one side"
  const noN = (a: ReturnType<typeof analysis>) => ({ ...a, confidence: null, config: a.config ? { ...a.config, validation_samples: undefined } : a.config }) as ReturnType<typeof analysis>;
  const b = noN(analysis({ run: { ...analysis().run, run_id: 'base' }, epochs: [epochRow(1, 0.076, 0.9761, 0.0712, 0.9597)] }));
  const gate = (va: number) => {
    const cur = noN(analysis({ epochs: [epochRow(1, 0.0741, 0.9771, 0.0772, va)] }));
    return evaluateGates({ ...cur, baseline: compareBaseline(cur, b, 'x') }, parseGateRules([{ text: 'regression', origin: '--fail-on' }])).results[0]!;
  };
  const up = gate(0.9767);
  assert.deepEqual([up.status, up.message], ['pass',
    'Validation accuracy is not lower than baseline run base: +1.70 pp (untested, the validation size is not in both logs; a difference at or above 0 cannot be a regression).']);
  const down = gate(0.9500);
  assert.deepEqual([down.status, down.message], ['fail',
    'Validation accuracy is −0.97 pp against baseline run base, but the validation size is not in both logs, so whether that is more than sampling noise cannot be tested and the gate cannot pass.']);
});

test('settings that differ between the runs are listed; equal ones are not', () => {
  const cfg = { epochs: 3, batch_size: 32, optimizer: 'adam', learning_rate: 0.001, model: 'mlp', seed: 1, train_samples: 60000, validation_samples: 10000 };
  const b = analysis({ config: cfg });
  const cur = analysis({ config: { ...cfg, learning_rate: 0.01, seed: 2 } });
  assert.deepEqual(compareBaseline(cur, b, 'x').settings, [
    { setting: 'learning rate', baseline: '0.001', current: '0.01' },
    { setting: 'seed', baseline: '1', current: '2' },
  ]);
  assert.deepEqual(compareBaseline(b, b, 'x').settings, []);
});

test('a setting known for one run only is "not known" for the other, apart: not a difference; two known, unequal values are', async () => {
  const cfg = { epochs: 3, batch_size: 32, optimizer: 'adam', learning_rate: 0.001, model: 'mlp', seed: 1, train_samples: 60000, validation_samples: 10000 };
  const { seed: _, ...noSeed } = cfg;
  const b = analysis({ config: cfg });
  const cur = analysis({ config: { ...noSeed, learning_rate: 0.01 } });
  const c = compareBaseline(cur, b, 'x');
  // was: seed listed as differing, 1 → unknown
  assert.deepEqual(c.settings, [{ setting: 'learning rate', baseline: '0.001', current: '0.01' }]);
  assert.deepEqual(c.settings_one_side, [{ setting: 'seed', baseline: '1', current: 'not known' }]);
  assert.deepEqual(compareBaseline(b, analysis({ config: noSeed }), 'x').settings_one_side, [{ setting: 'seed', baseline: 'not known', current: '1' }]);
  // only the unknown one: no setting known for both differs, which is not "the same settings"
  const alone = { ...analysis({ config: noSeed }), baseline: compareBaseline(analysis({ config: noSeed }), b, 'x') };
  assert.deepEqual([alone.baseline.settings, alone.baseline.settings_one_side?.length], [[], 1]);
  const files = await renderReport(alone, ['md', 'html'], { charts: false });
  const md = String(files.find((f) => f.name === 'report.md')!.data);
  assert.match(md, /\nNo setting known for both runs differs\.\n\nSettings known for one run only \(not compared: a setting a log does not give is not known to differ\):\n\n\| Setting \| Baseline \| This run \|\n\| --- \| --- \| --- \|\n\| seed \| 1 \| not known \|\n/);
  assert.doesNotMatch(md, /the same settings|Settings that differ/);
  const html = String(files.find((f) => f.name === 'report.html')!.data);
  assert.match(html, /<p>No setting known for both runs differs\.<\/p>/);
  assert.match(html, /<tr><td>seed<\/td><td>1<\/td><td>not known<\/td><\/tr>/);
  // neither run gives it: not listed at all; both known and equal: the same settings
  assert.equal(compareBaseline(analysis({ config: noSeed }), analysis({ config: noSeed }), 'x').settings_one_side, undefined);
});

test('timing deltas are relative and slower is a regression', () => {
  const slow = analysis({ timing: { ...base.timing, median_epoch_ms: 12_500, median_samples_per_second: 4800 } });
  const by = Object.fromEntries(compareBaseline(slow, base, 'x').rows.map((r) => [r.metric, r]));
  assert.deepEqual([by.epoch_ms!.verdict, by.epoch_ms!.shown.delta], ['regressed', '+25.0%']);
  assert.deepEqual([by.samples_per_second!.verdict, by.samples_per_second!.shown.delta], ['regressed', '−20.0%']);
});

test('a metric missing on one side is n/a, not a regression', () => {
  const nanRun = analysis({ epochs: [epochRow(1, null, null, null, null)] });
  const by = Object.fromEntries(compareBaseline(nanRun, base, 'x').rows.map((r) => [r.metric, r]));
  assert.deepEqual([by.val_accuracy!.verdict, by.val_accuracy!.delta, by.val_accuracy!.shown.current], ['n/a', null, 'n/a']);
});

test('parseBaselineReport accepts a report.json and rejects anything else with one line', () => {
  assert.equal(parseBaselineReport(JSON.stringify(base), 'r.json').run.run_id, 'base');
  for (const [text, re] of [
    ['not json', /--baseline r\.json: not JSON/],
    ['{"schema":"other"}', /not a report\.json from mnist-report/],
    ['[1,2]', /not a report\.json/],
    ['{"schema":"mnist-report/1"}', /lacks the run, epochs or timing/],
  ] as const) {
    assert.throws(() => parseBaselineReport(text, 'r.json'), (e: unknown) => e instanceof UserError && re.test(e.message));
  }
});
