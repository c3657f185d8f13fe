// inOrder (--run all): jobs overlap, but results and each job's stderr lines come out in the order the jobs started.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inOrder } from '../../src/cli/in-order.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('results and lines come in start order, with at most `window` jobs in flight', async () => {
  const out: string[] = [];
  let running = 0;
  let most = 0;
  // later jobs finish first
  await inOrder([1, 2, 3, 4, 5], async (n, log) => {
    running++;
    most = Math.max(most, running);
    log(`start ${n}`);
    await sleep(30 - n * 5);
    log(`end ${n}`);
    running--;
    return n * 10;
  }, (r) => out.push(`result ${r}`), (line) => out.push(line), 2);
  assert.deepEqual(out, [1, 2, 3, 4, 5].flatMap((n) => [`result ${n * 10}`, `start ${n}`, `end ${n}`]));
  assert.equal(most, 2);
});

test('a job that fails while an earlier one is awaited fails the loop in its turn, after the earlier result', async () => {
  const out: string[] = [];
  await assert.rejects(inOrder([1, 2, 3], async (n, log) => {
    log(`job ${n}`);
    if (n === 2) throw new Error('disk full');
    await sleep(20);
    return n;
  }, (r) => out.push(`result ${r}`), (line) => out.push(line), 2), /disk full/);
  assert.deepEqual(out.slice(0, 3), ['result 1', 'job 1', 'job 2']);
});
