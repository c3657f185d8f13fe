// The one place duplicates are dropped (the sources hand over everything they fetched):
//
// - the same CloudWatch eventId twice: pages or streams that overlap, two exports read together;
// - the same mnist-train event twice in one log stream, byte for byte: PutLogEvents is
//   at-least-once, and a batch whose answer was lost is stored again under new eventIds.
//   An event carries its run id and its time to the millisecond, so two equal lines are one
//   event; a restarted task's repeated epochs have other times and are not touched.
//
// Ids and messages of epochs and run boundaries are kept for the whole read (there are few);
// the rest (batch points: nearly all of a big log) only in a window of the last WINDOW,
// which bounds memory at a few MB. Messages are kept as a 53-bit hash, not as text.

const WINDOW = 100_000;

/** A set of keys, some kept forever and the rest in a window of the most recent. */
class WindowedSet<K> {
  private forever = new Set<K>();
  private recent = new Set<K>();
  // Eviction order lives in a ring, not in the Set: taking the Set's first value
  // after many deletes walks every deleted slot, which made a 1M-event read quadratic.
  private ring: (K | undefined)[] = [];
  private next = 0;

  has(key: K): boolean {
    return this.forever.has(key) || this.recent.has(key);
  }

  add(key: K, forever: boolean): void {
    if (forever) {
      this.forever.add(key);
      return;
    }
    const old = this.ring[this.next];
    if (old !== undefined) this.recent.delete(old);
    this.ring[this.next] = key;
    this.next = (this.next + 1) % WINDOW;
    this.recent.add(key);
  }
}

export class EventIdDedupe extends WindowedSet<string> {}

/** Per log stream: mnist-train event lines already seen, by a hash of their text. */
export class MessageDedupe extends WindowedSet<number> {
  /** True when this exact message was seen before (and remembers it otherwise). */
  seen(message: string, forever: boolean): boolean {
    const key = hash53(message);
    if (this.has(key)) return true;
    this.add(key, forever);
    return false;
  }
}

/** Two 32-bit string hashes (FNV-1a and a multiply-xor) folded into 53 bits. */
function hash53(s: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x9e3779b9;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}
