/**
 * One scan of /proc compared with the process table: the polling mode's tick, the seeding of the
 * table at start, and the netlink mode's recovery after lost kernel events.
 *
 * Identity is (pid, start time). A pid already in the table is normally not re-read: for a known
 * pid to stand for a new process between two scans, the kernel's pid counter would have to wrap
 * round pid_max within one interval. Every `verify` scan re-reads the stat of all known pids
 * anyway and catches that (and any exit lost by netlink).
 *
 * A scan can land between a child's fork and its exec: it would then report the parent's image
 * for the child and never see the exec (same pid, same start time). So a process younger than
 * FORK_EXEC_GRACE_MS whose exe is still its parent's is left for the next scan.
 */
import { Source } from '../../../common/events.js';
import type { Event } from '../../../common/events.js';
import { ageMs, isKernelThread, startTimeMs } from '../../proc/parse-process.js';
import type { ProcStat } from '../../proc/parse-process.js';
import { EXIT_CODE_UNKNOWN } from './process-events.js';
import type { ProcessEvents, ProcessEventsContext } from './process-events.js';

/** Age under which a process that still runs its parent's image may be about to exec. */
export const FORK_EXEC_GRACE_MS = 100;

export interface ScanOptions {
  /** Re-read the stat of known pids to catch pid reuse and lost exits. */
  verify: boolean;
  /** false when seeding: new processes join the table silently. */
  emit: boolean;
  now: number;
}

export function scanProcesses(ctx: ProcessEventsContext, build: ProcessEvents, opt: ScanOptions): Event[] {
  const { reader, table, stats, bootTimeMs } = ctx;
  stats.scans++;
  const listed = reader.pids();
  if (!listed.ok) {
    ctx.problem(listed.error);
    return [];
  }
  const present = new Set(listed.value);
  const events: Event[] = [];
  const exited = (pid: number): void => {
    const gone = table.remove(pid);
    if (gone.live && opt.emit) {
      events.push(build.exit(gone.live, Source.SOURCE_PROCFS, opt.now, EXIT_CODE_UNKNOWN));
      stats.exits++;
    }
  };

  for (const pid of [...table.live.keys(), ...table.quiet.keys()]) {
    if (!present.has(pid)) exited(pid);
  }

  const fresh: ProcStat[] = [];
  for (const pid of present) {
    const known = table.startOf(pid);
    if (known !== undefined && !opt.verify) continue;
    const st = reader.stat(pid);
    if (!st.ok) {
      if (known !== undefined) exited(pid);
      else if (st.error.code === 'VIGIE_PROC_VANISHED') stats.vanished++;
      else ctx.problem(st.error);
      continue;
    }
    if (known !== undefined) {
      // A known pid whose start time changed is a new process in a reused pid. A start time 0
      // (a descendant seen only by its fork event) is adopted rather than called a reuse.
      const now = startTimeMs(bootTimeMs, st.value.startTicks);
      if (known === now) continue;
      if (known === 0 && table.quiet.has(pid)) {
        const q = table.quiet.get(pid);
        if (q) q.startTimeMs = now;
        continue;
      }
      exited(pid);
    }
    fresh.push(st.value);
  }

  // Oldest first: parents are classified before their children, and events come in time order.
  fresh.sort((a, b) => a.startTicks - b.startTicks || a.pid - b.pid);
  const uptime = opt.emit && fresh.length > 0 ? reader.uptimeMs() : undefined;
  const mayExecSoon = (st: ProcStat): boolean => uptime !== undefined && uptime.ok
    && ageMs(uptime.value, st.startTicks) < FORK_EXEC_GRACE_MS
    && reader.link(st.pid, 'exe') === reader.link(st.ppid, 'exe');
  for (const st of fresh) {
    const reason = table.classify(st.pid, st.ppid, isKernelThread(st));
    if (reason !== undefined) {
      table.setQuiet(st.pid, { startTimeMs: startTimeMs(bootTimeMs, st.startTicks), reason });
      continue;
    }
    if (!opt.emit) {
      const ref = { pid: st.pid, startTimeMs: startTimeMs(bootTimeMs, st.startTicks) };
      table.setLive(st.pid, { ref, image: reader.link(st.pid, 'exe') });
      continue;
    }
    if (mayExecSoon(st)) {
      stats.deferred++;
      continue;
    }
    if (table.size >= table.maxEntries) {
      // Not trackable: reporting it would report it again at every scan. Counted as refused.
      table.refused++;
      continue;
    }
    const built = build.start(st.pid, Source.SOURCE_PROCFS, undefined, st);
    if (built === undefined) continue;
    table.setLive(st.pid, built.live);
    events.push(built.event);
    stats.starts++;
  }
  events.sort((a, b) => Number(a.timeMs ?? 0) - Number(b.timeMs ?? 0));
  return events;
}
