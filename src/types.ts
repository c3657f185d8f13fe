import type { EvaluationRecord } from './evaluation.js';
// Plain types that cross pipeline stages (besides the event schema in events.ts).

/** One raw log message as a source yields it, before parsing. */
export interface LogRecord {
  /** The log message (one line of stdout; may still contain \r, \b, ANSI codes). */
  message: string;
  /** Where it came from: a file path, "-" for stdin, or "cloudwatch:<group>". */
  source: string;
  /** Log stream name (CloudWatch) or null for plain files. */
  stream: string | null;
  /** Epoch milliseconds when known (CloudWatch timestamp), else null. */
  timestamp: number | null;
  /** CloudWatch eventId when known; used to dedupe. */
  eventId: string | null;
  /** 1-based line number within a local file, else null. */
  line: number | null;
  /**
   * Set by the file source on a record that stands for this many more blank lines
   * after it (message ''): a file of 200 MiB of newlines is counted, not parsed
   * line by line.
   */
  blankLines?: number;
  /** Set by the file source on a line over 1 MiB, of which only the last 1 MiB is kept (sources/lines.ts). */
  cut?: true;
  /** A cut line's first 256 characters: what it was (an event's name and run id), for Data Quality and its run. */
  cutHead?: string;
  /**
   * Set by the file source when the file's gzip data ended early (cut short: a log still being written
   * through `| gzip`, a copy stopped half-way): the byte it ended at. On the file's last line when the
   * data ended inside it (`line` set: the rest of the line is not in the file, so it is not parsed), else
   * on a record of no line (message '', `line` null) after the last one read.
   */
  gzipEnded?: number;
}

// ---------------------------------------------------------------------------
// parse → runs → analyze. Text logs (Keras, tfjs-node) carry fewer facts than our
// events, so the normalised records below make every such fact nullable.

import type { Metric, ReadEvent } from './events.js';

/**
 * The trainer format a run was recognised in. Text formats are declared in
 * src/parse/formats.ts (one file each under src/parse/); their names are listed here
 * so that report.json's `format` is a closed set.
 */
export type LogFormat = 'events' | 'keras2' | 'keras3' | 'tfjs-node' | 'pytorch-mnist' | 'hf-trainer' | 'plain-print' | 'scikit-learn'
  | 'lightning' | 'lightning-csv' | 'keras-csv' | 'generic-json' | 'timm' | 'ultralytics'
  | 'fastai' | 'mmengine' | 'accelerate';

/**
 * A change the reader made to a text log's numbers: percent accuracies → fractions, 0-based epochs → 1-based,
 * an error rate → accuracy (1 - error rate; fastai).
 */
export type FormatNote = 'percent_accuracy' | 'zero_based_epochs' | 'accuracy_from_error_rate';

/** One epoch's metrics, normalised from an epoch_end event or a trainer's text line. */
export interface EpochRecord {
  epoch: number;
  /** Planned epoch count when the log says it. */
  epochs: number | null;
  loss: Metric;
  accuracy: Metric;
  val_loss: Metric;
  val_accuracy: Metric;
  duration_ms: number | null;
  samples_per_second: number | null;
  /** ISO-8601 UTC when known (event time or CloudWatch timestamp). */
  time: string | null;
  /** Names of metrics that were NaN/Infinity in the log (from non_finite or "nan" text). */
  non_finite: string[];
  /** Size of the validation set when the line says it (PyTorch's "Accuracy: 9817/10000"). */
  val_samples?: number;
  /**
   * The dataset split the log says this epoch was validated on, by the folder its validation reads (Ultralytics'
   * "val: Scanning …/test... 22 images": 'test'; a folder named val, valid or validation: 'val'). Absent otherwise.
   */
  val_split?: 'test' | 'val';
  /** How many classes the log says the model has (Ultralytics' "Overriding model.yaml nc=1000 with nc=3"): chance is 1 / classes. */
  classes?: number;
  /**
   * The log's own name for the data this epoch was validated on, when it names it the test set
   * (PyTorch's "Test set", a JSON logger's "test_loss"): the validation is then the test set.
   */
  val_named_test?: string;
  /**
   * A JSON logger's test_* keys the validation metrics were read from ({ val_loss: "test_loss", val_accuracy:
   * "test_acc1" }): the test gates name the key of the metric they read, not the first test_* key.
   */
  val_test_keys?: Partial<Record<'val_loss' | 'val_accuracy', string>>;
  /** epoch_end.memory (mnist-train events only; text formats have none). */
  memory?: { rss_bytes: number; heap_used_bytes: number; tensors?: number } | null;
}

export interface BatchRecord {
  epoch: number;
  /** The batch's number within its epoch (1-based); when `sample` is set, the logged line's. */
  batch: number;
  loss: Metric;
  accuracy: Metric;
  /**
   * Where the log says the epoch was, when it counts samples rather than batches (PyTorch's
   * "Train Epoch: 1 [5120/60000 (9%)]"): `sample` of `samples`. Its batch number is not in the
   * log (the batch size is not printed), so `batch` is then only the logged line's index.
   */
  sample?: number;
  samples?: number;
}

/**
 * A trainer that counts steps or iterations and prints no epochs (parse/step-logs.ts): its log is not read,
 * but named when no run is found in it.
 */
export type StepLog = 'tf-estimator' | 'detectron2' | 'mmengine-iter';

/** A line the parser could not use, kept for the data-quality section. */
export interface QuotedLine {
  source: string;
  stream: string | null;
  line: number | null;
  /** At most 200 characters of the raw text. */
  text: string;
  reason: string;
  /** Plain text, a script's own print (parse/plain-text.ts): quoted as information. Present only when true. */
  plain?: true;
}

export interface DataQuality {
  records: number;
  /** Lines that were recognised (events or trainer text). */
  recognised: number;
  /** Blank lines and progress-bar redraws: expected noise, not counted as lost. */
  ignored: number;
  /**
   * Of `ignored`, the runtime's own start-up chatter (TensorFlow's log lines, Python warnings and the
   * source line under each: parse/chatter.ts). Present only when there was some.
   */
  runtime_chatter?: number;
  unrecognised: number;
  /**
   * Of `unrecognised`, plain text: a script's own prints, with no metric, row of numbers or error in
   * them (parse/plain-text.ts); counted and quoted, but no warning unless most of the records. Present only when there was some.
   */
  plain_text?: number;
  /**
   * Of `unrecognised`, the lines of the Python traceback a text run ended in (Run.raised; runs/collect.ts):
   * its header, frames and exception, those of any traceback chained to it, counted once the exception
   * line is read and given back if more of the run follows. When the run status reports that exception
   * (failed, interrupted) they are counted apart and the data-quality check does not warn about them
   * (analyze/metrics.ts tracebackEndLines). Present only when there were some.
   */
  traceback?: number;
  /** JSON that claimed our schema but failed validation. */
  invalid_events: number;
  /** Lines cut by the awslogs 256 KB limit. */
  fragments: number;
  /**
   * Records dropped as delivered twice: the same CloudWatch eventId, the same mnist-train event twice in one log
   * stream or (with its time) in one file, or in two local inputs.
   */
  duplicate_records: number;
  /**
   * Of `duplicate_records`, mnist-train events (with their time) that an earlier local input held too: the same
   * log given twice (a file and its `aws logs filter-log-events` export, a copy). Present only when there were some.
   */
  duplicate_across_inputs?: number;
  /** The first few unusable lines, quoted. */
  examples: QuotedLine[];
  /**
   * The first unusable line that is a step-based trainer's (parse/step-logs.ts): which trainer, and the line
   * (at most 200 characters). Present only when there was one.
   */
  step_log?: { trainer: StepLog; text: string };
  /**
   * Fields our events should carry but lacked (missing) or carried in a form that
   * could not be read (unreadable, dropped); the events themselves were kept.
   * Paths are event.field, e.g. "epoch_end.duration_ms"; most frequent first.
   */
  field_gaps: FieldGap[];
  /** mnist-train/1 events with a name this report does not know (from a newer trainer?), by name. */
  unknown_events: { name: string; count: number }[];
  /**
   * Gzip files whose data ended early (LogRecord.gzipEnded): what was before the cut was read, and the log
   * may go on beyond it. `partial_line`: the data ended inside a line, counted in `fragments`. Present only when some.
   */
  gzip_ended_early?: GzipEndedEarly[];
}

export interface GzipEndedEarly {
  source: string;
  byte: number;
  partial_line: boolean;
}

export interface FieldGap {
  field: string;
  missing: number;
  unreadable: number;
}

/** The exception a Python traceback ends with: `KeyboardInterrupt`, `RuntimeError: CUDA out of memory…` (message '' when none). */
export interface RaisedException {
  name: string;
  message: string;
}

export interface Run {
  run_id: string;
  format: LogFormat;
  /** Log stream (CloudWatch) or file the run came from. */
  streams: string[];
  /** The run_start event as read (any part of it may be missing). */
  start: ReadEvent<'run_start'> | null;
  /** One record per epoch number, sorted; the last occurrence wins for duplicates. */
  epochs: EpochRecord[];
  /**
   * A bounded, spike-preserving downsample of the run's batch points (at most about
   * 2,000; see src/runs/batches.ts), in log order.
   */
  batches: BatchRecord[];
  /** How many batch points the log held before downsampling. */
  batch_count: number;
  end: ReadEvent<'run_end'> | null;
  /** Epoch numbers seen more than once (e.g. a restarted task). */
  duplicate_epochs: number[];
  /**
   * Epoch numbers missing between 1 and the last epoch seen, and past it up to run_end's epochs_completed (epochs the
   * run counts and the log does not hold), as ranges (a stray epoch 10^15 must not mean 10^15 numbers).
   */
  missing_epochs: EpochRange[];
  /** First and last timestamp seen for the run (ISO), when known. */
  first_time: string | null;
  last_time: string | null;
  /** What the reader did to the log's numbers to make them comparable (worded by formatNote in wording/checks.ts). */
  format_notes: FormatNote[];
  /** Test metrics a text log printed after training (Keras' model.evaluate); run_end's are used first. */
  text_test: { loss: Metric; accuracy: Metric } | null;
  /** The trainer said it stopped the run early on purpose (Keras EarlyStopping). */
  stopped_early: boolean;
  /**
   * Trainer text only: the exception of the Python traceback the run's log ends in (after its last epoch,
   * with nothing of the run after it; parse/traceback.ts, runs/collect.ts). KeyboardInterrupt: the run was
   * interrupted; any other: it failed. Absent otherwise.
   */
  raised?: RaisedException;
  /** Its run_start event is on a line over 1 MiB, which could not be read (the line's start says so). */
  start_unread?: true;
  /** The final evaluation: mnist-train's `evaluation` event, or scikit-learn's printed tables. */
  evaluation?: EvaluationRecord | null;
  /** --evaluate-every-epoch's matrices, by epoch. */
  epoch_evaluations?: EpochEvaluation[];
  /**
   * The data quality of the records that count for this run (src/runs/collect.ts): its own, the lines
   * of no run after them in the same file or stream, and those before the first run there.
   */
  quality: DataQuality;
  /**
   * A summary, not the whole run (CollectOptions.summaries, for --list and --history's earlier
   * runs): each epoch has only its number, planned count, validation metrics and time; no batch
   * points, no evaluation. Enough for its outcome, epochs seen and final validation metrics; never rendered.
   */
  summary?: true;
  /** A summary run had an evaluation, which a summary does not keep (its outcome says so). */
  evaluated?: true;
}

export interface EpochEvaluation {
  epoch: number;
  set: string;
  size: number;
  confusion_matrix: number[][];
}

/** Epochs first..last, both included. */
export interface EpochRange {
  first: number;
  last: number;
}

export interface ParsedLog {
  runs: Run[];
  /** The whole input's data quality. */
  quality: DataQuality;
  /** The records that count for no run (a file or stream without one); absent when there are none. */
  no_run?: DataQuality;
}
