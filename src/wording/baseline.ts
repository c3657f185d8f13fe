// The wording of the baseline comparison, in one place (tests assert against it).

import { baselineRow, type BaselineMetric, type DeltaRow, type RunSetting } from '../analyze/baseline.js';
import { fmtLevel, fmtList, fmtPp } from '../analyze/format.js';

export function baselineSummary(baselineRunId: string, rows: DeltaRow[]): string {
  const quality = rows.filter((r) => r.metric !== 'epoch_ms' && r.metric !== 'samples_per_second');
  const names = (v: DeltaRow['verdict']) => quality.filter((r) => r.verdict === v).map((r) => r.name.toLowerCase());
  const better = names('improved');
  const worse = names('regressed');
  const noise = names('no significant change');
  const untestedWorse = names('worse (untested)');
  const untestedBetter = names('better (untested)');
  const va = baselineRow({ rows }, 'val_accuracy');
  const parts = [`Against baseline run ${baselineRunId}:`];
  const said: string[] = [];
  if (better.length) said.push(`improved ${fmtList(better)}`);
  if (worse.length) said.push(`regressed ${fmtList(worse)}`);
  if (noise.length) said.push(`no significant change in ${fmtList(noise)}`);
  const untested = [untestedWorse.length ? `worse ${fmtList(untestedWorse)}` : '', untestedBetter.length ? `better ${fmtList(untestedBetter)}` : ''].filter(Boolean);
  // losses and training accuracy have no test of sampling noise: their direction is said as such
  if (untested.length) said.push(`untested for sampling noise: ${untested.join(', ')}`);
  parts.push(said.length ? `${said.join('; ')}.` : 'no quality metric changed at the printed precision.');
  const iv = va?.interval;
  const floor = va?.noise_floor;
  const range = iv ? ` (${differenceInterval(iv)})` : '';
  if (va && va.significant === false && va.verdict !== 'unchanged') {
    parts.push(floor ? `Validation accuracy: no significant change: ${va.shown.delta} lies within ${floorWords(floor)}.`
      : `Validation accuracy: no significant change: ${va.shown.delta}${range} includes zero.`);
  } else if (va && va.significant === true) {
    parts.push(`Validation accuracy ${va.delta !== null && va.delta < 0 ? 'fell' : 'rose'} significantly: ${va.shown.delta}${range}.`);
  } else if (va && va.significant === null && va.delta !== null && va.verdict !== 'unchanged') {
    parts.push(floor ? `Validation accuracy: ${va.shown.delta} is outside ${floorWords(floor)}, but without the other run's validation size its significance cannot be tested.`
      : 'Validation accuracy: neither run logged its validation size, so the difference cannot be tested for sampling noise.');
  }
  return parts.join(' ');
}

/** "95% interval of the difference −1.10 pp to −0.20 pp" */
export function differenceInterval(iv: NonNullable<DeltaRow['interval']>): string {
  return `${fmtLevel(iv.level)} interval of the difference ${fmtPp(iv.low)} to ${fmtPp(iv.high)}`;
}

/** "the baseline run's own 95% interval (±0.30 pp; this run's validation size is not in the log)" */
function floorWords(f: NonNullable<DeltaRow['noise_floor']>): string {
  const whose = f.side === 'baseline' ? "the baseline run's" : "this run's";
  const other = f.side === 'baseline' ? "this run's" : "the baseline run's";
  return `${whose} own ${fmtLevel(f.level)} interval (±${fmtPp(f.half).slice(1)}; ${other} validation size is not in its log, and the difference's interval is wider still)`;
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

/** A setting one of the two runs did not log: --baseline's table of settings known for one run only, --history's columns. */
export const NOT_KNOWN_SETTING = 'not known';
