/**
 * What the process collector knows of the host's live processes, shared by both modes.
 *
 * - live: processes whose start was emitted, or that existed when the collector started (seeded
 *   from a /proc scan); their exit is emitted with the same ProcessRef.
 * - quiet: processes that are seen but never reported: the agent itself, by default its
 *   descendants (an agent that spawned a helper per event would otherwise feed on its own
 *   events), and kernel threads (they never exec; polling would report every kworker).
 *
 * Bounded: live + quiet hold at most maxEntries pids. When full, new entries are refused and
 * counted (policy drop-new): an entry is removed only by the process's exit, and a periodic
 * rescan removes entries whose exit was lost, so evicting live ones would only produce wrong
 * "new process" reports.
 */
/** A ProcessRef with both fields set: the identity put on the start and the exit. */
export interface LiveRef {
  pid: number;
  startTimeMs: number;
}

export interface LiveProcess {
  ref: LiveRef;
  image: string;
}

export type QuietReason = 'self' | 'descendant' | 'kernel';

export interface QuietProcess {
  startTimeMs: number;
  reason: QuietReason;
}

export class ProcessTable {
  readonly live = new Map<number, LiveProcess>();
  readonly quiet = new Map<number, QuietProcess>();
  /** Entries refused because the table was full. */
  refused = 0;

  constructor(
    readonly maxEntries: number,
    readonly selfPid: number,
    /** Also keep quiet the agent's descendants (default) rather than only its own pid. */
    readonly quietDescendants: boolean,
  ) {}

  get size(): number {
    return this.live.size + this.quiet.size;
  }

  /** Why a new process should not be reported, or undefined if it should be. */
  classify(pid: number, ppid: number, kernelThread: boolean): QuietReason | undefined {
    if (pid === this.selfPid) return 'self';
    if (kernelThread) return 'kernel';
    if (!this.quietDescendants) return undefined;
    if (ppid === this.selfPid) return 'descendant';
    const parent = this.quiet.get(ppid);
    return parent !== undefined && parent.reason !== 'kernel' ? 'descendant' : undefined;
  }

  /** Adds or replaces (exec after exec keeps the identity); false when full. */
  setLive(pid: number, entry: LiveProcess): boolean {
    if (!this.live.has(pid) && !this.makeRoom(pid)) return false;
    this.quiet.delete(pid);
    this.live.set(pid, entry);
    return true;
  }

  setQuiet(pid: number, entry: QuietProcess): boolean {
    if (!this.quiet.has(pid) && !this.makeRoom(pid)) return false;
    this.live.delete(pid);
    this.quiet.set(pid, entry);
    return true;
  }

  /** Forgets a pid; returns what it was. */
  remove(pid: number): { live?: LiveProcess; quiet?: QuietProcess } {
    const live = this.live.get(pid);
    const quiet = this.quiet.get(pid);
    this.live.delete(pid);
    this.quiet.delete(pid);
    return { ...(live ? { live } : {}), ...(quiet ? { quiet } : {}) };
  }

  has(pid: number): boolean {
    return this.live.has(pid) || this.quiet.has(pid);
  }

  /** Start time of a known pid (live or quiet). */
  startOf(pid: number): number | undefined {
    return this.live.get(pid)?.ref.startTimeMs ?? this.quiet.get(pid)?.startTimeMs;
  }

  private makeRoom(pid: number): boolean {
    // A pid moving between live and quiet does not grow the table.
    if (this.live.has(pid) || this.quiet.has(pid) || this.size < this.maxEntries) return true;
    this.refused++;
    return false;
  }
}
