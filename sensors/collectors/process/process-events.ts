/**
 * Builds ProcessStart and ProcessExit events from /proc/<pid>/{stat,status,cmdline,exe,cwd}, read
 * through the ProcReader. Shared by the netlink and the polling modes.
 */
import type { VigieProblem } from '../../../common/errors.js';
import type { Event, ProcessStart } from '../../../common/events.js';
import { isKernelThread, joinCmdline, startTimeMs } from '../../proc/parse-process.js';
import type { ProcStat } from '../../proc/parse-process.js';
import type { ProcReader } from '../../proc/proc-reader.js';
import type { UserNames } from '../../proc/user-names.js';
import { ParentCache } from './parent-cache.js';
import type { LiveProcess, ProcessTable } from './process-table.js';
import type { ProcessCollectorStats } from './stats.js';

/** Exit code of a ProcessExit seen by polling: the status is gone with the process. */
export const EXIT_CODE_UNKNOWN = -1;

/** What a netlink event tells about a process, for when /proc no longer has it. */
export interface StartHint {
  ppid?: number;
  /** Start time estimated from the fork event's timestamp. */
  estimatedStartMs?: number;
}

export interface BuiltStart {
  event: Event;
  live: LiveProcess;
  ppid: number;
  kernelThread: boolean;
}

export interface ProcessEventsContext {
  reader: ProcReader;
  users: UserNames;
  table: ProcessTable;
  stats: ProcessCollectorStats;
  host: string;
  bootTimeMs: number;
  maxCommandLineChars: number;
  problem(p: VigieProblem): void;
}

export class ProcessEvents {
  /** The parent's image and command line, read once per burst of execs (see parent-cache.ts). */
  readonly parents = new ParentCache();

  constructor(private readonly ctx: ProcessEventsContext) {}

  private commandLine(pid: number): string {
    const args = this.ctx.reader.cmdline(pid);
    if (!args.ok) return '';
    const line = joinCmdline(args.value);
    const max = this.ctx.maxCommandLineChars;
    return line.length > max ? line.slice(0, max) : line;
  }

  /**
   * Start time of a parent: what the table remembers (it came from the same stat field, and the
   * parent is alive, since the child names it), else from the parent's own stat, else 0.
   */
  private startOf(pid: number): number {
    if (pid <= 0) return 0;
    const known = this.ctx.table.startOf(pid);
    if (known !== undefined && known > 0) return known;
    const st = this.ctx.reader.stat(pid);
    return st.ok ? startTimeMs(this.ctx.bootTimeMs, st.value.startTicks) : known ?? 0;
  }

  /**
   * The ProcessStart of `pid`. `stat` may be passed when already read (polling). When the pid has
   * vanished: with a hint (netlink) a partial start is built from it; without one (polling) there
   * is nothing to report and undefined is returned. Vanishing is counted, never reported.
   */
  start(pid: number, source: number, timeMs: number | undefined, stat?: ProcStat, hint?: StartHint): BuiltStart | undefined {
    const { reader, stats } = this.ctx;
    let st = stat;
    if (st === undefined) {
      const r = reader.stat(pid);
      if (r.ok) st = r.value;
      else if (r.error.code === 'VIGIE_PROC_VANISHED') stats.vanished++;
      else this.ctx.problem(r.error);
    }
    if (st === undefined) {
      if (hint === undefined) return undefined;
      stats.partialStarts++;
      return this.partial(pid, source, timeMs, hint);
    }
    const ref = { pid, startTimeMs: startTimeMs(this.ctx.bootTimeMs, st.startTicks) };
    const image = reader.link(pid, 'exe');
    const status = reader.status(pid);
    if (!status.ok && status.error.code !== 'VIGIE_PROC_VANISHED') this.ctx.problem(status.error);
    const ppid = st.ppid;
    const parent = { pid: ppid, startTimeMs: this.startOf(ppid) };
    const processStart: ProcessStart = {
      process: ref,
      parent,
      image,
      commandLine: this.commandLine(pid),
      cwd: reader.link(pid, 'cwd'),
      ...(status.ok ? { uid: status.value.uid, gid: status.value.gid, user: this.ctx.users.name(status.value.uid) } : {}),
      ...this.parentDetails(parent),
    };
    return {
      event: this.wrap(timeMs ?? ref.startTimeMs, source, { processStart }),
      live: { ref, image },
      ppid,
      kernelThread: isKernelThread(st),
    };
  }

  private parentDetails(parent: LiveProcess['ref']): Pick<ProcessStart, 'parentImage' | 'parentCommandLine'> {
    const { pid: ppid, startTimeMs: startMs } = parent;
    if (ppid <= 0) return {};
    const cached = startMs > 0 ? this.parents.get(ppid, startMs) : undefined;
    if (cached) return { parentImage: cached.image, parentCommandLine: cached.commandLine };
    const image = this.ctx.reader.link(ppid, 'exe') || this.ctx.table.live.get(ppid)?.image || '';
    const commandLine = this.commandLine(ppid);
    // Not a parent that could not be read (gone, or a zombie): the next child tries again.
    if (startMs > 0 && image !== '' && commandLine !== '') this.parents.set(ppid, startMs, { image, commandLine });
    return { parentImage: image, parentCommandLine: commandLine };
  }

  private partial(pid: number, source: number, timeMs: number | undefined, hint: StartHint): BuiltStart {
    const ref = { pid, startTimeMs: hint.estimatedStartMs ?? 0 };
    const ppid = hint.ppid ?? 0;
    const parent = { pid: ppid, startTimeMs: this.startOf(ppid) };
    const processStart: ProcessStart = { process: ref, parent, ...this.parentDetails(parent) };
    return {
      event: this.wrap(timeMs ?? Date.now(), source, { processStart }),
      live: { ref, image: '' },
      ppid,
      kernelThread: false,
    };
  }

  exit(live: LiveProcess, source: number, timeMs: number, exitCode: number): Event {
    return this.wrap(timeMs, source, {
      processExit: { process: live.ref, image: live.image, exitCode },
    });
  }

  private wrap(timeMs: number, source: number, kind: Pick<Event, 'processStart' | 'processExit'>): Event {
    return { timeMs, source, host: this.ctx.host, ...kind };
  }
}
