// What parseLine returns, and the little state a stream carries between lines.

import type { TrainEvent } from '../events.js';
import type { BatchRecord, EpochRecord, LogFormat } from '../types.js';
import { isoTime, type TextMetrics } from './text.js';
import type { EvaluationRecord } from '../evaluation.js';
import type { SklearnReader } from './sklearn.js';

export type TextFormat = Exclude<LogFormat, 'events'>;

export type ParseResult =
  | { kind: 'event'; event: TrainEvent }
  /** "Epoch 3/5" (Keras) or "Epoch 3 / 5" (tfjs-node): sets the epoch for the lines that follow. */
  | { kind: 'header'; format: TextFormat; epoch: number; epochs: number }
  | { kind: 'epoch'; format: TextFormat; epoch: EpochRecord }
  | { kind: 'batch'; format: TextFormat; batch: BatchRecord }
  /** Blank lines and progress redraws: expected noise. */
  | { kind: 'ignored' }
  | { kind: 'unrecognised'; reason: string }
  /** A piece of a line that awslogs cut at 256 KB. */
  | { kind: 'fragment' }
  /** A line of scikit-learn's printed evaluation; `evaluation` is what the stream's lines add up to so far. */
  | { kind: 'evaluation'; evaluation: EvaluationRecord | null }
  /** JSON that claims schema mnist-train/1 but breaks it. */
  | { kind: 'invalid'; errors: string[] };

/**
 * Per stream (or per file when there is no stream): trainer text says the epoch
 * number once in a header and then prints the epoch's metrics on a later line.
 */
export interface ParseState {
  /** Epoch number from the last header, if any. */
  epoch: number | null;
  epochs: number | null;
  /** The header's epoch already produced its summary line. */
  epochDone: boolean;
  /** Last epoch number a text summary produced (0 before any). */
  lastEpoch: number;
  /** The previous message was a fragment at the size limit: the next one continues it. */
  fragmentOpen: boolean;
  /** scikit-learn's tables, read across lines (made at the first line nothing else reads). */
  sklearn: SklearnReader | null;
}

export function createParseState(): ParseState {
  return { epoch: null, epochs: null, epochDone: false, lastEpoch: 0, fragmentOpen: false, sklearn: null };
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
  return {
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
}

export function setHeader(state: ParseState, epoch: number, epochs: number): void {
  state.epoch = epoch;
  state.epochs = epochs;
  state.epochDone = false;
}
