// The Conclusion states the verdict's findings first, as the verdict words them: for the Keras
// CSVLogger capture the verdict said overfitting from epoch 4 while the Conclusion named it only as
// "1 warn (overfitting)" and spoke of convergence; for the trainer's 1-epoch run with an evaluation
// the verdict's missed digits were only "1 warn (evaluation.recall)". And a text trainer's log cut
// short is said in its terms: Keras writes no run_end, so its log does not "lack" one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_BIN, runReport, sandbox } from '../e2e/report-cli.js';

/** The Conclusion's items in the report.md the real bin writes for `input`, and the verdict's findings from its report.json. */
async function conclusionOf(input: string): Promise<{ items: string[]; findings: string[]; level: string }> {
  const { out } = sandbox();
  const r = await runReport(['-i', input, '-o', out, '-f', 'md,json', '--generated-at', '2026-11-30T12:00:00Z'], { bin: DIST_BIN });
  assert.equal(r.code, 0, r.stderr);
  const run = /wrote \d+ files to .*\/([^/]+)\/ \(run/.exec(r.stderr)![1]!;
  const md = readFileSync(join(out, run, 'report.md'), 'utf8');
  const section = md.slice(md.indexOf('## Conclusion\n'), md.indexOf('## Next Steps'));
  const json = JSON.parse(readFileSync(join(out, run, 'report.json'), 'utf8')) as { verdict: { level: string; findings: { reason: string }[] } };
  return { items: section.split('\n').filter((l) => l.startsWith('- ')).map((l) => l.slice(2).replace(/\\([\\_*[\]`<>])/g, '$1')) /* Markdown's escapes undone */, findings: json.verdict.findings.map((f) => f.reason), level: json.verdict.level };
}

test('Keras CSVLogger capture: the Conclusion opens with the verdict\'s overfitting, not with convergence', async () => {
  const c = await conclusionOf('fixtures/formats/keras-csvlogger.csv');
  assert.equal(c.level, 'needs attention');
  assert.deepEqual(c.findings, ['Overfitting from epoch 4: validation loss rose while training loss fell; epoch 3 had the lowest validation loss']);
  assert.equal(c.items[0], 'Overfitting from epoch 4: validation loss rose while training loss fell; epoch 3 had the lowest validation loss.');
  assert.match(c.items.at(-1)!, /^16 checks: 0 fail, 1 warn \(overfitting\),/);
  assert.equal(c.items.filter((i) => /^Overfitting/.test(i)).length, 1);
});

test('the trainer\'s 1-epoch run with an evaluation: the Conclusion opens with the missed digits, then the run', async () => {
  const c = await conclusionOf('fixtures/mnist-train-1epoch-evaluation.jsonl');
  assert.equal(c.findings.length, 1);
  assert.match(c.findings[0]!, /^The model misses digit 5 \(74\.33% against 86\.43% for the others\), digit 8 .* and digit 9 .* significantly more often than the rest/);
  assert.equal(c.items[0], `${c.findings[0]}.`);
  assert.match(c.items[1]!, /^The run completed: its last epoch is 1 of 1/);
});

test('a run cut short: the verdict\'s finding is the run\'s sentence, said once', async () => {
  const c = await conclusionOf('fixtures/bad/stopped-after-epoch-2.jsonl');
  assert.equal(c.items[0], `${c.findings[0]}.`);
  assert.match(c.items[0]!, /^The log stops after epoch 2 of 5/);
  assert.equal(c.items.filter((i) => /stops after epoch 2/.test(i)).length, 1, c.items.join('\n'));
});

test('a Keras text log cut after epoch 2 of 5 is said in Keras\' terms, not to lack run_end (Keras never writes one)', async () => {
  const { dir } = sandbox();
  const cut = join(dir, 'keras2-2-epochs.log');
  // `head -4` of the real capture: "Epoch 1/5", its line, "Epoch 2/5", its line
  writeFileSync(cut, readFileSync('fixtures/keras2-verbose2.log', 'utf8').split('\n').slice(0, 4).join('\n') + '\n');
  const { out } = sandbox();
  const r = await runReport(['-i', cut, '-o', out, '-f', 'md,json', '--fail-on', 'incomplete', '--generated-at', '2026-11-30T12:00:00Z'], { bin: DIST_BIN });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /verdict for run "keras2-2-epochs": needs attention: The log stops after epoch 2 of 5, before Keras' last epoch: the run was cut short or is still running\.\n/);
  const json = JSON.parse(readFileSync(join(out, 'keras2-2-epochs', 'report.json'), 'utf8')) as { checks: { id: string; message: string }[]; gates: { results: { rule: string; message: string }[] } };
  assert.equal(json.checks.find((c) => c.id === 'run.status')!.message, 'The log stops after epoch 2 of 5, before Keras\' last epoch: the run stopped, crashed or its log was cut.');
  assert.equal(json.gates.results.find((g) => g.rule === 'incomplete')!.message, 'The log stops after epoch 2 of 5, before Keras\' last epoch: the run stopped, crashed or its log was cut.');
  assert.doesNotMatch(readFileSync(join(out, 'keras2-2-epochs', 'report.md'), 'utf8'), /run\\?_end/);
  // mnist-train's own events keep their run_end
  const c = await conclusionOf('fixtures/bad/stopped-after-epoch-2.jsonl');
  assert.match(c.items[0]!, /^The log stops after epoch 2 of 5 with no run_end: /);
});
