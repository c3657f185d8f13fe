// What parseLine returns, and the little state a stream carries between lines.

import type { Metric, ReadTrainEvent } from '../events.js';
import type { FieldGaps } from './event-reader.js';
import type { BatchRecord, EpochRecord, FormatNote, LogFormat, RaisedException, StepLog } from '../types.js';
import type { CsvTable } from './csv-table.js';
import type { LineFormat } from './format.js';
import { isoTime, type TextMetrics } from './text.js';
import type { EvaluationRecord } from '../evaluation.js';
import type { SklearnReader } from './sklearn.js';

export type TextFormat = Exclude<LogFormat, 'events'>;

export type ParseResult =
  /** One of our events; gaps name the fields it lacked (null when it was exactly as written by mnist-train). */
  | { kind: 'event'; event: ReadTrainEvent; gaps: FieldGaps | null }
  /** Our schema, an event name this reader does not know (a newer trainer's?): counted, not invalid; run_id names the run it is counted for. */
  | { kind: 'unknown_event'; name: string; run_id?: string }
  /** "Epoch 3/5" (Keras), "Epoch 3 / 5" (tfjs-node), "Epoch: 3" (PyTorch): sets the epoch for the lines that follow. */
  | { kind: 'header'; format: TextFormat; epoch: number; epochs: number | null }
  /**
   * One epoch's metrics. `revise` marks a format that prints an epoch in pieces (Hugging
   * Face logs the training loss and the evaluation separately): the record replaces the
   * epoch's earlier one without counting as a duplicate.
   */
  | {
    kind: 'epoch'; format: TextFormat; epoch: EpochRecord; revise?: boolean;
    /**
     * Epochs that finished earlier in the same record, oldest first (a Lightning bar
     * redraws every epoch on one line with \r). Each is added before `epoch`, as it is.
     */
    earlier?: EpochRecord[];
  }
  /** One batch's metrics; `earlier` are batch points an earlier line gave that are known as such only now, oldest first. */
  | { kind: 'batch'; format: TextFormat; batch: BatchRecord; earlier?: BatchRecord[] }
  /** The run's final evaluation on held-out data (Keras' model.evaluate after fit). */
  | { kind: 'test'; format: TextFormat; loss: Metric; accuracy: Metric }
  /** The trainer stopped the run on purpose before its planned last epoch (Keras EarlyStopping). */
  | { kind: 'stopped'; format: TextFormat }
  /**
   * Blank lines and progress redraws: expected noise. `chatter`: the runtime's own start-up lines
   * (TensorFlow's log lines, Python warnings; parse/chatter.ts), counted as ignored and said apart.
   */
  | { kind: 'ignored'; chatter?: true }
  /**
   * `plain`: plain text, a script's own print with no metric, number row or error in it (parse/plain-text.ts).
   * `raised`: the last line of a Python traceback, its exception (parse/traceback.ts).
   * `stepLog`: a line of a trainer that counts steps, not epochs (parse/step-logs.ts).
   */
  | { kind: 'unrecognised'; reason: string; plain?: true; raised?: RaisedException; stepLog?: StepLog }
  /** A piece of a line that awslogs cut at 256 KB. */
  | { kind: 'fragment' }
  /** A line of scikit-learn's printed evaluation; `evaluation` is what the stream's lines add up to so far. */
  | { kind: 'evaluation'; evaluation: EvaluationRecord | null }
  /** JSON that claims schema mnist-train/1 but breaks it. */
  | { kind: 'invalid'; errors: string[]; run_id?: string };

/** A line the format knows and that carries nothing to count (a status line, a progress bar, its own noise): one object for them all. */
export const IGNORED: ParseResult = { kind: 'ignored' };

/**
 * Per stream (or per file when there is no stream): trainer text says the epoch
 * number once in a header and then prints the epoch's metrics on a later line.
 */
export interface ParseState {
  /** Epoch number from the last header, if any (1-based, after `epochBase`). */
  epoch: number | null;
  epochs: number | null;
  /** The header's epoch already produced its summary line. */
  epochDone: boolean;
  /** Last epoch number a text summary produced (0 before any). */
  lastEpoch: number;
  /** The previous message was a fragment at the size limit: the next one continues it. */
  fragmentOpen: boolean;
  /** --log-format: the only text format tried. */
  forced: LineFormat | null;
  /**
   * The text format this stream's lines were last recognised in: tried first. Null again when
   * a fit() ends (startFit): another format's lines after that are not another trainer's (line.ts).
   */
  locked: LineFormat | null;
  /** 1 when the log numbers epochs from 0 (PyTorch "EPOCH: 0", Lightning): added to every epoch. */
  epochShift: number;
  /** Metrics of the epoch in progress that a later line completes (PyTorch's train accuracy, HF's pieces). */
  open: EpochRecord | null;
  /** Logged batches in the current epoch (formats that print no batch index). */
  batchInEpoch: number;
  /** What the reader did to the numbers (percent → fraction, 0-based epochs): said in the report. */
  notes: FormatNote[];
  /**
   * Which fit() of the stream this is: a header that starts again at epoch 1 after epochs
   * were read begins another run (several fit() calls in one log), and so does another
   * trainer's format (nextTrainer). 0 for the first.
   */
  segment: number;
  /** Validation set size when the log says it (Keras 1/2.0 "Train on N samples, validate on M samples"). */
  valSamples: number | null;
  /** How many classes the log says the model has, said before its first epoch (Ultralytics' nc): EpochRecord.classes. */
  classes: number | null;
  /** The split the log's validation reads, said before its first epoch (Ultralytics' "val: Scanning …/test..."): EpochRecord.val_split. */
  valSplit: 'test' | 'val' | null;
  /**
   * scikit-learn's tables, read across lines (made at the first line no format reads). Not
   * a LineFormat: a classification_report can follow any trainer's output, and --log-format
   * does not turn it off.
   */
  sklearn: SklearnReader | null;
  /** A CSV file's header, once a CSV format recognised it (csv-table.ts); its rows are read against it. */
  table: CsvTable | null;
  /** The last line was a Python warning: Python prints the warning's source line, indented, next. */
  warned: boolean;
  /** Inside or just after a Python traceback (parse/traceback.ts), or null. */
  traceback: TracebackState | null;
  /** The last line was "Exception ignored in: …" or "Exception in thread …:": the traceback after it does not end the script. */
  nonFatal: boolean;
}

/** Where a Python traceback is: its header read and its exception line not yet ('frames'), or that line read ('message'). */
export interface TracebackState {
  at: 'frames' | 'message';
  /** The launcher prefix of its header ("trainer-1  | ", or ''): only lines of the same prefix are its. */
  prefix: string;
  /** Python printed it for an exception that did not end the script (ParseState.nonFatal when it opened). */
  nonFatal: boolean;
}

export function createParseState(forced: LineFormat | null = null): ParseState {
  return {
    epoch: null, epochs: null, epochDone: false, lastEpoch: 0, fragmentOpen: false,
    forced, locked: null, epochShift: 0, open: null, batchInEpoch: 0, notes: [], segment: 0, valSamples: null, classes: null, valSplit: null, sklearn: null,
    table: null, warned: false, traceback: null, nonFatal: false,
  };
}

/** Records a note once per stream. */
export function note(state: ParseState, n: FormatNote): void {
  if (!state.notes.includes(n)) state.notes.push(n);
}

/**
 * The epoch number a text summary line belongs to: the header's epoch the first
 * time; with no header at all, one more than the last. After the header's epoch
 * has been summarised, another finished bar is not a training epoch (Keras prints
 * one for model.evaluate/predict), so the answer is null.
 */
function nextTextEpoch(state: ParseState): number | null {
  if (state.epoch === null) return state.lastEpoch + 1;
  return state.epochDone ? null : state.epoch;
}

/**
 * The record of a text summary line (Keras or tfjs-node), marking its epoch done;
 * null when the line is not a training epoch (see nextTextEpoch).
 */
export function finishTextEpoch(state: ParseState, metrics: TextMetrics, durationMs: number | null, timestamp: number | null): EpochRecord | null {
  const epoch = nextTextEpoch(state);
  if (epoch === null) return null;
  state.epochDone = true;
  state.lastEpoch = epoch;
  const rec: EpochRecord = {
    epoch,
    epochs: state.epochs,
    loss: metrics.loss,
    accuracy: metrics.accuracy,
    val_loss: metrics.val_loss,
    val_accuracy: metrics.val_accuracy,
    duration_ms: durationMs,
    samples_per_second: null,
    time: isoTime(timestamp),
    non_finite: metrics.non_finite,
  };
  if (state.valSamples !== null && rec.val_accuracy !== null) rec.val_samples = state.valSamples;
  return rec;
}

export function setHeader(state: ParseState, epoch: number, epochs: number | null): void {
  if (epoch <= 1 && state.lastEpoch > 0) startFit(state);
  state.epoch = epoch;
  state.epochs = epochs;
  state.epochDone = false;
  state.batchInEpoch = 0;
}

/** The next fit() in the same stream: epoch numbering starts again, and so does a run. */
export function startFit(state: ParseState): void {
  state.segment++;
  // the notes are the run's: the last fit's percentages are not this one's (a numbering from 0 kept is)
  state.notes = state.epochShift ? ['zero_based_epochs'] : [];
  state.lastEpoch = 0;
  state.open = null;
  state.valSamples = null;
  state.classes = null;
  state.valSplit = null;
  state.locked = null;
}

/**
 * The state another trainer's output starts from when it follows a run of another format in
 * the same stream (two captures one after the other): its own run (the next segment), and none
 * of the last trainer's epoch, numbering, notes or tables. The stream's state itself is not
 * touched, so that the caller can try a line against it and keep it only if the line is the
 * new trainer's.
 */
export function nextTrainer(state: ParseState): ParseState {
  return { ...createParseState(state.forced), segment: state.segment + 1 };
}

/** An epoch record with no metrics yet, for formats that fill one in over several lines. */
export function emptyEpoch(epoch: number, epochs: number | null, timestamp: number | null): EpochRecord {
  return {
    epoch, epochs, loss: null, accuracy: null, val_loss: null, val_accuracy: null,
    duration_ms: null, samples_per_second: null, time: isoTime(timestamp), non_finite: [],
  };
}
