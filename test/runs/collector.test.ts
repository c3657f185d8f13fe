import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectRuns, createRunCollector } from '../../src/runs/collect.js';
import { formatByName } from '../../src/parse/formats.js';
import { createLogParser } from '../../src/parse/log-parser.js';
import { readFileRecords } from '../../src/sources/file.js';
import type { LogRecord } from '../../src/types.js';
import { epochEvent, iterate, rec } from '../parse/helpers.js';

async function recordsOf(path: string): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for await (const item of readFileRecords(path)) {
    if (Array.isArray(item)) out.push(...item);
    else out.push(item as LogRecord);
  }
  return out;
}

// The follow mode renders snapshots while records arrive: each must be exactly what a one-shot
// read of the records so far gives, and taking one must not change what comes after.
for (const path of ['fixtures/mnist-train-5epochs.jsonl', 'fixtures/cloudwatch-filter-log-events.json', 'fixtures/formats/pytorch-mnist.log']) {
  test(`snapshot after each record equals collectRuns of the records so far: ${path}`, async () => {
    const records = await recordsOf(path);
    assert.ok(records.length > 5, `${path} has records`);
    const collector = createRunCollector();
    // every record near the start (run_start, the first epochs), then a stride: the whole file is slow
    const stride = Math.max(1, Math.floor(records.length / 12));
    for (const [i, r] of records.entries()) {
      collector.add(r);
      if (i < 6 || i % stride === 0 || i === records.length - 1) {
        const prefix = records.slice(0, i + 1);
        assert.deepEqual(collector.snapshot(), await collectRuns(iterate(prefix)), `after record ${i + 1} of ${records.length}`);
      }
    }
    assert.deepEqual(collector.snapshot(), await collectRuns(readFileRecords(path)));
  });
}

test('epochsAdded counts epoch results as they are added, events and text alike', () => {
  const c = createRunCollector();
  assert.equal(c.epochsAdded, 0);
  c.add(rec(epochEvent('a', 1, 0.5)));
  c.add([rec(epochEvent('a', 2, 0.4)), rec('not a log line')]);
  assert.equal(c.epochsAdded, 2);
  c.add(rec('Epoch 1/2', { source: 'k.log' }));
  c.add(rec('1875/1875 [==============================] - 3s 1ms/step - loss: 0.2990 - accuracy: 0.9134 - val_loss: 0.1411 - val_accuracy: 0.9581', { source: 'k.log' }));
  assert.equal(c.epochsAdded, 3);
  const snap = c.snapshot(); // a run with no time (text) after the runs with times before it in the input
  assert.deepEqual(snap.runs.map((r) => [r.run_id, r.epochs.length]), [['a', 2], ['k', 1]]);
});

test('a snapshot is a copy: later records do not change it', () => {
  const c = createRunCollector();
  c.add(rec(epochEvent('a', 1, 0.5)));
  c.add(rec('garbage 1'));
  const first = c.snapshot();
  const frozen = structuredClone(first);
  c.add([rec(epochEvent('a', 2, 0.4)), rec('garbage 2'), rec(epochEvent('b', 1, 0.3))]);
  assert.deepEqual(first, frozen);
  assert.equal(c.snapshot().runs.length, 2);
  assert.equal(c.snapshot().quality.unrecognised, 2);
});

test('the collector reads with the parse stage it is given (--log-format)', () => {
  const lines = [rec('Epoch 1/2'), rec('1875/1875 [==============================] - 3s 1ms/step - loss: 0.2990 - accuracy: 0.9134')];
  const free = createRunCollector();
  const forced = createRunCollector({ parser: createLogParser({ format: formatByName('pytorch-mnist') }) });
  free.add(lines);
  forced.add(lines);
  assert.equal(free.snapshot().runs[0]?.epochs.length, 1);
  assert.equal(forced.snapshot().runs.length, 0);
  assert.equal(forced.snapshot().quality.unrecognised, 2);
});

// --run all's two reads (src/cli/report-all.ts): the first places runs without keeping them,
// the second hands each over once its last record is in.
test('keepRun: runs not kept hold their place only; marks give where each ends; take hands a run over and forgets it', async () => {
  const lines = (id: string): LogRecord[] => [
    rec(JSON.stringify({ schema: 'mnist-train/1', event: 'run_start', run_id: id, time: '2026-11-24T07:00:00.000Z' })),
    rec(epochEvent(id, 1, 0.5)),
    rec(JSON.stringify({ schema: 'mnist-train/1', event: 'run_end', run_id: id, time: '2026-11-24T07:01:00.000Z', status: 'completed' })),
  ];
  const [a, b] = [lines('a'), lines('b')];
  // a and b interleaved: a starts first, b ends first
  const records = [a[0]!, b[0]!, b[1]!, b[2]!, a[1]!, a[2]!];
  const whole = await collectRuns(iterate(records));
  const placing = createRunCollector({ keepRun: (id) => id === 'b' });
  placing.add(records);
  assert.deepEqual(placing.marks(), [{ run_id: 'a', last_record: 6 }, { run_id: 'b', last_record: 4 }]);
  const placed = placing.snapshot();
  assert.deepEqual(placed.quality, whole.quality);
  assert.deepEqual(placed.runs.map((r) => r.run_id), ['b'], 'only the kept run');
  assert.deepEqual(placed.runs[0], whole.runs.find((r) => r.run_id === 'b'));
  const second = createRunCollector();
  second.add(records.slice(0, 4));
  assert.equal(second.recordsAdded, 4);
  assert.deepEqual(second.take(['b']), [whole.runs.find((r) => r.run_id === 'b')]);
  second.add(records.slice(4));
  assert.deepEqual(second.take(['a', 'b']), [whole.runs.find((r) => r.run_id === 'a')], 'b was forgotten');
  assert.deepEqual(second.snapshot().runs, []);
});
