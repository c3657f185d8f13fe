// One named function per check (vega-lite's log/message.ts style): the only place
// a check's sentence is worded. Tests assert against these functions, so changing
// a wording is a one-line edit here. Inputs are analysis values, never raw log text.

import type { DataQuality, EpochRange, FormatNote, GzipEndedEarly, LogFormat } from '../types.js';
import type { BestEpoch, CheckId, FollowStop, MetricSet, RunOutcome, ShippedTimes, Spike, Stall } from '../analyze/types.js';
import type { TooFew } from '../analyze/checks-least.js';
import type { ChanceClasses } from '../analyze/evaluation.js';
import { classNoun } from './evaluation.js';
import { fmtDuration, fmtEpochRanges, fmtEpochs, fmtInt, fmtLevel, fmtList, fmtLoss, fmtNonFinite, fmtPct, fmtPp, fixedApart, fmtRel, fmtSigned } from '../analyze/format.js';
import { isNum } from '../analyze/stats.js';
import { plainTextIsMost, suspectLines, unusableLines } from '../runs/quality.js';
import { everyOf, plural } from './plural.js';

function ofPlanned(seen: number, planned: number | null): string {
  return planned === null ? `${seen}` : `${seen} of ${planned}`;
}

/** Each check's short name for the Checks table; the interval's carries the configured level. */
export function checkName(id: CheckId, level: number): string {
  return id === 'confidence.val_accuracy' ? `${fmtLevel(level)} interval of val accuracy` : CHECK_NAMES[id];
}

const CHECK_NAMES: Record<Exclude<CheckId, 'confidence.val_accuracy'>, string> = {
  'run.status': 'Run status',
  'epochs.sequence': 'Epoch sequence',
  'metrics.finite': 'Finite metrics',
  'loss.divergence': 'Divergence',
  'accuracy.chance': 'Above chance',
  'accuracy.learned': 'Learned beyond chance: share of the way from chance to 100%',
  overfitting: 'Overfitting onset',
  'best_vs_final': 'Best vs final epoch',
  'generalization.gap': 'Generalization gap: validation − training accuracy, pp',
  'validation.holdout': 'Validation data',
  'stability.loss_rises': 'Loss rises',
  'stability.batch_spikes': 'Batch loss spikes',
  convergence: 'Convergence: loss trend over the last epochs',
  'timing.stalls': 'Stalls',
  'data.quality': 'Data quality',
  'evaluation.recall': 'Per-class recall',
};

/**
 * With no epochs, the lines the log holds that could not be read may be the run's metrics in a
 * form mnist-report does not know: said, so that "no epoch results" does not read as an empty run.
 */
export function unreadLines(unread: number, why = true): string {
  if (unread === 0) return '';
  return `; ${plural(unread, 'line', 'lines')} of the log could not be read (see Data Quality)${why ? ', which may be its metrics in a format mnist-report does not know' : ''}`;
}

const TRAINERS: Partial<Record<LogFormat, string>> = {
  keras2: "Keras'", keras3: "Keras'", 'keras-csv': "Keras'", 'tfjs-node': "tfjs-node's", lightning: "Lightning's",
  'lightning-csv': "Lightning's", 'hf-trainer': "the Hugging Face Trainer's", 'pytorch-mnist': "the PyTorch example's",
  timm: "timm's", ultralytics: "Ultralytics'", fastai: "fastai's", mmengine: "mmengine's", accelerate: "the Accelerate script's",
};

/**
 * Where a text trainer's run ends, in its own terms ("Keras' last epoch"): it prints no end event,
 * so a log short of its planned epochs is said to stop before that, not to lack mnist-train's run_end.
 * null for mnist-train's events, whose end is run_end.
 */
export function trainersLastEpoch(format: LogFormat): string | null {
  return format === 'events' ? null : `${TRAINERS[format] ?? "the trainer's"} last epoch`;
}

/** `format`: whose log it is (a text trainer's stops before its last epoch, not its run_end); `unread`: the log's unusable lines (said only when the run has no epochs). */
export function runStatus(outcome: RunOutcome, lastEpoch: number | null, planned: number | null,
  error: { name: string; message: string } | null, hasEndEvent = true, format: LogFormat = 'events', unread = 0,
  beyond: EpochRange | null = null): string {
  const lastOf = trainersLastEpoch(format);
  const after = lastEpoch === null ? 'before its first epoch ended' : `after epoch ${ofPlanned(lastEpoch, planned)}`;
  switch (outcome) {
    case 'completed':
      if (beyond) return completedBeyondLog(beyond.last, lastEpoch, planned);
      if (planned !== null && lastEpoch !== null && lastEpoch < planned) {
        return `The run ended as completed but was cut short: its last epoch is ${ofPlanned(lastEpoch, planned)}.`;
      }
      if (lastEpoch === null) return 'The run_end says the run completed, but the log holds no epoch results for it, so there is nothing to analyse.';
      return hasEndEvent
        ? `The run completed: its last epoch is ${ofPlanned(lastEpoch ?? 0, planned)} and it wrote run_end with status completed.`
        : `The log reaches the last planned epoch (${ofPlanned(lastEpoch ?? 0, planned)}); this trainer prints no end event, so completion is read from the epoch count.`;
    case 'interrupted':
      // trainer text has no end event: its outcome can only be the Python traceback it ends in (analyze.ts runOutcome)
      return lastOf !== null ? `The run was interrupted ${after}: the log ends in a Python traceback of KeyboardInterrupt (Ctrl-C, or a SIGINT sent to the script).`
        : `The run was interrupted (SIGTERM or SIGINT, e.g. an ECS task stop) ${after}.`;
    case 'failed':
      if (lastOf !== null && error) return ending(`The run failed ${after}: the log ends in a Python traceback of ${error.name}: ${error.message}`);
      return `The run failed ${after}${error ? `: ${error.name}: ${error.message}` : ''}.`;
    case 'incomplete':
      return lastOf !== null ? `The log stops ${after}, before ${lastOf}: the run stopped, crashed or its log was cut.`
        : `The log has no run_end event: the run stopped, crashed or its log was cut ${after}.`;
    case 'stopped early':
      return `The trainer stopped the run early on purpose (EarlyStopping) ${after}: not a crash or a cut log.`;
    case 'end unknown':
      return `The log gives neither the planned number of epochs nor an end marker, so whether the run finished or stopped ${after} cannot be read from the log.`;
    case 'no epochs':
      // no end either (analyze.ts runOutcome): a run still in its first epoch, or one that stopped in it, not a failed one
      return unread ? `The log holds no epoch results for this run, so there is nothing to analyse${unreadLines(unread)}.`
        : `The log holds no epoch results for this run yet, and nothing of its end (${lastOf === null ? 'no run_end' : 'no traceback'}): it is still in its first epoch, or stopped before finishing it, so there is nothing to analyse yet.`;
    case 'evaluation only':
      return `The log holds an evaluation but no training epochs: there is no training to judge, only the evaluated model (see Evaluation)${unreadLines(unread)}.`;
  }
}

/** run.status of a completed run whose run_end counts `counted` epochs, past the log's last one (analyze/metrics.ts countedBeyondLog). */
function completedBeyondLog(counted: number, lastEpoch: number | null, planned: number | null): string {
  const held = lastEpoch === null ? 'the log holds none of them' : `the log holds them only up to epoch ${lastEpoch}`;
  if (planned !== null && counted < planned) return `The run ended as completed but was cut short: its run_end counts ${ofPlanned(counted, planned)} epochs, and ${held}.`;
  return lastEpoch === null ? `The run_end says the run completed ${ofPlanned(counted, planned)} epochs, but ${held}, so there is nothing to analyse.`
    : `The run completed ${ofPlanned(counted, planned)} epochs and wrote run_end with status completed, but ${held}: the checks judge it as of epoch ${lastEpoch}.`;
}

/** A sentence ending in a quoted message that may end in its own full stop ("CUDA out of memory."). */
function ending(s: string): string {
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

/**
 * The verdict's reason for a run with no epoch results and no end (outcome 'no epochs', every line read): when it
 * started and where its log ends, and the input's latest run with epochs when it has one (the CLI's --run latest).
 */
export function noEpochsYet(first: string | null, last: string | null, earlier: { run_id: string; epochs_seen: number } | undefined): string {
  const when = first === null ? 'the log of this run ends before its first epoch finished'
    : last === null || last === first ? `the run started at ${first} and the log ends there`
    : `the run started at ${first} and the log ends at ${last} with no epoch finished`;
  const other = earlier ? `; the input's latest run with epoch results is ${earlier.run_id} (${plural(earlier.epochs_seen, 'epoch', 'epochs')}): --run ${earlier.run_id} reports it` : '';
  return `No epoch results yet: ${when} (still in its first epoch, or stopped before finishing it)${other}`;
}

/** "stopped at T on SIGINT" / "… when reading the log failed": of --follow, which wrote the report before the run's end (its error is in Data Quality). */
export function followStoppedAt(f: FollowStop): string {
  return `stopped at ${f.at} ${f.signal !== null ? `on ${f.signal}` : 'when reading the log failed'}`;
}

/** run.status of a run whose log, as --follow read it before it stopped, has no run_end: not a finding that the run stopped. */
export function runStatusFollowStopped(f: FollowStop, lastEpoch: number, planned: number | null): string {
  return `The log as read has no run_end: this report was written by --follow, which ${followStoppedAt(f)}, after epoch ${ofPlanned(lastEpoch, planned)}: whether the run went on is not known.`;
}

/** `beyond`: the missing epochs past the log's last one (`lastEpoch`), which run_end counts (analyze/metrics.ts countedBeyondLog). */
export function epochsSequence(missing: EpochRange[], duplicate: number[], beyond: EpochRange | null = null, lastEpoch: number | null = null): string {
  const parts: string[] = [];
  if (missing.length) {
    parts.push(`${fmtEpochRanges(missing)} missing from the log${!beyond ? ''
      : `: run_end counts ${plural(beyond.last, 'epoch', 'epochs')} completed, and the log ${lastEpoch === null ? 'holds none of them' : `ends at epoch ${lastEpoch}`}`}`);
  }
  if (duplicate.length) parts.push(`${fmtEpochs(duplicate)} logged more than once (a restarted task?); the last occurrence is used`);
  return parts.length ? `${capitalise(parts.join('; '))}.` : 'Every epoch from 1 to the last appears exactly once.';
}

export function metricsFinite(bad: { epoch: number; metrics: string[] }[]): string {
  if (!bad.length) return 'Every epoch metric is a finite number.';
  return `Non-finite metrics (NaN or Infinity, written as null) in ${fmtNonFinite(bad)}.`;
}

/**
 * What a log without an epoch training loss lacks. `batchLosses`: it has per-batch losses (PyTorch's
 * "Train Epoch … Loss:" lines), which are single batches, not an epoch's loss: said so, not "missing".
 * No chart is named: the analysis does not know whether charts are drawn (none with -o -); the batch
 * loss chart's own caption says it when it is (charts.ts batchLossAlt).
 */
export function noTrainingLoss(batchLosses: boolean): string {
  return batchLosses ? 'the log has no epoch training loss (only per-batch losses)' : 'the log has no training loss';
}

export function lossDivergence(first: number | null, last: number | null, factor: number, diverged: boolean, nonFiniteLoss: boolean, batchLosses = false): string {
  if (nonFiniteLoss) return 'Training loss became NaN or Infinity: the run diverged.';
  if ((first === null || last === null) && batchLosses) return `${capitalise(noTrainingLoss(true))}, so divergence cannot be judged.`;
  if (first === null || last === null) return 'Training loss is missing, so divergence cannot be judged.';
  return diverged
    ? `Training loss grew from ${fmtLoss(first)} to ${fmtLoss(last)}, more than ${factor}× the first epoch: the run diverged.`
    : `Training loss went from ${fmtLoss(first)} to ${fmtLoss(last)}; no divergence.`;
}

/**
 * `valLogged`: the log has a validation loss in some epoch (a value or a named NaN). A best epoch chosen by
 * validation accuracy (no finite validation loss in the log) is named, and the final epoch's accuracy beside
 * it, but not judged: the check's threshold is on validation loss.
 */
export function bestVsFinal(best: BestEpoch | null, final: MetricSet | null, relative: number | null, valLogged = true): string {
  if (best?.by === 'val_accuracy') {
    const none = valLogged ? 'No epoch has a finite validation loss' : 'The log has no validation loss';
    const lead = `${none}, so the best epoch is the one with the highest validation accuracy`;
    if (final && best.epoch === final.epoch) return `${lead}: the final epoch (${final.epoch}, ${fmtPct(final.val_accuracy)}).`;
    const against = final && isNum(final.val_accuracy) ? `the final epoch ${final.epoch} has ${fmtPct(final.val_accuracy)} (${fmtPp(final.val_accuracy - (best.val_accuracy as number))})`
      : `the final epoch${final ? ` ${final.epoch}` : ''} has no finite validation accuracy`;
    return `${lead}, epoch ${best.epoch} (${fmtPct(best.val_accuracy)}); ${against}. Without a validation loss the final epoch is not judged against it.`;
  }
  if (!valLogged) return 'The log has no validation loss, so the best epoch cannot be found and the final epoch cannot be compared with it.';
  if (!best || !final) return 'No epoch has a finite validation loss, so the best epoch cannot be found.';
  if (relative === null) {
    return `The lowest validation loss was at epoch ${best.epoch} (${fmtLoss(best.val_loss)}); the final epoch ${final.epoch} has no finite validation loss to compare.`;
  }
  if (best.epoch === final.epoch) return `The final epoch (${final.epoch}) has the lowest validation loss (${fmtLoss(final.val_loss)}).`;
  return `The lowest validation loss was at epoch ${best.epoch} (${fmtLoss(best.val_loss)}, accuracy ${fmtPct(best.val_accuracy)}); ` +
    `the final epoch ${final.epoch} is ${fmtRel(relative)} worse (${fmtLoss(final.val_loss)}, accuracy ${fmtPct(final.val_accuracy)}).`;
}

/** The honest reading of val − train (house rule: say what the data supports). */
/**
 * `has`: which accuracies the log has (validation accuracy in any epoch; both in the final epoch),
 * so that a gap that cannot be measured says why.
 */
export function generalizationGap(gapAccuracy: number | null, gapLoss: number | null, hasDropout: boolean | null,
  threshold: number, beyond: boolean,
  has: { val_accuracy: boolean; final_val_accuracy: boolean; accuracy?: boolean; final_accuracy: boolean } = { val_accuracy: true, final_val_accuracy: true, final_accuracy: true }): string {
  const why = hasDropout ? 'dropout and epoch averaging' : 'epoch averaging';
  const parts: string[] = [];
  if (gapAccuracy === null) {
    const missing = !has.val_accuracy ? 'the log has no validation accuracy'
      : !has.final_val_accuracy ? 'the final epoch has no finite validation accuracy'
      : has.accuracy === false ? 'the log has no training accuracy'
      : !has.final_accuracy ? 'the final epoch has no finite training accuracy' : 'an accuracy of the final epoch is missing';
    parts.push(`${missing}, so the gap between training and validation accuracy cannot be judged`);
  }
  if (gapAccuracy !== null && gapAccuracy >= 0) {
    parts.push(`validation accuracy exceeds the epoch-averaged training accuracy by ${fmtPp(gapAccuracy).slice(1)}; ` +
      `this is expected with ${why} and says little about generalization`);
  } else if (gapAccuracy !== null && beyond) {
    parts.push(`training accuracy exceeds validation accuracy by ${fmtPp(-gapAccuracy).slice(1)}, more than ${fmtPp(threshold).slice(1)}: the model fits the training data better than unseen data`);
  } else if (gapAccuracy !== null) {
    parts.push(`training accuracy exceeds validation accuracy by ${fmtPp(-gapAccuracy).slice(1)}, within ${fmtPp(threshold).slice(1)}`);
  }
  if (gapLoss !== null) parts.push(`validation loss minus training loss is ${fmtSigned(gapLoss)}`);
  if (gapAccuracy === null) return `${capitalise(parts.join('; '))}.`;
  // validating on the test set is validation.holdout's finding, stated there once
  return `${capitalise(parts.join('; '))}.`;
}

/** validation.holdout's finding when no epoch has a validation metric: the caveat beside the verdict. */
export function noValidation(): string {
  return 'The log has no validation metrics (no val_loss or val_accuracy in any epoch), so how the model does on unseen data cannot be judged: ' +
    'overfitting, the generalization gap and the best epoch are not checked.';
}

/**
 * `named`: a text log's own name for its per-epoch validation when that says it is the test set ("Test set").
 * `split`: the dataset split the log says its validation scored, by the folder it reads (Ultralytics').
 */
export function validationHoldout(valIsTestSet: boolean | null, n: number | null, testSize: number, named: string | null = null,
  split: 'test' | 'val' | null = null): string {
  if (valIsTestSet === null) return 'The log does not say which data was used for validation.';
  const images = n !== null ? `, ${plural(n, 'image', 'images')}` : '';
  if (split === 'test') {
    return `Validation scored the test split, as the log says (its validation reads the dataset's test folder${images}): ` +
      'where the test split chose the epoch, as a best checkpoint kept by validation does, its accuracy is not a held-out test score.';
  }
  if (split === 'val') return `Validation scored the dataset's val split, as the log says (its validation reads the val folder${images}), not its test split.`;
  if (!valIsTestSet) return `Validation used ${fmtInt(n)} held-out samples, not the test set.`;
  if (named !== null) {
    return `Validation used the test set, as the log names it ("${named}" every epoch${n !== null ? `, ${fmtInt(n)} samples` : ''}): ` +
      'the validation metrics were watched during training, so they are not an unbiased test estimate.';
  }
  const which = n === testSize ? `all ${fmtInt(n)} MNIST test images` : `${fmtInt(n)} of the ${fmtInt(testSize)} MNIST test images`;
  return `Validation used ${which} (mnist-train validates on the test set): the validation metrics were watched during ` +
    'training, so they are not an unbiased test estimate.';
}

/**
 * `lowest`: the epoch with the lowest validation loss; `recovered`: the first rise validation loss
 * later fell below (to a new low at `low_epoch`), which is not overfitting of the final model.
 */
export function overfitting(onset: number | null, stopEpoch: number | null, keptEpoch: number | null, patience: number,
  lowest: number | null = null, recovered: { epoch: number; low_epoch: number } | null = null): string {
  const notLowest = keptEpoch !== null && lowest !== null && keptEpoch !== lowest ? `, not the one with the lowest validation loss (epoch ${lowest})` : '';
  const es = stopEpoch === null
    ? `early stopping with patience ${patience} would not have triggered${keptEpoch !== null ? ` (it would keep epoch ${keptEpoch})` : ''}`
    : `early stopping with patience ${patience} would have stopped after epoch ${stopEpoch} and kept epoch ${keptEpoch}${notLowest}`;
  if (onset !== null) {
    const after = lowest !== null ? ` after the lowest validation loss (epoch ${lowest}) and never fell below it again` : '';
    return `Overfitting from epoch ${onset}: validation loss rose for ${patience} consecutive epochs while training loss fell${after}; ${es}.`;
  }
  if (recovered !== null) {
    return `No overfitting of the final model: validation loss rose for ${patience} consecutive epochs from epoch ${recovered.epoch} while training loss fell, ` +
      `but then fell to a new low, its lowest at epoch ${recovered.low_epoch}; ${es}.`;
  }
  return `No overfitting onset: validation loss never rose for ${patience} consecutive epochs while training loss fell; ${es}.`;
}

/** Overfitting's finding when the log lacks the validation (or training) loss it needs. */
export function overfittingUnjudged(missing: 'val_loss' | 'loss', batchLosses = false): string {
  const lacks = missing === 'val_loss' ? 'the log has no validation loss' : noTrainingLoss(batchLosses);
  return `${capitalise(lacks)}, so overfitting (validation loss rising while training loss falls) cannot be judged.`;
}

/** `logged`: which losses the log has at all; a loss it lacks is said, not counted as never rising. */
export function lossRises(lossEpochs: number[], valEpochs: number[],
  largest: { metric: string; epoch: number; relative: number; from?: number } | null, threshold: number,
  logged: { loss: boolean; val_loss: boolean; batch_loss?: boolean } = { loss: true, val_loss: true }): string {
  if (!logged.loss && !logged.val_loss) return 'The log has no training or validation loss, so loss rises cannot be checked.';
  const lacks = !logged.val_loss ? '; the log has no validation loss, so only training loss is checked'
    : !logged.loss ? `; ${noTrainingLoss(logged.batch_loss ?? false)}, so only validation loss is checked` : '';
  if (!lossEpochs.length && !valEpochs.length) {
    return lacks ? `${!logged.val_loss ? 'Training' : 'Validation'} loss fell in every epoch${lacks}.` : 'Training and validation loss fell in every epoch.';
  }
  // every rise is listed, however small: said so, since the sentence then names the threshold the largest one passed
  const parts: string[] = [];
  if (lossEpochs.length) parts.push(`training loss rose in ${fmtEpochs(lossEpochs)}`);
  if (valEpochs.length) parts.push(`validation loss rose in ${fmtEpochs(valEpochs)}`);
  const any = lossEpochs.length + valEpochs.length > 1 ? ' (by any amount)' : '';
  const big = largest
    ? `; the largest rise is ${fmtRel(largest.relative)} (${largest.metric}, epoch ${largest.from === undefined ? '' : `${largest.from} to `}${largest.epoch})${largest.relative > threshold ? `, above ${fmtRel(threshold)}` : ''}`
    : '';
  return `${capitalise(parts.join(' and '))}${any}${big}${lacks}.`;
}

/**
 * Where a batch is in its epoch, as the log can say it: "epoch 1, batch 9", or, for a log that
 * counts samples and not batches (PyTorch's "[5120/60000]"), "epoch 1, sample 5,120 of 60,000".
 */
export function batchPlace(b: { epoch: number; batch: number; sample?: number; samples?: number }): string {
  return b.sample !== undefined && b.samples !== undefined
    ? `epoch ${b.epoch}, sample ${fmtInt(b.sample)} of ${fmtInt(b.samples)}`
    : `epoch ${b.epoch}, batch ${b.batch}`;
}

export function batchSpikes(spikes: Spike[], factor: number, batchCount: number, noisy: Spike[] = []): string {
  if (batchCount === 0) return 'The log has no batch events, so batch-level spikes cannot be seen.';
  const largest = (list: Spike[]) => [...list].sort((a, b) => b.ratio - a.ratio)[0]!;
  if (!spikes.length && !noisy.length) return `No batch loss spike above ${factor}× the recent median in ${fmtInt(batchCount)} logged batches.`;
  if (!spikes.length) {
    const top = largest(noisy);
    // the ratio and the bar with the decimals that tell them apart: never "3.7×, … the bar at 3.7×"
    const [ratio, bar] = fixedApart(top.ratio, top.threshold, 1);
    return `No batch loss spike in ${fmtInt(batchCount)} logged batches: ${noisy.length === 1 ? '1 rose' : `${noisy.length} rose`} above ${factor}× the recent median, ` +
      `${noisy.length === 1 ? 'within' : 'each within'} the spread of the batches before it (the largest ${fmtLoss(top.loss)}, ${ratio}× at ${batchPlace(top)}, ` +
      `where that spread set the bar at ${bar}×).`;
  }
  const top = largest(spikes);
  return `${spikes.length} batch loss ${spikes.length === 1 ? 'spike' : 'spikes'} above ${factor}× the recent median; ` +
    `the largest is ${fmtLoss(top.loss)} (${top.ratio.toFixed(1)}×) at ${batchPlace(top)}.` +
    (noisy.length ? ` ${noisy.length} more above ${factor}× ${noisy.length === 1 ? 'was' : 'were'} within the spread of the batches before ${noisy.length === 1 ? 'it' : 'them'}.` : '');
}

export { convergence } from './convergence.js';

/**
 * What a log that does not say its validation size shows of it by its evaluation of `size` samples: `epoch`, the
 * evaluation's accuracy is that epoch's validation accuracy, so n is its size (evaluationOfValidation); null,
 * nothing ties the evaluation to the validation set, so its size is no n.
 */
export interface EvaluationSize {
  size: number;
  epoch: number | null;
}

/** Where n came from, or why the evaluation's size is not n: said by the interval and the chance check alike. */
function evaluationSize(e: EvaluationSize): string {
  return e.epoch !== null
    ? `n = ${fmtInt(e.size)}, the size of the log's evaluation, whose accuracy is epoch ${e.epoch}'s validation accuracy to every logged digit`
    : `the log's evaluation has ${fmtInt(e.size)} samples, but nothing in the log ties it to the validation set`;
}

export function confidenceInterval(accuracy: number | null, n: number | null, low: number | null, high: number | null, level: number, valLogged = true,
  evaluation: EvaluationSize | null = null): string {
  if (accuracy === null && !valLogged) return 'The log has no validation accuracy, so there is no confidence interval.';
  if (accuracy === null) return 'No final validation accuracy, so no confidence interval.';
  if (n === null || low === null || high === null) {
    return `The number of validation samples is not in the log${evaluation ? ` (${evaluationSize(evaluation)})` : ''}, so the uncertainty of ${fmtPct(accuracy)} is unknown.`;
  }
  return `Final validation accuracy ${fmtPct(accuracy)}; ${fmtLevel(level)} Wilson interval ${fmtPct(low)} to ${fmtPct(high)} ` +
    `(${evaluation?.epoch != null ? evaluationSize(evaluation) : `n = ${fmtInt(n)}`}), so differences smaller than about ${fmtPp((high - low) / 2).slice(1)} are within sampling noise.`;
}

/**
 * `timestamps`: some epoch has a timestamp; `gaps`: two of them are consecutive in the log, so a gap is
 * measured; `shipped`: the times are CloudWatch's event times of trainer text (when its lines were shipped).
 */
export function stalls(found: Stall[], factor: number, medianMs: number | null, timestamps = true, gaps = true, shipped?: ShippedTimes): string {
  if (shipped?.in_bursts) {
    return "The epochs' times are CloudWatch's event times, when their lines were shipped, and they came in bursts " +
      '(buffered output), not as each epoch ended, so stalls cannot be measured from them.';
  }
  if (medianMs === null && !timestamps) return 'The log has no epoch timestamps or durations, so stalls cannot be detected.';
  if (medianMs === null) return 'Epoch durations or timestamps are missing, so stalls cannot be detected.';
  if (!timestamps) return 'The log has epoch durations but no timestamps, so the gaps between epochs, where a stall shows, cannot be measured.';
  if (!gaps && !found.length) return 'No two consecutive epochs have timestamps, so the gaps between epochs, where a stall shows, cannot be measured.';
  const times = shipped ? "the epochs' CloudWatch event times (when their lines were shipped)" : 'epoch timestamps';
  if (!found.length) return `No stall: no gap between ${times} exceeds ${factor}× the median epoch duration (${fmtDuration(medianMs)}).`;
  const list = found.map((s) => `${fmtDuration(s.gap_ms)} before epoch ${s.epoch}`);
  const cause = shipped ? ' (a stall, or output held in a buffer: these are the times its lines were shipped)' : '';
  return `Stalls: ${fmtList(list)}, against a median epoch duration of ${fmtDuration(medianMs)}${cause}.`;
}

/**
 * `partOfInput`: the input holds more than this run's records, so the counts say they are the run's.
 * `tracebackEnd`: the lines of the traceback the run ended in that the run status reports (analyze/metrics.ts
 * tracebackEndLines), said as that, apart from the lines that could not be read.
 */
export function dataQuality(q: DataQuality, partOfInput = false, tracebackEnd = 0): string {
  const bad = unusableLines(q);
  const dup = q.duplicate_records ? ` ${duplicatesDropped(q)}` : '';
  const cut = q.gzip_ended_early ? ` ${gzipEndedEarly(q.gzip_ended_early)}` : '';
  const more = `${cut}${dup}${fieldGaps(q)}${unknownEvents(q)}`;
  const ofRun = partOfInput ? ' of this run' : '';
  if (!bad) {
    const lines = capitalise(everyOf(q.recognised, 'meaningful line', 'meaningful lines'));
    return `${lines}${ofRun} ${q.recognised === 1 ? 'was' : 'were'} recognised (${ignoredLines(q)} ignored).${more}`;
  }
  const records = ofRecords(q, partOfInput);
  const plain = q.plain_text ?? 0;
  const prints = `${plural(plain, 'line', 'lines')} of plain text (a script's own prints, with no metric, row of numbers or error in them)`;
  const raised = 'the Python traceback the run ended in, which the run status reports';
  const isAre = tracebackEnd === 1 ? 'is' : 'are';
  const alsoRaised = tracebackEnd ? ` ${fmtInt(tracebackEnd)} more ${isAre} ${raised}.` : '';
  if (!suspectLines(q, tracebackEnd)) {
    return plain ? capitalise(`${prints} out of ${records}, quoted under Data Quality: counted, not a problem.${alsoRaised}${more}`)
      : `${fmtInt(tracebackEnd)} of ${partOfInput ? '' : 'the '}${records} ${tracebackEnd === 1 ? 'is' : 'are'} ${raised}, quoted under Data Quality; every other line was read.${more}`;
  }
  const most = plainTextIsMost(q);
  const alsoPlain = plain && !most ? ` ${capitalise(prints)}: counted too, not a problem.` : '';
  // the unrecognised total (Data Quality's column) holds the plain text and the traceback: "N are", not "N more are"
  const ofThemRaised = tracebackEnd && !most && q.unrecognised - plain - tracebackEnd ? ` ${fmtInt(tracebackEnd)} ${tracebackEnd === 1 ? 'is' : 'are'} ${raised}.` : alsoRaised;
  return `${suspectSentence(q, partOfInput, tracebackEnd)}${alsoPlain}${ofThemRaised}${more}`;
}

/**
 * The data-quality check's warning alone, for the verdict's reason: the lines that could not be used and a gzip
 * file cut short. What the check's finding says beside them (plain text counted, the traceback the run status
 * reports, duplicates dropped, fields missing, unknown events) needs no attention and stays under Checks and
 * Data Quality. '' when the check does not warn.
 */
export function dataQualityWarning(q: DataQuality, partOfInput = false, tracebackEnd = 0): string {
  const cut = q.gzip_ended_early ? gzipEndedEarly(q.gzip_ended_early) : '';
  if (!suspectLines(q, tracebackEnd)) return cut;
  return `${suspectSentence(q, partOfInput, tracebackEnd)}${cut ? ` ${cut}` : ''}`;
}

function ofRecords(q: DataQuality, partOfInput: boolean): string {
  return `${partOfInput ? "this run's " : ''}${fmtInt(q.records)} records`;
}

/** "2 unrecognised out of 3,677 records; see Data Quality.": the lines that make the data-quality check warn. */
function suspectSentence(q: DataQuality, partOfInput: boolean, tracebackEnd: number): string {
  const plain = q.plain_text ?? 0;
  const parts: string[] = [];
  // plain text that is most of the records warns with the rest: the log may not be the one meant, or its format not sniffed
  const most = plainTextIsMost(q);
  const other = q.unrecognised - plain - tracebackEnd;
  if (most) parts.push(`${fmtInt(q.unrecognised - tracebackEnd)} unrecognised (${fmtInt(plain)} of them plain text, most of the records: is this a training log, in a format --log-format names?)`);
  else if (other) parts.push(unrecognisedOf(q.unrecognised, other, plain > 0, tracebackEnd > 0));
  if (q.invalid_events) parts.push(plural(q.invalid_events, 'invalid event', 'invalid events'));
  const ended = q.gzip_ended_early?.filter((e) => e.partial_line).length ?? 0;
  if (q.fragments > ended) parts.push(`${plural(q.fragments - ended, 'line fragment', 'line fragments')} (cut at 256 KB)`);
  if (ended) parts.push(`${plural(ended, 'line', 'lines')} cut short where the gzip data ended`);
  return capitalise(`${fmtList(parts)} out of ${ofRecords(q, partOfInput)}; see Data Quality.`);
}

/**
 * "7 unrecognised (3 of them not plain text)": the total is the Unrecognised column of Data Quality
 * and report.json's quality.unrecognised, and `suspect` the lines of it that make the check warn.
 */
function unrecognisedOf(total: number, suspect: number, plain: boolean, raised: boolean): string {
  if (suspect === total) return `${fmtInt(total)} unrecognised`;
  const not = plain && raised ? 'neither plain text nor the traceback the run ended in' : plain ? 'not plain text' : 'not the traceback the run ended in';
  return `${fmtInt(total)} unrecognised (${fmtInt(suspect)} of them ${not})`;
}

/**
 * Records dropped as the same event read twice: a CloudWatch eventId or a stream's line delivered
 * again, an mnist-train event with its time written twice in a file, or in two inputs (src/runs/dedupe.ts).
 */
function duplicatesDropped(q: DataQuality): string {
  const n = q.duplicate_records;
  const across = q.duplicate_across_inputs ?? 0;
  if (across === n) return `${duplicatesAcrossInputs(across)}.`;
  const of = across ? `, ${fmtInt(across)} of them read again from another input (the same log given twice)` : '';
  return `${plural(n, 'duplicate record (an event read twice) was', 'duplicate records (events read twice) were')} dropped${of}.`;
}

/** "98 events were also in an earlier input …": the same log given twice, its events read once (n > 0). */
function duplicatesAcrossInputs(n: number): string {
  return `${plural(n, 'event was', 'events were')} also in an earlier input (the same log given twice: a file and its CloudWatch export, or a copy) ` +
    `and ${n === 1 ? 'was' : 'were'} read once: the repeat${n === 1 ? ' was' : 's were'} dropped as duplicate records`;
}

/**
 * "The gzip data ended early in run.log.gz, at byte 5,000 (…): …": files cut short, read up to the cut
 * (LogRecord.gzipEnded), for the data-quality check and (`fragment`: saying what became of the line the
 * data ended inside) Data Quality's list.
 */
export function gzipEndedEarly(ended: readonly GzipEndedEarly[], fragment = false): string {
  const where = fmtList(ended.map((e) => `${e.source === '-' ? 'stdin' : e.source}, at byte ${fmtInt(e.byte)}`));
  const line = fragment && ended.some((e) => e.partial_line) ? '; the line it ended inside is counted as a fragment, not read' : '';
  return `The gzip data ended early in ${where} (a log still being written through a pipe to gzip, or a copy cut short): ` +
    `the report is of what came before the cut, and the log may go on beyond it${line}.`;
}

/** Data Quality's line on events that were in two inputs (null when none): not a restarted task. */
export function duplicateInputs(q: DataQuality): string | null {
  const n = q.duplicate_across_inputs ?? 0;
  return n ? `${capitalise(duplicatesAcrossInputs(n))}, not counted as epochs logged twice.` : null;
}

/** "8 blank or progress lines", or with runtime chatter "8 blank or progress lines and 7 lines of runtime chatter". */
function ignoredLines(q: DataQuality): string {
  const chatter = q.runtime_chatter ?? 0;
  if (!chatter) return blankOrProgress(q.ignored);
  const lines = `${plural(chatter, 'line', 'lines')} of runtime chatter`;
  return q.ignored > chatter ? `${blankOrProgress(q.ignored - chatter)} and ${lines}` : lines;
}

function blankOrProgress(n: number): string {
  return plural(n, 'blank or progress line', 'blank or progress lines');
}

/** The note under the Data Quality counts when the runtime's own chatter was ignored; null when there was none. */
export function runtimeChatter(q: DataQuality): string | null {
  const n = q.runtime_chatter ?? 0;
  if (!n) return null;
  return `${fmtInt(n)} of the ignored lines ${n === 1 ? 'is' : 'are'} the runtime's own start-up chatter ` +
    '(TensorFlow information log lines and its notes that no GPU is there, Python user, future and deprecation warnings and the source line printed under each, '
    + "a distributed launch's NCCL, DDP and SageMaker INFO lines), not a problem with the run.";
}

/** " Events lacked 3 fields (most often epoch_end.duration_ms, in 5 events); they were kept." or "". */
function fieldGaps(q: DataQuality): string {
  const top = q.field_gaps[0];
  if (!top) return '';
  const n = q.field_gaps.length;
  const how = [top.missing ? `missing in ${fmtInt(top.missing)}` : '', top.unreadable ? `unreadable in ${fmtInt(top.unreadable)}` : ''].filter(Boolean).join(' and ');
  return ` Events lacked ${n === 1 ? 'a field' : `${fmtInt(n)} fields`} (${n === 1 ? '' : 'most often '}${top.field}, ${how} ${top.missing + top.unreadable === 1 ? 'event' : 'events'}) and were kept without ${n === 1 ? 'it' : 'them'}.`;
}

/** " 3 events of a kind this report does not know (evaluation) were counted, not used." or "". */
function unknownEvents(q: DataQuality): string {
  if (!q.unknown_events.length) return '';
  const total = q.unknown_events.reduce((s, u) => s + u.count, 0);
  return ` ${fmtInt(total)} ${total === 1 ? 'event' : 'events'} of a kind this report does not know (${fmtList(q.unknown_events.map((u) => u.name))}) ${total === 1 ? 'was' : 'were'} counted, not used.`;
}

/** What the reader changed in a text log's numbers, said where the report names the log's format. */
export function formatNote(n: FormatNote): string {
  switch (n) {
    case 'percent_accuracy': return 'accuracies printed as percentages were divided by 100 (98.02 → 0.9802)';
    case 'zero_based_epochs': return 'epochs the log numbers from 0 are numbered from 1 here';
    case 'accuracy_from_error_rate': return 'accuracy is 1 − the error rate the log prints (0.0650 → 0.9350)';
  }
}

/**
 * "the 2 classes of the log's confusion matrix", "the 3 classes the log gives the model (nc=3)", or, when the log
 * does not say, "MNIST's 10 classes" (assumed for another trainer's log: aboveChance says so): where chance's count came from.
 */
export function chanceClassesFrom(c: ChanceClasses): string {
  if (c.from === null) return `MNIST's ${c.classes} classes`;
  if (c.from === 'model') return `the ${c.classes} classes the log gives the model (nc=${c.classes})`;
  return `the ${c.classes} ${classNoun({ source: c.source ?? 'scikit-learn' })} of the log's ${c.from === 'matrix' ? 'confusion matrix' : 'classification report'}`;
}

/** `finding`, and when the class count is MNIST's, assumed for another trainer's log, a sentence that says so. */
function withAssumedClasses(finding: string, classes: ChanceClasses): string {
  return classes.assumed ? `${finding} The ${fmtInt(classes.classes)} classes are assumed from MNIST: the log does not say how many classes its model has.` : finding;
}

/** `evaluation`: what the log's evaluation shows of the validation size (EvaluationSize), when the log does not say it. */
export function aboveChance(accuracy: number | null, low: number | null, chance: number, level: number, classes: ChanceClasses, valLogged = true,
  evaluation: EvaluationSize | null = null): string {
  const finding = chanceFinding(accuracy, low, chance, level, classes, valLogged, evaluation);
  return withAssumedClasses(finding, classes);
}

function chanceFinding(accuracy: number | null, low: number | null, chance: number, level: number, classes: ChanceClasses, valLogged: boolean,
  evaluation: EvaluationSize | null): string {
  const ch = `the chance level of ${fmtPct(chance, 0)} for ${chanceClassesFrom(classes)}`;
  if (accuracy === null && !valLogged) return `The log has no validation accuracy, so it cannot be compared with ${ch}.`;
  if (accuracy === null) return `No final validation accuracy, so it cannot be compared with ${ch}.`;
  if (low === null) {
    return accuracy <= chance
      ? `Final validation accuracy ${fmtPct(accuracy)} is not above ${ch}: the model learned nothing usable.`
      : `Final validation accuracy ${fmtPct(accuracy)} is above ${ch} (the validation size is ${evaluation ? `not in the log and ${evaluationSize(evaluation)}` : 'unknown'}, so without an interval).`;
  }
  const from = `interval from ${fmtPct(low)}${evaluation?.epoch != null ? `; ${evaluationSize(evaluation)}` : ''}`;
  return low <= chance
    ? `Final validation accuracy ${fmtPct(accuracy)} is not above ${ch} with ${fmtLevel(level)} confidence (${from}): the model learned nothing usable.`
    : `Final validation accuracy ${fmtPct(accuracy)} is above ${ch} with ${fmtLevel(level)} confidence (${from}).`;
}

/**
 * How far the final validation accuracy got from chance towards 100% (`share`; `little`: below `threshold` as
 * printed): a model barely above chance has learned little, whatever the chance check's interval says. Chance is
 * printed as the chance check prints it when a whole percent (10%), else to 2 decimals (33.33% for 3 classes, not
 * 33%), so that the share can be worked out from the sentence.
 * `atChance`: the chance check fails or warns, and says it.
 */
export function learnedBeyondChance(accuracy: number | null, share: number | null, little: boolean, threshold: number, chance: number, classes: ChanceClasses,
  atChance: boolean, valLogged = true): string {
  if (accuracy === null || share === null) {
    return valLogged ? 'No final validation accuracy, so how far the model got beyond chance cannot be judged.'
      : 'The log has no validation accuracy, so how far the model got beyond chance cannot be judged.';
  }
  if (atChance) return `Final validation accuracy ${fmtPct(accuracy)} is not above chance as the chance check reads it: that check says what it means.`;
  // a whole percent as the chance check prints it (10%), else to 2 decimals (33.33%, 0.10%)
  const level = fmtPct(chance, Number.isInteger(Math.round(chance * 1e6) / 1e4) ? 0 : 2);
  const way = `${fmtPct(share)} of the way from the chance level of ${level} for ${chanceClassesFrom(classes)} to 100%`;
  const finding = little
    ? `Final validation accuracy ${fmtPct(accuracy)} is only ${way}, below ${fmtPct(threshold, 0)}: above chance, but the model has learned little.`
    : `Final validation accuracy ${fmtPct(accuracy)} is ${way}.`;
  return withAssumedClasses(finding, classes);
}

/**
 * The validation accuracy at chance while the log's own evaluation is far above it: the log contradicts
 * itself, and the report says so once instead of stating both (accuracy.chance warns, not fails).
 */
export function chanceContradicted(accuracy: number, chance: number, classes: ChanceClasses, evaluationAccuracy: number, size: number): string {
  return `The log contradicts itself: its final validation accuracy ${fmtPct(accuracy)} is not above the chance level of ${fmtPct(chance, 0)} ` +
    `for ${chanceClassesFrom(classes)}, but the log's own evaluation, of ${fmtInt(size)} samples, has an accuracy of ${fmtPct(evaluationAccuracy)}. ` +
    'The logged validation accuracy is likely not the share of right answers (a count divided by the wrong total?): ' +
    'check how the script computes it before trusting either number.';
}

/**
 * A check the log has too little for (one epoch has no rise to find): what it compares, how many
 * it needs and how many the log has. `has` counts the same thing as `needs` ("2 epochs with a
 * finite training loss; the log has 1").
 */
function tooFew(compares: string, needs: number, what: [string, string], has: number, subject: string): string {
  return `${compares}, so it needs ${plural(needs, what[0], what[1])}; the log has ${has === 0 ? 'none' : fmtInt(has)}, so ${subject} cannot be judged.`;
}

/** The sentences of the checks below the least data they need to fail or warn at all (analyze/checks-least.ts). */
export const TOO_FEW = {
  divergence: (t: TooFew) => tooFew('Divergence compares the final training loss with the first epoch\'s',
    t.needs, ['epoch with a finite training loss', 'epochs with a finite training loss'], t.has, 'divergence'),
  overfitting: (t: TooFew, patience: number) =>
    tooFew(`Overfitting shows as validation loss rising ${plural(patience, 'epoch', 'epochs')} in a row, each against the one before, while training loss falls`,
      t.needs, ['epoch with a training and a validation loss', 'epochs with a training and a validation loss'], t.has, 'overfitting'),
  bestVsFinal: (t: TooFew) =>
    tooFew('Best vs final compares the final epoch\'s validation loss with the lowest of the epochs before it',
      t.needs, ['epoch with a finite validation loss', 'epochs with a finite validation loss'], t.has, 'whether validation loss rose after its best epoch'),
  lossRises: (t: TooFew) =>
    tooFew('A loss rise is an epoch\'s loss against the epoch before it', t.needs,
      ['epoch with a finite loss in a row', 'consecutive epochs with a finite loss'], t.has, 'loss rises'),
  convergence: (t: TooFew, metric: 'val_loss' | 'loss') => {
    const loss = metric === 'val_loss' ? 'validation loss' : 'training loss';
    return tooFew(`Convergence is read from the trend of the ${loss} over the last epochs (two epochs are one step, which one noisy epoch decides)`,
      t.needs, [`epoch with a ${loss}`, `epochs with a ${loss}`], t.has, 'whether the model has converged');
  },
  stalls: (t: TooFew, factor: number, durations: boolean) =>
    tooFew(durations
      ? `A stall is a gap between epoch timestamps above ${factor}× the median epoch duration, and a median of fewer than ${t.needs} durations moves with the stalled epoch's own`
      : `A stall is a gap between epoch timestamps above ${factor}× the median gap (the log has no durations), and a median of fewer than ${t.needs} gaps moves with the stalled gap itself`,
    t.needs, durations ? ['epoch duration', 'epoch durations'] : ['gap between epoch timestamps', 'gaps between epoch timestamps'], t.has, 'stalls'),
  spikes: (t: TooFew, factor: number) =>
    tooFew(`A spike is a batch loss above ${factor}× the median of the ${t.needs - 1} or more batches logged before it`, t.needs,
      ['batch loss', 'batch losses'], t.has, 'batch spikes'),
} as const;

/**
 * Each check's threshold with its direction, for the Checks table's "Fails/warns when"
 * column. The gap is validation − training in percentage points, as everywhere.
 */
export const WHEN = {
  runStatus: 'fails when failed or interrupted; warns when cut short, or with neither epochs nor an evaluation nor an end (not judged yet)',
  count: (verb: 'fails' | 'warns') => `${verb} when > 0`,
  divergence: (factor: number) => `fails when final loss > ${factor}× the first epoch's`,
  learned: (threshold: number) => `warns when < ${fmtPct(threshold, 0)} (the accuracy less chance, over 100% less chance)`,
  chance: (chance: number, level: number, withInterval: boolean) =>
    withInterval ? `fails when the ${fmtLevel(level)} interval reaches ${fmtPct(chance, 0)}` : `fails when ≤ ${fmtPct(chance, 0)}`,
  overfitting: (patience: number) => `warns when val_loss rises ${patience} epochs in a row while loss falls, after its lowest epoch (info when it falls to a new low later)`,
  bestVsFinal: (x: number) => `warns when final val_loss > ${fmtRel(x)} above the best`,
  lossRises: (x: number) => `warns when a loss rises > ${fmtRel(x)} in an epoch`,
  gap: (threshold: number) => `warns when < ${fmtPp(-threshold)}`,
  holdout: 'info when validation data is the test set',
  spikes: (factor: number) => `warns when a batch loss > ${factor}× the recent median and beyond the recent batches' spread`,
  convergence: (threshold: number, window: number) => `never warns; info when the last ${window} epochs' loss still falls > ${fmtRel(threshold)} an epoch beyond the log's rounding, or is flat while the training loss rises`,
  stalls: (factor: number) => `warns when a gap > ${factor}× the median epoch`,
} as const;

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
