/**
 * The image and command line of recent parents. Execs come in bursts from one parent (a shell
 * loop, a build, a server spawning helpers): without this, every child re-reads its parent's
 * /proc/<ppid>/{exe,cmdline}, and the parent is the process most likely to be busy forking, when
 * reading its command line waits on its memory map.
 *
 * Keyed by pid and start time, so a reused pid never gets another process's details. An entry
 * lives at most `ttlMs`: a parent may rewrite its command line (setproctitle), and the one put on
 * a child's start is then at most that old. The netlink tracker forgets a pid at its exec and at
 * its exit. Bounded: least recently used out.
 */
export interface ParentDetails {
  image: string;
  commandLine: string;
}

interface Entry {
  startTimeMs: number;
  details: ParentDetails;
  atMs: number;
}

export class ParentCache {
  private readonly entries = new Map<number, Entry>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly maxEntries = 128,
    private readonly ttlMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(pid: number, startTimeMs: number): ParentDetails | undefined {
    const e = this.entries.get(pid);
    if (e === undefined || e.startTimeMs !== startTimeMs || this.now() - e.atMs >= this.ttlMs) {
      if (e !== undefined) this.entries.delete(pid);
      this.misses++;
      return undefined;
    }
    // Most recently used last: Map iteration order is insertion order.
    this.entries.delete(pid);
    this.entries.set(pid, e);
    this.hits++;
    return e.details;
  }

  set(pid: number, startTimeMs: number, details: ParentDetails): void {
    this.entries.delete(pid);
    this.entries.set(pid, { startTimeMs, details, atMs: this.now() });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as number);
  }

  /** The pid exec'd (new image and command line) or exited. */
  forget(pid: number): void {
    this.entries.delete(pid);
  }
}
