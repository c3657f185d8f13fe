// mnist-train's generated run id and the start time --follow --run reads back out of it (src/run-id.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIRST_EVENT_WITHIN_MS, generateRunId, startedLongAgo } from '../../src/run-id.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');

test('a generated id holds its start time, read back once it is over FIRST_EVENT_WITHIN_MS old', () => {
  const id = generateRunId(Date.parse('2026-11-30T07:05:37.912Z'));
  assert.match(id, /^20261130T070537Z-[0-9a-f]{6}$/);
  assert.equal(startedLongAgo(id, NOW), Date.parse('2026-11-30T07:05:37Z'));
  // a run that may not have written its first event yet, or one stamped by a clock ahead of ours
  assert.equal(startedLongAgo(generateRunId(NOW - FIRST_EVENT_WITHIN_MS + 1000), NOW), null);
  assert.equal(startedLongAgo(generateRunId(NOW + 3_600_000), NOW), null);
});

test('ids of any other shape hold no start time (chosen with --run-id, a text run\'s)', () => {
  for (const id of ['exp-42', 'keras/job-1', 'keras/job-1-fit2', '20261130T070537Z-F4B168', '20261130T070537Z-f4b16', '20261399T070537Z-f4b168', ' 20261130T070537Z-f4b168']) {
    assert.equal(startedLongAgo(id, NOW), null, id);
  }
});

test('an id a few minutes old is not refused: the trainer\'s clock may be behind the reporter\'s (FIRST_EVENT_WITHIN_MS is 15 minutes)', () => {
  assert.equal(FIRST_EVENT_WITHIN_MS, 15 * 60_000);
  // a run starting now on a trainer whose clock is 5 minutes behind
  assert.equal(startedLongAgo(generateRunId(NOW - 5 * 60_000), NOW), null);
  assert.equal(startedLongAgo(generateRunId(NOW - 16 * 60_000), NOW), Date.parse(new Date(NOW - 16 * 60_000).toISOString()));
});
