// Which report a folder holds is the same run's when its run id matches and a stream (a file's path as
// given) is the same file: train.log, ./train.log and its absolute path are one file (src/render/run-folder.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { sameRun } from '../../src/render/run-folder.js';

test('sameRun: one file however its path is spelt from this folder; another folder\'s train.log is another run', () => {
  const run = (streams: string[], run_id = 'train') => ({ run_id, streams });
  assert.ok(sameRun(run(['train.log']), run(['./train.log'])));
  assert.ok(sameRun(run([resolve('train.log')]), run(['train.log'])));
  assert.ok(!sameRun(run(['a/train.log']), run(['b/train.log'])));
  assert.ok(!sameRun(run(['train.log']), run(['train.log'], 'other')));
  // a log group's stream names compare as they are
  assert.ok(sameRun(run(['ecs/mnist-training/t1']), run(['ecs/mnist-training/t1'])));
});
