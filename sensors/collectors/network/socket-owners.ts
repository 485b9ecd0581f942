/**
 * Socket inode -> owning process, from the fd links of every process (/proc/<pid>/fd/* ->
 * "socket:[inode]"). The kernel's tables do not name the owner, and finding it means reading
 * every fd of every process, so the map is rebuilt only when a socket with an unknown inode shows
 * up, at most once per poll. Each rebuild replaces the map: it holds exactly the sockets open at
 * that time, which bounds it.
 *
 * A socket held by several processes (a listener inherited across fork) is given to the lowest
 * pid, normally the parent.
 */
import { startTimeMs } from '../../proc/parse-process.js';
import type { ProcReader } from '../../proc/proc-reader.js';

export interface SocketOwner {
  ref: { pid: number; startTimeMs: number };
  image: string;
}

export interface SocketOwnerStats {
  /** Full fd scans. */
  scans: number;
  /** Processes that exited while their fds were being read. */
  vanished: number;
  /** Processes whose fds could not be read (not root: other users' processes). */
  denied: number;
}

export class SocketOwners {
  private byInode = new Map<number, SocketOwner>();
  readonly stats: SocketOwnerStats = { scans: 0, vanished: 0, denied: 0 };

  constructor(private readonly reader: ProcReader, private readonly bootTimeMs: number) {}

  knows(inode: number): boolean {
    return this.byInode.has(inode);
  }

  ownerOf(inode: number): SocketOwner | undefined {
    return this.byInode.get(inode);
  }

  /** Rebuilds the map from every process's fds. */
  refresh(): void {
    this.stats.scans++;
    const pids = this.reader.pids();
    if (!pids.ok) return;
    const next = new Map<number, SocketOwner>();
    // Ascending pids: the first owner recorded for an inode is the lowest pid.
    for (const pid of [...pids.value].sort((a, b) => a - b)) {
      const inodes = this.reader.socketInodes(pid);
      if (!inodes.ok) {
        if (inodes.error.code === 'VIGIE_PROC_VANISHED') this.stats.vanished++;
        else this.stats.denied++;
        continue;
      }
      if (inodes.value.length === 0) continue;
      const st = this.reader.stat(pid);
      if (!st.ok) {
        this.stats.vanished++;
        continue;
      }
      const owner: SocketOwner = {
        ref: { pid, startTimeMs: startTimeMs(this.bootTimeMs, st.value.startTicks) },
        image: this.reader.link(pid, 'exe'),
      };
      for (const inode of inodes.value) if (!next.has(inode)) next.set(inode, owner);
    }
    this.byInode = next;
  }
}
