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
// which bounds memory at a few MB. Ids and messages are kept as 53-bit hashes, not as text
// (two different ids or lines share a hash with odds of ~1 in 10^10 within a window).

import { createHash } from 'node:crypto';

const WINDOW = 100_000;

/**
 * Open addressing with linear probing in a Float64Array of 2^n slots, each EMPTY or a key: no
 * object per key (see WindowedSet and KeySet for what objects cost). Its owner grows it and
 * keeps it at most half full.
 */
class ProbeTable {
  /** Never written while NONE: its owner resets it before the first key goes in. */
  table = NONE;
  size = 0;

  /** The slot that holds `key`, or -1. */
  find(key: number): number {
    if (this.size === 0) return -1;
    const mask = this.table.length - 1;
    for (let i = slotOf(key, mask); ; i = (i + 1) & mask) {
      const k = this.table[i]!;
      if (k === key) return i;
      if (k === EMPTY) return -1;
    }
  }

  /** Puts in a key that is not in yet. */
  insert(key: number): void {
    const mask = this.table.length - 1;
    let i = slotOf(key, mask);
    while (this.table[i] !== EMPTY) i = (i + 1) & mask;
    this.table[i] = key;
    this.size++;
  }

  /** Deletion without tombstones: the keys after the hole that may move back into it do. */
  remove(key: number): void {
    let hole = this.find(key);
    if (hole < 0) return;
    const mask = this.table.length - 1;
    for (let j = (hole + 1) & mask; this.table[j] !== EMPTY; j = (j + 1) & mask) {
      const home = slotOf(this.table[j]!, mask);
      // j's key may fill the hole unless its home lies cyclically in (hole, j]
      const between = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!between) {
        this.table[hole] = this.table[j]!;
        hole = j;
      }
    }
    this.table[hole] = EMPTY;
    this.size--;
  }

  /** Empty, with `slots` slots (a power of two); the keys it held are the caller's to put back. */
  reset(slots: number): Float64Array {
    const old = this.table;
    this.table = new Float64Array(slots).fill(EMPTY);
    this.size = 0;
    return old;
  }
}

/**
 * A set of 53-bit keys, some kept forever and the rest in a window of the most recent.
 * The window is a ProbeTable and a ring of the keys in the order they came, both growing by
 * doubling up to the window's size. With a Set the window's keys were objects that lived for
 * 100,000 events, long enough to be promoted and then to die in the old generation, page after
 * page, and V8's committed heap kept growing with the events read (a CloudWatch fetch of one
 * stream: 121 MB peak at 100,000 events, 143 MB at 400,000).
 */
class WindowedSet {
  private forever = new KeySet();
  /**
   * Both start empty and grow at the first windowed key: there is one set per log stream, and a
   * Logs Insights read of 5,000 streams (no batch points, so no windowed key) held 60 MB of empty
   * 12 KB tables.
   */
  private window = new ProbeTable();
  private ring = NONE;
  private next = 0;

  has(key: number): boolean {
    return this.forever.has(key) || this.window.find(key) >= 0;
  }

  add(key: number, forever: boolean): void {
    if (forever) {
      this.forever.add(key);
      return;
    }
    const size = this.window.size;
    if (size === WINDOW) this.window.remove(this.ring[this.next]!);
    else if (size === this.ring.length) this.grow();
    this.window.insert(key);
    this.ring[this.next] = key;
    this.next = (this.next + 1) % this.ring.length;
  }

  /** Twice the ring (up to WINDOW) and a table twice its size, the keys re-inserted oldest first. */
  private grow(): void {
    const old = this.ring;
    const n = this.window.size;
    const ring = new Float64Array(Math.min(WINDOW, Math.max(512, old.length * 2)));
    // the ring is full here, so the oldest key is at `next`
    for (let i = 0; i < n; i++) ring[i] = old[(this.next + i) % n]!;
    this.ring = ring;
    this.next = n;
    this.window.reset(tableSize(ring.length));
    for (let i = 0; i < n; i++) this.window.insert(ring[i]!);
  }
}

/**
 * The keys kept forever: a ProbeTable grown by doubling at half full, never shrunk. A
 * Set<number> held each 53-bit key as a heap number beside its table entry: ~9 MB for the
 * 240,000 keys of a 10,000-run Logs Insights read, about twice this.
 */
class KeySet {
  private keys = new ProbeTable();

  has(key: number): boolean {
    return this.keys.find(key) >= 0;
  }

  add(key: number): void {
    if (this.has(key)) return;
    if ((this.keys.size + 1) * 2 > this.keys.table.length) {
      const old = this.keys.reset(Math.max(16, this.keys.table.length * 2));
      for (const k of old) if (k !== EMPTY) this.keys.insert(k);
    }
    this.keys.insert(key);
  }
}

/** The table slot of a key: its low 32 bits (exact for integers below 2^53), spread. */
function slotOf(key: number, mask: number): number {
  return Math.imul(key | 0, 0x9e3779b1) >>> 0 & mask;
}

const EMPTY = -1;
/** An empty table or ring, never written: each is replaced before its first key goes in. */
const NONE = new Float64Array(0);
const tableSize = (keys: number): number => 2 ** Math.ceil(Math.log2(keys * 2));

/** CloudWatch eventIds already seen, by a hash of the id (a 56-digit string). */
export class EventIdDedupe extends WindowedSet {
  seenId(id: string): boolean {
    return this.has(hash53(id));
  }

  addId(id: string, forever: boolean): void {
    this.add(hash53(id), forever);
  }
}

/** Per log stream: mnist-train event lines already seen, by a hash of their text. */
export class MessageDedupe extends WindowedSet {
  /** True when this exact message was seen before (and remembers it otherwise). */
  seen(message: string, forever: boolean): boolean {
    const key = hash53(message);
    if (this.has(key)) return true;
    this.add(key, forever);
    return false;
  }
}

/**
 * A message this long (an evaluation event: ~30 KB with its images' pixels) is hashed by
 * node's native SHA-1 instead of the loop below: the loop runs interpreted at first, and
 * one such message cost ~7 ms of a report's start (0.2 ms native).
 */
const NATIVE_HASH_FROM = 4096;

/** Two 32-bit string hashes (FNV-1a and a multiply-xor) folded into 53 bits; long strings: 53 bits of their SHA-1. */
function hash53(s: string): number {
  if (s.length >= NATIVE_HASH_FROM) {
    const d = createHash('sha1').update(s).digest();
    return d.readUIntBE(0, 6) * 0x20 + (d[6]! >>> 3);
  }
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
