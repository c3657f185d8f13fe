// CloudWatch Embedded Metric Format: an `_aws` block on epoch_end makes CloudWatch
// Logs extract loss/accuracy/val_loss/val_accuracy as metrics with no agent. The
// values stay where they already are (top level of the event); EMF only points at
// them. A null (non-finite) metric is left out of the list, since EMF rejects it.

import type { EpochEndEvent } from '../events.js';

export const DEFAULT_NAMESPACE = 'MNISTTraining';
const METRICS = ['loss', 'accuracy', 'val_loss', 'val_accuracy'] as const;

export interface EmfBlock {
  Timestamp: number;
  CloudWatchMetrics: {
    Namespace: string;
    Dimensions: string[][];
    Metrics: { Name: string; Unit: string }[];
  }[];
}

/** The epoch_end event with its `_aws` block added (a new object). */
export function withEmf(event: EpochEndEvent, namespace: string): EpochEndEvent {
  const metrics = METRICS.filter((name) => isFiniteNumber(event[name])).map((Name) => ({ Name, Unit: 'None' }));
  const block: EmfBlock = {
    Timestamp: Date.parse(event.time),
    CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [['run_id']], Metrics: metrics }],
  };
  return { ...event, _aws: block };
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
