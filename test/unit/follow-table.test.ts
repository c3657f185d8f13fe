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
  const t = createEpochTable({ isTTY: true, columns: 80, write: (s: string) => frames.push(s) }, () => assert.fail('no plain lines on a terminal'));
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

test('on a narrow terminal a redraw goes back over every screen row the table took, wrapped lines included', () => {
  const frames: string[] = [];
  const out = { isTTY: true, columns: 30, write: (s: string) => frames.push(s) };
  const t = createEpochTable(out, () => assert.fail('no plain lines on a terminal'));
  t.epoch(r, epoch(1));
  t.epoch(r, epoch(2));
  const lines = frames[0]!.replace('\x1b[J', '').split('\n').filter((l) => l !== '');
  const rows = lines.reduce((n, l) => n + Math.ceil(l.length / 30), 0);
  assert.ok(rows > lines.length, `some of ${JSON.stringify(lines)} are wider than 30 columns`);
  assert.ok(frames[1]!.startsWith(`\x1b[${rows}F\x1b[J`), JSON.stringify(frames[1]!.slice(0, 12)));
});

test('on a terminal a message goes above the table, which is drawn again under it; a redraw does not go back over the message', () => {
  const frames: string[] = [];
  const t = createEpochTable({ isTTY: true, columns: 200, write: (s: string) => frames.push(s) }, (l) => frames.push(`SAID ${l}\n`));
  t.epoch(r, epoch(1));
  t.status('waiting for epoch 2/5');
  t.message('SIGINT: writing the report of what was read');
  t.epoch(r, epoch(2));
  // title, header, row, status = 4 rows: erased, the message, the table again from under it
  assert.deepEqual(frames.slice(2, 4), ['\x1b[4F\x1b[J', 'SAID SIGINT: writing the report of what was read\n']);
  assert.ok(frames[4]!.startsWith('\x1b[J') && frames[4]!.includes('1/5'), JSON.stringify(frames[4]));
  assert.ok(frames[5]!.startsWith('\x1b[4F\x1b[J'), 'the next redraw goes back over the table only');
});

test('on a terminal a restart (the file read again from its start) erases the table; the next epoch starts a new one without the old rows', () => {
  const frames: string[] = [];
  const t = createEpochTable({ isTTY: true, columns: 200, write: (s: string) => frames.push(s) }, (l) => frames.push(`SAID ${l}\n`));
  t.epoch(r, epoch(1));
  t.epoch(r, epoch(2));
  t.status('waiting for epoch 3/5');
  t.message('FILE was truncated: reading it again from the start');
  t.restart();
  t.epoch(r, epoch(1));
  // title, header, two rows, status = 5 rows: erased for the message and drawn under it, then erased for good
  assert.deepEqual(frames.slice(3, 5), ['\x1b[5F\x1b[J', 'SAID FILE was truncated: reading it again from the start\n']);
  assert.ok(frames[5]!.startsWith('\x1b[J') && frames[5]!.includes('2/5'), JSON.stringify(frames[5]));
  assert.equal(frames[6], '\x1b[5F\x1b[J', 'the restart erases the table');
  const last = frames.at(-1)!;
  assert.ok(last.startsWith('\x1b[J'), 'the new table is drawn under the message, not over it');
  assert.deepEqual(last.split('\n').filter((l) => /^\s+\d\/5/.test(l)).map((l) => l.trim().split(/\s+/)[0]), ['1/5']);
  assert.ok(!last.includes('waiting'), 'no status line of the old content');
});

test('a terminal with no known width (0 columns, or none): lines as in a pipe, never a redraw that wipes the screen', () => {
  // a fresh `docker run -t` or `script` on an unsized pty: 0 columns, and the redraw went back ESC[240F, then ESC[J
  for (const columns of [0, undefined]) {
    const said: string[] = [];
    const t = createEpochTable({ isTTY: true, columns, write: (s: string) => assert.fail(`no escape codes at ${columns} columns: ${JSON.stringify(s)}`) }, (l) => said.push(l));
    t.epoch(r, epoch(1));
    t.status('waiting for epoch 2/5');
    t.message('SIGINT: writing the report of what was read');
    t.epoch(r, epoch(2));
    t.close();
    assert.deepEqual(said.map((l) => l.replace(/, [^,]*s$/, ', T')), [
      'run "r1" epoch 1/5: loss 0.3000, accuracy 91.00%, val_loss 0.2500, val_accuracy 92.00%, T',
      'SIGINT: writing the report of what was read',
      'run "r1" epoch 2/5: loss 0.1500, accuracy 92.00%, val_loss 0.1250, val_accuracy 93.00%, T',
    ], String(columns));
  }
});

test('in a pipe a message is a plain line', () => {
  const said: string[] = [];
  const t = createEpochTable({ isTTY: false, write: () => assert.fail('no escape codes in a pipe') }, (l) => said.push(l));
  t.message('SIGINT: writing the report of what was read');
  assert.deepEqual(said, ['SIGINT: writing the report of what was read']);
});
