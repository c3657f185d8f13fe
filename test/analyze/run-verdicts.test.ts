// Several runs in one input: each run's verdict counts the records of that run, not the whole
// input's (collectRuns → analyzeRun, as the report CLI calls them; --run all over a file reads twice).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCHEMA } from '../../src/events.js';
import { analyzeRun } from '../../src/analyze/analyze.js';
import { collectRuns } from '../../src/runs/collect.js';
import { eachRunInTwoReads } from '../../src/cli/report-all.js';
import type { Analysis } from '../../src/analyze/types.js';
import type { ParsedLog, Run } from '../../src/types.js';
import { epochEvent, iterate, readRuns, rec } from '../parse/helpers.js';
import { GEN } from './build.js';

const KERAS = 'fixtures/formats/keras1-verbose2.log';
const analyse = (r: Run, parsed: ParsedLog): Analysis => analyzeRun(r, parsed.quality, { generatedAt: GEN, noRun: parsed.no_run });
const dataQuality = (a: Analysis) => a.checks.find((c) => c.id === 'data.quality')!;
const rules = (a: Analysis) => a.verdict.findings.map((f) => f.rule);

test('a Keras log of four fit() calls: the two unrecognised lines count for the fits they follow, not for fit3 and fit4, as plain text', async () => {
  const parsed = await readRuns(KERAS);
  const by = new Map(parsed.runs.map((r) => [r.run_id, analyse(r, parsed)]));
  for (const id of ['keras1-verbose2-fit3', 'keras1-verbose2-fit4']) {
    const a = by.get(id)!;
    assert.deepEqual([a.verdict.level, dataQuality(a).status, a.quality.unrecognised], ['healthy', 'pass', 0], id);
    assert.equal(a.input_quality?.whole.unrecognised, 2, 'the whole input is still shown');
  }
  // "stopped after  21 epochs" (line 45) follows fit1's last epoch, "stopped after  12 epochs" (line 72) fit2's
  for (const [id, line, records] of [['keras1-verbose2', 45, 46], ['keras1-verbose2-fit2', 72, 26]] as const) {
    const a = by.get(id)!;
    // the script's own print: information, not the data-quality finding (the verdict has findings of its own)
    assert.equal(a.verdict.level, 'needs attention', id);
    assert.ok(!rules(a).includes('data-quality'), id);
    assert.equal(dataQuality(a).status, 'info', id);
    assert.match(dataQuality(a).message, new RegExp(`^1 line of plain text .* out of this run's ${records} records, quoted under Data Quality: counted, not a problem\\.$`));
    assert.deepEqual(a.quality.examples.map((e) => e.line), [line]);
  }
});

test('--run all over the Keras log (two reads): the same verdicts as one read', async () => {
  const once = await readRuns(KERAS);
  const levels: [string, string][] = [];
  for await (const { run, parsed } of eachRunInTwoReads({ files: [KERAS], format: null, baselineRun: null, placed: () => {} })) {
    levels.push([run.run_id, analyse(run, parsed).verdict.level]);
  }
  assert.deepEqual(levels, once.runs.map((r) => [r.run_id, analyse(r, once).verdict.level]));
  assert.deepEqual(levels.map(([, l]) => l), ['needs attention', 'needs attention', 'healthy', 'healthy']);
});

test('JSON lines: an unknown event inside run b and a stray line after it are b\'s; run a is judged clean', async () => {
  const event = (run_id: string, name: string, over: Record<string, unknown> = {}) =>
    JSON.stringify({ schema: SCHEMA, event: name, run_id, time: '2026-11-24T07:00:00.000Z', ...over });
  const run = (id: string, middle: string[] = []) => [
    event(id, 'run_start'), ...[1, 2, 3, 4, 5].flatMap((n) => [epochEvent(id, n, 0.3 / n), ...(n === 2 ? middle : [])]),
    event(id, 'run_end', { status: 'completed', epochs_completed: 5 }),
  ];
  const lines = [...run('a'), ...run('b', [event('b', 'learning_rate_change', { lr: 0.01 }), 'a stray print: loss=0.1'])];
  const parsed = await collectRuns(iterate(lines.map((l) => rec(l))));
  const [a, b] = ['a', 'b'].map((id) => analyse(parsed.runs.find((r) => r.run_id === id)!, parsed));
  assert.deepEqual([a!.quality.unknown_events, a!.quality.unrecognised, dataQuality(a!).status], [[], 0, 'pass']);
  assert.doesNotMatch(dataQuality(a!).message, /learning_rate_change/);
  assert.equal(a!.verdict.level, 'healthy');
  assert.deepEqual([b!.quality.unknown_events, b!.quality.unrecognised, dataQuality(b!).status], [[{ name: 'learning_rate_change', count: 1 }], 1, 'warn']);
  assert.match(dataQuality(b!).message, /^1 unrecognised out of this run's 9 records; see Data Quality\..*learning_rate_change/);
  assert.deepEqual(rules(b!), ['data-quality']);
});

test('a file of no run beside a run: its lines are counted for no run, shown beside the run, and do not change its verdict', async () => {
  const parsed = await collectRuns(iterate([
    rec(epochEvent('r', 1, 0.3)), rec(epochEvent('r', 2, 0.2)),
    rec('xray daemon starting', { source: 'sidecar.log', line: 1 }),
  ]));
  const a = analyse(parsed.runs[0]!, parsed);
  assert.equal(dataQuality(a).status, 'pass');
  assert.deepEqual([a.input_quality?.whole.unrecognised, a.input_quality?.no_run?.examples.map((e) => e.text)], [1, ['xray daemon starting']]);
});
