import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEpochTable } from '../../src/cli/follow-table.js';
import type { Run } from '../../src/types.js';
import { epoch, run } from '../analyze/build.js';

const r: Run = run({ run_id: 'r1' });

test('in a pipe: one line per epoch, no escape codes, no status', () => {
  const said: string[] = [];
  let written = '';
  const t = createEpochTable({ isTTY: false, write: (s: string) => (written += s) }, (l) => said.push(l));
  t.epoch(r, epoch(1));
  t.status('waiting for epoch 2/5');
  t.epoch(r, epoch(2));
  t.close();
  assert.equal(written, '');
  assert.deepEqual(said.map((l) => l.replace(/, [^,]*s$/, ', T')), [
    'run "r1" epoch 1/5: loss 0.3000, accuracy 91.00%, val_loss 0.2500, val_accuracy 92.00%, T',
    'run "r1" epoch 2/5: loss 0.1500, accuracy 92.00%, val_loss 0.1250, val_accuracy 93.00%, T',
  ]);
});

test('on a terminal: the table is redrawn in place, the status line under it', () => {
  const frames: string[] = [];
  const t = createEpochTable({ isTTY: true, write: (s: string) => frames.push(s) }, () => assert.fail('no plain lines on a terminal'));
  t.epoch(r, epoch(1));
  t.status('waiting for epoch 2/5');
  t.epoch(r, epoch(2));
  t.close();
  assert.ok(frames[0]!.startsWith('\x1b[J') && !frames[0]!.includes('\x1b[3F'), 'the first frame draws from where the cursor is');
  // title, header, one row = 3 lines; then with the status line 4: each redraw goes back over the last one
  assert.ok(frames[1]!.startsWith('\x1b[3F\x1b[J'), JSON.stringify(frames[1]));
  assert.ok(frames[2]!.startsWith('\x1b[4F\x1b[J'), JSON.stringify(frames[2]));
  const last = frames.at(-1)!.split('\n');
  assert.match(last[1]!, /^\s+epoch\s+loss\s+accuracy\s+val_loss\s+val_accuracy\s+time$/);
  assert.match(last[2]!, /^\s+1\/5\s+0\.3000\s+91\.00%/);
  assert.match(last[3]!, /^\s+2\/5\s+0\.1500\s+92\.00%/);
  assert.ok(!frames.at(-1)!.includes('waiting'), 'closing removes the status line');
});
