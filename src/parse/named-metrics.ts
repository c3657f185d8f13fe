// Metrics named by the user's own code (Lightning's self.log names, a JSON logger's keys,
// a CSV header): which name is which of our four metrics. Shared by the Lightning bar,
// Lightning's and Keras' CSV files and generic JSON lines, so a name means the same in each.

import type { Metric } from '../events.js';
import type { EpochRecord } from '../types.js';
import { emptyEpoch, note, type ParseState } from './state.js';
import { parseMetricValue, percentToFraction } from './text.js';

export type MetricField = 'loss' | 'accuracy' | 'val_loss' | 'val_accuracy';

/** For each of our metrics, the names that mean it, most specific first. */
export type MetricNames = Record<MetricField, readonly string[]>;

const TRAIN_LOSS = ['train_loss_epoch', 'train_loss', 'train/loss', 'training_loss', 'loss_epoch', 'loss'];
const TRAIN_ACC = [
  'train_acc_epoch', 'train_accuracy_epoch', 'train_acc', 'train_accuracy', 'train/acc', 'train/accuracy',
  'training_accuracy', 'acc_epoch', 'accuracy_epoch', 'accuracy', 'acc', 'train_acc1',
];
const VAL_LOSS = ['val_loss_epoch', 'val_loss', 'val/loss', 'valid_loss', 'validation_loss'];
const VAL_ACC = [
  'val_acc_epoch', 'val_accuracy_epoch', 'val_acc', 'val_accuracy', 'val/acc', 'val/accuracy', 'valid_acc',
  'valid_accuracy', 'validation_accuracy', 'val_acc1',
];

/** Lightning (bar and CSVLogger): test_* is trainer.test() after fit, not an epoch's validation. */
export const LIGHTNING_NAMES: MetricNames = { loss: TRAIN_LOSS, accuracy: TRAIN_ACC, val_loss: VAL_LOSS, val_accuracy: VAL_ACC };

/**
 * A JSON logger's keys. Here test_* logged every epoch is that epoch's evaluation (the
 * DeiT/MAE/timm loops log test_loss and test_acc1 per epoch), so it is the validation.
 */
export const JSON_NAMES: MetricNames = {
  loss: TRAIN_LOSS, accuracy: TRAIN_ACC,
  val_loss: [...VAL_LOSS, 'test_loss', 'eval_loss'],
  val_accuracy: [...VAL_ACC, 'test_acc', 'test_accuracy', 'test_acc1', 'eval_acc', 'eval_accuracy'],
};

/** Lightning's trainer.test() names: the run's test metrics. */
export const TEST_LOSS = ['test_loss_epoch', 'test_loss', 'test/loss'];
export const TEST_ACC = ['test_acc_epoch', 'test_accuracy_epoch', 'test_acc', 'test_accuracy', 'test/acc', 'test/accuracy'];

export interface NamedMetrics {
  values: Record<MetricField, Metric>;
  /** The name each metric was read from. */
  from: Partial<Record<MetricField, string>>;
  non_finite: MetricField[];
  any: boolean;
}

/** An epoch's record holding the metrics `m` picked (and which of them were not finite); the rest as emptyEpoch leaves it. */
export function epochOf(m: NamedMetrics, epoch: number, epochs: number | null, timestamp: number | null): EpochRecord {
  const rec = emptyEpoch(epoch, epochs, timestamp);
  Object.assign(rec, m.values);
  rec.non_finite = [...m.non_finite];
  return rec;
}

/**
 * Picks our metrics out of `get(name)` (undefined or '' when the name has no value).
 * Accuracies are fractions: a value above 1 or with a "%", and any `…acc1` (top-1 in
 * percent by the timm/DeiT convention), is divided by 100 and noted on the stream.
 */
export function pickMetrics(get: (name: string) => string | undefined, names: MetricNames, state: ParseState): NamedMetrics {
  const out: NamedMetrics = { values: { loss: null, accuracy: null, val_loss: null, val_accuracy: null }, from: {}, non_finite: [], any: false };
  for (const field of ['loss', 'accuracy', 'val_loss', 'val_accuracy'] as const) {
    for (const name of names[field]) {
      const m = readValue(get(name), field.endsWith('accuracy') ? name : null, state);
      if (!m) continue;
      out.values[field] = m.value;
      out.from[field] = name;
      out.any = true;
      if (m.nonFinite) out.non_finite.push(field);
      break;
    }
  }
  return out;
}

/** One value; `accuracyName` set when it is an accuracy (percent is normalised then). */
export function readValue(text: string | undefined, accuracyName: string | null, state: ParseState): { value: Metric; nonFinite: boolean } | null {
  if (text === undefined) return null;
  const t = text.trim();
  const percent = t.endsWith('%');
  const m = parseMetricValue(percent ? t.slice(0, -1) : t);
  if (!m) return null;
  if (accuracyName !== null && m.value !== null && (percent || m.value > 1 || accuracyName.endsWith('acc1'))) {
    note(state, 'percent_accuracy');
    return { value: percentToFraction(m.value), nonFinite: false };
  }
  return m;
}

/** The first of `names` that has a value (a test metric, a step loss). */
export function firstValue(get: (name: string) => string | undefined, names: readonly string[], isAccuracy: boolean, state: ParseState): Metric {
  for (const name of names) {
    const m = readValue(get(name), isAccuracy ? name : null, state);
    if (m) return m.value;
  }
  return null;
}

/** Lightning and most loggers count epochs from 0: the first epoch read decides, once per stream. */
export function shiftedEpoch(n: number, state: ParseState): number {
  if (state.lastEpoch === 0 && state.epochShift === 0 && n === 0) {
    state.epochShift = 1;
    note(state, 'zero_based_epochs');
  }
  return n + state.epochShift;
}

/** A format that always numbers epochs from 0 (Lightning): said once, shifted always. */
export function zeroBasedEpoch(n: number, state: ParseState): number {
  state.epochShift = 1;
  note(state, 'zero_based_epochs');
  return n + 1;
}
