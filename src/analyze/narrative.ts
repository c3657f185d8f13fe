// Key Observations, Conclusion and Next Steps: every sentence is chosen and filled
// in from the readings, so the report never claims what the log does not show.

import type { Analysis, Check } from './types.js';
import { fmtDuration, fmtEpochs, fmtInt, fmtList, fmtLoss, fmtPct, fmtRel } from './format.js';
import { unusableLines } from './runs-quality.js';

type Readings = Omit<Analysis, 'observations' | 'conclusion' | 'next_steps'>;

function byId(a: Readings, id: Check['id']): Check | undefined {
  return a.checks.find((c) => c.id === id);
}

export function observations(a: Readings): Analysis['observations'] {
  if (!a.epochs.length) return [{ topic: 'Run', sentences: [byId(a, 'run.status')?.message ?? ''] }];
  const perf = ['confidence.val_accuracy', 'generalization.gap', 'best_vs_final', 'overfitting']
    .map((id) => byId(a, id as Check['id'])?.message).filter((m): m is string => !!m);
  if (a.test && a.test.accuracy !== null) {
    perf.push(a.generalization.validation_is_test_set
      ? `run_end's test evaluation (loss ${fmtLoss(a.test.loss)}, accuracy ${fmtPct(a.test.accuracy)}) uses the same test images that served as validation data, so it is not an independent check.`
      : `run_end reports a test evaluation: loss ${fmtLoss(a.test.loss)}, accuracy ${fmtPct(a.test.accuracy)}.`);
  }
  const stab = ['stability.loss_rises', 'metrics.finite', 'loss.divergence', 'stability.batch_spikes']
    .map((id) => byId(a, id as Check['id'])?.message).filter((m): m is string => !!m);
  return [
    { topic: 'Model performance', sentences: perf },
    { topic: 'Training stability', sentences: stab },
    { topic: 'Resources and timing', sentences: timingSentences(a) },
  ];
}

function timingSentences(a: Readings): string[] {
  const t = a.timing;
  const out: string[] = [];
  const n = a.epochs.length;
  if (t.median_epoch_ms !== null) {
    const total = t.total_ms === null ? '' : ` The run took ${fmtDuration(t.total_ms)} from first to last event.`;
    const range = t.min_epoch_ms !== null && t.max_epoch_ms !== null && n > 1
      ? ` (range ${fmtDuration(t.min_epoch_ms)} to ${fmtDuration(t.max_epoch_ms)})` : '';
    out.push(`The median epoch took ${fmtDuration(t.median_epoch_ms)}${range} over ${n} ${n === 1 ? 'epoch' : 'epochs'}.${total}`);
  }
  if (t.median_samples_per_second !== null) {
    const backend = a.runtime?.backend !== undefined ? ` on the ${a.runtime.backend} backend` : '';
    out.push(`Throughput: a median of ${fmtInt(t.median_samples_per_second)} training samples per second${backend}.`);
  }
  const ecs = a.runtime?.ecs;
  if (ecs && (ecs.launch_type || ecs.region || ecs.cluster)) {
    const facts = [ecs.launch_type && `launch type ${ecs.launch_type}`, ecs.cluster && `cluster ${ecs.cluster}`,
      ecs.region && `region ${ecs.region}`].filter(Boolean) as string[];
    out.push(`The run_start event says it ran as an ECS task (${fmtList(facts)}).`);
  }
  const stall = byId(a, 'timing.stalls');
  if (stall) out.push(stall.message);
  return out;
}

export function conclusion(a: Readings): string[] {
  const out = [byId(a, 'run.status')?.message ?? ''];
  const f = a.final;
  if (f) {
    const ci = a.confidence ? ` (95% interval ${fmtPct(a.confidence.low)} to ${fmtPct(a.confidence.high)})` : '';
    out.push(`After epoch ${f.epoch} the model reached ${fmtPct(f.val_accuracy)} validation accuracy${ci} ` +
      `and validation loss ${fmtLoss(f.val_loss)}; training accuracy (epoch-averaged) was ${fmtPct(f.accuracy)}.`);
    const conv = byId(a, 'convergence');
    if (conv) out.push(conv.message);
  }
  out.push(checkSummary(a.checks));
  return out;
}

/** "12 checks: 10 pass, 2 warn (convergence, validation.holdout), 0 fail." */
export function checkSummary(checks: Check[]): string {
  const of = (s: Check['status']): Check[] => checks.filter((c) => c.status === s);
  const names = (cs: Check[]): string => (cs.length ? ` (${cs.map((c) => c.id).join(', ')})` : '');
  return `${checks.length} checks: ${of('pass').length} pass, ${of('warn').length} warn${names(of('warn'))}, ` +
    `${of('fail').length} fail${names(of('fail'))}.`;
}

export function nextSteps(a: Readings): string[] {
  const out: string[] = [];
  const o = a.run.outcome;
  if (o === 'no epochs') return ['Check that the input is the training log of the run you meant (see Data Quality), then rerun the report.'];
  if (o === 'failed') out.push(`Fix the failure${a.run.error ? ` (${a.run.error.name})` : ''} and rerun the training.`);
  if (o === 'interrupted' || o === 'incomplete') out.push('Find out why the run stopped early (task stop, out of memory, log cut) and rerun it to completion.');
  if (a.stability.diverged || a.stability.non_finite.length) {
    const lr = a.config?.learning_rate !== undefined ? ` (currently ${a.config.learning_rate})` : '';
    out.push(`Lower the learning rate${lr} or clip gradients: the loss became non-finite or diverged.`);
  }
  if (a.overfitting.onset_epoch !== null || (a.best && a.final && a.best.epoch !== a.final.epoch)) {
    out.push(`Keep the weights of epoch ${a.overfitting.kept_epoch ?? a.best?.epoch} (lowest validation loss), e.g. with early stopping (patience ${a.overfitting.patience}).`);
  }
  if (a.convergence.reading === 'improving') {
    out.push(`Train for more epochs: validation loss still fell by ${fmtRel(a.convergence.val_loss_improvement)} in the last epoch.`);
  } else if (a.convergence.reading === 'plateau') {
    out.push('More epochs are unlikely to help much: try a learning-rate schedule or a larger model (e.g. --model cnn) instead.');
  }
  if (a.generalization.validation_is_test_set) {
    out.push('Hold out part of the training set for validation and evaluate on the test set once at the end, to get an unbiased test accuracy.');
  }
  if (a.timing.stalls.length) out.push(`Look at what the host was doing before ${fmtEpochs(a.timing.stalls.map((s) => s.epoch))} (stalls).`);
  const q = a.quality;
  if (unusableLines(q) > 0) out.push('Look at the unrecognised or invalid lines quoted under Data Quality.');
  if (a.quality.duplicate_epochs.length) out.push('Make sure a restarted task writes a new run id, so its epochs do not mix with the first attempt.');
  if (!out.length) out.push('No problem found in the log; compare the next change against this run.');
  return out;
}
