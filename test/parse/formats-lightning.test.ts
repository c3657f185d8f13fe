// PyTorch Lightning: the progress bar's final state per epoch, and CSVLogger's metrics.csv,
// on their real captures (fixtures/formats/, sources in fixtures/README.md), then the
// bar's \r redraws on one line, which the capture (a terminal's rendered output) does not have.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectRuns } from '../../src/runs/collect.js';
import { createParseState, parseLine } from '../../src/parse/line.js';
import { readFileRecords } from '../../src/sources/file.js';
import type { LogRecord } from '../../src/types.js';
import { iterate, metricsRow as row, readRuns as read, rec } from './helpers.js';

test('Lightning bar: 100 epochs from 0-based bars; "Trainer.fit stopped: max_epochs=100" makes 100 the planned count', async () => {
  const log = await read('fixtures/formats/lightning-bar.log');
  assert.equal(log.runs.length, 1);
  const run = log.runs[0]!;
  assert.equal(run.format, 'lightning');
  assert.equal(run.epochs.length, 100);
  // "Epoch 0: 100%|…| 391/391 [02:20<00:00,  2.78it/s, v_num=1, val_loss=3.850, val_acc=0.105, train_loss=4.240, train_acc=0.0619]"
  assert.deepEqual(row(run.epochs[0]!), [1, 4.24, 0.0619, 3.85, 0.105]);
  // "Epoch 99: 100%|…| 391/391 [02:17<00:00,  2.84it/s, v_num=1, val_loss=0.836, val_acc=0.791, train_loss=0.0114, train_acc=0.999]"
  assert.deepEqual(row(run.epochs[99]!), [100, 0.0114, 0.999, 0.836, 0.791]);
  assert.equal(run.epochs[99]!.epochs, 100);
  assert.deepEqual(run.format_notes, ['zero_based_epochs']);
  assert.deepEqual([run.duplicate_epochs, run.missing_epochs], [[], []]);
  // GPU/TPU lines, the model summary and ModelCheckpoint's lines are Lightning's own noise
  assert.equal(log.quality.unrecognised, 0);
});

test('Lightning CSVLogger: sparse rows revise their epoch; per-step columns are batch points; test_acc is the test metric', async () => {
  const log = await read('fixtures/formats/lightning-metrics.csv');
  assert.equal(log.runs.length, 1);
  const run = log.runs[0]!;
  assert.equal(run.format, 'lightning-csv');
  assert.equal(run.epochs.length, 5);
  assert.deepEqual(run.duplicate_epochs, []);
  // ",0,449,0.4812189042568207,0.7699999809265137,," then ",0,449,,,0.7241666913032532,"
  assert.deepEqual(row(run.epochs[0]!), [1, null, 0.7241666913032532, 0.4812189042568207, 0.7699999809265137]);
  // ",4,2249,0.3916645348072052,0.8374999761581421,," then ",4,2249,,,0.8231944441795349,": train_loss is
  // logged every 50 steps, so the epoch has no training loss of its own
  assert.deepEqual(row(run.epochs[4]!), [5, null, 0.8231944441795349, 0.3916645348072052, 0.8374999761581421]);
  // ",5,2250,,,,0.8392500281333923": trainer.test() after fit
  assert.deepEqual(run.text_test, { loss: null, accuracy: 0.8392500281333923 });
  // 9 train_loss rows an epoch, 45 in all; the first of the file ("0.6941855549812317,0,49,,,,") is read as
  // the epoch's until the second shows the column is per-step, and then becomes the batch point it was
  assert.equal(run.batch_count, 45);
  assert.deepEqual(run.batches.slice(0, 2), [
    { epoch: 1, batch: 50, loss: 0.6941855549812317, accuracy: null },
    { epoch: 1, batch: 100, loss: 0.6088317632675171, accuracy: null },
  ]);
  assert.deepEqual(run.format_notes, ['zero_based_epochs']);
  assert.equal(log.quality.unrecognised, 0);
});

const bar = (n: number, step: number, total: number, postfix: string) =>
  `Epoch ${n}: ${Math.round((100 * step) / total)}%|${'█'.repeat(step === total ? 10 : 5)}| ${step}/${total} [00:01<00:00, 9.50it/s${postfix}]`;

test('Lightning bar redrawn with \\r: every epoch finished on the line is read, and the last 100% state of each wins', () => {
  const state = createParseState();
  const line = ['', bar(0, 1, 2, ', loss=0.9, v_num=0'), bar(0, 2, 2, ', loss=0.5, v_num=0'),
    bar(0, 2, 2, ', loss=0.5, v_num=0, val_loss=0.40, val_acc=0.880'), bar(1, 1, 2, ', loss=0.5, v_num=0, val_loss=0.40, val_acc=0.880'),
    bar(1, 2, 2, ', loss=0.3, v_num=0, val_loss=0.25, val_acc=0.930'), bar(2, 1, 2, ', loss=0.2, v_num=0, val_loss=0.25, val_acc=0.930')].join('\r');
  const r = parseLine(rec(line), state);
  assert.equal(r.kind, 'epoch');
  if (r.kind !== 'epoch') return;
  assert.deepEqual([...(r.earlier ?? []), r.epoch].map(row), [[1, 0.5, null, 0.4, 0.88], [2, 0.3, null, 0.25, 0.93]]);
  assert.equal(r.revise, true);
  // a line that ends mid-epoch with nothing finished is a batch point of the running loss
  assert.deepEqual(parseLine(rec(`\r${bar(2, 1, 2, ', loss=0.2, v_num=0')}`), state),
    { kind: 'batch', format: 'lightning', batch: { epoch: 3, batch: 1, loss: 0.2, accuracy: null } });  // the end of fit() printed right after the last redraw, on the same line: the planned count
  const end = parseLine(rec(`\r${bar(2, 2, 2, ', loss=0.1, v_num=0, val_loss=0.2, val_acc=0.950')}\`Trainer.fit\` stopped: \`max_epochs=3\` reached.`), state);
  assert.deepEqual(end.kind === 'epoch' && [end.epoch.epoch, end.epoch.epochs, end.epoch.val_accuracy], [3, 3, 0.95]);
});

test('Lightning bar: the 100% state drawn before and after validation is one epoch, not a duplicate', async () => {
  const lines = [bar(0, 2, 2, ', v_num=0'), 'Validation DataLoader 0: 100%|██████████| 1/1 [00:00<00:00, 12.01it/s]',
    bar(0, 2, 2, ', v_num=0, val_loss=0.40, val_acc=0.880'), bar(1, 2, 2, ', v_num=0, val_loss=0.40, val_acc=0.880'),
    bar(1, 2, 2, ', v_num=0, val_loss=0.25, val_acc=0.930'), 'Monitored metric val_loss did not improve in the last 3 records. Best score: 0.250. Signaling Trainer to stop.'];
  const log = await collectRuns(iterate(lines.map((l) => rec(l))));
  const run = log.runs[0]!;
  assert.deepEqual(run.epochs.map(row), [[1, null, null, 0.4, 0.88], [2, null, null, 0.25, 0.93]]);
  assert.deepEqual(run.duplicate_epochs, []);
  assert.equal(run.stopped_early, true);
});

test('a hand-written tqdm loop drawing "Epoch 1: 100%" (no v_num) keeps its own numbering', async () => {
  const log = await collectRuns(iterate([bar(1, 2, 2, ', loss=0.30, acc=0.910'), bar(2, 2, 2, ', loss=0.20, acc=0.940')].map((l) => rec(l))));
  assert.deepEqual(log.runs[0]!.epochs.map(row), [[1, 0.3, 0.91, null, null], [2, 0.2, 0.94, null, null]]);
  assert.deepEqual(log.runs[0]!.format_notes, []);
});

test('two metrics.csv of two Lightning versions are two runs, named by their folders', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lightning-logs-'));
  try {
    const paths = ['version_0', 'version_1'].map((v) => {
      mkdirSync(join(dir, v));
      copyFileSync('fixtures/formats/lightning-metrics.csv', join(dir, v, 'metrics.csv'));
      return join(dir, v, 'metrics.csv');
    });
    async function* both(): AsyncGenerator<LogRecord | readonly LogRecord[]> {
      for (const p of paths) yield* readFileRecords(p);
    }
    const log = await collectRuns(both());
    assert.deepEqual(log.runs.map((r) => [r.run_id, r.epochs.length, r.duplicate_epochs.length]), [['metrics', 5, 0], ['version_1-metrics', 5, 0]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
