// Which log-group reads fetch an mnist-train run by its run_id alone (so Data Quality says lines without one were not read).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readsByRunId } from '../../src/sources/cloudwatch.js';

test('--run ID and --run latest read an mnist-train run by run_id; --run all, a named stream for latest, and text runs are read whole', () => {
  assert.equal(readsByRunId({ run: 'r1' }, 'events'), true);
  assert.equal(readsByRunId({ run: 'r1', logStream: 's' }, 'events'), true); // FilterLogEvents on that stream, still by run_id
  assert.equal(readsByRunId({ run: 'latest' }, 'events'), true);
  assert.equal(readsByRunId({ run: 'latest', logStream: 's' }, 'events'), false); // readLatest reads the named stream whole
  assert.equal(readsByRunId({ run: 'all' }, 'events'), false);
  assert.equal(readsByRunId({ run: 'latest' }, 'keras3'), false); // trainer text has no run_id: its stream is read
});
