// The Analysis: what analyzeRun() returns, what report.json holds, and what the
// templates and the quality gates read. Plain JSON-serialisable data only.
// Fractions stay fractions here (accuracy 0.9768, relative change 0.034);
// turning them into "97.68%" is the renderer's job.

import type { BatchRecord, DataQuality, EpochRange, LogFormat } from '../types.js';
import type { Metric, ReadConfig, ReadModel, ReadRuntime } from '../events.js';
import type { GateReport } from './gates.js';
import type { BaselineComparison } from './baseline.js';
import type { HistoryComparison } from './history.js';
import type { Verdict } from './verdict.js';
import type { EvaluationAnalysis } from './evaluation.js';

/** When --follow stopped before the run's end (ISO-8601, to the second), and why: the signal's name, or the one-line failure of reading the log. */
export interface FollowStop {
  at: string;
  signal: string | null;
  error: string | null;
}

export const ANALYSIS_SCHEMA = 'mnist-report/1' as const;

/**
 * fail: the run is broken; warn: something to look at; info: a fact or a method
 * caveat that does not judge the run (an interval, "more epochs would help");
 * pass: the check looked and found nothing. The Checks table sorts by this order.
 */
export type CheckStatus = 'fail' | 'warn' | 'info' | 'pass';
export const CHECK_STATUS_ORDER: readonly CheckStatus[] = ['fail', 'warn', 'info', 'pass'];

/** Stable check ids; the gates helper selects checks by these. */
export type CheckId =
  | 'run.status'
  | 'epochs.sequence'
  | 'metrics.finite'
  | 'loss.divergence'
  | 'best_vs_final'
  | 'generalization.gap'
  | 'validation.holdout'
  | 'overfitting'
  | 'stability.loss_rises'
  | 'stability.batch_spikes'
  | 'convergence'
  | 'confidence.val_accuracy'
  | 'accuracy.chance'
  | 'accuracy.learned'
  | 'timing.stalls'
  | 'data.quality'
  | 'evaluation.recall';

/** What a text log's CloudWatch event times can say about its run's time (Analysis.timing.shipped). */
export interface ShippedTimes {
  /** First to last event time of the run's lines. */
  span_ms: number | null;
  /**
   * The times came in bursts: an epoch's line was shipped sooner after the one before than half the
   * epoch's own printed duration (or within 100 ms, when no duration is printed), or the printed
   * durations add up to more than span_ms. Gaps between such times cannot show a stall.
   */
  in_bursts: boolean;
  /**
   * What timing.total_ms is: the event times' span, or the sum of the epochs' printed durations when
   * that is longer than the span (then the event times cannot be the training's times).
   */
  total_from: 'event times' | 'epoch durations';
}

/** A check is data, never an exception (house style 4). */
export interface Check {
  id: CheckId;
  /** Short human name for the checks table. */
  name: string;
  status: CheckStatus;
  /** The measured value (number, string, or null when it could not be measured). */
  value: number | string | null;
  /** What the value was compared with (null when the check is a plain fact). */
  threshold: number | string | null;
  /** When the check fails or warns, with its direction ("warns when > 5.0%"); null for a plain fact. */
  when: string | null;
  /** One sentence from the check's named function in wording/checks.ts. */
  message: string;
  /**
   * How value and threshold read when they are not plain counts: pp (percentage
   * points, the gap's one unit: value and threshold are already in points), rel (a
   * relative change as a fraction, shown as %), ratio (shown as 0.25×), pct (an
   * accuracy or recall as a fraction, shown as 97.54%).
   */
  unit?: 'pp' | 'rel' | 'ratio' | 'pct';
  /** Set when another check reports the same cause: this one points there instead of counting twice. */
  see?: CheckId;
  /**
   * Set when the log has too little for the check to fail or warn at all (one epoch has no rise):
   * how many epochs (gaps, batches) it needs and how many the log has. The check is then info.
   */
  too_few?: { needs: number; has: number };
}

/** Tunable thresholds; every field has a default in DEFAULT_OPTIONS. */
export interface AnalyzeOptions {
  /** Patience k: val_loss rising k consecutive epochs marks overfitting onset. */
  patience: number;
  /** Relative improvement per epoch of the loss's trend over the last epochs below which we call it a plateau. */
  plateau_threshold: number;
  /** A batch loss this many times the median of the preceding window (times the window's spread, stability.ts) is a spike. */
  spike_factor: number;
  /** Batches in the window the spike detector compares against. */
  spike_window: number;
  /** A gap between epoch timestamps this many times the median epoch duration is a stall. */
  stall_factor: number;
  /** An epoch-over-epoch loss rise above this relative size is worth a warning. */
  rise_threshold: number;
  /** Final val_loss this much (relative) above the best val_loss is worth a warning. */
  best_vs_final_threshold: number;
  /** Train accuracy above validation accuracy by more than this (fraction) is a warning. */
  gap_threshold: number;
  /** Final loss this many times the first epoch's loss is divergence. */
  divergence_factor: number;
  /** Confidence level of every interval and test (0.95 → 95%); z is derived from it. */
  level: number;
  /** Number of classes when the log's evaluation does not give it: chance accuracy is 1 / classes. */
  classes: number;
}

export const DEFAULT_OPTIONS: AnalyzeOptions = {
  patience: 2,
  plateau_threshold: 0.01,
  spike_factor: 3,
  spike_window: 20,
  stall_factor: 3,
  rise_threshold: 0.05,
  best_vs_final_threshold: 0.05,
  gap_threshold: 0.02,
  divergence_factor: 1.5,
  level: 0.95,
  classes: 10,
};

/** How the run ended, as far as the log shows. */
/**
 * 'end unknown': a text log whose trainer prints neither the planned epoch count nor an end
 * marker (PyTorch's example, plain prints), so finishing cannot be told from stopping.
 * 'stopped early': the trainer ended the run on purpose before the planned last epoch (Keras EarlyStopping).
 */
/** 'evaluation only': no epochs, but an evaluation (scikit-learn's printed tables): something to judge, not an empty run. */
export type RunOutcome = 'completed' | 'stopped early' | 'failed' | 'interrupted' | 'incomplete' | 'end unknown' | 'no epochs' | 'evaluation only';

/** A run that ended as planned or by its own early stopping: what the incomplete gate passes and what --history compares with. */
export function finishedNormally(outcome: RunOutcome): boolean {
  return outcome === 'completed' || outcome === 'stopped early';
}

export interface EpochRow {
  epoch: number;
  loss: Metric;
  accuracy: Metric;
  val_loss: Metric;
  val_accuracy: Metric;
  /** val_loss − loss (null when either is missing). */
  gap_loss: number | null;
  /** val_accuracy − accuracy. */
  gap_accuracy: number | null;
  duration_ms: number | null;
  samples_per_second: number | null;
  time: string | null;
  non_finite: string[];
  /** Process memory at the epoch's end (epoch_end.memory); null when the log has none. */
  memory: { rss_bytes: number; heap_used_bytes: number; tensors: number | null } | null;
}

/** A loss's trend over the last epochs: a least-squares line through ln(loss) against the epoch. */
export interface LossTrend {
  /** The first and last epoch fitted, and how many epochs between them the log has (fewer when some are missing). */
  from: number;
  to: number;
  epochs: number;
  /** Relative improvement per epoch, 1 − e^slope: positive when the loss fell. */
  rate: number;
  /** The lowest and highest rate the printed values allow, each anywhere within half a unit of its last decimal. */
  low: number;
  high: number;
  /** The decimals the values are printed with (the most any shows); 16 or more: a float written in full. */
  decimals: number;
}

export interface MetricSet {
  epoch: number;
  loss: Metric;
  accuracy: Metric;
  val_loss: Metric;
  val_accuracy: Metric;
}

/**
 * The best epoch and what chose it: the lowest validation loss, or, when no epoch has a finite one,
 * the highest validation accuracy (what Ultralytics' classify keeps best.pt by, its top-1 accuracy).
 */
export interface BestEpoch extends MetricSet {
  by: 'val_loss' | 'val_accuracy';
}

export interface Spike {
  epoch: number;
  batch: number;
  /** The log's own position, when it counts samples (BatchRecord.sample / samples). */
  sample?: number;
  samples?: number;
  loss: number;
  /** loss / median of the preceding window. */
  ratio: number;
  /**
   * The ratio a spike had to pass here: spike_factor × the preceding window's spread (windowSpread in
   * stability.ts; 1 for steady batches).
   */
  threshold: number;
}

export interface Stall {
  /** The epoch whose end came late. */
  epoch: number;
  gap_ms: number;
  median_duration_ms: number;
}

export interface Analysis {
  schema: typeof ANALYSIS_SCHEMA;
  /** Injected by the caller (never read from the clock here). */
  generated_at: string;
  title: string;
  /** healthy / needs attention / failed, its reason and the key numbers (verdict.ts); first in report.json. */
  verdict: Verdict;
  /** Where the log was read from (input paths as given, or cloudwatch:<group>), passed in by the caller. */
  sources?: string[];
  run: {
    run_id: string;
    format: LogFormat;
    /** How the report names the format ("PyTorch examples/mnist text output"). */
    format_title: string;
    /** What the reader changed in the log's numbers to read them (formatNote), e.g. percent → fraction. */
    format_notes: string[];
    streams: string[];
    outcome: RunOutcome;
    error: { name: string; message: string } | null;
    first_time: string | null;
    last_time: string | null;
    /** run_end.duration_ms, else last − first timestamp, else null; timing.total_ms (see timing.shipped for trainer text from CloudWatch). */
    duration_ms: number | null;
    epochs_planned: number | null;
    epochs_seen: number;
    batch_count: number;
    /** Whether the log has a run_end event (text trainers never print one). */
    has_end_event?: boolean;
    /** Its run_start event is on a line over 1 MiB, which could not be read (Run.start_unread); absent otherwise. */
    start_unread?: true;
    /** How many classes the log says the model has (the last epoch's EpochRecord.classes: Ultralytics' nc); absent when it does not say. */
    classes?: number;
    /**
     * A run with no epoch results yet (outcome 'no epochs') reported as the input's latest: the latest run before
     * it in the input that has epochs, so the verdict can name it for --run. Absent otherwise.
     */
    earlier_with_epochs?: { run_id: string; epochs_seen: number };
  };
  /** From run_start as read: any field of these may be missing (see quality.field_gaps). */
  config: ReadConfig | null;
  model: ReadModel | null;
  runtime: ReadRuntime | null;
  epochs: EpochRow[];
  /** Downsampled batch losses (spikes kept) for the batch chart. */
  batches: BatchRecord[];
  final: MetricSet | null;
  /** The epoch with the lowest val_loss; in a log with no finite val_loss, the one with the highest val_accuracy (`by` says which). */
  best: BestEpoch | null;
  test: { loss: Metric; accuracy: Metric } | null;
  generalization: {
    final_gap_accuracy: number | null;
    final_gap_loss: number | null;
    /** Epochs where validation accuracy exceeded training accuracy. */
    val_above_train_epochs: number[];
    /**
     * true when the validation set is the test set: mnist-train's without --validation-split, or a
     * text log whose every validated epoch names it so (`validation_named`).
     */
    validation_is_test_set: boolean | null;
    /** The text log's own name for its per-epoch validation ("Test set", "test_loss"); absent otherwise. */
    validation_named?: string;
    /** The dataset split a text log says every validated epoch scored (EpochRecord.val_split: Ultralytics' test folder); absent otherwise. */
    validation_split?: 'test' | 'val';
    /**
     * A JSON logger's keys of the validation metrics read from test_* keys ({ val_loss: "test_loss",
     * val_accuracy: "test_acc1" }; a metric read from another key is not there); absent for other logs.
     */
    validation_named_keys?: Partial<Record<'val_loss' | 'val_accuracy', string>>;
    /** Whether the model has a Dropout layer (null when the model is unknown). */
    has_dropout: boolean | null;
  };
  overfitting: {
    patience: number;
    /**
     * First epoch of a run of `patience` val_loss rises while train loss fell, starting at or
     * after the epoch with the lowest val_loss (never recovered from): overfitting.
     */
    onset_epoch: number | null;
    /**
     * The first such rise before the lowest epoch: validation loss recovered from it, falling to a
     * new low (`low_epoch`, the lowest). Not overfitting; null when there is none.
     */
    recovered: { epoch: number; low_epoch: number } | null;
    /** Epoch at which EarlyStopping(patience) would have stopped; null if it never triggers. */
    stop_epoch: number | null;
    /** The epoch whose weights EarlyStopping(restore_best_weights) would have kept. */
    kept_epoch: number | null;
  };
  stability: {
    loss_rises: number[];
    val_loss_rises: number[];
    /** `from`: the epoch it rose from, when epochs between are missing from the log. */
    largest_rise: { metric: 'loss' | 'val_loss'; epoch: number; relative: number; from?: number } | null;
    spikes: Spike[];
    /** Batch losses above spike_factor × the recent median but within the recent batches' spread (Spike.threshold): not spikes. */
    noisy_batches: Spike[];
    non_finite: { epoch: number; metrics: string[] }[];
    diverged: boolean;
  };
  convergence: {
    /** The last epoch's validation and training loss against `from_epoch`'s, relative. */
    val_loss_improvement: number | null;
    loss_improvement: number | null;
    reading: 'improving' | 'plateau' | 'worsening' | 'unknown';
    /** The epoch before the last in the log: the last but one, unless epochs between are missing. */
    from_epoch: number | null;
    /** val_loss_improvement per epoch (compound) when from_epoch is more than one epoch back; else the same. */
    per_epoch: number | null;
    /**
     * What `reading` is judged on (analyze/convergence.ts): the trend of `metric` (validation loss, else training
     * loss; null with neither) over its last epochs. Null (reading 'unknown') with fewer than 3 epochs to fit.
     */
    metric: 'val_loss' | 'loss' | null;
    trend: LossTrend | null;
    /** Training loss's trend over its own last epochs, beside a trend of validation loss; else null. */
    loss_trend: LossTrend | null;
    /**
     * `loss_trend` rose by the threshold or more an epoch wherever the printed digits put it: beside a flat
     * validation loss, training has not settled (a plateau is then not "converged"). False without a loss_trend.
     */
    training_rose: boolean;
  };
  confidence: {
    accuracy: number; n: number; low: number; high: number; level: number;
    /**
     * n is the size of the log's evaluation, whose accuracy (from its confusion matrix) is this epoch's
     * validation accuracy to every logged digit: the same set (a text log that does not say its validation size).
     */
    n_from_evaluation?: { epoch: number };
  } | null;
  timing: {
    total_ms: number | null;
    median_epoch_ms: number | null;
    min_epoch_ms: number | null;
    max_epoch_ms: number | null;
    median_samples_per_second: number | null;
    stalls: Stall[];
    /**
     * Trainer text read from CloudWatch: its epochs' times are CloudWatch's event times, when the lines
     * were shipped, not when the trainer printed them (buffered stdout arrives in bursts). Absent for
     * mnist-train's events, which carry their own time, and for files, which have no times.
     */
    shipped?: ShippedTimes;
  };
  /** The data quality of this run's records (what the data.quality check and the verdict count). */
  quality: DataQuality & { duplicate_epochs: number[]; missing_epochs: EpochRange[] };
  /**
   * The whole input's data quality, and that of its records that count for no run (null when every
   * record counts for a run); absent when every record of the input counts for this run.
   */
  input_quality?: { whole: DataQuality; no_run: DataQuality | null };
  /**
   * The run was read from a log group by its run_id (--run ID or --run latest): only events that
   * carry it were fetched, so lines of its streams without one (a traceback) are in no count; absent otherwise.
   */
  read_by_run_id?: true;
  /** Written by --follow when it stopped before the run's end (a signal, or reading the log failed): epochs after the last read may exist; absent otherwise. */
  follow_stopped?: FollowStop;
  checks: Check[];
  /** Sentences for Key Observations, Conclusion and Next Steps, all computed. */
  observations: { topic: string; sentences: string[] }[];
  conclusion: string[];
  next_steps: string[];
  /** Quality gates (--fail-on, --gates), added after analysis by the report CLI; absent when none were set. */
  gates?: GateReport;
  /** The final evaluation (confusion matrix, per-class metrics, calibration); absent or null when the log has none. */
  evaluation?: EvaluationAnalysis | null;
  /** Deltas against an earlier run (--baseline); absent without one. */
  baseline?: BaselineComparison;
  /** The run against the previous runs of the same model (--history); absent without it. */
  history?: HistoryComparison;
}
