/**
 * Remembers, for one batch, which scan result a field's value has: an open-addressing table keyed by a
 * cheap fingerprint of the string (its length and eight sampled characters), verified with `===`.
 * A `Map<string, …>` would hash every character of every new string (the events of a batch are
 * freshly decoded): about as costly as half the scan it saves. Here a lookup reads nine
 * characters, and the equality check of a hit compares memory at native speed; a fingerprint
 * collision costs one more probe, never a wrong answer.
 */

const PROBES = 4;

export class ValueMemo {
  /** Per slot: the value's payload (the batch's scan result it has). */
  readonly payload: Int32Array;
  private readonly keys: (string | undefined)[];
  private readonly mask: number;
  /** After a `find` that missed: a free slot for `put`, or -1 when its probes were all taken. */
  free = -1;
  size = 0;
  lookups = 0;
  hits = 0;

  /** `slots`: a power of two, about twice the distinct values one batch may hold. */
  constructor(slots: number) {
    this.keys = new Array<string | undefined>(slots).fill(undefined);
    this.payload = new Int32Array(slots);
    this.mask = slots - 1;
  }

  /** Forgets everything (a new batch), releasing the strings. */
  clear(): void {
    if (this.size > 0) this.keys.fill(undefined);
    this.size = 0;
    this.lookups = 0;
    this.hits = 0;
  }

  /** The slot holding `s` (non-empty), or -1 (and `free` set). */
  find(s: string): number {
    this.lookups++;
    const keys = this.keys;
    const n = s.length;
    let h = n;
    for (let i = 0; i < 8; i++) h = Math.imul(h ^ s.charCodeAt((i * n) >> 3), 0x9e3779b1);
    h = Math.imul(h ^ s.charCodeAt(n - 1), 0x85ebca6b);
    let slot = (h ^ (h >>> 15)) & this.mask;
    for (let p = 0; p < PROBES; p++) {
      const key = keys[slot];
      if (key === undefined) {
        this.free = slot;
        return -1;
      }
      if (key === s) {
        this.hits++;
        return slot;
      }
      slot = (slot + 1) & this.mask;
    }
    this.free = -1;
    return -1;
  }

  /** Stores `s` with `payload` in the free slot the last missed `find` reported. */
  put(slot: number, s: string, payload: number): void {
    if (this.keys[slot] === undefined) this.size++;
    this.keys[slot] = s;
    this.payload[slot] = payload;
  }
}
