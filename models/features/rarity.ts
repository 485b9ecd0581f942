/**
 * Rarity counters: one count-min sketch (Cormode and Muthukrishnan, 2005) holding every scoped
 * key (fleet, tenant and host scopes are prefixes of the key, see keys.ts). Fixed memory:
 * width x depth 32-bit cells, whatever the number of distinct keys.
 *
 * - Conservative update: an add raises only the cells that hold the current minimum, which
 *   keeps over-estimates of rare keys (the ones that matter here) much lower than plain adds.
 * - Decay: every `halveEvery` adds, all cells (and the total) are halved, so counts are a
 *   time-weighted memory: a pair not seen for a few periods becomes rare again; a new normal
 *   stops being rare within a period. This is how the counters learn online and forget.
 * - Guarantee (without decay): estimate >= true count, and estimate <= true + (e / width) * N
 *   with probability at least 1 - exp(-depth), N the adds since the last halving.
 *
 * - Shared: the engine's analysis threads (sharded by sensor) each run an extractor, and fleet and
 *   tenant rarity must count every host, not a thread's share. Given a SharedArrayBuffer
 *   (sharedBuffer()), the cells and the add counter live in it and every thread's sketch sees the
 *   same counts. Cell updates are plain reads and writes, not atomic: two threads raising the
 *   same cell at the same instant may lose one increment (a count one short, by chance, on keys
 *   both threads see at once: the fleet-wide ones, whose counts are large anyway). The add
 *   counter is atomic, so exactly one thread halves at the end of each period.
 *
 * Rarity (schema v1) is log-count rarity: 1 - log2(1 + count) / log2(1 + RARITY_SATURATION),
 * clipped to [0, 1]. First seen = 1, seen once ~0.9, 31 times 0.5, RARITY_SATURATION times or
 * more = 0. It does not depend on the scope's total, so a key's rarity does not drift as the fleet
 * grows, and its inverse (rarityCount) gives explanations a count in plain words.
 */
import { fmix32 } from './hash.js';

/** Count at which a key stops being rare at all (rarity 0). Part of the schema: do not change in v1. */
export const RARITY_SATURATION = 1023;
const LOG_SAT = Math.log2(1 + RARITY_SATURATION);

/** Rarity in [0, 1] of a key seen `count` times. */
export function rarityOf(count: number): number {
  const r = 1 - Math.log2(1 + count) / LOG_SAT;
  return r < 0 ? 0 : r;
}

/** Rarity of counts below RARITY_SATURATION, computed once by rarityOf itself (the same values). */
const RARITY_TABLE = Float64Array.from({ length: RARITY_SATURATION }, (_, n) => rarityOf(n));

/** rarityOf for a count from the sketch: a table below saturation, no logarithm per lookup. */
export function rarityFromCount(count: number): number {
  return count < RARITY_SATURATION ? RARITY_TABLE[count]! : 0;
}

/** The count a rarity value stands for (rounded): the inverse of rarityOf, for explanations. */
export function rarityCount(rarity: number): number {
  return Math.max(0, Math.round(2 ** ((1 - rarity) * LOG_SAT) - 1));
}

export interface SketchOptions {
  /** Cells per row, rounded up to a power of two. Default 2^20. */
  width?: number;
  /** Rows (independent hash functions). Default 4. */
  depth?: number;
  /** Halve every cell after this many adds. Default 16 x width (0: never). */
  halveEvery?: number;
  /** Counters shared with other threads: a buffer from CountMinSketch.sharedBuffer() for the same width and depth. */
  shared?: SharedArrayBuffer;
}

/** Header words before the cells: adds since the last halving, halvings. */
const HEADER_WORDS = 4;
const ADDS = 0;
const HALVINGS = 1;

function shape(o: SketchOptions): { width: number; depth: number } {
  const w = Math.max(16, o.width ?? 1 << 20);
  return { width: 2 ** Math.ceil(Math.log2(w)), depth: Math.max(1, Math.min(16, o.depth ?? 4)) };
}

export class CountMinSketch {
  readonly width: number;
  readonly depth: number;
  readonly halveEvery: number;
  private readonly mask: number;
  private readonly cells: Uint32Array;
  private readonly header: Uint32Array;
  private readonly shared: boolean;
  private readonly idx: Int32Array;

  /** A buffer for sketches of these options shared between threads (zeroed counters). */
  static sharedBuffer(o: SketchOptions = {}): SharedArrayBuffer {
    const { width, depth } = shape(o);
    return new SharedArrayBuffer(4 * (HEADER_WORDS + width * depth));
  }

  constructor(o: SketchOptions = {}) {
    ({ width: this.width, depth: this.depth } = shape(o));
    this.halveEvery = o.halveEvery ?? 16 * this.width;
    this.mask = this.width - 1;
    const words = HEADER_WORDS + this.width * this.depth;
    if (o.shared && o.shared.byteLength !== 4 * words) {
      throw new RangeError(`shared sketch buffer holds ${o.shared.byteLength} bytes, ${4 * words} needed for width ${this.width} x depth ${this.depth}`);
    }
    this.shared = o.shared !== undefined;
    const buffer = o.shared ?? new ArrayBuffer(4 * words);
    this.header = new Uint32Array(buffer, 0, HEADER_WORDS);
    this.cells = new Uint32Array(buffer, 4 * HEADER_WORDS, this.width * this.depth);
    // Touch every page now (build once, run hot): otherwise the first adds pay a page fault each.
    // (A shared buffer may already hold counts: only touched, never cleared.)
    if (!this.shared) this.cells.fill(1).fill(0);
    else for (let i = 0; i < this.cells.length; i += 1024) this.cells[i] = this.cells[i]!;
    this.idx = new Int32Array(this.depth);
  }

  /** Adds since the last halving (all threads', when shared). */
  get adds(): number {
    return this.shared ? Atomics.load(this.header, ADDS) : this.header[ADDS]!;
  }

  /** Halvings so far (all threads', when shared). */
  get halvings(): number {
    return this.shared ? Atomics.load(this.header, HALVINGS) : this.header[HALVINGS]!;
  }

  /** Memory held by the counters, in bytes (fixed at construction). */
  get bytes(): number {
    return this.cells.byteLength;
  }

  /** Estimated count of a key given by its 32-bit hash (never below the true count, before decay). */
  estimate(hash: number): number {
    const h2 = fmix32(hash) | 1;
    let min = 0xffffffff;
    for (let r = 0, h = hash; r < this.depth; r++, h = (h + h2) | 0) {
      const v = this.cells[r * this.width + (h & this.mask)]!;
      if (v < min) min = v;
    }
    return min;
  }

  /** Rarity in [0, 1] of a key (see rarityOf). */
  rarity(hash: number): number {
    return rarityFromCount(this.estimate(hash));
  }

  /** Counts one occurrence of a key (conservative update), then decays when a period ends. */
  add(hash: number): void {
    const h2 = fmix32(hash) | 1;
    const idx = this.idx;
    let min = 0xffffffff;
    for (let r = 0, h = hash; r < this.depth; r++, h = (h + h2) | 0) {
      const i = r * this.width + (h & this.mask);
      idx[r] = i;
      const v = this.cells[i]!;
      if (v < min) min = v;
    }
    if (min < 0xffffffff) {
      const next = min + 1;
      for (let r = 0; r < this.depth; r++) if (this.cells[idx[r]!]! < next) this.cells[idx[r]!] = next;
    }
    if (this.halveEvery <= 0) return;
    if (!this.shared) {
      if (++this.header[ADDS]! >= this.halveEvery) this.halve();
    } else if (Atomics.add(this.header, ADDS, 1) + 1 === this.halveEvery) {
      // Exactly one thread's add completes the period; the adds others made meanwhile count
      // towards the next one.
      this.halveCells();
      Atomics.sub(this.header, ADDS, this.halveEvery);
      Atomics.add(this.header, HALVINGS, 1);
    }
  }

  /** Halves every counter: the decay step. */
  halve(): void {
    this.halveCells();
    if (this.shared) {
      Atomics.store(this.header, ADDS, 0);
      Atomics.add(this.header, HALVINGS, 1);
    } else {
      this.header[ADDS] = 0;
      this.header[HALVINGS]!++;
    }
  }

  private halveCells(): void {
    const c = this.cells;
    for (let i = 0; i < c.length; i++) c[i] = c[i]! >>> 1;
  }
}
