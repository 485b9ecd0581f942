/**
 * Lineage scores: an attack is a process tree, not one process. The implant's children (the shell
 * it opens, whoami, net, sc...) each look only mildly unusual on their own; what makes them
 * suspicious is where they come from. So a process's score is the larger of its own and a decayed
 * share of its parent's (which already carries its own ancestors'):
 *
 *   lineage(p) = max(own(p), decay * lineage(parent(p)))      (0 <= decay < 1)
 *
 * i.e. the largest decay^k * own(ancestor k) along the remembered chain, and a network window's
 * score is max(own(window), decay * lineage(its process)). Scores are relative: a model's raw
 * score divided by its threshold (1 = at the threshold), so that process and network models
 * compare. The process model's threshold is calibrated on lineage scores (models/train/), so its
 * false-positive budget holds for what is alerted on; the network model's on its own scores.
 *
 * Computed online, in event order, from what was seen before: no future leaks in.
 *
 * A process is named by the slot and serial the feature extractor gave it (models/features/
 * process-slots.ts), written beside its row: its score is kept at its slot, and a child finds
 * its parent's by the parent's slot, trusted only when the serial there is the parent's. So the
 * per-row path is two array reads and two writes: no key, no hashing, nothing allocated. What
 * lineage remembers is what the extractor remembers (per host maxProcessesPerHost processes,
 * oldest first out; hosts LRU): a forgotten process's slot goes to a later one, whose serial
 * differs. The arrays grow with the slots in use, never shrink. The same code runs in evaluation
 * (models/eval, via models/score/row-lineage.ts), calibration and the engine, so what is
 * measured is what runs.
 * Measured on otrf-atomic, leave-datasets-out (docs/EVALUATION.md): process ROC-AUC 0.85 -> 0.91,
 * network 0.93 -> 0.95 with decay 0.9.
 */

export const DEFAULT_LINEAGE_DECAY = 0.9;

export interface LineageOptions {
  /** Share of a parent's score a child inherits; 0 turns lineage off. Default 0.9. */
  decay?: number;
}

export interface LineagePart {
  /** The score the row is judged on: max(own, inherited). */
  score: number;
  /** decay * the ancestor chain's score (0 when unknown). */
  inherited: number;
}

const INITIAL_SLOTS = 1024;

export class LineageScores {
  readonly decay: number;
  /** Per slot: the serial of the process whose score is kept there (-1: none yet). */
  private serials = new Float64Array(INITIAL_SLOTS).fill(-1);
  private scores = new Float64Array(INITIAL_SLOTS);
  /** Scores that gave way to a later process in their slot (the extractor forgot the first). */
  evicted = 0;
  /** The `inherited` part of the last processOf() or networkOf() call (they return the score alone). */
  lastInherited = 0;

  constructor(o: LineageOptions = {}) {
    const decay = o.decay ?? DEFAULT_LINEAGE_DECAY;
    if (!(decay >= 0 && decay < 1)) throw new RangeError(`lineage decay must be in [0, 1), got ${decay}`);
    this.decay = decay;
  }

  /**
   * A process start scored `own`, named by its slot and serial and its parent's (-1: not
   * remembered, FeatureRows.refs): returns its lineage score, kept for its children; the
   * inherited part is in lastInherited.
   */
  processOf(slot: number, serial: number, parentSlot: number, parentSerial: number, own: number): number {
    const inherited = this.decay * this.scoreOf(parentSlot, parentSerial);
    const score = own > inherited ? own : inherited;
    if (slot >= 0) this.keep(slot, serial, score);
    this.lastInherited = inherited;
    return score;
  }

  /** A network window of a process (its slot and serial) scored `own`: max(own, inherited); the inherited part is in lastInherited. */
  networkOf(slot: number, serial: number, own: number): number {
    const inherited = this.decay * this.scoreOf(slot, serial);
    this.lastInherited = inherited;
    return own > inherited ? own : inherited;
  }

  /** The lineage score kept for a process, 0 when none is (not scored yet, or forgotten). */
  scoreOf(slot: number, serial: number): number {
    return slot >= 0 && slot < this.serials.length && this.serials[slot] === serial ? this.scores[slot]! : 0;
  }

  private keep(slot: number, serial: number, score: number): void {
    if (slot >= this.serials.length) this.grow(slot);
    const was = this.serials[slot]!;
    // Serials rise: a larger one here is the slot's later owner, scored first (its rows went to
    // another model's batch); the earlier owner's score must not overwrite it.
    if (was > serial) return;
    if (was >= 0 && was !== serial) this.evicted++;
    this.serials[slot] = serial;
    this.scores[slot] = score;
  }

  private grow(slot: number): void {
    let n = this.serials.length * 2;
    while (n <= slot) n *= 2;
    const serials = new Float64Array(n).fill(-1);
    serials.set(this.serials);
    const scores = new Float64Array(n);
    scores.set(this.scores);
    this.serials = serials;
    this.scores = scores;
  }
}
