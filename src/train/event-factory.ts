// Builds the event kinds for one run. The clock is injected so that tests
// (and the fixture converter) can fix time; nothing here does I/O.

import { SCHEMA } from '../events.js';
import type {
  RunStartEvent, EpochEndEvent, BatchEndEvent, RunEndEvent, RunConfig, ModelInfo, RuntimeInfo, MemoryInfo, RunStatus, Metric,
  EvaluationEvent,
} from '../events.js';
import type { EpochConfusion, EvaluationSummary } from './evaluation.js';
import type { EpochStats } from './loop.js';
import { withEmf } from './emf.js';

export interface EventFactory {
  runStart(config: RunConfig, model: ModelInfo, runtime: RuntimeInfo): RunStartEvent;
  batchEnd(epoch: number, batch: number, loss: number, accuracy: number): BatchEndEvent;
  epochEnd(stats: EpochStats, epochs: number, memory: MemoryInfo): EpochEndEvent;
  runEnd(end: RunEndFields): RunEndEvent;
  /** The final evaluation, after `epochsCompleted` epochs. */
  evaluation(summary: EvaluationSummary, epochsCompleted: number): EvaluationEvent;
  /** --evaluate-every-epoch's matrix after `epoch`. */
  epochEvaluation(confusion: EpochConfusion, epoch: number): EvaluationEvent;
}

export interface RunEndFields {
  status: RunStatus;
  durationMs: number;
  epochsCompleted: number;
  testLoss?: Metric;
  testAccuracy?: Metric;
  error?: { name: string; message: string };
}

/** Events stamped with `runId` and the time `now()` returns (epoch ms). */
export function createEventFactory(runId: string, now: () => number, namespace: string): EventFactory {
  const base = () => ({ schema: SCHEMA, run_id: runId, time: new Date(now()).toISOString() });
  return {
    runStart: (config, model, runtime) => ({ ...base(), event: 'run_start', config, model, runtime }),
    batchEnd: (epoch, batch, loss, accuracy) => ({ ...base(), event: 'batch_end', epoch, batch, loss, accuracy }),
    epochEnd: (s, epochs, memory) =>
      withEmf(
        {
          ...base(),
          event: 'epoch_end',
          epoch: s.epoch,
          epochs,
          loss: s.loss,
          accuracy: s.accuracy,
          val_loss: s.valLoss,
          val_accuracy: s.valAccuracy,
          duration_ms: Math.round(s.durationMs),
          samples_per_second: Math.round(s.samplesPerSecond * 10) / 10,
          memory,
        },
        namespace,
      ),
    evaluation: (summary, epochsCompleted) => ({ ...base(), event: 'evaluation', scope: 'final', epochs_completed: epochsCompleted, ...summary }),
    epochEvaluation: (c, epoch) => ({ ...base(), event: 'evaluation', scope: 'epoch', epoch, ...c }),
    runEnd: (e) => ({
      ...base(),
      event: 'run_end',
      status: e.status,
      duration_ms: Math.round(e.durationMs),
      epochs_completed: e.epochsCompleted,
      ...(e.testLoss !== undefined ? { test_loss: e.testLoss } : {}),
      ...(e.testAccuracy !== undefined ? { test_accuracy: e.testAccuracy } : {}),
      ...(e.error ? { error: e.error } : {}),
    }),
  };
}
