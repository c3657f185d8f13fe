// A bounded downsample of a series that keeps its shape and its extremes, built
// one point at a time (so a stream of any length can feed it).
//
// The rule: points are grouped, in order, into buckets of `width` consecutive
// points. A bucket keeps at most four points: its first, its last, the one with the
// lowest and the one with the highest value, plus the first point whose value was
// not finite (null), so a NaN is never averaged away. When there would be more than
// `maxBuckets` buckets, neighbouring buckets are merged pairwise (width doubles), so
// at most maxBuckets × 4 points are kept (+ one per bucket with a NaN) however many
// are added, and every spike survives as a bucket maximum. Points are kept as they
// were added, never interpolated: a line through them is a line through real points
// (the M4 rule of drawing a series' first, last, lowest and highest point per pixel
// column). While no more than `maxBuckets` × 2 points have been added every one is
// kept (a bucket of width 2 is its first and last point).

interface Bucket<T> {
  n: number;
  first: T;
  firstSeq: number;
  last: T;
  lastSeq: number;
  /** Lowest and highest finite value; null while the bucket holds none. */
  min: T | null;
  minSeq: number;
  minValue: number;
  max: T | null;
  maxSeq: number;
  maxValue: number;
  nonFinite: T | null;
  nonFiniteSeq: number;
}

export class EnvelopeSampler<T> {
  private buckets: Bucket<T>[] = [];
  private span = 1;
  private seq = 0;

  /** `value`: the point's value, or null when it is not finite. */
  constructor(private readonly value: (point: T) => number | null, private readonly maxBuckets: number) {}

  /** Points added so far. */
  get count(): number {
    return this.seq;
  }

  /** Consecutive points per bucket (1 while every point is kept as its own bucket). */
  get width(): number {
    return this.span;
  }

  add(point: T): void {
    const seq = this.seq++;
    const v = this.value(point);
    const b = this.buckets[this.buckets.length - 1];
    if (b !== undefined && b.n < this.span) {
      b.n++;
      b.last = point;
      b.lastSeq = seq;
      if (v === null) {
        if (b.nonFinite === null) { b.nonFinite = point; b.nonFiniteSeq = seq; }
      } else {
        if (b.min === null || v < b.minValue) { b.min = point; b.minSeq = seq; b.minValue = v; }
        if (b.max === null || v > b.maxValue) { b.max = point; b.maxSeq = seq; b.maxValue = v; }
      }
      return;
    }
    const finite = v === null ? null : point;
    this.buckets.push({
      n: 1, first: point, firstSeq: seq, last: point, lastSeq: seq,
      min: finite, minSeq: seq, minValue: v ?? 0, max: finite, maxSeq: seq, maxValue: v ?? 0,
      nonFinite: v === null ? point : null, nonFiniteSeq: seq,
    });
    if (this.buckets.length > this.maxBuckets) this.halve();
  }

  /** The kept points, in the order they were added. */
  points(): T[] {
    const kept = new Map<number, T>();
    for (const b of this.buckets) {
      kept.set(b.firstSeq, b.first);
      if (b.min !== null) kept.set(b.minSeq, b.min);
      if (b.max !== null) kept.set(b.maxSeq, b.max);
      if (b.nonFinite !== null) kept.set(b.nonFiniteSeq, b.nonFinite);
      kept.set(b.lastSeq, b.last);
    }
    return [...kept.entries()].sort((x, y) => x[0] - y[0]).map(([, p]) => p);
  }

  private halve(): void {
    const merged: Bucket<T>[] = [];
    for (let i = 0; i < this.buckets.length; i += 2) {
      const a = this.buckets[i]!;
      const b = this.buckets[i + 1];
      merged.push(b ? merge(a, b) : a);
    }
    this.buckets = merged;
    this.span *= 2;
  }
}

function merge<T>(a: Bucket<T>, b: Bucket<T>): Bucket<T> {
  const lowB = a.min === null || (b.min !== null && b.minValue < a.minValue);
  const highB = a.max === null || (b.max !== null && b.maxValue > a.maxValue);
  const nanB = a.nonFinite === null;
  return {
    n: a.n + b.n,
    first: a.first,
    firstSeq: a.firstSeq,
    last: b.last,
    lastSeq: b.lastSeq,
    min: lowB ? b.min : a.min,
    minSeq: lowB ? b.minSeq : a.minSeq,
    minValue: lowB ? b.minValue : a.minValue,
    max: highB ? b.max : a.max,
    maxSeq: highB ? b.maxSeq : a.maxSeq,
    maxValue: highB ? b.maxValue : a.maxValue,
    nonFinite: nanB ? b.nonFinite : a.nonFinite,
    nonFiniteSeq: nanB ? b.nonFiniteSeq : a.nonFiniteSeq,
  };
}
