/**
 * One host's remembered process scores for lineage: keyed by process identity, in insertion
 * order, bounded (oldest first out).
 *
 * A process is its pid and its start time, as numbers (pids are reused; the start time tells the
 * processes apart). The table is open addressing over a typed array (linear probing; a slot's
 * pid, start time and score side by side, so a probe touches one cache line), with the
 * insertion order in a ring of slot numbers: a lookup reads two or three adjacent numbers, where
 * a Map of per-process objects cost a hash-table walk and a pointer chase into the heap per row
 * (the engine does two lookups per scored row). Only the oldest entry ever leaves, so deletions
 * leave tombstones that the next rebuild drops. The table starts small and doubles up to what
 * `max` entries need: a quiet host costs a few kilobytes.
 *
 * Identities compare as Map keys do (SameValueZero): NaN finds NaN.
 */

const EMPTY = 0;
const USED = 1;
const MIN_SLOTS = 256;

const same = (a: number, b: number): boolean => a === b || (a !== a && b !== b);

/** A 32-bit mix of the two numbers (murmur3's finaliser over the pid and the start's two halves). */
function hashOf(pid: number, start: number): number {
  // x | 0 is ToInt32: the integer part modulo 2^32 (the low half of a millisecond time).
  let h = Math.imul((pid | 0) ^ 0x9e3779b9, 0x85ebca6b);
  h ^= Math.imul(start | 0, 0xc2b2ae35);
  h ^= (start / 4294967296) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class HostProcesses {
  /** Per slot: pid, start time, score. */
  private slots: Float64Array;
  private state: Uint8Array;
  /** Per used slot: the index in `order` that names it. */
  private ringOf: Int32Array;
  private mask: number;
  /** Slots in insertion order, oldest at `head`; `size` of them are live. Grows up to `max`. */
  private order: Int32Array;
  private head = 0;
  /** The most slots the table grows to: at most half full when holding `max` entries. */
  private readonly maxSlots: number;
  size = 0;

  constructor(readonly max: number) {
    this.order = new Int32Array(Math.min(max, MIN_SLOTS));
    this.maxSlots = Math.max(MIN_SLOTS, nextPow2(2 * max));
    const slots = MIN_SLOTS;
    this.slots = new Float64Array(3 * slots);
    this.state = new Uint8Array(slots);
    this.ringOf = new Int32Array(slots);
    this.mask = slots - 1;
  }

  get(pid: number, start: number): number | undefined {
    const slot = this.find(pid, start, hashOf(pid, start));
    return slot >= 0 ? this.slots[3 * slot + 2] : undefined;
  }

  /**
   * Sets a process's score. A process seen again keeps its place (its first sighting) and takes
   * the new score; a new one is the newest, and pushes the oldest out when the table is full.
   * Returns true when it did.
   */
  set(pid: number, start: number, score: number): boolean {
    const h = hashOf(pid, start);
    const found = this.find(pid, start, h);
    if (found >= 0) {
      this.slots[3 * found + 2] = score;
      return false;
    }
    const full = this.size >= this.max;
    if (full) this.removeOldest();
    else if (2 * (this.size + 1) > this.mask + 1 && this.mask + 1 < this.maxSlots) this.grow();
    if (this.size === this.order.length) this.growOrder();
    const ring = (this.head + this.size) % this.order.length;
    const slot = this.insert(pid, start, score, h, ring);
    this.order[ring] = slot;
    this.size++;
    return full;
  }

  /** The slot of a process whose hashOf is `h`, or -1. */
  private find(pid: number, start: number, h: number): number {
    const mask = this.mask;
    const state = this.state;
    const slots = this.slots;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      if (state[i] === EMPTY) return -1;
      if (same(slots[3 * i]!, pid) && same(slots[3 * i + 1]!, start)) return i;
    }
  }

  /** Puts a process not in the table (hashOf: `h`) into a free slot, named by ring entry `ring`; returns the slot. */
  private insert(pid: number, start: number, score: number, h: number, ring: number): number {
    const mask = this.mask;
    let i = h & mask;
    while (this.state[i] === USED) i = (i + 1) & mask;
    this.state[i] = USED;
    const slots = this.slots;
    slots[3 * i] = pid;
    slots[3 * i + 1] = start;
    slots[3 * i + 2] = score;
    this.ringOf[i] = ring;
    return i;
  }

  /**
   * Deletes the oldest entry by backward shift (linear probing's deletion without tombstones):
   * each later entry of the probe run whose home slot is not between the hole and itself moves
   * into the hole, and its ring entry follows.
   */
  private removeOldest(): void {
    const mask = this.mask;
    const state = this.state;
    const slots = this.slots;
    let hole = this.order[this.head]!;
    state[hole] = EMPTY;
    this.head = (this.head + 1) % this.order.length;
    this.size--;
    for (let j = (hole + 1) & mask; state[j] === USED; j = (j + 1) & mask) {
      const home = hashOf(slots[3 * j]!, slots[3 * j + 1]!) & mask;
      // The entry at j may stay when its home lies cyclically in (hole, j].
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      slots[3 * hole] = slots[3 * j]!;
      slots[3 * hole + 1] = slots[3 * j + 1]!;
      slots[3 * hole + 2] = slots[3 * j + 2]!;
      state[hole] = USED;
      const ring = this.ringOf[j]!;
      this.ringOf[hole] = ring;
      this.order[ring] = hole;
      state[j] = EMPTY;
      hole = j;
    }
  }

  /** Doubles the table (rehashing the live entries in insertion order). */
  private grow(): void {
    const old = this.slots;
    const n = this.size;
    const len = this.order.length;
    const slots = 2 * (this.mask + 1);
    const order = new Int32Array(n);
    for (let k = 0; k < n; k++) order[k] = this.order[(this.head + k) % len]!;
    this.slots = new Float64Array(3 * slots);
    this.state = new Uint8Array(slots);
    this.ringOf = new Int32Array(slots);
    this.mask = slots - 1;
    this.head = 0;
    for (let k = 0; k < n; k++) {
      const o = 3 * order[k]!;
      this.order[k] = this.insert(old[o]!, old[o + 1]!, old[o + 2]!, hashOf(old[o]!, old[o + 1]!), k);
    }
  }

  /** The insertion ring is full below `max`: doubles it, oldest first at 0. */
  private growOrder(): void {
    const len = this.order.length;
    const grown = new Int32Array(Math.min(this.max, 2 * len));
    for (let k = 0; k < this.size; k++) {
      const slot = this.order[(this.head + k) % len]!;
      grown[k] = slot;
      this.ringOf[slot] = k;
    }
    this.order = grown;
    this.head = 0;
  }
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
