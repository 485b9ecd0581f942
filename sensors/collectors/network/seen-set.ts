/**
 * The connections already reported, bounded by a generation sweep: each poll marks the keys it
 * sees with the current generation, and keys not seen for more than `grace` generations (the
 * socket is gone) are dropped. Memory follows the host's live sockets, not its history. The grace
 * absorbs a socket missing from one read of a table that changed while it was read.
 *
 * A hard bound stops growth on a host with more sockets than maxKeys: new keys are refused
 * (policy drop-new) and counted by the caller.
 */
export class SeenSet {
  private readonly gens = new Map<string, number>();
  private generation = 0;

  constructor(readonly maxKeys: number, private readonly grace = 2) {}

  get size(): number {
    return this.gens.size;
  }

  has(key: string): boolean {
    return this.gens.has(key);
  }

  /** Marks a key as seen in this generation; false if it is new and the set is full. */
  mark(key: string): boolean {
    if (!this.gens.has(key) && this.gens.size >= this.maxKeys) return false;
    this.gens.set(key, this.generation);
    return true;
  }

  /** Ends a generation: forgets the keys not marked for more than `grace` generations. */
  sweep(): number {
    let dropped = 0;
    for (const [key, gen] of this.gens) {
      if (this.generation - gen >= this.grace) {
        this.gens.delete(key);
        dropped++;
      }
    }
    this.generation++;
    return dropped;
  }
}
