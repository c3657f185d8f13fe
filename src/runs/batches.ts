// The run's batch points, downsampled while streaming: at most 500 buckets of
// first / last / lowest / highest loss (+ the first NaN), so a run keeps at most
// about 2,000 points however many batches it logs, and every loss spike survives
// as a bucket maximum. The rule is EnvelopeSampler's (envelope.ts).

import type { BatchRecord } from '../types.js';
import { EnvelopeSampler } from './envelope.js';

const MAX_BUCKETS = 500;

export class BatchSampler {
  private readonly sampler = new EnvelopeSampler<BatchRecord>((b) => b.loss, MAX_BUCKETS);

  get count(): number {
    return this.sampler.count;
  }

  /**
   * Adds a point. Its fields are copied rather than the record kept: a parsed
   * event can hold strings that are slices of a whole block of the input, and
   * keeping ~2,000 of them would keep ~2,000 blocks.
   */
  add(rec: { epoch: number; batch: number; loss?: BatchRecord['loss']; accuracy?: BatchRecord['accuracy']; sample?: number; samples?: number }): void {
    const point: BatchRecord = { epoch: rec.epoch, batch: rec.batch, loss: rec.loss ?? null, accuracy: rec.accuracy ?? null };
    if (rec.sample !== undefined && rec.samples !== undefined) {
      point.sample = rec.sample;
      point.samples = rec.samples;
    }
    this.sampler.add(point);
  }

  /** The kept points in log order. */
  points(): BatchRecord[] {
    return this.sampler.points();
  }
}
