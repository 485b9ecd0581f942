/**
 * Scanned command lines, remembered by their text: a fleet runs the same command lines over and
 * over (the simulated office fleet: 24,500 distinct ones per tenant in 67,000 process starts over
 * two hours), and a command line's shape and token hashes are the most costly part of a process
 * row.
 *
 * An entry holds the shape measures (command-line-scan.ts) and the hashes of tokens 1..n (token 0,
 * the program, is not a rarity key) under the token seed they were computed with: that seed
 * mixes the tenant and the image's base name (process-row.ts), so a hit under another seed
 * rehashes its tokens; the values are the same as a fresh scan gives either way.
 *
 * Bounded: two generations of at most `capacity` entries; a hit in the old one moves to the young
 * one, and when the young one is full the old one is dropped. Lines longer than MAX_SCAN are
 * measured but not kept.
 */
import { CommandLineShape, ShapeMeasures } from './command-line-scan.js';
import { MAX_SCAN, tokenBounds } from './command-line.js';
import { Fold, fnvAdd } from './hash.js';

export class ScannedLine extends ShapeMeasures {
  /** The seed `hashes` were computed with (NaN: none yet). */
  tokenSeed = NaN;
  /** FNV-1a of tokens 1..n-1 (digits folded, lower case), from `tokenSeed`. */
  hashes: number[] = [];
}

export class CommandLineCache {
  private young = new Map<string, ScannedLine>();
  private old = new Map<string, ScannedLine>();
  private readonly shape: CommandLineShape;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  /** Lookups, and those that found the line (whatever the seed). */
  readonly count = { lookups: 0, hits: 0 };

  constructor(maxTokens: number, private readonly capacity = 8192) {
    this.shape = new CommandLineShape(maxTokens);
    this.starts = new Int32Array(maxTokens);
    this.ends = new Int32Array(maxTokens);
  }

  /** The measures of `cl` and its token hashes under `tokenSeed`. */
  get(cl: string, tokenSeed: number): ScannedLine {
    this.count.lookups++;
    let e = this.young.get(cl);
    if (e === undefined) {
      e = this.old.get(cl);
      if (e === undefined) return this.scan(cl, tokenSeed);
      this.keep(cl, e);
    }
    this.count.hits++;
    if (e.tokenSeed !== tokenSeed) hashTokens(e, cl, tokenSeed, this.starts, this.ends, tokenBounds(cl, this.starts, this.ends));
    return e;
  }

  private scan(cl: string, tokenSeed: number): ScannedLine {
    const s = this.shape.scan(cl);
    const e = new ScannedLine().copyFrom(s);
    hashTokens(e, cl, tokenSeed, s.starts, s.ends, s.tokenBounds);
    if (cl.length <= MAX_SCAN) this.keep(cl, e);
    return e;
  }

  private keep(cl: string, e: ScannedLine): void {
    if (this.young.size >= this.capacity) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(cl, e);
  }
}

function hashTokens(e: ScannedLine, cl: string, tokenSeed: number, starts: Int32Array, ends: Int32Array, n: number): void {
  e.tokenSeed = tokenSeed;
  const hashes = e.hashes;
  hashes.length = 0;
  for (let i = 1; i < n; i++) hashes.push(fnvAdd(tokenSeed, cl, starts[i], ends[i], Fold.LOWER_DIGITS));
}
