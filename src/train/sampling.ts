// Seeded randomness for shuffling and subsets. Math.random is never used: the same
// seed must give the same batches (and so the same first-epoch loss) every run.

/** mulberry32: a tiny, fast 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit integer stream derived from a seed (for dropout seeds and the like). */
export function seedStream(seed: number): () => number {
  const next = mulberry32(seed);
  return () => Math.floor(next() * 4294967296);
}

/** Fisher–Yates shuffle of 0..n-1 driven by `random`. */
export function permutation(n: number, random: () => number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = out[i]!;
    out[i] = out[j]!;
    out[j] = tmp;
  }
  return out;
}

/**
 * --validation-split: a seeded `fraction` of `indices` held out for validation, the
 * rest for training (both sorted). At least one image on each side.
 */
export function holdOut(indices: Int32Array, fraction: number, seed: number): { train: Int32Array; validation: Int32Array } {
  const k = Math.min(indices.length - 1, Math.max(1, Math.round(indices.length * fraction)));
  // seed + 1: not the permutation that chose the subset, so the held-out part is not its first indices
  const order = permutation(indices.length, mulberry32(seed + 1));
  const pick = (from: number, to: number): Int32Array => Int32Array.from(order.slice(from, to), (i) => indices[i]!).sort();
  return { train: pick(k, indices.length), validation: pick(0, k) };
}

/**
 * Deterministic subset: the first `take` indices of a seeded permutation, sorted so
 * that the subset (not its order) is what the seed decides. `take >= n` keeps all.
 */
export function selectSubset(n: number, take: number, seed: number): Int32Array {
  if (take >= n) return Int32Array.from({ length: n }, (_, i) => i);
  return permutation(n, mulberry32(seed)).slice(0, take).sort();
}
