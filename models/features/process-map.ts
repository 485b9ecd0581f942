/**
 * A map keyed by process identity (pid, start time), in insertion order: the extractor's lineage
 * table and open windows. It replaces Map<"pid:startTimeMs", V>, which built that string (two
 * number-to-text conversions) and hashed it for every event; here the pid is the key of a plain
 * Map of numbers and the start time tells apart the processes that reused a pid (a short chain).
 * Insertion order is a doubly linked list, so the oldest entry is at hand for eviction and for
 * the windows' sweep, and an entry can leave from the middle.
 */
import type { ProcessRef } from '../../common/events.js';

interface Entry<V> {
  readonly pid: number;
  readonly start: number;
  value: V;
  /** Next process with the same pid. */
  samePid: Entry<V> | undefined;
  older: Entry<V> | undefined;
  newer: Entry<V> | undefined;
}

/** The identity fields of a process reference, as processKey() reads them. */
export const refPid = (ref: ProcessRef | null | undefined): number => ref?.pid ?? 0;
export const refStart = (ref: ProcessRef | null | undefined): number => ref?.startTimeMs ?? 0;

export class ProcessMap<V> {
  private readonly byPid = new Map<number, Entry<V>>();
  private oldestEntry: Entry<V> | undefined;
  private newestEntry: Entry<V> | undefined;
  size = 0;

  get(pid: number, start: number): V | undefined {
    return this.find(pid, start)?.value;
  }

  /** Sets the value of a process, which becomes the newest entry (as Map's delete then set); returns the value it replaced. */
  set(pid: number, start: number, value: V): V | undefined {
    const found = this.find(pid, start);
    if (found) {
      const was = found.value;
      found.value = value;
      this.unlink(found);
      this.link(found);
      return was;
    }
    const e: Entry<V> = { pid, start, value, samePid: this.byPid.get(pid), older: undefined, newer: undefined };
    this.byPid.set(pid, e);
    this.link(e);
    this.size++;
    return undefined;
  }

  delete(pid: number, start: number): boolean {
    const head = this.byPid.get(pid);
    let prev: Entry<V> | undefined;
    for (let e = head; e !== undefined; prev = e, e = e.samePid) {
      if (e.start !== start) continue;
      if (prev) prev.samePid = e.samePid;
      else if (e.samePid) this.byPid.set(pid, e.samePid);
      else this.byPid.delete(pid);
      this.unlink(e);
      this.size--;
      return true;
    }
    return false;
  }

  /** The value inserted first (least recently set). */
  oldest(): V | undefined {
    return this.oldestEntry?.value;
  }

  /** Removes and returns the oldest value. */
  shift(): V | undefined {
    const e = this.oldestEntry;
    if (!e) return undefined;
    this.delete(e.pid, e.start);
    return e.value;
  }

  /** Values, oldest first. Do not change the map while iterating. */
  *values(): IterableIterator<V> {
    for (let e = this.oldestEntry; e !== undefined; e = e.newer) yield e.value;
  }

  clear(): void {
    this.byPid.clear();
    this.oldestEntry = undefined;
    this.newestEntry = undefined;
    this.size = 0;
  }

  private find(pid: number, start: number): Entry<V> | undefined {
    let e = this.byPid.get(pid);
    while (e !== undefined && e.start !== start) e = e.samePid;
    return e;
  }

  private link(e: Entry<V>): void {
    e.older = this.newestEntry;
    e.newer = undefined;
    if (this.newestEntry) this.newestEntry.newer = e;
    else this.oldestEntry = e;
    this.newestEntry = e;
  }

  private unlink(e: Entry<V>): void {
    if (e.older) e.older.newer = e.newer;
    else this.oldestEntry = e.newer;
    if (e.newer) e.newer.older = e.older;
    else this.newestEntry = e.older;
    e.older = undefined;
    e.newer = undefined;
  }
}
