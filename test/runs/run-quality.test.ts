// Each run's own data quality (Run.quality): the records that count for it, not the whole input's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCHEMA } from '../../src/events.js';
import { collectRuns } from '../../src/runs/collect.js';
import { eachRunInTwoReads } from '../../src/cli/report-all.js';
import type { DataQuality } from '../../src/types.js';
import { epochEvent, iterate, readRuns, rec } from '../parse/helpers.js';

const KERAS = 'fixtures/formats/keras1-verbose2.log';
const counts = (q: DataQuality) => [q.records, q.recognised, q.ignored, q.unrecognised];
const event = (run_id: string, name: string, over: Record<string, unknown> = {}) =>
  JSON.stringify({ schema: SCHEMA, event: name, run_id, time: '2026-11-24T07:00:00.000Z', ...over });

test('four fit() calls in one Keras log: each run counts its own lines, the line printed after a fit counts for that fit', async () => {
  const log = await readRuns(KERAS);
  assert.deepEqual(log.runs.map((r) => [r.run_id, ...counts(r.quality), r.quality.examples.map((e) => e.line)]), [
    ['keras1-verbose2', 46, 43, 2, 1, [45]], // "stopped after  21 epochs" follows its last epoch
    ['keras1-verbose2-fit2', 26, 25, 0, 1, [72]],
    ['keras1-verbose2-fit3', 42, 42, 0, 0, []],
    ['keras1-verbose2-fit4', 24, 24, 0, 0, []],
  ]);
  assert.deepEqual(counts(log.quality), [138, 134, 2, 2], 'the whole input as before');
  assert.equal(log.no_run, undefined, 'every line counts for a run');
});

test('JSON lines: a line before the first run counts for it, an unknown event for the run it names, a file without a run for no run', async () => {
  const records = [
    rec('starting up'),
    rec(event('a', 'run_start')), rec(epochEvent('a', 1, 0.5)),
    rec(event('b', 'run_start')),
    rec(event('b', 'learning_rate_change', { lr: 0.01 })),
    rec(epochEvent('a', 2, 0.4)), // a's and b's lines interleave in one file
    rec(epochEvent('b', 1, 0.5)), rec('stray text after b'),
    rec('noise', { source: 'sidecar.log', line: 1 }), rec('{"level":"info"}', { source: 'sidecar.log', line: 2 }),
  ];
  const log = await collectRuns(iterate(records));
  const [a, b] = [log.runs.find((r) => r.run_id === 'a')!, log.runs.find((r) => r.run_id === 'b')!];
  assert.deepEqual([counts(a.quality), a.quality.unknown_events, a.quality.examples.map((e) => e.text)], [[4, 3, 0, 1], [], ['starting up']]);
  assert.deepEqual([counts(b.quality), b.quality.unknown_events, b.quality.examples.map((e) => e.text)],
    [[4, 3, 0, 1], [{ name: 'learning_rate_change', count: 1 }], ['stray text after b']]);
  assert.deepEqual([counts(log.no_run!), log.no_run!.examples.map((e) => e.source)], [[2, 0, 0, 2], ['sidecar.log', 'sidecar.log']]);
  assert.deepEqual(counts(log.quality), [10, 6, 0, 4], 'the whole input: both runs and no run');
  assert.deepEqual(log.quality.unknown_events, [{ name: 'learning_rate_change', count: 1 }]);
});

test('--run all over a file (two reads, each run handed over at its last record): the same counts as one read', async () => {
  const whole = await readRuns(KERAS);
  const handed: [string, DataQuality][] = [];
  for await (const { run } of eachRunInTwoReads({ files: [KERAS], format: null, baselineRun: null, placed: () => {} })) handed.push([run.run_id, run.quality]);
  assert.deepEqual(handed, whole.runs.map((r) => [r.run_id, r.quality]));
});
