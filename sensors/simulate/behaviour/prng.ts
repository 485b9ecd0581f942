/**
 * Seeded randomness for the behaviour generator. sfc32 (Chris Doty-Humphrey's Small Fast
 * Counting generator): four 32-bit words of state, passes PractRand far beyond what a simulation
 * draws, and needs only 32-bit integer operations, which V8 keeps unboxed.
 *
 * Every random stream is keyed by what it describes (host seed, slot index, day index, scenario),
 * never by how many numbers were drawn before it: that is what makes a window of virtual time
 * reproducible on its own, whatever was generated before.
 */

/** One round of mixing a word into a running hash (murmur3-style). */
function step(h: number, w: number): number {
  // Numbers above 2^32 (ms timestamps, large slot indices) fold their high part in.
  const lo = w >>> 0;
  const hi = Math.floor(w / 4294967296) >>> 0;
  h = Math.imul(h ^ lo, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ hi, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function finish(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Mixes words into one well-spread 32-bit word. */
export function mix(...words: number[]): number {
  let h = 0x9e3779b9;
  for (const w of words) h = step(h, w);
  return finish(h);
}

/** FNV-1a over a string's UTF-16 code units: stable 32-bit hash for names. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A cumulative-weight table for weighted choice, built once. */
export interface Weighted<T> {
  readonly items: readonly T[];
  readonly cumulative: Float64Array;
  readonly total: number;
}

export function weighted<T>(entries: ReadonlyArray<readonly [T, number]>): Weighted<T> {
  const cumulative = new Float64Array(entries.length);
  let total = 0;
  entries.forEach(([, w], i) => {
    total += w;
    cumulative[i] = total;
  });
  return { items: entries.map(([item]) => item), cumulative, total };
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Seeds from up to four words (host seed, stream kind, index, time). Fixed arity: built once per slot. */
  constructor(w0: number, w1 = 0, w2 = 0, w3 = 0) {
    const h = step(step(step(step(0x9e3779b9, w0), w1), w2), w3);
    this.a = finish(step(h, 1));
    this.b = finish(step(h, 2));
    this.c = finish(step(h, 3));
    this.d = 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi] (both included). */
  between(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)]!;
  }

  choose<T>(table: Weighted<T>): T {
    const x = this.float() * table.total;
    const c = table.cumulative;
    let i = 0;
    while (i < c.length - 1 && c[i]! <= x) i++;
    return table.items[i]!;
  }

  /** Standard normal (Box-Muller, one value per call: simpler than caching the pair). */
  normal(): number {
    const u = 1 - this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  /** Poisson-distributed count: Knuth for small means, a rounded normal for large ones. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }

  /** Exponential-ish duration: mean `ms`, clamped to [min, max]. */
  duration(ms: number, min: number, max: number): number {
    const v = Math.round(-Math.log(1 - this.float()) * ms);
    return v < min ? min : v > max ? max : v;
  }

  /** Lowercase hex string of `n` digits. */
  hex(n: number): string {
    let s = '';
    while (s.length < n) s += this.u32().toString(16).padStart(8, '0');
    return s.slice(0, n);
  }
}
