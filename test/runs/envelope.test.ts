import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EnvelopeSampler } from '../../src/runs/envelope.js';

interface P { i: number; v: number | null }

/** A deterministic wiggly series with one spike and one dip. */
function series(n: number): P[] {
  return Array.from({ length: n }, (_, i) => ({ i, v: i === 4321 ? 50 : i === 777 ? -50 : Math.sin(i / 37) + ((i * 7919) % 13) / 13 }));
}

function sample(points: P[], maxBuckets: number): { kept: P[]; sampler: EnvelopeSampler<P> } {
  const sampler = new EnvelopeSampler<P>((p) => p.v, maxBuckets);
  for (const p of points) sampler.add(p);
  return { kept: sampler.points(), sampler };
}

test('envelope: keeps every point while there are at most 2 × maxBuckets of them', () => {
  for (const n of [0, 1, 7, 128, 129, 256]) {
    const points = series(n);
    const { kept, sampler } = sample(points, 128);
    assert.deepEqual(kept, points, `${n} points`);
    assert.equal(sampler.count, n);
  }
});

test('envelope: a long series keeps at most 4 × maxBuckets points, in order, with its first, last, lowest and highest', () => {
  const points = series(10_000);
  const { kept, sampler } = sample(points, 128);
  assert.ok(kept.length <= 4 * 128, `${kept.length} kept`);
  assert.ok(kept.length >= 2 * 64, `${kept.length} kept`);
  assert.equal(sampler.width, 128, '10,000 points → 79 buckets of 128');
  assert.deepEqual(kept.map((p) => p.i), [...kept.map((p) => p.i)].sort((a, b) => a - b), 'in the order added');
  assert.ok(kept.every((p) => points[p.i] === p), 'kept points are the points added, not new ones');
  const ids = new Set(kept.map((p) => p.i));
  for (const i of [0, 9999, 4321, 777]) assert.ok(ids.has(i), `point ${i} kept`);
  // each bucket's extremes: the kept points' min and max over any bucket equal the series'
  for (let b = 0; b < 10_000; b += 128) {
    const inBucket = points.slice(b, b + 128).map((p) => p.v!);
    const keptIn = kept.filter((p) => p.i >= b && p.i < b + 128).map((p) => p.v!);
    assert.equal(Math.max(...keptIn), Math.max(...inBucket), `bucket at ${b}: max`);
    assert.equal(Math.min(...keptIn), Math.min(...inBucket), `bucket at ${b}: min`);
  }
});

test('envelope: the first non-finite point of a bucket is kept', () => {
  const points = series(5_000).map((p) => (p.i === 2500 || p.i === 2501 ? { i: p.i, v: null } : p));
  const { kept } = sample(points, 16);
  assert.deepEqual(kept.filter((p) => p.v === null).map((p) => p.i), [2500]);
});
