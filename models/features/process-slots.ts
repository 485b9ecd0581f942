/**
 * Numbers for the processes the extractor remembers, for whoever keeps something per process
 * beside the rows (the score stage's lineage scores, models/score/lineage.ts): a slot, a small
 * integer reused once the process is forgotten, so a per-slot array stays as large as the
 * extractor's memory; and a serial, never reused, which tells the slot's owners apart.
 *
 * The extractor writes both beside each row (FeatureRows.refs); a reader finds a process's
 * entry at its slot and trusts it only when the entry's serial is the process's own. Serials
 * rise: a slot's later owner always has the larger serial.
 */
export class ProcessSlots {
  private readonly freed: number[] = [];
  private highWater = 0;
  private lastSerial = -1;

  /** A free slot, for a process given serial() with it. */
  take(): number {
    return this.freed.length > 0 ? this.freed.pop()! : this.highWater++;
  }

  /** The next serial (0, 1, 2...). */
  serial(): number {
    return ++this.lastSerial;
  }

  /** The slot of a process forgotten: the next take() may hand it out again. */
  release(slot: number): void {
    this.freed.push(slot);
  }

  /** Slots in use. */
  get live(): number {
    return this.highWater - this.freed.length;
  }
}
