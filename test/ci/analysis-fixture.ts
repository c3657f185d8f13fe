// A hand-built Analysis for the gate and baseline tests: a completed 3-epoch run
// whose numbers are easy to check by eye. Tests override what they need.

import { ANALYSIS_SCHEMA, type Analysis, type EpochRow } from '../../src/analyze/types.js';
import { withVerdict } from '../../src/analyze/verdict.js';

export function epochRow(epoch: number, loss: number | null, accuracy: number | null, val_loss: number | null, val_accuracy: number | null): EpochRow {
  return {
    epoch, loss, accuracy, val_loss, val_accuracy,
    gap_loss: loss !== null && val_loss !== null ? val_loss - loss : null,
    gap_accuracy: accuracy !== null && val_accuracy !== null ? val_accuracy - accuracy : null,
    duration_ms: 10_000, samples_per_second: 6000, time: null, non_finite: [], memory: null,
  };
}

export function analysis(over: Partial<Analysis> = {}): Analysis {
  const epochs = over.epochs ?? [
    epochRow(1, 0.30, 0.91, 0.15, 0.955),
    epochRow(2, 0.14, 0.958, 0.10, 0.969),
    epochRow(3, 0.10, 0.970, 0.085, 0.974),
  ];
  const last = epochs[epochs.length - 1]!;
  const final = { epoch: last.epoch, loss: last.loss, accuracy: last.accuracy, val_loss: last.val_loss, val_accuracy: last.val_accuracy };
  return withVerdict({
    schema: ANALYSIS_SCHEMA,
    generated_at: '2026-11-24T08:00:00.000Z',
    title: 'test',
    run: {
      run_id: 'run-a', format: 'events', format_title: 'mnist-train JSON events', format_notes: [], streams: ['run.jsonl'], outcome: 'completed', error: null,
      first_time: null, last_time: null, duration_ms: 30_000, epochs_planned: 3, epochs_seen: epochs.length, batch_count: 0,
    },
    config: null, model: null, runtime: null,
    epochs, batches: [], final, best: { ...final, by: 'val_loss' }, test: null,
    generalization: { final_gap_accuracy: final.val_accuracy! - final.accuracy!, final_gap_loss: final.val_loss! - final.loss!,
      val_above_train_epochs: [1, 2, 3], validation_is_test_set: true, has_dropout: true },
    overfitting: { patience: 2, onset_epoch: null, recovered: null, stop_epoch: null, kept_epoch: null },
    stability: { loss_rises: [], val_loss_rises: [], largest_rise: null, spikes: [], noisy_batches: [], non_finite: [], diverged: false },
    convergence: { val_loss_improvement: 0.15, loss_improvement: 0.28, reading: 'improving', from_epoch: 2, per_epoch: 0.15,
      metric: 'val_loss', trend: { from: 1, to: 3, epochs: 3, rate: 0.15, low: 0.15, high: 0.15, decimals: 17 }, loss_trend: null, training_rose: false },
    confidence: { accuracy: 0.974, n: 10_000, low: 0.9707, high: 0.9769, level: 0.95 },
    timing: { total_ms: 30_000, median_epoch_ms: 10_000, min_epoch_ms: 10_000, max_epoch_ms: 10_000, median_samples_per_second: 6000, stalls: [] },
    quality: { records: 5, recognised: 5, ignored: 0, unrecognised: 0, invalid_events: 0, fragments: 0, duplicate_records: 0,
      examples: [], field_gaps: [], unknown_events: [], duplicate_epochs: [], missing_epochs: [] },
    checks: [], observations: [], conclusion: [], next_steps: [],
    ...over,
  });
}
