/**
 * One host's remembered process scores for lineage: keyed by process identity, in insertion
 * order, bounded (oldest first out).
 *
 * A process is its pid and its start time, as numbers: the engine reads them from the event (no
 * "pid:startTimeMs" text built and hashed per row, as Map<string, number> needed). The pid is the
 * key of a plain Map and the start time tells apart the processes that reused a pid (a short
 * chain, newest first), the idea of models/features/process-map.ts. A text key (the `id` of the
 * string API, start 0) works the same way: Map tells 5 from '5', so the two never meet.
 *
 * Only the oldest entry ever leaves, so insertion order is a singly linked list, and an evicted
 * entry is reused for the one that replaced it: a full table allocates nothing.
 */

export type ProcessId = number | string;

interface Entry {
  id: ProcessId;
  start: number;
  score: number;
  /** Older process with the same id (pid reuse). */
  samePid: Entry | undefined;
  /** Next entry in insertion order. */
  newer: Entry | undefined;
}

/** start times compare as Map keys do (SameValueZero): NaN finds NaN. */
const sameStart = (a: number, b: number): boolean => a === b || (a !== a && b !== b);

export class HostProcesses {
  private readonly byId = new Map<ProcessId, Entry>();
  private oldest: Entry | undefined;
  private newest: Entry | undefined;
  size = 0;

  constructor(readonly max: number) {}

  get(id: ProcessId, start: number): number | undefined {
    return this.find(id, start)?.score;
  }

  /**
   * Sets a process's score. A process seen again keeps its place (its first sighting) and takes
   * the new score; a new one is the newest, and pushes the oldest out when the table is full.
   * Returns true when it did.
   */
  set(id: ProcessId, start: number, score: number): boolean {
    const found = this.find(id, start);
    if (found) {
      found.score = score;
      return false;
    }
    let e: Entry;
    const full = this.size >= this.max;
    if (full) {
      e = this.removeOldest();
      e.id = id;
      e.start = start;
      e.score = score;
      e.samePid = this.byId.get(id);
      e.newer = undefined;
    } else {
      e = { id, start, score, samePid: this.byId.get(id), newer: undefined };
      this.size++;
    }
    this.byId.set(id, e);
    if (this.newest) this.newest.newer = e;
    else this.oldest = e;
    this.newest = e;
    return full;
  }

  private find(id: ProcessId, start: number): Entry | undefined {
    let e = this.byId.get(id);
    while (e !== undefined && !sameStart(e.start, start)) e = e.samePid;
    return e;
  }

  /** Unlinks the oldest entry (the table is not empty) and returns it for reuse; size is unchanged. */
  private removeOldest(): Entry {
    const e = this.oldest!;
    this.oldest = e.newer;
    if (this.oldest === undefined) this.newest = undefined;
    const head = this.byId.get(e.id)!;
    if (head === e) {
      if (e.samePid) this.byId.set(e.id, e.samePid);
      else this.byId.delete(e.id);
    } else {
      // The oldest entry is the last of its chain (newer processes with its pid came after it).
      let prev = head;
      while (prev.samePid !== e) prev = prev.samePid!;
      prev.samePid = e.samePid;
    }
    return e;
  }
}
