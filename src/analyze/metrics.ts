// Epoch-level readings: the per-epoch table, final and best epoch, the
// generalization gap, overfitting onset / early stopping and the
// Wilson interval. Pure functions of the run's epoch records.

import type { BatchRecord, DataQuality, EpochRange, EpochRecord, Run } from '../types.js';
import type { Analysis, AnalyzeOptions, EpochRow, MetricSet, RunOutcome } from './types.js';
import type { EvaluationAnalysis } from './evaluation.js';
import { isNum, nearlyEqual, wilson, zOf } from './stats.js';

/** The MNIST test set size; mnist-train validates on the test images by default. */
export const MNIST_TEST_SIZE = 10_000;
/** MNIST's training images (mnist-train's --train-samples defaults to them all). */
export const MNIST_TRAIN_SIZE = 60_000;

export function epochRows(epochs: EpochRecord[]): EpochRow[] {
  return epochs.map((e) => ({
    epoch: e.epoch,
    loss: e.loss,
    accuracy: e.accuracy,
    val_loss: e.val_loss,
    val_accuracy: e.val_accuracy,
    gap_loss: isNum(e.val_loss) && isNum(e.loss) ? e.val_loss - e.loss : null,
    gap_accuracy: isNum(e.val_accuracy) && isNum(e.accuracy) ? e.val_accuracy - e.accuracy : null,
    duration_ms: e.duration_ms,
    samples_per_second: e.samples_per_second,
    time: e.time,
    non_finite: e.non_finite,
    memory: e.memory ? { rss_bytes: e.memory.rss_bytes, heap_used_bytes: e.memory.heap_used_bytes, tensors: e.memory.tensors ?? null } : null,
  }));
}

function metricSet(e: EpochRow): MetricSet {
  return { epoch: e.epoch, loss: e.loss, accuracy: e.accuracy, val_loss: e.val_loss, val_accuracy: e.val_accuracy };
}

/** The first of equals: the lowest validation loss, else (no finite one in the log) the highest validation accuracy. */
export function finalAndBest(rows: EpochRow[]): Pick<Analysis, 'final' | 'best'> {
  const last = rows[rows.length - 1];
  let best: EpochRow | null = null;
  for (const r of rows) if (isNum(r.val_loss) && (!best || r.val_loss < (best.val_loss as number))) best = r;
  const by = best ? 'val_loss' : 'val_accuracy';
  if (!best) for (const r of rows) if (isNum(r.val_accuracy) && (!best || r.val_accuracy > (best.val_accuracy as number))) best = r;
  return { final: last ? metricSet(last) : null, best: best ? { ...metricSet(best), by } : null };
}

/**
 * Whether the log has the metric at all: a value in some epoch, or a NaN it named. A check or gate
 * whose input the log lacks cannot be judged (checks.ts, gates.ts, verdict.ts).
 */
export function logged(rows: readonly EpochRow[], metric: 'loss' | 'accuracy' | 'val_loss' | 'val_accuracy'): boolean {
  return rows.some((e) => e[metric] !== null || e.non_finite.includes(metric));
}

/** Whether the log has a per-batch loss: said where it lacks an epoch training loss. */
export function batchLossLogged(batches: readonly BatchRecord[]): boolean {
  return batches.some((b) => b.loss !== null);
}

/**
 * The epochs run_end counts past the log's last one (runs/builder.ts finish puts them last in missing_epochs):
 * the run went on to `last`, and the log does not hold `first`–`last`. Null when the log holds every epoch it counts.
 */
export function countedBeyondLog(a: Pick<Analysis, 'epochs' | 'quality'>): EpochRange | null {
  const r = a.quality.missing_epochs.at(-1);
  return r && r.first > (a.epochs.at(-1)?.epoch ?? 0) ? r : null;
}

/**
 * Where a run that stopped before its planned epochs without meaning to (failed, interrupted, or a log that
 * ends: incomplete) stopped, against the planned count; null otherwise. The convergence check ("the planned
 * epochs after it would help") and the next steps (rerun it to completion, not longer than planned) both ask.
 */
export function endedShort(outcome: RunOutcome, lastEpoch: number | null, planned: number | null): { epoch: number; planned: number } | null {
  return (outcome === 'failed' || outcome === 'interrupted' || outcome === 'incomplete') && planned !== null && lastEpoch !== null && lastEpoch < planned
    ? { epoch: lastEpoch, planned } : null;
}

/**
 * The lines of the Python traceback a text run ended in (DataQuality.traceback) when the run status reports
 * its exception as the run's end (failed, or interrupted on KeyboardInterrupt), else 0: they are counted apart
 * from the lines that could not be read, so the data-quality check and the next steps do not report the same
 * cause again (runs/quality.ts suspectLines). An evaluation alone's outcome does not come from the traceback:
 * there its lines still warn, as the only place it is reported.
 */
export function tracebackEndLines(outcome: RunOutcome, q: DataQuality): number {
  return outcome === 'failed' || outcome === 'interrupted' ? q.traceback ?? 0 : 0;
}

/** The loss an overfitting onset needs that the log lacks (validation first), or null: the check and the gate both ask. */
export function missingLoss(rows: readonly EpochRow[]): 'val_loss' | 'loss' | null {
  return !logged(rows, 'val_loss') ? 'val_loss' : !logged(rows, 'loss') ? 'loss' : null;
}

/**
 * The epoch with the lowest validation loss when the final epoch's is above it (the loss rose and fell
 * back only part of the way), else null: then "more epochs would help" is not what the last epoch says.
 */
export function lowestEarlier(a: Pick<Analysis, 'best' | 'final'>): number | null {
  const best = a.best?.val_loss;
  const last = a.final?.val_loss;
  return isNum(best) && isNum(last) && last > best ? a.best!.epoch : null;
}

export function generalization(run: Run, rows: EpochRow[]): Analysis['generalization'] {
  const last = rows[rows.length - 1];
  const layers = run.start?.model?.layers;
  const named = run.start ? null : namedTestSet(run);
  const split = run.start || named ? null : namedSplit(run);
  return {
    final_gap_accuracy: last?.gap_accuracy ?? null,
    final_gap_loss: last?.gap_loss ?? null,
    val_above_train_epochs: rows.filter((r) => r.gap_accuracy !== null && r.gap_accuracy > 0).map((r) => r.epoch),
    // mnist-train validates on (a seeded subset of) the 10,000 test images unless
    // --validation-split held out training images. Other trainers' logs say so only when their
    // per-epoch evaluation line names the test set (PyTorch's "Test set:").
    validation_is_test_set: run.start ? run.start.config?.validation_split === undefined : named ? true : split ? split === 'test' : null,
    has_dropout: layers ? layers.some((l) => /dropout/i.test(l.type ?? '') || /dropout/i.test(l.name ?? '')) : null,
    ...(named ? { validation_named: named, ...testKeys(run) } : {}),
    ...(split ? { validation_split: split } : {}),
  };
}

/**
 * A JSON logger's test_* key of each validation metric, when every epoch with that metric read it from one
 * (the final epoch's key names it): { val_loss: "test_loss", val_accuracy: "test_acc1" }. Nothing for a log
 * that names its test set by a line (PyTorch's "Test set:"), whose one name stands for both.
 */
function testKeys(run: Run): { validation_named_keys?: Partial<Record<'val_loss' | 'val_accuracy', string>> } {
  if (!run.epochs.some((e) => e.val_test_keys)) return {};
  const keys: Partial<Record<'val_loss' | 'val_accuracy', string>> = {};
  for (const field of ['val_loss', 'val_accuracy'] as const) {
    const read = run.epochs.filter((e) => e[field] !== null || e.non_finite.includes(field));
    if (read.length && read.every((e) => e.val_test_keys?.[field])) keys[field] = read[read.length - 1]!.val_test_keys![field]!;
  }
  return { validation_named_keys: keys };
}

/** The test set's name as the log says it, when every epoch with a validation metric names it so. */
function namedTestSet(run: Run): string | null {
  const validated = validatedEpochs(run);
  return validated.length && validated.every((e) => e.val_named_test) ? validated[0]!.val_named_test! : null;
}

/** The split every epoch with a validation metric says it scored (one and the same), else null. */
function namedSplit(run: Run): 'test' | 'val' | null {
  const validated = validatedEpochs(run);
  const split = validated[0]?.val_split;
  return split && validated.every((e) => e.val_split === split) ? split : null;
}

function validatedEpochs(run: Run): EpochRecord[] {
  return run.epochs.filter((e) => e.val_loss !== null || e.val_accuracy !== null || e.non_finite.some((m) => m.startsWith('val_')));
}

/**
 * A rise: `patience` consecutive val_loss rises during which training loss kept
 * falling (the textbook overfitting signature). It is overfitting of the final
 * model only when it starts at or after the epoch with the lowest val_loss (the
 * first of equals, as finalAndBest's best): validation loss never fell below
 * that again. A rise before the lowest epoch is one that validation loss later
 * recovered from, to a new low: `recovered`, not an onset. Early stopping
 * follows Keras' EarlyStopping(patience, restore_best_weights=True), which
 * stops at the first val_loss stall of `patience` epochs, recovered or not.
 */
export function overfittingReading(rows: EpochRow[], patience: number): Analysis['overfitting'] {
  let lowest = -1;
  rows.forEach((r, i) => {
    if (isNum(r.val_loss) && (lowest < 0 || r.val_loss < (rows[lowest]!.val_loss as number))) lowest = i;
  });
  const risesFrom = (i: number): boolean => {
    for (let j = i; j < i + patience; j++) {
      const prev = rows[j - 1]!;
      const cur = rows[j]!;
      const valRose = isNum(cur.val_loss) && isNum(prev.val_loss) && cur.val_loss > prev.val_loss;
      const trainFell = isNum(cur.loss) && isNum(prev.loss) && cur.loss < prev.loss;
      if (!valRose || !trainFell) return false;
    }
    return true;
  };
  let onset: number | null = null;
  let recovered: Analysis['overfitting']['recovered'] = null;
  for (let i = 1; i + patience - 1 < rows.length && onset === null; i++) {
    if (!risesFrom(i)) continue;
    // the epoch before the rise is the lowest or later: nothing after it is lower
    if (i - 1 >= lowest) onset = rows[i]!.epoch;
    else recovered ??= { epoch: rows[i]!.epoch, low_epoch: rows[lowest]!.epoch };
  }
  let bestVal = Infinity;
  let bestEpoch: number | null = null;
  let wait = 0;
  let stop: number | null = null;
  for (const r of rows) {
    if (isNum(r.val_loss) && r.val_loss < bestVal) {
      bestVal = r.val_loss;
      bestEpoch = r.epoch;
      wait = 0;
    } else if (bestEpoch !== null) {
      wait++;
      if (wait >= patience) {
        stop = r.epoch;
        break;
      }
    }
  }
  return { patience, onset_epoch: onset, recovered, stop_epoch: stop, kept_epoch: bestEpoch };
}

/** `rows` and `evaluation`: a log that does not say its validation size may show it by its evaluation (evaluationOfValidation). */
export function confidence(run: Run, final: MetricSet | null, options: AnalyzeOptions, rows: readonly EpochRow[] = [],
  evaluation: EvaluationAnalysis | null = null): Analysis['confidence'] {
  // PyTorch's "Accuracy: 9817/10000" gives n on the epoch's line when there is no run_start.
  const logged = run.start?.config?.validation_samples ?? run.epochs[run.epochs.length - 1]?.val_samples;
  const scored = isNum(logged) ? null : evaluationOfValidation(rows, evaluation);
  const n = logged ?? scored?.size;
  const p = final?.val_accuracy;
  if (!isNum(n) || n < 1 || !isNum(p)) return null;
  const { low, high } = wilson(p, n, zOf(options.level));
  return { accuracy: p, n, low, high, level: options.level, ...(scored ? { n_from_evaluation: { epoch: scored.epoch } } : {}) };
}

/**
 * The log's evaluation when it scored the validation set: its accuracy, counted from its confusion matrix,
 * is an epoch's validation accuracy to every logged digit (nearlyEqual; the last such epoch), as Hugging
 * Face's eval_accuracy 0.9938070662961492 is 12,517 of the matrix's 12,595. Its size is then the validation
 * size. Null without a matrix (a classification_report's accuracy is rounded) or without such an epoch.
 */
export function evaluationOfValidation(rows: readonly EpochRow[], e: EvaluationAnalysis | null): { epoch: number; size: number } | null {
  if (!e?.confusion_matrix || e.size === null || e.accuracy === null) return null;
  const accuracy = e.accuracy;
  const row = rows.findLast((r) => isNum(r.val_accuracy) && nearlyEqual(r.val_accuracy, accuracy));
  return row ? { epoch: row.epoch, size: e.size } : null;
}
