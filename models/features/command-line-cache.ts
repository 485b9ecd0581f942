/**
 * Scanned command lines, remembered by their text: a fleet runs the same command lines over and
 * over (the simulated office fleet: 24,500 distinct ones per tenant in 67,000 process starts over
 * two hours), and a command line's shape and token hashes are the most costly part of a process
 * row.
 *
 * An entry holds the shape measures (command-line-scan.ts) and the hashes of tokens 1..n (token 0,
 * the program, is not a rarity key), of the token text alone: the rows mix them with their
 * tenant's and image's seed (hash.ts mixKey), so an entry serves every tenant and image.
 *
 * Bounded: two generations of at most `capacity` entries; a hit in the old one moves to the young
 * one, and when the young one is full the old one is dropped. Lines longer than MAX_SCAN are
 * measured but not kept.
 */
import { CommandLineShape, ShapeMeasures } from './command-line-scan.js';
import { MAX_SCAN } from './command-line.js';
import { FNV_OFFSET, Fold, fnvAdd } from './hash.js';

export class ScannedLine extends ShapeMeasures {
  /** tokenHash of tokens 1..n-1. */
  hashes: number[] = [];
}

/** A command-line token's hash (digits folded, lower case): its part of a rarity key. */
export const tokenHash = (cl: string, start: number, end: number): number => fnvAdd(FNV_OFFSET, cl, start, end, Fold.LOWER_DIGITS);

export class CommandLineCache {
  private young = new Map<string, ScannedLine>();
  private old = new Map<string, ScannedLine>();
  private readonly shape: CommandLineShape;
  /** Lookups, and those that found the line (whatever the seed). */
  readonly count = { lookups: 0, hits: 0 };

  constructor(maxTokens: number, private readonly capacity = 8192) {
    this.shape = new CommandLineShape(maxTokens);
  }

  /** The measures of `cl` and its token hashes. */
  get(cl: string): ScannedLine {
    this.count.lookups++;
    let e = this.young.get(cl);
    if (e === undefined) {
      e = this.old.get(cl);
      if (e === undefined) return this.scan(cl);
      this.keep(cl, e);
    }
    this.count.hits++;
    return e;
  }

  private scan(cl: string): ScannedLine {
    const s = this.shape.scan(cl);
    const e = new ScannedLine().copyFrom(s);
    for (let i = 1; i < s.tokenBounds; i++) e.hashes.push(tokenHash(cl, s.starts[i]!, s.ends[i]!));
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
