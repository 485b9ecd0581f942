/**
 * Netlink mode: turns a batch of kernel records (fork, exec, exit) into ProcessStart and
 * ProcessExit events. An exec is reported with details read from /proc at once; a fork is only
 * remembered (parent and time), so that a process gone before /proc could be read is still
 * reported with its pid, parent and an estimated start time, not dropped. Forks that never exec
 * (a shell's subshell, a pre-forked worker) are not reported, and neither are their exits.
 */
import { Source } from '../../../common/events.js';
import type { Event } from '../../../common/events.js';
import { CLK_TCK } from '../../proc/parse-process.js';
import { exitCodeOf } from './netlink-records.js';
import type { NetlinkRecord } from './netlink-records.js';
import type { ProcessEvents, ProcessEventsContext } from './process-events.js';

interface PendingFork {
  ppid: number;
  timestampNs: bigint;
}

/**
 * Kernel timestamps are CLOCK_MONOTONIC ns, the clock of process.hrtime. The offset to the wall
 * clock is measured at most once a second (a BigInt clock read per record adds up at hundreds of
 * records a second), so a wall-clock step shows within a second.
 */
export function monotonicToEpochMs(ns: bigint): number {
  const now = Date.now();
  if (now - clockOffset.measuredAt >= 1000 || now < clockOffset.measuredAt) {
    clockOffset.ms = now - Number(process.hrtime.bigint()) / 1e6;
    clockOffset.measuredAt = now;
  }
  return Math.round(Number(ns) / 1e6 + clockOffset.ms);
}

const clockOffset = { ms: 0, measuredAt: Number.NEGATIVE_INFINITY };

const NS_PER_TICK = 1_000_000_000n / BigInt(CLK_TCK);

export class NetlinkTracker {
  private readonly forks = new Map<number, PendingFork>();

  constructor(
    private readonly ctx: ProcessEventsContext,
    private readonly build: ProcessEvents,
    private readonly maxPendingForks = 8192,
    private readonly timeOf: (ns: bigint) => number = monotonicToEpochMs,
  ) {}

  /**
   * A start time for a process /proc no longer has, from its fork event: ticks after boot, as
   * /proc would have shown them. Estimated: the monotonic clock omits time spent suspended.
   */
  private estimateStart(pid: number): number | undefined {
    const fork = this.forks.get(pid);
    if (fork === undefined) return undefined;
    return this.ctx.bootTimeMs + Number(fork.timestampNs / NS_PER_TICK) * (1000 / CLK_TCK);
  }

  handle(records: readonly NetlinkRecord[]): Event[] {
    const { table, stats } = this.ctx;
    // The parent of a process that is gone by the time its exec is handled: from its fork, or
    // from its exit later in the same batch.
    const exitParent = new Map<number, number>();
    for (const r of records) if (r.kind === 'exit') exitParent.set(r.pid, r.ppid);

    const events: Event[] = [];
    for (const r of records) {
      switch (r.kind) {
        case 'fork': {
          const reason = table.classify(r.pid, r.ppid, false);
          if (reason !== undefined) table.setQuiet(r.pid, { startTimeMs: 0, reason });
          else this.rememberFork(r.pid, { ppid: r.ppid, timestampNs: r.timestampNs });
          break;
        }
        case 'exec': {
          this.build.parents.forget(r.pid); // a new image and command line, if it is a parent
          if (table.quiet.has(r.pid)) break;
          const ppid = this.forks.get(r.pid)?.ppid ?? exitParent.get(r.pid);
          const estimatedStartMs = this.estimateStart(r.pid);
          const hint = { ...(ppid !== undefined ? { ppid } : {}), ...(estimatedStartMs !== undefined ? { estimatedStartMs } : {}) };
          const built = this.build.start(r.pid, Source.SOURCE_NETLINK, this.timeOf(r.timestampNs), undefined, hint);
          this.forks.delete(r.pid);
          if (built === undefined) break;
          const reason = table.classify(r.pid, built.ppid, built.kernelThread);
          if (reason !== undefined) {
            table.setQuiet(r.pid, { startTimeMs: built.live.ref.startTimeMs, reason });
            break;
          }
          // Reported even when the table is full: the start is one-shot; only the exit is lost.
          table.setLive(r.pid, built.live);
          events.push(built.event);
          stats.starts++;
          break;
        }
        case 'exit': {
          this.forks.delete(r.pid);
          this.build.parents.forget(r.pid);
          const gone = table.remove(r.pid);
          if (gone.live) {
            events.push(this.build.exit(gone.live, Source.SOURCE_NETLINK, this.timeOf(r.timestampNs), exitCodeOf(r.waitStatus)));
            stats.exits++;
          } else if (!gone.quiet) {
            stats.untrackedExits++;
          }
          break;
        }
        case 'ack':
          break;
      }
    }
    return events;
  }

  private rememberFork(pid: number, fork: PendingFork): void {
    // Bounded, oldest first out: a fork that never execs stays until its exit, which may be never
    // seen if events are lost. Map iteration order is insertion order.
    if (this.forks.size >= this.maxPendingForks) {
      const oldest = this.forks.keys().next();
      if (!oldest.done) this.forks.delete(oldest.value);
    }
    this.forks.set(pid, fork);
  }
}
