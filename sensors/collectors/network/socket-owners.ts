/**
 * Socket inode -> owning process, from the fd links of processes (/proc/<pid>/fd/* ->
 * "socket:[inode]"). The kernel's tables do not name the owner, and reading every fd of every
 * process costs one readlink per fd on the host (thousands on a server), so the search is
 * targeted: it runs only for inodes not known yet, at most once per poll, and stops as soon as
 * every one of them is found. Processes are searched most likely first: those that held the
 * sockets found by recent searches (a server accepting connections), then the newest (a client
 * that just started). Only a socket that nobody holds any more (closed between the table read and
 * the search) costs a full pass.
 *
 * A socket held by several processes: a listening socket goes to the eldest process holding it,
 * found by walking up from the first holder to its parent while the parent holds it too (the
 * master of a pre-forked server, not whichever worker was searched first); any other socket goes
 * to the first holder found.
 *
 * The map keeps the sockets still open: each search first forgets the inodes no longer in the
 * tables, which bounds it by the host's live sockets.
 */
import { startTimeMs } from '../../proc/parse-process.js';
import type { ProcReader } from '../../proc/proc-reader.js';

export interface SocketOwner {
  ref: { pid: number; startTimeMs: number };
  image: string;
}

export interface SocketOwnerStats {
  /** Searches for the owners of new sockets. */
  scans: number;
  /** Processes whose fds were read by those searches. */
  processesRead: number;
  /** Processes that exited while their fds were being read. */
  vanished: number;
  /** Processes whose fds could not be read (not root: other users' processes). */
  denied: number;
}

/** Processes that recently held new sockets, searched first. */
const HOT_PIDS = 64;
/** Bound of the walk up a listener's holders (a pid read twice in a race cannot loop it). */
const MAX_ANCESTORS = 64;

export class SocketOwners {
  private readonly byInode = new Map<number, SocketOwner>();
  /** Insertion order is recency: the last key is the pid that most recently held a new socket. */
  private readonly hot = new Map<number, true>();
  readonly stats: SocketOwnerStats = { scans: 0, processesRead: 0, vanished: 0, denied: 0 };

  constructor(private readonly reader: ProcReader, private readonly bootTimeMs: number) {}

  knows(inode: number): boolean {
    return this.byInode.has(inode);
  }

  ownerOf(inode: number): SocketOwner | undefined {
    return this.byInode.get(inode);
  }

  get size(): number {
    return this.byInode.size;
  }

  /**
   * Finds the owners of `wanted` (inode -> whether the socket is listening), first forgetting
   * the inodes not in `live` (the sockets in the tables now). Inodes nobody holds stay unknown.
   */
  resolve(wanted: ReadonlyMap<number, boolean>, live: ReadonlySet<number>): void {
    for (const inode of this.byInode.keys()) if (!live.has(inode)) this.byInode.delete(inode);
    const missing = new Set<number>();
    for (const inode of wanted.keys()) if (!this.byInode.has(inode)) missing.add(inode);
    if (missing.size === 0) return;
    const listed = this.reader.pids();
    if (!listed.ok) return;
    this.stats.scans++;
    const search = new Search(this.reader, this.bootTimeMs, this.stats);
    for (const pid of this.searchOrder(listed.value)) {
      const held = search.inodesOf(pid, true);
      if (held === undefined) continue;
      for (const inode of held) {
        if (!missing.delete(inode)) continue;
        const owner = search.owner(wanted.get(inode) === true ? search.eldestHolder(pid, inode) : pid);
        if (owner === undefined) continue;
        this.byInode.set(inode, owner);
        this.touch(owner.ref.pid);
      }
      if (missing.size === 0) break;
    }
  }

  /** The hot pids still listed, most recent first, then the other pids, newest (highest) first. */
  private searchOrder(pids: readonly number[]): number[] {
    const listed = new Set(pids);
    const order = [...this.hot.keys()].reverse().filter((pid) => listed.has(pid));
    for (const pid of order) listed.delete(pid);
    for (const pid of this.hot.keys()) if (!order.includes(pid)) this.hot.delete(pid); // exited
    return order.concat([...listed].sort((a, b) => b - a));
  }

  private touch(pid: number): void {
    this.hot.delete(pid);
    this.hot.set(pid, true);
    if (this.hot.size > HOT_PIDS) this.hot.delete(this.hot.keys().next().value as number);
  }
}

/** What one search has read: each process's fds and owner are read at most once. */
class Search {
  private readonly fds = new Map<number, ReadonlySet<number> | undefined>();
  private readonly owners = new Map<number, SocketOwner | undefined>();
  private readonly parents = new Map<number, number>();

  constructor(private readonly reader: ProcReader, private readonly bootTimeMs: number, private readonly stats: SocketOwnerStats) {}

  /** The socket inodes `pid` holds; undefined when they cannot be read. Counted when `count`. */
  inodesOf(pid: number, count: boolean): ReadonlySet<number> | undefined {
    if (this.fds.has(pid)) return this.fds.get(pid);
    const read = this.reader.socketInodes(pid);
    let held: ReadonlySet<number> | undefined;
    if (read.ok) held = new Set(read.value);
    if (count) {
      this.stats.processesRead++;
      if (!read.ok && read.error.code === 'VIGIE_PROC_VANISHED') this.stats.vanished++;
      else if (!read.ok) this.stats.denied++;
    }
    this.fds.set(pid, held);
    return held;
  }

  /** From `pid` (a holder of `inode`) up through the parents that hold it too: the last one. */
  eldestHolder(pid: number, inode: number): number {
    let holder = pid;
    for (let i = 0; i < MAX_ANCESTORS; i++) {
      this.owner(holder); // reads the stat, hence the parent
      const parent = this.parents.get(holder);
      if (parent === undefined || parent <= 0 || parent === holder) break;
      if (!this.inodesOf(parent, false)?.has(inode)) break;
      holder = parent;
    }
    return holder;
  }

  owner(pid: number): SocketOwner | undefined {
    if (this.owners.has(pid)) return this.owners.get(pid);
    const st = this.reader.stat(pid);
    let owner: SocketOwner | undefined;
    if (st.ok) {
      owner = { ref: { pid, startTimeMs: startTimeMs(this.bootTimeMs, st.value.startTicks) }, image: this.reader.link(pid, 'exe') };
      this.parents.set(pid, st.value.ppid);
    } else {
      this.stats.vanished++;
    }
    this.owners.set(pid, owner);
    return owner;
  }
}
