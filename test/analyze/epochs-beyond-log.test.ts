// A run_end that counts more epochs than the log holds (a CloudWatch filter that dropped epoch_end lines, a cut
// log): the epochs it counts are missing from the log, said so, and the run is not judged as if it ended where
// its log does. Inputs are lines of the bundled capture, filtered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { collectRuns } from '../../src/runs/collect.js';
import { analyzeRun } from '../../src/analyze/analyze.js';
import type { Analysis, CheckId } from '../../src/analyze/types.js';
import { iterate, rec } from '../parse/helpers.js';
import { GEN } from './build.js';
import { runReport } from '../e2e/report-cli.js';

const LINES = readFileSync('fixtures/mnist-train-5epochs.jsonl', 'utf8').split('\n').filter(Boolean);
const event = (l: string) => (JSON.parse(l) as { event: string }).event;
const epochOf = (l: string) => (JSON.parse(l) as { epoch?: number }).epoch;

async function analyse(lines: string[]): Promise<Analysis> {
  const log = await collectRuns(iterate(lines.map((l) => rec(l))));
  assert.equal(log.runs.length, 1);
  return analyzeRun(log.runs[0]!, log.quality, { generatedAt: GEN });
}
const check = (a: Analysis, id: CheckId) => a.checks.find((c) => c.id === id);

test('run_start and run_end (completed, 5 epochs) with no epoch_end: not healthy, the reason says run_end counts 5 epochs the log lacks', async () => {
  const a = await analyse(LINES.filter((l) => ['run_start', 'run_end'].includes(event(l))));
  assert.deepEqual(a.quality.missing_epochs, [{ first: 1, last: 5 }]);
  assert.equal(a.verdict.level, 'needs attention');
  assert.equal(a.verdict.reason, 'The run_end says the run completed 5 of 5 epochs, but the log holds none of them, so there is nothing to analyse ' +
    '(and 1 more finding, see Checks).');
  assert.equal(check(a, 'run.status')?.status, 'warn');
  assert.deepEqual([check(a, 'epochs.sequence')?.status, check(a, 'epochs.sequence')?.message],
    ['warn', 'Epochs 1–5 missing from the log: run_end counts 5 epochs completed, and the log holds none of them.']);
  assert.doesNotMatch(a.next_steps.join('\n'), /this report has no more specific next step/);
});

test('run_end counts 5 epochs, the log holds 3: epochs 4–5 are named missing, the run is not "cut short" and not told to train longer', async () => {
  const a = await analyse(LINES.filter((l) => event(l) !== 'batch_end' && !(event(l) === 'epoch_end' && epochOf(l)! > 3)));
  assert.equal(a.epochs.length, 3);
  assert.deepEqual(a.quality.missing_epochs, [{ first: 4, last: 5 }]);
  assert.equal(a.verdict.level, 'needs attention');
  assert.equal(a.verdict.reason, 'Epochs 4–5 missing from the log: run_end counts 5 epochs completed, and the log ends at epoch 3.');
  assert.deepEqual([check(a, 'run.status')?.status, check(a, 'run.status')?.message], ['pass',
    'The run completed 5 of 5 epochs and wrote run_end with status completed, but the log holds them only up to epoch 3: the checks judge it as of epoch 3.']);
  // epoch 3 still improved, but the run went on to 5: not "more epochs would help"
  assert.match(check(a, 'convergence')!.message, /at epoch 3, where the log ends; run_end counts 5 epochs completed, so whether the run converged by its last is not known\.$/);
  assert.doesNotMatch(a.next_steps.join('\n'), /Train longer|rerun it to completion/);
  assert.match(a.next_steps.join('\n'), /Find out where the lines of epochs 4–5 went .*: the run is judged as of epoch 3, the last in the log\./);
});

test('a whole log: run_end counts exactly the epochs logged, nothing is missing', async () => {
  const a = await analyse(LINES);
  assert.deepEqual(a.quality.missing_epochs, []);
  assert.equal(a.verdict.level, 'healthy');
});

test('the CLI on run_start + run_end alone: needs attention on stderr, exit 2 (the run ended, with nothing to judge)', async () => {
  const r = await runReport(['-i', '-', '-f', 'md', '-o', '-'],
    { stdin: LINES.filter((l) => ['run_start', 'run_end'].includes(event(l))).join('\n') + '\n' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /verdict for run "20261130T070537Z-f4b168": needs attention: The run_end says the run completed 5 of 5 epochs, but the log holds none of them/);
  assert.doesNotMatch(r.stdout, /healthy/);
});
