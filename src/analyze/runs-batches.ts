// A bounded, spike-preserving downsample of batch points, built while streaming.
//
// The rule: points are grouped, in log order, into buckets of `width` consecutive
// points. A bucket keeps at most four points: its first, its last, the one with the
// lowest and the one with the highest loss — plus the first point whose loss was
// not finite (null), so a NaN is never averaged away. When there would be more than
// MAX_BUCKETS buckets, neighbouring buckets are merged pairwise (width doubles), so a
// run keeps at most MAX_BUCKETS × 4 = 2,000 points (+ one per bucket with a NaN)
// however many batches it logs, and every loss spike survives as a bucket maximum.

import type { BatchRecord } from '../types.js';

const MAX_BUCKETS = 500;

/**
 * A point and its position. The four fields are copied rather than the record kept:
 * a parsed event can hold strings that are slices of a whole block of the input, and
 * keeping ~2,000 of them would keep ~2,000 blocks. (One object per point either way.)
 */
interface Point extends BatchRecord {
  seq: number;
}

interface Bucket {
  n: number;
  first: Point;
  last: Point;
  /** Lowest and highest finite loss; null while the bucket holds none. */
  min: Point | null;
  minLoss: number;
  max: Point | null;
  maxLoss: number;
  nonFinite: Point | null;
}

export class BatchSampler {
  private buckets: Bucket[] = [];
  private width = 1;
  private seq = 0;

  get count(): number {
    return this.seq;
  }

  /** Adds a point (its epoch, batch, loss and accuracy are copied). */
  add(rec: BatchRecord): void {
    const seq = this.seq++;
    const loss = rec.loss;
    const p: Point = { epoch: rec.epoch, batch: rec.batch, loss, accuracy: rec.accuracy, seq };
    const b = this.buckets[this.buckets.length - 1];
    if (b !== undefined && b.n < this.width) {
      b.n++;
      b.last = p;
      if (loss === null) {
        if (b.nonFinite === null) b.nonFinite = b.last;
      } else {
        if (b.min === null || loss < b.minLoss) { b.min = b.last; b.minLoss = loss; }
        if (b.max === null || loss > b.maxLoss) { b.max = b.last; b.maxLoss = loss; }
      }
      return;
    }
    const finite = loss === null ? null : p;
    this.buckets.push({
      n: 1, first: p, last: p, min: finite, minLoss: loss ?? 0, max: finite, maxLoss: loss ?? 0,
      nonFinite: loss === null ? p : null,
    });
    if (this.buckets.length > MAX_BUCKETS) this.halve();
  }

  /** The kept points in log order. */
  points(): BatchRecord[] {
    const kept = new Map<number, Point>();
    for (const b of this.buckets) {
      for (const p of [b.first, b.min, b.max, b.nonFinite, b.last]) if (p) kept.set(p.seq, p);
    }
    return [...kept.values()]
      .sort((x, y) => x.seq - y.seq)
      .map(({ epoch, batch, loss, accuracy }) => ({ epoch, batch, loss, accuracy }));
  }

  private halve(): void {
    const merged: Bucket[] = [];
    for (let i = 0; i < this.buckets.length; i += 2) {
      const a = this.buckets[i]!;
      const b = this.buckets[i + 1];
      merged.push(b ? merge(a, b) : a);
    }
    this.buckets = merged;
    this.width *= 2;
  }
}

function merge(a: Bucket, b: Bucket): Bucket {
  const lowB = a.min === null || (b.min !== null && b.minLoss < a.minLoss);
  const highB = a.max === null || (b.max !== null && b.maxLoss > a.maxLoss);
  return {
    n: a.n + b.n,
    first: a.first,
    last: b.last,
    min: lowB ? b.min : a.min,
    minLoss: lowB ? b.minLoss : a.minLoss,
    max: highB ? b.max : a.max,
    maxLoss: highB ? b.maxLoss : a.maxLoss,
    nonFinite: a.nonFinite ?? b.nonFinite,
  };
}
