// Keras' CSVLogger file and generic JSON metric lines on their real captures
// (fixtures/formats/, sources in fixtures/README.md); then what generic JSON must never
// take (our events, Hugging Face's logs) and the CSV variants the captures do not show.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectRuns } from '../../src/runs/collect.js';
import { createParseState, parseLine } from '../../src/parse/line.js';
import { readFileRecords } from '../../src/sources/file.js';
import type { LogRecord } from '../../src/types.js';
import { epochEvent, iterate, metricsRow as row, readRuns as read, rec } from './helpers.js';

const lines = (text: string[]) => collectRuns(iterate(text.map((t, i) => rec(t, { line: i + 1 }))));

test('Keras CSVLogger: 8 epochs numbered from 0, the last row as written', async () => {
  const log = await read('fixtures/formats/keras-csvlogger.csv');
  assert.equal(log.runs.length, 1);
  const run = log.runs[0]!;
  assert.equal(run.format, 'keras-csv');
  assert.equal(run.epochs.length, 8);
  // "7,0.9954,0.01396906608727198,0.9802,0.07247738889862157"
  assert.deepEqual(row(run.epochs[7]!), [8, 0.01396906608727198, 0.9954, 0.07247738889862157, 0.9802]);
  assert.deepEqual(run.format_notes, ['zero_based_epochs']);
  assert.deepEqual([log.quality.unrecognised, log.quality.ignored], [0, 1]); // the header row
});

test('Keras CSVLogger variants: acc/val_acc headers, a ";" separator, quoted list values, a second fit() appended', async () => {
  const log = await lines([
    'epoch;acc;loss;lr;val_acc;val_loss', '0;0.9;0.3;"[0.001, 0.001]";0.95;0.15', '1;0.96;0.12;"[0.001, 0.001]";0.97;0.1',
    '0;0.91;0.29;"[0.001, 0.001]";0.951;0.149',
  ]);
  assert.deepEqual(log.runs.map((r) => [r.format, r.epochs.map(row)]), [
    ['keras-csv', [[1, 0.3, 0.9, 0.15, 0.95], [2, 0.12, 0.96, 0.1, 0.97]]],
    ['keras-csv', [[1, 0.29, 0.91, 0.149, 0.951]]],
  ]);
  // a header is recognised by its columns, not the file name; an unknown table is not ours
  assert.equal((await lines(['epoch,foo,bar', '0,1,2'])).runs.length, 0);
});

test('generic JSON (a DeiT-style log.txt): 6 epochs from 0, test_acc1 in percent is the per-epoch validation', async () => {
  const log = await read('fixtures/formats/generic-json.jsonl');
  assert.equal(log.runs.length, 1);
  const run = log.runs[0]!;
  assert.equal(run.format, 'generic-json');
  assert.equal(run.epochs.length, 6);
  // {"train_lr": …, "train_loss": 1.5442260724647052, "test_loss": 0.9501463377563567, "test_acc1": 67.2, …, "epoch": 5, …}
  assert.deepEqual(row(run.epochs[5]!), [6, 1.5442260724647052, null, 0.9501463377563567, 0.672]);
  assert.deepEqual(run.format_notes, ['percent_accuracy', 'zero_based_epochs']);
  assert.equal(log.quality.unrecognised, 0);
});

test('generic JSON never takes our events or the Hugging Face Trainer\'s logs', () => {
  const parse = (line: string) => parseLine(rec(line), createParseState());
  // ours, valid: still our event
  assert.equal(parse(epochEvent('r1', 1, 0.3)).kind, 'event');
  // ours without a run id, or a schema this reader does not know: not a generic epoch
  assert.equal(parse('{"event": "epoch_end", "epoch": 1, "loss": 0.3}').kind, 'unrecognised');
  assert.equal(parse('{"schema": "mnist-train/2", "event": "epoch_end", "run_id": "r", "epoch": 1, "loss": 0.3}').kind, 'unrecognised');
  // Hugging Face's log dicts as JSON: a fractional epoch, eval_* keys
  assert.equal(parse('{"loss": 0.0423, "learning_rate": 1.9e-05, "epoch": 0.16}').kind, 'unrecognised');
  assert.equal(parse('{"eval_loss": 0.037, "eval_accuracy": 0.9922, "epoch": 1.0}').kind, 'unrecognised');
  // and its printed (Python) form is still hf-trainer's
  const hf = parse("{'eval_loss': 0.037, 'eval_accuracy': 0.9922, 'epoch': 1.0}");
  assert.equal(hf.kind === 'epoch' && hf.format, 'hf-trainer');
  // a JSON logger's epoch: read, with Python's NaN token
  const r = parse('{"epoch": 3, "loss": NaN, "val_accuracy": 0.974}');
  assert.deepEqual(r.kind === 'epoch' && [r.format, r.epoch.epoch, r.epoch.loss, r.epoch.val_accuracy, r.epoch.non_finite],
    ['generic-json', 3, null, 0.974, ['loss']]);
  // timm's acc1 is top-1 in percent even when below 1 (a first epoch at 0.49%)
  const early = parse('{"epoch": 0, "train_loss": 6.92, "test_acc1": 0.49}');
  assert.deepEqual(early.kind === 'epoch' && [early.epoch.epoch, early.epoch.val_accuracy], [1, 0.0049]);
});

test('several inputs: a metrics.csv beside a text log is read by its own content, each in its own run', async () => {
  async function* both(): AsyncGenerator<LogRecord | readonly LogRecord[]> {
    yield* readFileRecords('fixtures/formats/lightning-metrics.csv');
    yield* readFileRecords('fixtures/formats/keras-csvlogger.csv');
    yield* readFileRecords('fixtures/formats/generic-json.jsonl');
  }
  const log = await collectRuns(both());
  assert.deepEqual(log.runs.map((r) => [r.format, r.epochs.length]), [['lightning-csv', 5], ['keras-csv', 8], ['generic-json', 6]]);
});

test('bad CSV (fixtures/bad/): a header alone is no run; broken and ragged rows are unrecognised, not a crash', async () => {
  const header = await read('fixtures/bad/csv-header-only.csv');
  assert.deepEqual([header.runs.length, header.quality.unrecognised], [0, 0]);
  const broken = await read('fixtures/bad/csv-broken-rows.csv');
  // an unterminated quote, a short row and a long row; the one good row is kept
  assert.deepEqual([broken.quality.unrecognised, broken.runs.map((r) => r.epochs.length)], [3, [1]]);
});
