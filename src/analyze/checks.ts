// The checks table: each reading of the analysis becomes {id, status, value,
// threshold, message}. Statuses are decided here; words come from wording/checks.ts.

import type { Analysis, AnalyzeOptions, Check, CheckId } from './types.js';
import { CHECK_STATUS_ORDER } from './types.js';
import * as msg from '../wording/checks.js';
import { fmtPct, rangesCount } from './format.js';
import { isNum, nearlyEqual, wilson, zOf } from './stats.js';
import { batchLossLogged, countedBeyondLog, endedShort, logged as loggedMetric, lowestEarlier, missingLoss, MNIST_TEST_SIZE, tracebackEndLines } from './metrics.js';
import { divergence, timestampGaps } from './stability.js';
import { CONVERGENCE_WINDOW } from './convergence.js';
import { bestVsFinalTooFew, convergenceTooFew, divergenceTooFew, lossRisesTooFew, overfittingTooFew, spikesTooFew, stallsTooFew, type TooFew } from './checks-least.js';
import { suspectLines, unusableLines } from '../runs/quality.js';
import { chanceClasses, evaluationChecks } from './evaluation.js';

type Readings = Omit<Analysis, 'verdict' | 'checks' | 'observations' | 'conclusion' | 'next_steps'>;

/**
 * accuracy.learned warns below this share of the way from chance to 100%: 19% for 10 classes, 55% for 2.
 * (A Cohen's-kappa-like reading of one accuracy: what a model gets right beyond guessing, of what it could.)
 */
export const LEARNED_SHARE = 0.1;

export function buildChecks(a: Readings, o: AnalyzeOptions): Check[] {
  const last = a.epochs[a.epochs.length - 1] ?? null;
  const checks: Check[] = [];
  const add = (c: Check): void => void checks.push(c);
  // below the least data a check needs to fail or warn at all: info, saying so, never a pass
  // (`alsoInfo`: an info whose own reason is only that the log has one epoch)
  const tooFew = (c: Check, few: TooFew | null, message: (t: TooFew) => string, alsoInfo = false): Check =>
    few && (c.status === 'pass' || (alsoInfo && c.status === 'info')) ? { ...c, status: 'info', value: null, message: message(few), too_few: few } : c;

  const outcome = a.run.outcome;
  const lastEpoch = last?.epoch ?? null;
  const planned = a.run.epochs_planned;
  // epochs run_end counts past the log's last one: the run reached them, the log does not hold them
  const beyond = countedBeyondLog(a);
  const reached = beyond?.last ?? lastEpoch;
  const cutShort = outcome === 'completed' && planned !== null && reached !== null && reached < planned;
  // completed, says run_end, with no epoch (nor an evaluation) in the log: nothing to judge, not a healthy run
  const noneLogged = outcome === 'completed' && !a.epochs.length && !a.evaluation;
  add({
    id: 'run.status', name: msg.checkName('run.status', o.level), value: outcome, threshold: 'completed', when: msg.WHEN.runStatus,
    // stopped early: the trainer ended it on purpose (EarlyStopping); end unknown: a text log
    // that says neither the planned epochs nor its end, so nothing to judge
    status: outcome === 'completed' ? (cutShort || noneLogged ? 'warn' : 'pass') : outcome === 'stopped early' ? 'pass'
      // no epochs and no end (no run_end, no traceback): it has not failed as far as the log shows, it may be in its first epoch
      : outcome === 'end unknown' || outcome === 'evaluation only' ? 'info' : outcome === 'incomplete' || outcome === 'no epochs' ? 'warn' : 'fail', // failed, interrupted
    // a report --follow wrote when it stopped (a signal, a failed read) is a view of the log as read then: the run may have gone on
    message: a.follow_stopped && outcome === 'incomplete' && lastEpoch !== null ? msg.runStatusFollowStopped(a.follow_stopped, lastEpoch, planned)
      : msg.runStatus(outcome, lastEpoch, planned, a.run.error, a.run.has_end_event ?? true, a.run.format, unusableLines(a.quality), beyond),
  });
  const { missing_epochs: missing, duplicate_epochs: dup } = a.quality;
  const sequence: Check = {
    id: 'epochs.sequence', name: msg.checkName('epochs.sequence', o.level), value: rangesCount(missing) + dup.length, threshold: 0, when: msg.WHEN.count('warns'),
    status: missing.length || dup.length ? 'warn' : 'pass', message: msg.epochsSequence(missing, dup, beyond, lastEpoch),
  };
  // an evaluation alone is judged as one: its own checks, and its lines' quality as any run's (a traceback after it);
  // epochs run_end counts that the log does not hold are named even when it holds none
  if (!a.epochs.length) {
    return sortBySeverity([...checks, ...(beyond ? [sequence] : []), ...(outcome === 'evaluation only' ? [dataQuality(a, o)] : []), ...evaluationChecks(a.evaluation ?? null)]);
  }
  add(sequence);
  // Whether the log has a metric at all (a value, or a NaN it named): a check whose input the log
  // lacks cannot be judged, so it is info and says why, never pass.
  const logged = (m: 'loss' | 'accuracy' | 'val_loss' | 'val_accuracy'): boolean => loggedMetric(a.epochs, m);
  const noVal = !logged('val_loss') && !logged('val_accuracy');
  // per-batch losses (PyTorch's "Train Epoch" lines) are not an epoch's training loss, but a log with them is said to have them
  const batchLosses = batchLossLogged(a.batches);
  const nf = a.stability.non_finite;
  add({
    id: 'metrics.finite', name: msg.checkName('metrics.finite', o.level), value: nf.length, threshold: 0, when: msg.WHEN.count('fails'),
    status: nf.length ? 'fail' : 'pass', message: msg.metricsFinite(nf),
  });
  const { first, nonFiniteLoss, grew } = divergence(a.epochs, o.divergence_factor);
  add(tooFew({
    id: 'loss.divergence', name: msg.checkName('loss.divergence', o.level),
    value: first && last && isNum(first.loss) && isNum(last.loss) ? last.loss / first.loss : null,
    threshold: o.divergence_factor, unit: 'ratio', when: msg.WHEN.divergence(o.divergence_factor),
    // a loss that is only non-finite is the finite-metrics finding, said once there
    status: grew ? 'fail' : nonFiniteLoss || !first || !last || !isNum(last.loss) ? 'info' : 'pass',
    ...(nonFiniteLoss && !grew ? { see: 'metrics.finite' as const } : {}),
    message: msg.lossDivergence(first?.loss ?? null, last?.loss ?? null, o.divergence_factor, a.stability.diverged, nonFiniteLoss, batchLosses),
  }, divergenceTooFew(a.epochs), msg.TOO_FEW.divergence));
  const ci = a.confidence;
  // a log that does not say its validation size may show it by its evaluation: n when it scored the validation set, else only its size
  const evalSize: msg.EvaluationSize | null = ci?.n_from_evaluation ? { size: ci.n, epoch: ci.n_from_evaluation.epoch }
    : !ci && isNum(a.evaluation?.size) ? { size: a.evaluation.size, epoch: null } : null;
  // the log's own class count (its evaluation's, or the one it states for the model) when it gives one, else MNIST's 10
  const count = chanceClasses(a.evaluation, a.run.classes, o.classes, a.run.format !== 'events');
  const chance = 1 / count.classes;
  const fv = a.final?.val_accuracy ?? null;
  // not above chance with the configured confidence: the interval's low end (or, without n, the value) is at chance or below
  const atChance = fv !== null && (ci ? ci.low <= chance : fv <= chance);
  // the log's own confusion matrix far above chance contradicts it: one finding that says both, not a failed run
  const against = atChance ? evaluationAboveChance(a.evaluation, chance, o.level) : null;
  add({
    id: 'accuracy.chance', name: msg.checkName('accuracy.chance', o.level), value: ci ? ci.low : fv, threshold: chance, unit: 'pct', when: msg.WHEN.chance(chance, o.level, ci !== null),
    status: fv === null ? 'info' : against ? 'warn' : atChance ? 'fail' : 'pass',
    message: against ? msg.chanceContradicted(fv!, chance, count, against.accuracy, against.size)
      : msg.aboveChance(fv, ci?.low ?? null, chance, o.level, count, logged('val_accuracy'), evalSize),
  });
  // how far beyond chance: a model barely above it (12.50% for 10 classes) has learned little, though above chance
  const share = fv === null ? null : (fv - chance) / (1 - chance);
  // below the threshold as the report prints the share (to 2 decimals of a percent): 19% of 10 classes is
  // 0.09999999999999999 of the way, and 18.996% prints "10.00%": at the threshold, not below it
  const little = share !== null && Math.round(share * 10_000) < Math.round(LEARNED_SHARE * 10_000);
  add({
    // at chance the share is negative or nothing: the chance check says what that means
    id: 'accuracy.learned', name: msg.checkName('accuracy.learned', o.level), value: atChance ? null : share, threshold: LEARNED_SHARE, unit: 'pct',
    when: msg.WHEN.learned(LEARNED_SHARE),
    status: share === null || atChance ? 'info' : little ? 'warn' : 'pass',
    ...(atChance && fv !== null ? { see: 'accuracy.chance' as const } : {}),
    message: msg.learnedBeyondChance(fv, share, little, LEARNED_SHARE, chance, count, atChance, logged('val_accuracy')),
  });

  // One cause, one finding: a validation-loss rise while training loss falls, after the
  // lowest validation loss, is overfitting; best-vs-final, loss-rise and convergence see the
  // same rise and point to it. A rise before the lowest (recovered from) points nothing.
  const of = a.overfitting;
  const overfit = of.onset_epoch !== null;
  // without a validation (or training) loss in the log there is no onset to find: not a pass
  const overfitMissing = missingLoss(a.epochs);
  const pointTo = (c: Check): Check => (overfit && c.status === 'warn' ? { ...c, status: 'info', see: 'overfitting' } : c);
  add(tooFew({
    id: 'overfitting', name: msg.checkName('overfitting', o.level), value: of.onset_epoch, threshold: of.patience, when: msg.WHEN.overfitting(of.patience),
    // without a validation (or training) loss in the log there is no onset to find: not a pass;
    // a rise validation loss later fell below (to a new low) is said, as info: the final model is not overfitted
    status: overfit ? 'warn' : overfitMissing || of.recovered ? 'info' : 'pass',
    message: overfitMissing ? msg.overfittingUnjudged(overfitMissing, batchLosses)
      : msg.overfitting(of.onset_epoch, of.stop_epoch, of.kept_epoch, of.patience, a.best?.epoch ?? null, of.recovered),
  }, overfittingTooFew(a.epochs, of.patience), (t) => msg.TOO_FEW.overfitting(t, of.patience)));
  const worse = worseThanBest(a);
  const bestVsFinal = pointTo(tooFew({
    id: 'best_vs_final', name: msg.checkName('best_vs_final', o.level), value: worse, threshold: o.best_vs_final_threshold, unit: 'rel',
    when: msg.WHEN.bestVsFinal(o.best_vs_final_threshold),
    status: worse === null ? 'info' : worse > o.best_vs_final_threshold ? 'warn' : 'pass',
    message: msg.bestVsFinal(a.best, a.final, worse, logged('val_loss')),
  }, bestVsFinalTooFew(a.epochs), msg.TOO_FEW.bestVsFinal));
  add(bestVsFinal);
  // With no overfitting onset, a final validation loss above its lowest is judged once, by best vs
  // final: the loss-rise and convergence checks that warn for the same rise (one after the lowest
  // epoch) point to it, as they point to overfitting when it found an onset.
  const finalAboveBest = bestVsFinal.status === 'warn';
  const pointToCause = (c: Check): Check => (finalAboveBest && c.status === 'warn' ? { ...c, status: 'info', see: 'best_vs_final' } : pointTo(c));
  const g = a.generalization;
  const gapPp = g.final_gap_accuracy === null ? null : g.final_gap_accuracy * 100;
  // beyond the threshold by more than floating-point noise: 0.964 − 0.984 is −0.020000000000000018,
  // which read "by 2.00 pp, more than 2.00 pp" and warned
  const gapBeyond = g.final_gap_accuracy !== null && g.final_gap_accuracy < -o.gap_threshold && !nearlyEqual(g.final_gap_accuracy, -o.gap_threshold);
  add(pointTo({
    id: 'generalization.gap', name: msg.checkName('generalization.gap', o.level), value: gapPp, threshold: -o.gap_threshold * 100, unit: 'pp',
    when: msg.WHEN.gap(o.gap_threshold),
    // the threshold is on the accuracy gap: without it (a log with no validation accuracy) nothing is judged
    status: gapBeyond ? 'warn' : g.final_gap_accuracy === null ? 'info' : 'pass',
    message: msg.generalizationGap(g.final_gap_accuracy, g.final_gap_loss, g.has_dropout, o.gap_threshold, gapBeyond,
      { val_accuracy: logged('val_accuracy'), final_val_accuracy: isNum(last?.val_accuracy), accuracy: logged('accuracy'), final_accuracy: isNum(last?.accuracy) }),
  }));
  // a text log's test set has its size on its line (PyTorch's 9817/10000), as the interval's n
  const holdoutSize = a.config?.validation_samples ?? (g.validation_named || g.validation_split ? a.confidence?.n ?? null : null);
  add({
    id: 'validation.holdout', name: msg.checkName('validation.holdout', o.level), value: holdoutSize, threshold: null, when: msg.WHEN.holdout,
    // a method caveat, said beside the verdict: it does not make a run unhealthy
    // no validation metrics at all: the caveat beside the verdict says generalization is not judged
    status: g.validation_is_test_set === false && !noVal ? 'pass' : 'info',
    message: noVal ? msg.noValidation() : msg.validationHoldout(g.validation_is_test_set, holdoutSize, MNIST_TEST_SIZE, g.validation_named ?? null, g.validation_split ?? null),
  });
  const s = a.stability;
  const trainRoseMost = s.largest_rise?.metric === 'loss';
  const rises = tooFew({
    id: 'stability.loss_rises', name: msg.checkName('stability.loss_rises', o.level), value: s.largest_rise?.relative ?? 0, threshold: o.rise_threshold, unit: 'rel',
    when: msg.WHEN.lossRises(o.rise_threshold),
    status: s.largest_rise && s.largest_rise.relative > o.rise_threshold ? 'warn' : !logged('loss') && !logged('val_loss') ? 'info' : 'pass',
    message: msg.lossRises(s.loss_rises, s.val_loss_rises, s.largest_rise, o.rise_threshold, { loss: logged('loss'), val_loss: logged('val_loss'), batch_loss: batchLosses }),
  }, lossRisesTooFew(a.epochs), msg.TOO_FEW.lossRises);
  const riseAfterBest = s.largest_rise?.metric === 'val_loss' && a.best !== null && s.largest_rise.epoch > a.best.epoch;
  add(trainRoseMost ? rises : riseAfterBest ? pointToCause(rises) : pointTo(rises));
  add(tooFew({
    id: 'stability.batch_spikes', name: msg.checkName('stability.batch_spikes', o.level), value: a.run.batch_count ? s.spikes.length : null, threshold: o.spike_factor,
    when: msg.WHEN.spikes(o.spike_factor),
    status: !a.run.batch_count ? 'info' : s.spikes.length ? 'warn' : 'pass', message: msg.batchSpikes(s.spikes, o.spike_factor, a.run.batch_count, s.noisy_batches),
  }, spikesTooFew(a.batches), (t) => msg.TOO_FEW.spikes(t, o.spike_factor)));
  const c = a.convergence;
  // still improving, but above the best epoch's (lowest) validation loss: a recovery, not slow convergence
  const belowBest = c.reading === 'improving' && c.metric === 'val_loss' ? lowestEarlier(a) : null;
  // fewer epochs than a trend needs: 'unknown' (info), said as what it is
  const convergenceFew = c.metric ? convergenceTooFew(a.epochs, c.metric) : null;
  // a rise (a rising trend, or a last epoch above the lowest) is a fact here (more epochs would not help), judged by
  // the loss-rise, best-vs-final and overfitting checks: info, pointing to the one of them that warns, never a second warning
  // (an unsettled plateau's cause is the training loss's rise: the loss-rise check first)
  const unsettled = c.reading === 'plateau' && c.training_rose;
  const riseSeen = (unsettled ? ['stability.loss_rises', 'overfitting', 'best_vs_final'] as const : ['overfitting', 'best_vs_final', 'stability.loss_rises'] as const)
    .find((id) => checks.find((x) => x.id === id)?.status === 'warn');
  add(tooFew({
    id: 'convergence', name: msg.checkName('convergence', o.level), value: c.trend?.rate ?? null, threshold: o.plateau_threshold, unit: 'rel',
    when: msg.WHEN.convergence(o.plateau_threshold, CONVERGENCE_WINDOW),
    // still improving is a fact with a next step (train longer), not a problem of the run; nor is a plateau
    // beside a rising training loss, which is not converged (the loss-rise check judges the rise)
    status: c.reading === 'plateau' && !unsettled ? 'pass' : 'info',
    ...((c.reading === 'worsening' || belowBest !== null || unsettled) && riseSeen ? { see: riseSeen } : {}),
    message: msg.convergence(c, o.plateau_threshold, belowBest, endedShort(outcome, lastEpoch, planned), beyond),
  }, convergenceFew, (t) => msg.TOO_FEW.convergence(t, c.metric ?? 'val_loss'), true));
  add({
    id: 'confidence.val_accuracy', name: msg.checkName('confidence.val_accuracy', o.level),
    value: ci ? `${fmtPct(ci.low)}–${fmtPct(ci.high)}` : null, threshold: null, when: null,
    status: 'info', // information, not a pass
    message: msg.confidenceInterval(a.final?.val_accuracy ?? null, ci?.n ?? null, ci?.low ?? null, ci?.high ?? null, o.level, logged('val_accuracy'), evalSize),
  });
  const t = a.timing;
  // a stall shows as a gap between epoch timestamps: durations alone (a Keras text log) cannot show one
  // and CloudWatch's times of trainer text that came in bursts are when it was shipped, not when the epochs ended
  const gaps = t.shipped?.in_bursts ? 0 : timestampGaps(a.epochs).length;
  const timestamps = a.epochs.some((e) => e.time !== null && Number.isFinite(Date.parse(e.time)));
  add(tooFew({
    id: 'timing.stalls', name: msg.checkName('timing.stalls', o.level), value: gaps ? t.stalls.length : null, threshold: o.stall_factor, when: msg.WHEN.stalls(o.stall_factor),
    status: t.stalls.length ? 'warn' : t.median_epoch_ms === null || !gaps ? 'info' : 'pass',
    message: msg.stalls(t.stalls, o.stall_factor, t.median_epoch_ms, timestamps, gaps > 0, t.shipped),
  }, stallsTooFew(a.epochs, o, gaps), (few) => msg.TOO_FEW.stalls(few, o.stall_factor, a.epochs.some((e) => isNum(e.duration_ms))),
  // one epoch with a timestamp: no gap because there is no second epoch, not because timestamps are missing
  a.epochs.length === 1 && t.median_epoch_ms !== null && timestamps));
  add(dataQuality(a, o));
  // the evaluation's check is ordered with the rest: the table says fail, warn, info, pass
  checks.push(...evaluationChecks(a.evaluation ?? null));
  return sortBySeverity(checks);
}

/**
 * Unusable lines among the run's own records (unrecognised, invalid, cut): a warning, but for plain text
 * (a script's own prints, runs/quality.ts suspectLines), which is information unless it is most of the records,
 * and for the traceback the run ended in, which the run status reports (metrics.ts tracebackEndLines).
 * A gzip file of the run's that ended early warns too.
 */
function dataQuality(a: Readings, o: AnalyzeOptions): Check {
  const traceback = tracebackEndLines(a.run.outcome, a.quality);
  const bad = suspectLines(a.quality, traceback);
  return {
    id: 'data.quality', name: msg.checkName('data.quality', o.level), value: bad, threshold: 0, when: msg.WHEN.count('warns'),
    // a gzip file cut short: the log may go on beyond what was read, wherever in a line the cut fell
    status: bad || a.quality.gzip_ended_early ? 'warn' : unusableLines(a.quality) ? 'info' : 'pass',
    message: msg.dataQuality(a.quality, a.input_quality !== undefined, traceback),
  };
}

/** A check looked up by its typed id (a renamed check fails to compile where it is asked for). */
export function checkById(checks: readonly Check[], id: CheckId): Check | undefined {
  return checks.find((c) => c.id === id);
}

/** fail, warn, info, pass; the order within a status is the order above (stable sort). */
function sortBySeverity(checks: Check[]): Check[] {
  return [...checks].sort((x, y) => CHECK_STATUS_ORDER.indexOf(x.status) - CHECK_STATUS_ORDER.indexOf(y.status));
}

/** (final − best) / best for val_loss: how much worse the final epoch is (0 when it is the best). */
function worseThanBest(a: Readings): number | null {
  const b = a.best?.val_loss;
  const f = a.final?.val_loss;
  return isNum(b) && isNum(f) && b !== 0 ? (f - b) / Math.abs(b) : null;
}

/**
 * The log's evaluation when its accuracy (counted from its confusion matrix) is above chance with the
 * configured confidence, or null: beside a validation accuracy at chance, the log contradicts itself
 * (a script's "Val Acc" that is not the share of right answers: a count divided twice).
 */
function evaluationAboveChance(e: Analysis['evaluation'], chance: number, level: number): { accuracy: number; size: number } | null {
  if (!e || !isNum(e.accuracy) || !isNum(e.size) || e.size < 1) return null;
  return wilson(e.accuracy, e.size, zOf(level)).low > chance ? { accuracy: e.accuracy, size: e.size } : null;
}
