// The wording of the baseline comparison, in one place (tests assert against it).

import { baselineRow, type BaselineMetric, type DeltaRow, type RunSetting } from '../analyze/baseline.js';
import { fmtLevel, fmtList, fmtPp } from '../analyze/format.js';

export function baselineSummary(baselineRunId: string, rows: DeltaRow[]): string {
  const quality = rows.filter((r) => r.metric !== 'epoch_ms' && r.metric !== 'samples_per_second');
  const names = (v: DeltaRow['verdict']) => quality.filter((r) => r.verdict === v).map((r) => r.name.toLowerCase());
  const better = names('improved');
  const worse = names('regressed');
  const va = baselineRow({ rows }, 'val_accuracy');
  const parts = [`Against baseline run ${baselineRunId}:`];
  if (!better.length && !worse.length) parts.push('no quality metric changed at the printed precision.');
  else {
    if (better.length) parts.push(`improved ${fmtList(better)}${worse.length ? ';' : '.'}`);
    if (worse.length) parts.push(`regressed ${fmtList(worse)}.`);
  }
  const iv = va?.interval;
  const range = iv ? ` (${fmtLevel(iv.level)} interval of the difference ${fmtPp(iv.low)} to ${fmtPp(iv.high)})` : '';
  if (va && va.significant === false && va.verdict !== 'unchanged') {
    parts.push(`Validation accuracy: no significant change: ${va.shown.delta}${range} includes zero.`);
  } else if (va && va.significant === true) {
    parts.push(`Validation accuracy ${va.delta !== null && va.delta < 0 ? 'fell' : 'rose'} significantly: ${va.shown.delta}${range}.`);
  }
  return parts.join(' ');
}

/** Each compared metric's name in the baseline table. */
export const BASELINE_METRIC_NAMES: Record<BaselineMetric, string> = {
  val_accuracy: 'Validation accuracy (final)',
  val_loss: 'Validation loss (final)',
  best_val_loss: 'Validation loss (best epoch)',
  accuracy: 'Training accuracy (final)',
  loss: 'Training loss (final)',
  test_accuracy: 'Test accuracy',
  test_loss: 'Test loss',
  epoch_ms: 'Median epoch time',
  samples_per_second: 'Median samples per second',
};

/** Each compared setting's name, where settings that differ between two runs are listed. */
export const SETTING_NAMES: Record<RunSetting, string> = {
  learning_rate: 'learning rate',
  batch_size: 'batch size',
  model: 'model',
  seed: 'seed',
  epochs: 'epochs',
  optimizer: 'optimizer',
  train_samples: 'training samples',
  validation_samples: 'validation samples',
  backend: 'backend',
};

/** A setting one of the two runs did not log. */
export const UNKNOWN_SETTING = 'unknown';
