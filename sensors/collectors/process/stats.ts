/** The process collector's counters: plain numbers, read by the agent for its heartbeat. */
export interface ProcessCollectorStats {
  /** ProcessStart events emitted. */
  starts: number;
  /** ProcessExit events emitted. */
  exits: number;
  /** New pids that vanished before /proc/<pid>/stat could be read (poll mode: not reported). */
  vanished: number;
  /** Starts emitted with only what the netlink event carried (the process was already gone). */
  partialStarts: number;
  /** Exits of processes never reported (fork without exec, or refused by a full table). */
  untrackedExits: number;
  /** Kernel events lost to netlink receive-buffer overruns (ENOBUFS), as counted by the addon. */
  overruns: number;
  /** /proc rescans run to recover from overruns. */
  reconciles: number;
  /** Processes not tracked because the table was full. */
  refused: number;
  /** New processes left for the next scan: young and still running their parent's image. */
  deferred: number;
  /** /proc scans (poll mode ticks, seeding and reconciles). */
  scans: number;
}

export function newStats(): ProcessCollectorStats {
  return { starts: 0, exits: 0, vanished: 0, partialStarts: 0, untrackedExits: 0, overruns: 0,
    reconciles: 0, refused: 0, deferred: 0, scans: 0 };
}
