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
}

export class CountMinSketch {
  readonly width: number;
  readonly depth: number;
  readonly halveEvery: number;
  private readonly mask: number;
  private readonly cells: Uint32Array;
  private readonly idx: Int32Array;
  /** Adds since the last halving, and halvings so far. */
  adds = 0;
  halvings = 0;

  constructor(o: SketchOptions = {}) {
    const w = Math.max(16, o.width ?? 1 << 20);
    this.width = 2 ** Math.ceil(Math.log2(w));
    this.depth = Math.max(1, Math.min(16, o.depth ?? 4));
    this.halveEvery = o.halveEvery ?? 16 * this.width;
    this.mask = this.width - 1;
    this.cells = new Uint32Array(this.width * this.depth);
    // Touch every page now (build once, run hot): otherwise the first adds pay a page fault each.
    this.cells.fill(1).fill(0);
    this.idx = new Int32Array(this.depth);
  }

  /** Memory held by the counters, in bytes (fixed at construction). */
  get bytes(): number {
    return this.cells.byteLength;
  }

  /** Estimated count of a key given by its 32-bit hash (never below the true count, before decay). */
  estimate(hash: number): number {
    const h2 = fmix32(hash) | 1;
    let min = 0xffffffff;
    for (let r = 0, h = hash; r < this.depth; r++, h = (h + h2) >>> 0) {
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
    for (let r = 0, h = hash; r < this.depth; r++, h = (h + h2) >>> 0) {
      const i = r * this.width + (h & this.mask);
      idx[r] = i;
      const v = this.cells[i]!;
      if (v < min) min = v;
    }
    if (min < 0xffffffff) {
      const next = min + 1;
      for (let r = 0; r < this.depth; r++) if (this.cells[idx[r]!]! < next) this.cells[idx[r]!] = next;
    }
    if (this.halveEvery > 0 && ++this.adds >= this.halveEvery) this.halve();
  }

  /** Halves every counter: the decay step. */
  halve(): void {
    const c = this.cells;
    for (let i = 0; i < c.length; i++) c[i] = c[i]! >>> 1;
    this.adds = 0;
    this.halvings++;
  }
}
