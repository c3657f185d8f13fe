// The one-line errors for a run or baseline not found name the runs of the input, and say so
// when they name only the last of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baselineNotFound, logGroupPlace, RUN_IDS_HINT, runNotFound } from '../../src/wording/cli.js';

test('a shortened list of runs says it is the last N of all', () => {
  assert.equal(baselineNotFound('nosuch', ['r3', 'r4', 'r5', 'r6', 'r7'], 7),
    '--baseline nosuch: no such file, and no run with that id in the input (the last 5 of 7 runs in the input: r3, r4, r5, r6, r7)');
  assert.equal(runNotFound('x', ['b', 'c'], 12), 'run x not found; the last 2 of 12 runs in the input: b, c');
});

test('a whole list is just the runs in the input', () => {
  assert.equal(baselineNotFound('nosuch', ['a', 'b'], 2), '--baseline nosuch: no such file, and no run with that id in the input (runs in the input: a, b)');
  assert.equal(runNotFound('x', ['a']), 'run x not found; runs in the input: a');
  // a log group names itself; read for one run, it names no runs but where their ids are
  assert.equal(baselineNotFound('nosuch', ['a', 'b'], 2, logGroupPlace({ logGroup: '/g', logStreamPrefix: 'ecs/' })),
    '--baseline nosuch: no run with that id in the streams starting with ecs/ of log group /g, and no file of that name (runs in the streams starting with ecs/ of log group /g: a, b)');
  assert.equal(baselineNotFound('nosuch', [], 0, logGroupPlace({ logGroup: '/g' })), `--baseline nosuch: no run with that id in log group /g, and no file of that name; ${RUN_IDS_HINT}`);
});
