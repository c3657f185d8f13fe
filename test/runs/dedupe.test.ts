// The dedupe windows (typed-array hash tables) answer like a Set of the last 100,000 keys; a file's
// events with a time (TimedEventDedupe) are found again by their time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventIdDedupe, MessageDedupe, TimedEventDedupe } from '../../src/runs/dedupe.js';
import { SCHEMA, type ReadTrainEvent } from '../../src/events.js';

test('MessageDedupe answers like a Set of the last 100,000 lines (growth, eviction, repeats at every distance)', () => {
  const d = new MessageDedupe();
  const window: string[] = [];
  const inWindow = new Map<string, number>();
  let seed = 7;
  const rand = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
  let repeats = 0;
  for (let i = 0; i < 260_000; i++) {
    // a new line, or one from 1 to 130,000 lines back (inside and outside the window)
    const back = rand(4) === 0 ? 1 + rand(130_000) : 0;
    const line = back && back <= i ? `line ${i - back}` : `line ${i}`;
    const expected = inWindow.has(line);
    assert.equal(d.seen(line, false), expected, `${line} at ${i}`);
    if (expected) { repeats++; continue; }
    window.push(line);
    inWindow.set(line, (inWindow.get(line) ?? 0) + 1);
    if (window.length > 100_000) {
      const old = window.shift()!;
      inWindow.delete(old);
    }
  }
  assert.ok(repeats > 10_000, `repeats inside the window: ${repeats}`);
});

test('EventIdDedupe keeps forever ids for the whole read', () => {
  const d = new EventIdDedupe();
  d.addId('37000000000000000000000000000000000000000000000000000001', true);
  for (let i = 0; i < 150_000; i++) d.addId(`3700000000000000000000000000000000000000000000${String(i).padStart(10, '0')}`, false);
  assert.ok(d.seenId('37000000000000000000000000000000000000000000000000000001'));
  assert.ok(d.seenId(`3700000000000000000000000000000000000000000000${String(149_999).padStart(10, '0')}`));
  assert.ok(!d.seenId(`3700000000000000000000000000000000000000000000${String(10).padStart(10, '0')}`), 'evicted');
});

test('MessageDedupe: long messages (hashed natively) too: the same text is seen, one character changed is not', () => {
  const d = new MessageDedupe();
  const long = (i: number, c = 'x') => `{"event":"evaluation","n":${i},"pixels":"${'a'.repeat(3000)}${c}${'b'.repeat(3000)}"}`;
  for (let i = 0; i < 200; i++) assert.equal(d.seen(long(i), true), false, `first ${i}`);
  for (let i = 0; i < 200; i++) {
    assert.equal(d.seen(long(i), true), true, `again ${i}`);
    assert.equal(d.seen(long(i, 'y'), true), false, `one character changed ${i}`);
  }
});

test('keys kept forever answer like a Set through the table\'s growth, beside windowed keys', () => {
  const d = new MessageDedupe();
  const forever = new Set<string>();
  const line = (j: number): string => `{"event":"epoch_end","run_id":"r${j % 7919}","epoch":${j}}`;
  for (let i = 0; i < 60_000; i++) {
    assert.equal(d.seen(line(i), true), forever.has(line(i)), line(i));
    forever.add(line(i));
    d.seen(`{"event":"batch_end","i":${i}}`, false);
    if (i % 997 === 0) assert.equal(d.seen(line((i * 31) % (i + 1)), true), true); // an earlier one again
  }
  assert.equal(d.seen('{"event":"epoch_end","run_id":"r0","epoch":0}', true), true);
  assert.equal(d.seen('{"event":"epoch_end","run_id":"r0","epoch":60000}', true), false);
});

test('TimedEventDedupe: epochs for the whole read, batch points in a window of the last 100,000 in time order', () => {
  const d = new TimedEventDedupe();
  const t0 = Date.parse('2026-11-24T07:00:00.000Z');
  const batch = (i: number): ReadTrainEvent => ({ schema: SCHEMA, event: 'batch_end', run_id: 'r', time: new Date(t0 + i).toISOString(), epoch: 2, batch: i, loss: 0.4, accuracy: 0.9 });
  const epoch = { schema: SCHEMA, event: 'epoch_end', run_id: 'r', time: new Date(t0).toISOString(), epoch: 1, loss: 0.5 } as ReadTrainEvent;
  const seen = (e: ReadTrainEvent) => d.seen(e, e.time!, JSON.stringify(e));
  assert.equal(seen(epoch), false);
  for (let i = 1; i <= 150_000; i++) assert.equal(seen(batch(i)), false);
  assert.equal(seen(batch(120_000)), true, 'recent: caught');
  assert.equal(seen(batch(10)), false, 'outside the window');
  assert.equal(seen(epoch), true, 'an epoch long ago: caught');
});

test('TimedEventDedupe.has: what seen() kept, without keeping anything (another input looking)', () => {
  const d = new TimedEventDedupe();
  const t0 = Date.parse('2026-11-24T07:00:00.000Z');
  const batch = (i: number, loss = 0.4): ReadTrainEvent => ({ schema: SCHEMA, event: 'batch_end', run_id: 'r', time: new Date(t0 + i).toISOString(), epoch: 2, batch: i, loss, accuracy: 0.9 });
  const epoch = { schema: SCHEMA, event: 'epoch_end', run_id: 'r', time: new Date(t0).toISOString(), epoch: 1, loss: 0.5 } as ReadTrainEvent;
  const has = (e: ReadTrainEvent) => d.has(e, e.time!, JSON.stringify(e));
  assert.equal(has(epoch), false);
  assert.equal(has(batch(1)), false, 'nothing kept yet');
  d.seen(epoch, epoch.time!, JSON.stringify(epoch));
  for (let i = 1; i <= 150_000; i++) d.seen(batch(i), batch(i).time!, JSON.stringify(batch(i)));
  assert.deepEqual([has(epoch), has(batch(150_000)), has(batch(60_000)), has(batch(50_000)), has(batch(10))], [true, true, true, false, false],
    'epochs for the whole read; batch points among the last 100,000');
  assert.deepEqual([has(batch(120_000, 0.41)), has(batch(150_001))], [false, false], 'other numbers, a later time');
  assert.equal(d.seen(batch(150_001), batch(150_001).time!, JSON.stringify(batch(150_001))), false, 'has() kept nothing');
});

test('TimedEventDedupe: times of another shape than toISOString\'s are one time only when written alike', () => {
  const d = new TimedEventDedupe();
  const at = (time: string): ReadTrainEvent => ({ schema: SCHEMA, event: 'batch_end', run_id: 'r', time, epoch: 1, batch: 1, loss: 0.4, accuracy: 0.9 });
  const seen = (time: string) => d.seen(at(time), time, JSON.stringify(at(time)));
  for (const time of ['2026-11-24T07:00:00Z', '2026-11-24T07:00:00.000Z', '2026-11-24T07:00:00.0001Z', '2026-11-24T07:00:00.0002Z', '0050-01-01T00:00:00.000Z', '1950-01-01T00:00:00.000Z']) {
    assert.equal(seen(time), false, time);
  }
  assert.equal(seen('2026-11-24T07:00:00.0001Z'), true);
  assert.equal(seen('2026-11-24T07:00:00Z'), true);
});
