// The checks table: each reading of the analysis becomes {id, status, value,
// threshold, message}. Statuses are decided here; words come from messages.ts.

import type { Analysis, AnalyzeOptions, Check } from './types.js';
import * as msg from './messages.js';
import { rangesCount } from './format.js';
import { isNum } from './stats.js';
import { fmtPct } from './format.js';
import { MNIST_TEST_SIZE } from './metrics.js';
import { divergence } from './stability.js';
import { unusableLines } from './runs-quality.js';

type Readings = Omit<Analysis, 'checks' | 'observations' | 'conclusion' | 'next_steps'>;

export function buildChecks(a: Readings, o: AnalyzeOptions): Check[] {
  const last = a.epochs[a.epochs.length - 1] ?? null;
  const checks: Check[] = [];
  const add = (c: Check): void => void checks.push(c);

  const outcome = a.run.outcome;
  add({
    id: 'run.status', name: 'Run status', value: outcome, threshold: 'completed',
    status: outcome === 'completed' || outcome === 'stopped early' ? 'pass' : outcome === 'failed' || outcome === 'no epochs' ? 'fail' : 'warn',
    message: msg.runStatus(outcome, last?.epoch ?? null, a.run.epochs_planned, a.run.error, a.run.has_end_event ?? true),
  });
  if (!a.epochs.length) return checks;

  const { missing_epochs: missing, duplicate_epochs: dup } = a.quality;
  add({
    id: 'epochs.sequence', name: 'Epoch sequence', value: rangesCount(missing) + dup.length, threshold: 0,
    status: missing.length || dup.length ? 'warn' : 'pass', message: msg.epochsSequence(missing, dup),
  });
  const nf = a.stability.non_finite;
  add({
    id: 'metrics.finite', name: 'Finite metrics', value: nf.length, threshold: 0,
    status: nf.length ? 'fail' : 'pass', message: msg.metricsFinite(nf),
  });
  const { first, nonFiniteLoss } = divergence(a.epochs, o.divergence_factor);
  add({
    id: 'loss.divergence', name: 'Divergence',
    value: first && last && isNum(first.loss) && isNum(last.loss) ? last.loss / first.loss : null,
    threshold: o.divergence_factor, unit: 'ratio', status: a.stability.diverged ? 'fail' : 'pass',
    message: msg.lossDivergence(first?.loss ?? null, last?.loss ?? null, o.divergence_factor, a.stability.diverged, nonFiniteLoss),
  });
  const worse = worseThanBest(a);
  add({
    id: 'best_vs_final', name: 'Best vs final epoch', value: worse, threshold: o.best_vs_final_threshold, unit: 'rel',
    status: worse === null ? 'warn' : worse > o.best_vs_final_threshold ? 'warn' : 'pass',
    message: msg.bestVsFinal(a.best, a.final, worse),
  });
  const g = a.generalization;
  add({
    id: 'generalization.gap', name: 'Generalization gap (val − train accuracy)', value: g.final_gap_accuracy, threshold: -o.gap_threshold, unit: 'pp',
    status: g.final_gap_accuracy !== null && g.final_gap_accuracy < -o.gap_threshold ? 'warn' : 'pass',
    message: msg.generalizationGap(g.final_gap_accuracy, g.final_gap_loss, g.has_dropout, g.validation_is_test_set,
      a.final?.val_accuracy ?? null, o.gap_threshold),
  });
  add({
    id: 'validation.holdout', name: 'Validation data', value: a.config?.validation_samples ?? null, threshold: null,
    status: g.validation_is_test_set === false ? 'pass' : 'warn',
    message: msg.validationHoldout(g.validation_is_test_set, a.config?.validation_samples ?? null, MNIST_TEST_SIZE),
  });
  const of = a.overfitting;
  add({
    id: 'overfitting', name: 'Overfitting onset', value: of.onset_epoch, threshold: of.patience,
    status: of.onset_epoch === null ? 'pass' : 'warn',
    message: msg.overfitting(of.onset_epoch, of.stop_epoch, of.kept_epoch, of.patience),
  });
  const s = a.stability;
  add({
    id: 'stability.loss_rises', name: 'Loss rises', value: s.largest_rise?.relative ?? 0, threshold: o.rise_threshold, unit: 'rel',
    status: s.largest_rise && s.largest_rise.relative > o.rise_threshold ? 'warn' : 'pass',
    message: msg.lossRises(s.loss_rises, s.val_loss_rises, s.largest_rise, o.rise_threshold),
  });
  add({
    id: 'stability.batch_spikes', name: 'Batch loss spikes', value: a.run.batch_count ? s.spikes.length : null, threshold: o.spike_factor,
    status: s.spikes.length ? 'warn' : 'pass', message: msg.batchSpikes(s.spikes, o.spike_factor, a.run.batch_count),
  });
  const c = a.convergence;
  add({
    id: 'convergence', name: 'Convergence (last-epoch val_loss improvement)', value: c.val_loss_improvement, threshold: o.plateau_threshold, unit: 'rel',
    status: c.reading === 'worsening' ? 'warn' : 'pass',
    message: msg.convergence(c.reading, c.val_loss_improvement, c.loss_improvement, o.plateau_threshold),
  });
  const ci = a.confidence;
  add({
    id: 'confidence.val_accuracy', name: '95% interval of val accuracy',
    value: ci ? `${fmtPct(ci.low)}–${fmtPct(ci.high)}` : null, threshold: null,
    status: ci ? 'pass' : 'warn',
    message: msg.confidenceInterval(a.final?.val_accuracy ?? null, ci?.n ?? null, ci?.low ?? null, ci?.high ?? null),
  });
  const t = a.timing;
  add({
    id: 'timing.stalls', name: 'Stalls', value: t.stalls.length, threshold: o.stall_factor,
    status: t.stalls.length ? 'warn' : 'pass', message: msg.stalls(t.stalls, o.stall_factor, t.median_epoch_ms),
  });
  const q = a.quality;
  const bad = unusableLines(q);
  add({
    id: 'data.quality', name: 'Data quality', value: bad, threshold: 0,
    status: bad ? 'warn' : 'pass', message: msg.dataQuality(q),
  });
  return checks;
}

/** (final − best) / best for val_loss: how much worse the final epoch is (0 when it is the best). */
function worseThanBest(a: Readings): number | null {
  const b = a.best?.val_loss;
  const f = a.final?.val_loss;
  return isNum(b) && isNum(f) && b !== 0 ? (f - b) / Math.abs(b) : null;
}
