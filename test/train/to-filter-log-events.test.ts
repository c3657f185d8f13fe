import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { toFilterLogEvents } from '../support/to-filter-log-events.js';
import { deserializeEvent } from '../../src/events.js';

const fixture = (name: string) => readFile(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');

test('the committed CloudWatch fixture is exactly the converter applied to the committed trainer output', async () => {
  const lines = (await fixture('mnist-train-5epochs.jsonl')).split('\n');
  const expected = `${JSON.stringify(toFilterLogEvents(lines), null, 4)}\n`;
  assert.equal(await fixture('cloudwatch-filter-log-events.json'), expected);
});

test('the trainer fixture: every line a valid event, 5 epochs, completed, val_accuracy >= 0.975', async () => {
  const lines = (await fixture('mnist-train-5epochs.jsonl')).trimEnd().split('\n');
  const events = lines.map((l) => {
    const v = deserializeEvent(l);
    assert.ok(v.ok, l.slice(0, 100));
    return v.event;
  });
  const epochs = events.filter((e) => e.event === 'epoch_end');
  assert.equal(epochs.length, 5);
  const last = epochs.at(-1)!;
  assert.ok(last.event === 'epoch_end' && (last.val_accuracy ?? 0) >= 0.975);
  const end = events.at(-1)!;
  assert.ok(end.event === 'run_end' && end.status === 'completed');
});

test('converted events look like filter-log-events output', () => {
  const lines = [
    '{"schema":"mnist-train/1","run_id":"r","time":"2026-11-24T07:00:00.000Z","event":"batch_end","epoch":1,"batch":1,"loss":1,"accuracy":0.5}',
    '{"schema":"mnist-train/1","run_id":"r","time":"2026-11-24T07:00:01.500Z","event":"batch_end","epoch":1,"batch":2,"loss":1,"accuracy":0.5}',
    '',
  ];
  const out = toFilterLogEvents(lines);
  assert.equal(out.events.length, 2);
  const [a, b] = out.events;
  assert.match(a!.logStreamName, /^ecs\/mnist-training\/[0-9a-f]{32}$/);
  assert.deepEqual(out.searchedLogStreams, [{ logStreamName: a!.logStreamName, searchedCompletely: true }]);
  assert.equal(a!.timestamp, Date.parse('2026-11-24T07:00:00.000Z'));
  assert.equal(b!.timestamp - a!.timestamp, 1500);
  for (const e of out.events) {
    assert.match(e.eventId, /^\d{56}$/);
    assert.ok(e.ingestionTime - e.timestamp >= 150 && e.ingestionTime - e.timestamp < 350);
  }
  assert.notEqual(a!.eventId, b!.eventId);
  assert.ok(a!.eventId < b!.eventId, 'eventIds ordered by time');
  assert.equal(a!.message, lines[0]);
});
