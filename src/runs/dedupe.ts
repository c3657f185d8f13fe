// The one place duplicates are dropped (the sources hand over everything they fetched):
//
// - the same CloudWatch eventId twice: pages or streams that overlap, two exports read together;
// - the same mnist-train event twice in one log stream, byte for byte: PutLogEvents is
//   at-least-once, and a batch whose answer was lost is stored again under new eventIds.
//   An event carries its run id and its time to the millisecond, so two equal lines are one
//   event; a restarted task's repeated epochs have other times and are not touched;
// - the same mnist-train event with a time of its own twice in one file or on stdin
//   (TimedEventDedupe): a file concatenated with itself, a capture appended twice. Trainer text
//   has no run id and no time, and a restarted trainer prints the same lines: never dropped;
// - the same mnist-train event with a time of its own in two local inputs (a file and its
//   `aws logs filter-log-events` export, a copy): each input's TimedEventDedupe is asked
//   (TimedEventDedupe.has) by the inputs after it that hold the same run (collect.ts); an event
//   without a time, when its line is the same byte for byte (the trainer's stdout given twice):
//   a restart that logs the same epochs again with other numbers is not touched.
//
// Ids and messages of epochs and run boundaries are kept for the whole read (there are few);
// the rest (batch points: nearly all of a big log) only in a window of the last WINDOW,
// which bounds memory at a few MB. Ids and messages are kept as 53-bit hashes, not as text
// (two different ids or lines share a hash with odds of ~1 in 10^10 within a window).

import { createHash } from 'node:crypto';
import type { ReadEvent, ReadTrainEvent } from '../events.js';

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
 * Per file (or stdin): mnist-train events that carry a time of their own and were seen before in
 * it, for a line written twice (`cat run.jsonl run.jsonl`, a capture appended twice). A run id and
 * a time to the millisecond make an event one of a kind: a restarted run logs its epochs again at
 * other times, and keeps reading as restarted. Trainer text has neither and is never deduped here.
 *
 * - run_start, epoch_end, run_end, evaluation: a hash of the line, byte for byte, kept for the whole
 *   read (a few per run), as in a log stream (MessageDedupe);
 * - batch_end (nearly all of a big log): a key of what the event holds (run id, epoch, batch, loss,
 *   accuracy) beside its time, in a ring of the last WINDOW in time order. Hashing each line
 *   (~200 characters) and a hash table's probes cost ~1 s on a 1,000,000-line log; this costs a
 *   look at the last time kept, and a binary search only for a time not after it (an event that
 *   goes back in time: a repeated stretch, or a line out of order). An event earlier than the last
 *   one kept, and not found, is not kept (the ring stays in time order), so a repeat of such a line
 *   is not caught.
 */
export class TimedEventDedupe {
  private lines = new KeySet();
  /** Events without a time of their own, by their line (other inputs ask: seenUntimed, hasUntimed); made at the first. */
  private untimed: MessageDedupe | null = null;
  private times = NONE;
  private keys = NONE;
  /** The ring's oldest entry and its number of entries. */
  private first = 0;
  private count = 0;
  private runId: string | null = null;
  /** The run id's hash as two 32-bit halves, for batchKey. */
  private runLow = 0;
  private runHigh = 0;

  /** True when this event was seen before in the file (and remembers it otherwise). */
  seen(event: ReadTrainEvent, time: string, message: string): boolean {
    if (event.event !== 'batch_end') {
      const key = hash53(message);
      if (this.lines.has(key)) return true;
      this.lines.add(key);
      return false;
    }
    const t = timeOrder(time);
    if (Number.isNaN(t)) return false;
    const key = this.batchKey(event, time);
    const last = this.lastTime();
    if (t > last) {
      this.push(t, key);
      return false;
    }
    if (this.holds(t, key)) return true;
    if (t === last) this.push(t, key);
    return false;
  }

  /**
   * True when this event is among those kept (seen() remembers nothing here): whether another input
   * held it (collect.ts). A batch point is found when it is among the last WINDOW kept, in time order.
   */
  has(event: ReadTrainEvent, time: string, message: string): boolean {
    if (event.event !== 'batch_end') return this.lines.has(hash53(message));
    const t = timeOrder(time);
    if (Number.isNaN(t) || this.count === 0 || t > this.lastTime()) return false;
    return this.holds(t, this.batchKey(event, time));
  }

  /** An event without a time of its own in this input, remembered by its line for the inputs after it (batch points in a window). */
  seenUntimed(message: string, forever: boolean): void {
    (this.untimed ??= new MessageDedupe()).seen(message, forever);
  }

  /** Whether this input held an event without a time whose line is `message`, byte for byte. */
  hasUntimed(message: string): boolean {
    return this.untimed !== null && this.untimed.has(hash53(message));
  }

  private lastTime(): number {
    return this.count === 0 ? -Infinity : this.times[(this.first + this.count - 1) % this.times.length]!;
  }

  private batchKey(e: ReadEvent<'batch_end'>, time: string): number {
    // consecutive lines nearly always share one run id string (parse/batch-line.ts)
    if (e.run_id !== this.runId) {
      this.runId = e.run_id;
      const h = hash53(e.run_id);
      this.runLow = h % 0x100000000;
      this.runHigh = Math.floor(h / 0x100000000);
    }
    let h1 = this.runLow;
    let h2 = this.runHigh;
    // times with more than milliseconds: the digits the ring's times lose
    if (time.length !== 24) h1 = Math.imul(h1 ^ hash53(time), 0x01000193);
    h1 = Math.imul(h1 ^ e.epoch, 0x01000193);
    h2 = Math.imul(h2 ^ e.batch, 0x5bd1e995);
    // a missing metric and a null (not finite) one differ; neither is a number's bits
    METRIC[0] = e.loss === undefined ? Infinity : e.loss ?? NaN;
    METRIC[1] = e.accuracy === undefined ? Infinity : e.accuracy ?? NaN;
    h1 = Math.imul(h1 ^ METRIC_BITS[0]!, 0x01000193);
    h2 = Math.imul(h2 ^ METRIC_BITS[1]!, 0x5bd1e995);
    h1 = Math.imul(h1 ^ METRIC_BITS[2]!, 0x01000193);
    h2 = Math.imul(h2 ^ METRIC_BITS[3]!, 0x5bd1e995);
    h2 ^= h2 >>> 15;
    return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
  }

  /** Whether the ring holds `key` at time `t`: a binary search for the first entry at `t`, then a look at each. */
  private holds(t: number, key: number): boolean {
    const n = this.times.length;
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[(this.first + mid) % n]! < t) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.count; i++) {
      const at = (this.first + i) % n;
      if (this.times[at] !== t) return false;
      if (this.keys[at] === key) return true;
    }
    return false;
  }

  private push(t: number, key: number): void {
    if (this.count === this.times.length && this.count < WINDOW) this.grow();
    const n = this.times.length;
    if (this.count === n) this.first = (this.first + 1) % n;
    else this.count++;
    const at = (this.first + this.count - 1) % n;
    this.times[at] = t;
    this.keys[at] = key;
  }

  /** Twice the ring (512 at first, up to WINDOW), oldest first. */
  private grow(): void {
    const n = Math.min(WINDOW, Math.max(512, this.times.length * 2));
    const times = new Float64Array(n);
    const keys = new Float64Array(n);
    for (let i = 0; i < this.count; i++) {
      const at = (this.first + i) % this.times.length;
      times[i] = this.times[at]!;
      keys[i] = this.keys[at]!;
    }
    this.times = times;
    this.keys = keys;
    this.first = 0;
  }
}

/** A metric pair's bits, for batchKey. */
const METRIC = new Float64Array(2);
const METRIC_BITS = new Uint32Array(METRIC.buffer);

/**
 * An event time as a number in the order of time, equal for equal times: toISOString's shape
 * (nearly every time) read digit by digit, as (year, month, day) × a day's milliseconds + the
 * time of day (exact in a double up to the year 9999; ~4 times cheaper than Date.UTC). Another
 * shape is first read as a date (what it has beyond milliseconds is in batchKey). NaN when unreadable.
 */
function timeOrder(t: string): number {
  if (t.length !== 24) {
    const ms = Date.parse(t);
    if (Number.isNaN(ms) || ms < YEAR_0 || ms >= YEAR_10000) return NaN;
    t = new Date(ms).toISOString();
  }
  const c = (i: number): number => t.charCodeAt(i) - 48;
  const day = ((c(0) * 1000 + c(1) * 100 + c(2) * 10 + c(3)) * 12 + c(5) * 10 + c(6)) * 31 + c(8) * 10 + c(9);
  const ms = ((((c(11) * 10 + c(12)) * 60 + c(14) * 10 + c(15)) * 60) + c(17) * 10 + c(18)) * 1000 + c(20) * 100 + c(21) * 10 + c(22);
  return day * 86_400_000 + ms;
}

/** The times toISOString writes in 24 characters: the years 0000-9999. */
const YEAR_0 = Date.parse('0000-01-01T00:00:00Z');
const YEAR_10000 = Date.parse('+010000-01-01T00:00:00Z');

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
