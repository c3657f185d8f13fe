// End to end: the real mnist-report bin (dist/, built by `npm test`) with quality
// gates and a baseline, on the bundled 5-epoch fixture (final val_accuracy 0.9766).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST_BIN, ROOT, runReport, type CliResult } from '../e2e/report-cli.js';
import { historyLog } from '../support/history-runs.js';

const FIXTURE = join(ROOT, 'fixtures/mnist-train-5epochs.jsonl');
const RUN = '20261130T070537Z-f4b168';
const AT = '2026-11-24T08:00:00Z';

let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'report-gates-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

function report(...args: string[]): Promise<CliResult> {
  return runReport(['--generated-at', AT, ...args], { bin: DIST_BIN });
}

test('a failing gate: exit 3 after the report is written, gate table at the top', async () => {
  const out = join(dir, 'fail');
  const r = await report('--input', FIXTURE, '--out', out, '--fail-on', 'val_accuracy<0.999', '--fail-on', 'nan');
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, new RegExp(`mnist-report: 1 quality gate failed for run ${RUN}: val_accuracy<0\\.999 \\(was 97\\.66%\\)\\n`));
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/); // one line, no stack
  const md = await readFile(join(out, RUN, 'report.md'), 'utf8');
  const gatesAt = md.indexOf('## Quality Gates');
  assert.ok(gatesAt > 0 && gatesAt < md.indexOf('## Overview'), 'the gate table comes before the Overview');
  assert.match(md, /\| ❌ fail \| `val_accuracy<0\.999` \| 97\.66% \| < 99\.90% \| Final validation accuracy 97\.66% is below 99\.90%\. \|/);
  assert.match(md, /\| ✅ pass \| `nan` \| 0 epochs \|/);
  const json = JSON.parse(await readFile(join(out, RUN, 'report.json'), 'utf8')) as { gates: { failed: number; passed: number } };
  assert.deepEqual([json.gates.failed, json.gates.passed], [1, 2]); // with the default gate "failed" (healthy: passes)
  const html = await readFile(join(out, RUN, 'report.html'), 'utf8');
  assert.match(html, /<h2 id="gates">Quality Gates<\/h2>/);
  assert.ok(html.indexOf('<h2 id="gates">Quality Gates</h2>') < html.indexOf('<h2 id="overview">Overview</h2>'));
});

test('a failed gate on a healthy run is marked beside the verdict: summary.md\'s heading, report.md\'s verdict line, report.html\'s', async () => {
  const summary = await report('--input', FIXTURE, '-f', 'summary', '-o', '-', '--fail-on', 'val_accuracy<0.98');
  assert.equal(summary.code, 3, summary.stderr);
  // the verdict stays the run's (healthy); the gates, the CI policy, are named as gates
  assert.equal(summary.stdout.split('\n')[0], '### MNIST Training Results Analysis: ✅ healthy · ❌ 1 quality gate failed');
  const md = await report('--input', FIXTURE, '-f', 'md', '-o', '-', '--fail-on', 'val_accuracy<0.98', '--fail-on', 'nan');
  assert.equal(md.code, 3, md.stderr);
  assert.match(md.stdout, /^\*\*Verdict: ✅ healthy\*\* · \*\*❌ 1 quality gate failed\.\*\* Completed 5 of 5 epochs/m);
  const out = join(dir, 'beside');
  await report('--input', FIXTURE, '--out', out, '-f', 'html', '--fail-on', 'val_accuracy<0.98');
  assert.match(await readFile(join(out, RUN, 'report.html'), 'utf8'),
    /<strong id="verdict-heading" class="level">Verdict: healthy<\/strong> · <strong class="gates-failed">1 quality gate failed<\/strong> <span class="reason">/);
  // passing gates add nothing there
  const passed = await report('--input', FIXTURE, '-f', 'summary', '-o', '-', '--fail-on', 'val_accuracy<0.9');
  assert.equal(passed.code, 0, passed.stderr);
  assert.equal(passed.stdout.split('\n')[0], '### MNIST Training Results Analysis: ✅ healthy');
});

test('a tiny threshold is printed as given beside its value (ece>0.00001: 0.332% above 0.001%, never 0.00%): stderr, report.md, report.html', async () => {
  const out = join(dir, 'tiny');
  const r = await report('--input', join(ROOT, 'fixtures/cloudwatch-filter-log-events.json'), '--out', out, '--fail-on', 'ece>0.00001');
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /failed for run \S+: ece>0\.00001 \(was 0\.332%\)\n/);
  const md = await readFile(join(out, RUN, 'report.md'), 'utf8');
  assert.ok(md.includes('| ❌ fail | `ece>0.00001` | 0.332% | > 0.001% | Expected calibration error of the evaluation 0.332% is above 0.001%. |'), md);
  const html = await readFile(join(out, RUN, 'report.html'), 'utf8');
  assert.ok(html.includes('<td class="num" data-label="Value">0.332%</td><td class="num" data-label="Fails on">&gt; 0.001%</td>'));
  assert.doesNotMatch(md + html, /(?<![\d.])0\.00%/); // (10.00% is another number)
});

test('passing gates (flag and the CI gates file): exit 0 and the table says so', async () => {
  const out = join(dir, 'pass');
  const r = await report('--input', FIXTURE, '--out', out, '--fail-on', 'val_accuracy<0.5', '--gates', '.ci/gates.txt');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /All 5 quality gates passed\./);
  const md = await readFile(join(out, RUN, 'report.md'), 'utf8');
  assert.match(md, /✅ All 5 quality gates passed\./);
  assert.match(md, /\| ✅ pass \| `failed` \| healthy \| verdict = failed \|/);
  assert.match(md, /\| ✅ pass \| `val_accuracy<0\.95` \| 97\.66% \| < 95\.00% \|/);
  assert.match(md, /\| ✅ pass \| `incomplete` \| completed \| not completed \|/);
});

test('the default gate "failed" is applied unless --no-verdict-gate; without any gate there is no gate section', async () => {
  const out = join(dir, 'none');
  const byDefault = await report('--input', FIXTURE, '--out', out, '--format', 'md');
  assert.equal(byDefault.code, 0, byDefault.stderr);
  assert.match(await readFile(join(out, RUN, 'report.md'), 'utf8'), /\| ✅ pass \| `failed` \| healthy \|/);
  const r = await report('--input', FIXTURE, '--out', out, '--format', 'md', '--no-verdict-gate');
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(await readFile(join(out, RUN, 'report.md'), 'utf8'), /Quality Gates/);
});

test('a bad rule or a missing gates file: exit 2, one line, nothing written', async () => {
  const out = join(dir, 'bad');
  const r = await report('--input', FIXTURE, '--out', out, '--fail-on', 'val_acc<0.9');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^mnist-report: bad quality gate "val_acc<0\.9" \(--fail-on\): unknown metric "val_acc" \(did you mean val_accuracy\?\); accepted: METRIC<N/);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  // a threshold no run can fail (val_accuracy>1), or every run fails (val_loss>-1): refused before any input is read, not a gate that never judges
  for (const [rule, why] of [['val_accuracy>1', 'can never fail'], ['val_loss>-1', 'fails every run'], ['overfit', 'not a rule \\(did you mean overfitting\\?\\)']]) {
    const bad = await report('--input', FIXTURE, '--out', out, '--fail-on', rule!);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, new RegExp(`^mnist-report: bad quality gate "${rule}" \\(--fail-on\\): .*${why}; accepted: METRIC<N`));
  }
  const r2 = await report('--input', FIXTURE, '--out', out, '--gates', join(dir, 'nope.txt'));
  assert.equal(r2.code, 2);
  assert.match(r2.stderr, /--gates .*nope\.txt: no such file/);
  await assert.rejects(readdir(out), { code: 'ENOENT' });
});

test('--baseline RUN_ID and --baseline report.json: a deltas table with better directions', async () => {
  // A second run in the same input: the fixture's run with a new id and worse final validation metrics.
  const lines = (await readFile(FIXTURE, 'utf8')).split('\n').filter(Boolean);
  const worse = lines.map((l) => {
    const e = JSON.parse(l) as Record<string, unknown>;
    e.run_id = 'run-b';
    e.time = String(e.time).replace('2026-11-24T07', '2026-11-24T09');
    if (e.event === 'epoch_end' && e.epoch === 5) { e.val_accuracy = 0.9701; e.val_loss = 0.0998; }
    return JSON.stringify(e);
  });
  const input = join(dir, 'two-runs.jsonl');
  await writeFile(input, `${[...lines, ...worse].join('\n')}\n`);

  const out = join(dir, 'baseline');
  const r = await report('--input', input, '--out', out, '--run', 'run-b', '--baseline', RUN);
  assert.equal(r.code, 0, r.stderr);
  const md = await readFile(join(out, 'run-b', 'report.md'), 'utf8');
  assert.match(md, new RegExp(`## Compared with Baseline Run ${RUN.replace(/-/g, '\\\\?-')}`));
  assert.ok(md.indexOf('## Compared with Baseline') < md.indexOf('## Overview'), 'the baseline section sits near the top');
  assert.match(md, /The two runs have the same settings/);
  // a significant drop against the baseline needs attention (the reason is the first finding; the row says the change)
  assert.match(md, /^\*\*Verdict: ⚠️ needs attention\.\*\* /m);
  assert.match(md, /\| −0\.65 pp val accuracy vs 20261130T070537Z-f4b168 \(significant\) \|/);
  assert.match(md, /\| Validation accuracy \(final\) \| higher \| 97\.66% \| 97\.01% \| −0\.65 pp \| regressed \|/);
  assert.match(md, /\| Validation loss \(final\) \| lower \| 0\.0712 \| 0\.0998 \| \+0\.0286 \| worse \(untested\) \|/);
  assert.match(md, /\| Training loss \(final\) \| lower \| 0\.0760 \| 0\.0760 \| \+0\.0000 \| unchanged \|/);

  // The same comparison from the earlier report's report.json.
  const out2 = join(dir, 'baseline-file');
  const first = await report('--input', FIXTURE, '--out', out2, '--format', 'json');
  assert.equal(first.code, 0, first.stderr);
  const r2 = await report('--input', input, '--out', out2, '--run', 'run-b', '--baseline', join(out2, RUN, 'report.json'), '--format', 'md,json');
  assert.equal(r2.code, 0, r2.stderr);
  const json = JSON.parse(await readFile(join(out2, 'run-b', 'report.json'), 'utf8')) as {
    baseline: { baseline: { run_id: string; source: string }; regressed: number; rows: { metric: string; verdict: string; significant: boolean | null }[] };
    verdict: { level: string; findings: { rule: string; reason: string }[] };
  };
  assert.ok(json.verdict.findings.some((f) => f.rule === 'regression' && /significantly lower than baseline run/.test(f.reason)));
  assert.equal(json.baseline.baseline.run_id, RUN);
  const va = json.baseline.rows.find((x) => x.metric === 'val_accuracy');
  assert.deepEqual([va?.verdict, va?.significant], ['regressed', true]);
  // never a local absolute path in the report: the last folder and the file name
  assert.equal(json.baseline.baseline.source, `${RUN}/report.json`);
  const gate = await report('--input', input, '--out', out2, '--run', 'run-b', '--baseline', join(out2, RUN, 'report.json'), '--format', 'json', '--fail-on', 'regression');
  assert.equal(gate.code, 3, gate.stderr);
  assert.match(gate.stderr, /quality gate failed for run run-b: regression \(−0\.65 pp\)/);

  const missing = await report('--input', input, '--out', out2, '--run', 'run-b', '--baseline', 'no-such-run');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--baseline no-such-run: no such file, and no run with that id in the input \(runs in the input: /);
});

test('regression without --baseline, below_history without --history: a usage error (exit 2) before anything is read, not a failed gate', async () => {
  const out = join(dir, 'needs-flag');
  const regression = await report('--input', FIXTURE, '--out', out, '--fail-on', 'regression');
  assert.equal(regression.code, 2, regression.stderr);
  assert.equal(regression.stderr,
    'mnist-report: --fail-on regression compares against a baseline: add --baseline RUN (a run id in the input, or an earlier report.json), or remove the rule\n');
  await assert.rejects(readdir(out), { code: 'ENOENT' }, 'no report folder: nothing was read or written');
  // no input is read: a missing one is not what it says
  const history = await report('--input', join(dir, 'no-such-log.jsonl'), '--out', out, '--fail-on', 'below_history');
  assert.equal(history.code, 2, history.stderr);
  assert.equal(history.stderr,
    'mnist-report: --fail-on below_history compares against the previous runs of the same model: add --history [N], or remove the rule\n');
  // from a gates file: the file and line are named
  const gates = join(dir, 'compare-gates.txt');
  await writeFile(gates, '# nightly\nnan\nregression\n');
  const fromFile = await report('--input', FIXTURE, '--out', out, '--gates', gates);
  assert.equal(fromFile.code, 2, fromFile.stderr);
  assert.equal(fromFile.stderr, `mnist-report: regression in --gates ${gates}:3 compares against a baseline: add --baseline RUN (a run id in the input, or an earlier report.json), or remove the rule\n`);
  await assert.rejects(readdir(out), { code: 'ENOENT' });
  // with its flag, the rule is judged (the same run has no history of earlier runs: no band, the gate passes)
  const judged = await report('--input', FIXTURE, '--out', out, '--format', 'json', '--history', '--fail-on', 'below_history');
  assert.equal(judged.code, 0, judged.stderr);
  // --help says so
  const help = await report('--help');
  assert.match(help.stdout.replace(/\s+/g, ' '), /regression = [^;]*\(needs --baseline\); below_history = [^;]*\(needs --history;.*usage error \(exit 2\) before any input is read/);
});

test('a significant regression against the baseline is a next step: which metric, by how much, against which run, and the setting that differs', async () => {
  // two runs of the real trainer's fixture: hist-01 as logged, hist-02 with a tenfold learning rate and a lower final validation accuracy
  const input = join(dir, 'baseline-steps.jsonl');
  await writeFile(input, historyLog(ROOT, {
    runs: 2,
    final: (i) => (i === 1 ? { val_accuracy: 0.9701, val_loss: 0.0712 } : { val_accuracy: 0.9766, val_loss: 0.0712 }),
    config: (i) => (i === 1 ? { learning_rate: 0.01 } : null),
  }));
  const out = join(dir, 'baseline-steps');
  const r = await report('--input', input, '--out', out, '--run', 'hist-02', '--baseline', 'hist-01', '--format', 'md,json');
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(await readFile(join(out, 'hist-02', 'report.json'), 'utf8')) as { next_steps: string[]; verdict: { findings: { rule: string }[] } };
  assert.ok(json.verdict.findings.some((f) => f.rule === 'regression'));
  const step = 'Validation accuracy regressed against baseline run hist-01: 97.66% → 97.01%, −0.65 pp (95% interval of the difference −1.10 pp to −0.20 pp). ' +
    "Compare the two runs' Training Configuration sections: learning rate 0.001 → 0.01 differs (Compared with Baseline); undo it and rerun to see whether it is the cause.";
  assert.equal(json.next_steps.at(-1), step);
  assert.ok(json.next_steps.slice(0, -1).every((s) => !/baseline/i.test(s)), 'the steps before it are the analysis\' own');
  const md = await readFile(join(out, 'hist-02', 'report.md'), 'utf8');
  assert.match(md, /## Next Steps\n\n(\d\. .*\n)*\d\. Validation accuracy regressed against baseline run hist-01: 97\.66% → 97\.01%, −0\.65 pp /);

  // the other way round (the better run against the worse) is no regression, and no such step
  const back = await report('--input', input, '--out', out, '--run', 'hist-01', '--baseline', 'hist-02', '--format', 'json');
  assert.equal(back.code, 0, back.stderr);
  const better = JSON.parse(await readFile(join(out, 'hist-01', 'report.json'), 'utf8')) as { next_steps: string[] };
  assert.ok(better.next_steps.every((s) => !/regressed/.test(s)), better.next_steps.join('\n'));
});

test('an evaluation alone: the test gates and the key numbers read its accuracy; nan, with no epoch metric to look at, is not judged', async () => {
  // the fixture's final evaluation of the 10,000 test images, cut out of it: no epochs, no run_end
  const evalOnly = join(dir, 'evaluation.jsonl');
  const lines = (await readFile(FIXTURE, 'utf8')).split('\n');
  await writeFile(evalOnly, `${lines.filter((l) => /"event":"evaluation"/.test(l) && /"scope":"final"/.test(l)).join('\n')}\n`);
  const out = join(dir, 'evaluation');
  const r = await report('--input', evalOnly, '--out', out, '--format', 'md,json',
    '--fail-on', 'test_accuracy<0.99', '--fail-on', 'test_accuracy<0.97', '--fail-on', 'nan');
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, new RegExp(`2 quality gates failed for run ${RUN}: test_accuracy<0\\.99 \\(was 97\\.66%\\), nan \\(not judged\\)\\n`));
  const md = await readFile(join(out, RUN, 'report.md'), 'utf8');
  assert.match(md, /\| ❌ fail \| `test_accuracy<0\.99` \| 97\.66% \| < 99\.00% \| Test accuracy \(the log's evaluation\) 97\.66% is below 99\.00%\. \|/);
  assert.match(md, /\| ✅ pass \| `test_accuracy<0\.97` \| 97\.66% \| < 97\.00% \|/);
  assert.match(md, /\| ❌ fail \| `nan` \| not judged \| any NaN\/Infinity \| The log has no epoch metrics \(only an evaluation\), so NaN or Infinity in training cannot be ruled out and the gate cannot pass\. \|/);
  const a = JSON.parse(await readFile(join(out, RUN, 'report.json'), 'utf8')) as {
    run: { outcome: string }; evaluation: { accuracy: number; size: number };
    verdict: { key: { evaluation?: { accuracy: number; low: number; high: number }; shown: { label: string; value: string }[] } };
  };
  assert.equal(a.run.outcome, 'evaluation only');
  const k = a.verdict.key;
  assert.equal(k.evaluation?.accuracy, a.evaluation.accuracy);
  assert.ok(k.evaluation!.low < a.evaluation.accuracy && a.evaluation.accuracy < k.evaluation!.high);
  assert.deepEqual(k.shown[0], { label: 'Evaluation accuracy', value: `97.66% (95% CI ${(k.evaluation!.low * 100).toFixed(2)}%–${(k.evaluation!.high * 100).toFixed(2)}%)` });
  assert.match(md, /^\| Evaluation accuracy \| Best epoch/m);

  // nothing at all to look at (a run_start alone): nan cannot pass either, and the run has nothing to judge yet (exit 4: started, not ended)
  const startOnly = join(dir, 'start.jsonl');
  await writeFile(startOnly, `${lines.find((l) => /"event":"run_start"/.test(l))}\n`);
  const none = await report('--input', startOnly, '--out', join(dir, 'start'), '--format', 'json', '--fail-on', 'nan');
  assert.equal(none.code, 4, none.stderr);
  const b = JSON.parse(await readFile(join(dir, 'start', RUN, 'report.json'), 'utf8')) as { gates: { summary: string; results: { rule: string; status: string; shown: { value: string } }[] } };
  const nan = b.gates.results.find((g) => g.rule === 'nan')!;
  assert.deepEqual([nan.status, nan.shown.value], ['fail', 'not judged']);
  // the gate section names the code the CLI exits with: 4, not the gates' 3
  assert.equal(b.gates.summary, '1 of 1 quality gate failed: nan. mnist-report exits with code 4: the run has no epoch results yet and has not ended, so there is nothing to judge yet.');
  assert.doesNotMatch(b.gates.summary, /code 3/);
});
