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
}

// ---------------------------------------------------------------------------
// parse → runs → analyze. Text logs (Keras, tfjs-node) carry fewer facts than our
// events, so the normalised records below make every such fact nullable.

import type { RunStartEvent, RunEndEvent, Metric } from './events.js';

/** The trainer format a run was recognised in. */
export type LogFormat = 'events' | 'keras2' | 'keras3' | 'tfjs-node' | 'scikit-learn';

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
}

export interface BatchRecord {
  epoch: number;
  batch: number;
  loss: Metric;
  accuracy: Metric;
}

/** A line the parser could not use, kept for the data-quality section. */
export interface QuotedLine {
  source: string;
  stream: string | null;
  line: number | null;
  /** At most 200 characters of the raw text. */
  text: string;
  reason: string;
}

export interface DataQuality {
  records: number;
  /** Lines that were recognised (events or trainer text). */
  recognised: number;
  /** Blank lines and progress-bar redraws: expected noise, not counted as lost. */
  ignored: number;
  unrecognised: number;
  /** JSON that claimed our schema but failed validation. */
  invalid_events: number;
  /** Lines cut by the awslogs 256 KB limit. */
  fragments: number;
  /** CloudWatch events seen twice (same eventId) and dropped. */
  duplicate_records: number;
  /** The first few unusable lines, quoted. */
  examples: QuotedLine[];
}

export interface Run {
  run_id: string;
  format: LogFormat;
  /** Log stream (CloudWatch) or file the run came from. */
  streams: string[];
  start: RunStartEvent | null;
  /** One record per epoch number, sorted; the last occurrence wins for duplicates. */
  epochs: EpochRecord[];
  /**
   * A bounded, spike-preserving downsample of the run's batch points (at most about
   * 2,000; see src/analyze/runs-batches.ts), in log order.
   */
  batches: BatchRecord[];
  /** How many batch points the log held before downsampling. */
  batch_count: number;
  end: RunEndEvent | null;
  /** Epoch numbers seen more than once (e.g. a restarted task). */
  duplicate_epochs: number[];
  /** Epoch numbers missing between 1 and the last epoch seen. */
  missing_epochs: number[];
  /** First and last timestamp seen for the run (ISO), when known. */
  first_time: string | null;
  last_time: string | null;
  /** The final evaluation: mnist-train's `evaluation` event, or scikit-learn's printed tables. */
  evaluation?: EvaluationRecord | null;
  /** --evaluate-every-epoch's matrices, by epoch. */
  epoch_evaluations?: EpochEvaluation[];
}

export interface EpochEvaluation {
  epoch: number;
  set: string;
  size: number;
  confusion_matrix: number[][];
}

export interface ParsedLog {
  runs: Run[];
  quality: DataQuality;
}
