// One print per epoch from a hand-written loop (the TensorFlow "advanced" quickstart's
// template, and the many loops written like it):
//   "Epoch 3, Loss: 0.0620, Accuracy: 98.02, Test Loss: 0.0811, Test Accuracy: 97.4"
//   "Epoch [2/10], Train Loss: 0.1234, Val Acc: 97.10%"
// Test/validation metrics printed every epoch are the run's per-epoch validation; a test
// line after the epochs ("Accuracy on the test set: 96.07%", "Test Accuracy: 0.9334") is the
// run's test metrics.
// Accuracies above 1 or with a "%" are percentages and are divided by 100 (the report says so).
// "Epoch 1/N" after "Epoch N/N" is another fit (a cross-validation fold's): another run, `<name>-fit2`.

import type { Metric } from '../events.js';
import type { LineFormat } from './format.js';
import { note, startFit, type ParseResult, type ParseState } from './state.js';
import { isoTime, parseMetricValue, percentToFraction } from './text.js';

const LINE = /^\s*Epoch\s{0,3}\[?\s{0,3}(\d{1,9})(?:\s{0,3}\/\s{0,3}(\d{1,9}))?\s{0,3}\]?\s{0,3}[,:|-]\s{0,3}(.{1,2000})$/i;
const TEST = /^\s*(?:Test (loss|accuracy|acc)|(Loss|Accuracy) on the test set)\s{0,3}[:=]\s{0,3}(\S{1,40})\s*$/i;
const LOOKS_LIKE_TEST = /^\s*(?:Test (?:loss|accuracy|acc)|(?:Loss|Accuracy) on the test set)\s{0,3}[:=]/i;
const LOOKS_LIKE = /^\s*Epoch\s{0,3}\[?\s{0,3}\d{1,9}(?:\s{0,3}\/\s{0,3}\d{1,9})?\s{0,3}\]?\s{0,3}[,:|-]\s{0,3}[A-Za-z ]{1,40}[:=]/i;

type Field = 'loss' | 'accuracy' | 'val_loss' | 'val_accuracy';
const NAMES: Record<string, Field> = {
  'loss': 'loss', 'train loss': 'loss', 'training loss': 'loss', 'train_loss': 'loss',
  'accuracy': 'accuracy', 'acc': 'accuracy', 'train accuracy': 'accuracy', 'train acc': 'accuracy',
  'training accuracy': 'accuracy', 'train_acc': 'accuracy', 'train_accuracy': 'accuracy',
  'test loss': 'val_loss', 'val loss': 'val_loss', 'validation loss': 'val_loss', 'valid loss': 'val_loss',
  'val_loss': 'val_loss', 'test_loss': 'val_loss',
  'test accuracy': 'val_accuracy', 'test acc': 'val_accuracy', 'val accuracy': 'val_accuracy', 'val acc': 'val_accuracy',
  'validation accuracy': 'val_accuracy', 'valid accuracy': 'val_accuracy', 'val_accuracy': 'val_accuracy',
  'val_acc': 'val_accuracy', 'test_accuracy': 'val_accuracy', 'test_acc': 'val_accuracy',
};

export const plainPrint: LineFormat = {
  name: 'plain-print',
  titles: { 'plain-print': 'plain per-epoch prints' },
  detect: (line) => LOOKS_LIKE.test(line) || LOOKS_LIKE_TEST.test(line),
  read: (line, ctx, state) => readTest(line, state) ?? readLine(line, ctx.timestamp, state),
};

/** A final test metric, after this format's epochs (before them it is someone else's line). */
function readTest(line: string, state: ParseState): ParseResult | null {
  const t = TEST.exec(line);
  if (!t || state.lastEpoch === 0 || state.locked?.name !== 'plain-print') return null;
  const isLoss = (t[1] ?? t[2]!).toLowerCase() === 'loss';
  const text = t[3]!;
  const percent = text.endsWith('%');
  const v = parseMetricValue(percent ? text.slice(0, -1) : text)?.value ?? null;
  if (isLoss) return { kind: 'test', format: 'plain-print', loss: v, accuracy: null };
  if (v !== null && (percent || v > 1)) note(state, 'percent_accuracy');
  return { kind: 'test', format: 'plain-print', loss: null, accuracy: v !== null && (percent || v > 1) ? percentToFraction(v) : v };
}

function readLine(line: string, timestamp: number | null, state: ParseState): ParseResult | null {
  const m = LINE.exec(line);
  if (!m) return null;
  const got: Partial<Record<Field, Metric>> = {};
  const nonFinite: Field[] = [];
  for (const part of m[3]!.split(/,|\s\|\s|\s-\s/)) {
    const sep = part.search(/[:=]/);
    if (sep < 0) continue;
    const field = NAMES[part.slice(0, sep).trim().toLowerCase()];
    const text = part.slice(sep + 1).trim();
    if (!field || field in got) continue;
    const percent = text.endsWith('%');
    const v = parseMetricValue(percent ? text.slice(0, -1) : text);
    if (!v) continue;
    let value = v.value;
    if (value !== null && field.endsWith('accuracy') && (percent || value > 1)) {
      value = percentToFraction(value);
      note(state, 'percent_accuracy');
    }
    got[field] = value;
    if (v.nonFinite) nonFinite.push(field);
  }
  if (!Object.keys(got).length) return null;
  const epochs = m[2] === undefined ? null : Number(m[2]);
  // "Epoch 1/2" again after "Epoch 2/2": another fit (a cross-validation fold), so another run, as
  // Keras' header starting again at 1 is (state.ts startFit); short of N it is a restart of the same one
  if (epochs !== null && epochs === state.epochs && state.lastEpoch === epochs && Number(m[1]) + state.epochShift === 1) startFit(state);
  if (Number(m[1]) === 0 && state.lastEpoch === 0) {
    state.epochShift = 1;
    note(state, 'zero_based_epochs');
  }
  const epoch = Number(m[1]) + state.epochShift;
  state.lastEpoch = epoch;
  state.epochs = epochs;
  return {
    kind: 'epoch', format: 'plain-print',
    epoch: {
      epoch, epochs, loss: got.loss ?? null, accuracy: got.accuracy ?? null, val_loss: got.val_loss ?? null,
      val_accuracy: got.val_accuracy ?? null, duration_ms: null, samples_per_second: null, time: isoTime(timestamp),
      non_finite: nonFinite,
    },
  };
}
