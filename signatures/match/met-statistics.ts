/**
 * Which requirements are worth counting, learnt from the events a prefilter sees first. A rule
 * keeps up to three requirements (requirements.ts), chosen by the length of their literals
 * alone: some are met by nearly every event (`image ends with .exe`, `integrity level is high
 * or system`, `company is microsoft corporation`). Such a requirement rejects almost nothing,
 * yet each event pays to record and count it: with the SigmaHQ process_creation rules on the
 * otrf-atomic replay, 41 of 3,414 requirements are met by more than half of the events, and make
 * two fifths of the 83 requirements an event meets.
 *
 * After `PROBATION_EVENTS` events, a requirement met by more than `FREQUENT` of them is no
 * longer counted; every rule keeps its least often met one. Dropping a requirement only lets more
 * events through to the rule's predicate, so hits never change: only where the time goes.
 */

/** Events observed before deciding. */
export const PROBATION_EVENTS = 1000;
/** Requirements met by more than this share of the observed events stop being counted. */
export const FREQUENT = 0.5;

export class MetStatistics {
  /** Events observed so far. */
  events = 0;
  /** Per requirement: in how many observed events it was met. */
  private readonly counts: Uint32Array;

  constructor(requirements: number) {
    this.counts = new Uint32Array(requirements);
  }

  /** Records one event's met requirements, `met[0..count)` (each once). */
  observe(met: Int32Array, count: number): void {
    this.events++;
    const counts = this.counts;
    for (let i = 0; i < count; i++) {
      const id = met[i] as number;
      counts[id] = (counts[id] as number) + 1;
    }
  }

  /**
   * Per requirement, 1 to keep counting it and 0 to drop it (see the module comment).
   * `ruleOf[id]` is requirement id's rule; a rule's ids are consecutive.
   */
  active(ruleOf: Int32Array): Uint8Array {
    const active = new Uint8Array(ruleOf.length).fill(1);
    const counts = this.counts;
    const limit = FREQUENT * this.events;
    for (let from = 0; from < ruleOf.length; ) {
      let to = from + 1;
      while (to < ruleOf.length && ruleOf[to] === ruleOf[from]) to++;
      let rarest = from;
      for (let id = from + 1; id < to; id++) if ((counts[id] as number) < (counts[rarest] as number)) rarest = id;
      for (let id = from; id < to; id++) if (id !== rarest && (counts[id] as number) > limit) active[id] = 0;
      from = to;
    }
    return active;
  }
}
