/**
 * The network collector: connections from the kernel's socket tables (tcp, tcp6, udp, udp6: by
 * NETLINK_SOCK_DIAG when the native addon has it, else /proc/net/*), polled, each mapped to its
 * process by socket inode. A connection is reported once, when
 * a new (protocol, local end, remote end, inode) appears; the first poll, at start, reports the
 * sockets already open. Byte counts are 0: these tables do not have them.
 *
 * Polling misses what opens and closes between two polls; a connection first seen in TIME_WAIT
 * (already closed) is reported without owner (pid 0), as the kernel no longer ties it to a file.
 */
import { Protocol, Source } from '../../../common/events.js';
import type { Event } from '../../../common/events.js';
import type { Result, VigieProblem } from '../../../common/errors.js';
import { VigieError } from '../../../common/errors.js';
import type { Collector, CollectorSink } from '../collector.js';
import { parseSocketLine, scanSocketRows, socketLineProblem } from '../../proc/parse-net.js';
import type { SocketEntry, SocketTableName } from '../../proc/parse-net.js';
import { ProcReader } from '../../proc/proc-reader.js';
import { SockDiagTables } from '../../proc/sock-diag.js';
import { UserNames } from '../../proc/user-names.js';
import { directionOf, listeningPortKeyOfRow, rowKeys } from './direction.js';
import { resolveNetworkOptions } from './options.js';
import type { NetworkCollectorOptions, ResolvedNetworkOptions } from './options.js';
import { SeenSet } from './seen-set.js';
import { SocketOwners } from './socket-owners.js';
import type { SocketOwner } from './socket-owners.js';

/** Repeated problems of one kind (a table that keeps failing) are reported once a minute. */
const REPORT_EVERY_MS = 60_000;

export interface NetworkCollectorStats {
  polls: number;
  /** NetworkConnection events emitted. */
  connections: number;
  /** Reported with pid 0: no process held the socket when the fds were scanned. */
  unowned: number;
  /** New connections not reported because the seen set was full (counted once per poll). */
  refused: number;
  /** Searches of the processes' fds for the owners of new sockets. */
  ownerScans: number;
  /** Processes whose fds those searches read (the cost of owner lookup). */
  ownerProcessesRead: number;
  /** Processes whose fds could not be read (permission). */
  ownerDenied: number;
  /** Processes that exited while their fds were read. */
  vanished: number;
}

export class NetworkCollector implements Collector {
  readonly name = 'network';
  private currentMode: 'none' | 'procfs-poll' | 'sockdiag-poll' = 'none';
  private diag: SockDiagTables | undefined;
  /** Tables the kernel has no diag module for: read from /proc. */
  private readonly procTables = new Set<SocketTableName>();
  private readonly opts: ResolvedNetworkOptions;
  private sink: CollectorSink | undefined;
  private reader: ProcReader | undefined;
  private users: UserNames | undefined;
  private owners: SocketOwners | undefined;
  private seen: SeenSet;
  private timer: NodeJS.Timeout | undefined;
  private readonly lastReport = new Map<string, number>();
  private readonly counters = { polls: 0, connections: 0, unowned: 0, refused: 0 };

  /** `openSockDiag` is for tests (a table the kernel has no diag handler for); the default opens the real tables. */
  constructor(options: NetworkCollectorOptions = {}, private readonly openSockDiag: () => Result<SockDiagTables> = () => SockDiagTables.open()) {
    this.opts = resolveNetworkOptions(options);
    // Two keys per socket: its own, and its two ends (see tupleKey).
    this.seen = new SeenSet(this.opts.maxTrackedConnections * 2);
  }

  get mode(): string {
    return this.currentMode;
  }

  stats(): NetworkCollectorStats {
    const o = this.owners?.stats;
    return { ...this.counters, ownerScans: o?.scans ?? 0, ownerProcessesRead: o?.processesRead ?? 0, ownerDenied: o?.denied ?? 0,
      vanished: o?.vanished ?? 0 };
  }

  async start(sink: CollectorSink): Promise<void> {
    if (this.timer) throw new Error('network collector already started');
    const reader = new ProcReader({ procRoot: this.opts.procRoot, etcRoot: this.opts.etcRoot });
    const boot = reader.bootTimeMs();
    if (!boot.ok) throw VigieError.from(boot.error);
    this.sink = sink;
    this.reader = reader;
    this.users = new UserNames(() => reader.passwd());
    this.owners = new SocketOwners(reader, boot.value);
    this.diag = this.openDiag();
    this.currentMode = this.diag ? 'sockdiag-poll' : 'procfs-poll';
    this.timer = setInterval(() => this.poll(), this.opts.intervalMs);
    this.poll();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sink = undefined;
  }

  /**
   * One poll: read the tables, report what is new. Public for tests and an agent's "now".
   *
   * Every row is keyed as the kernel printed it (rowKeys): only rows not seen before are decoded,
   * and only their unknown inodes are searched for an owner. A quiet host costs the table reads
   * and one pass over their text.
   */
  poll(): void {
    const { reader, owners, sink } = this;
    if (!reader || !owners || !sink) return;
    this.counters.polls++;
    const listening = new Set<string>();
    const fresh: { entry: SocketEntry; listening: boolean }[] = [];
    const inodes: string[] = [];
    let refused = 0;
    for (const table of this.opts.tables) {
      const read = this.tableText(reader, table);
      if (!read.ok) {
        this.report(read.error, table);
        continue;
      }
      let bad = 0;
      let firstBad = 0;
      for (const row of scanSocketRows(read.value.text)) {
        const port = listeningPortKeyOfRow(row, table);
        if (port !== undefined) listening.add(port);
        const keys = rowKeys(row, table);
        // An ownerless socket (TIME_WAIT) whose two ends were already reported is the same
        // connection closing, not a new one.
        const known = this.seen.has(keys.socket) || (row.inode === '0' && this.seen.has(keys.tuple));
        const entry = known ? undefined : parseSocketLine(row.line, table);
        if (!known && entry === undefined) {
          if (bad++ === 0) firstBad = row.lineNo;
          continue;
        }
        inodes.push(row.inode);
        if (!this.seen.mark(keys.socket)) {
          refused++;
          continue;
        }
        this.seen.mark(keys.tuple);
        if (entry) fresh.push({ entry, listening: port !== undefined });
      }
      if (bad > 0) {
        const first = socketLineProblem(table, firstBad, read.value.file);
        this.report({ ...first, message: `${first.message} (${bad} line(s))` }, table);
      }
    }
    this.seen.sweep();
    if (refused > 0) {
      this.counters.refused += refused;
      this.report({ code: 'VIGIE_COLLECTOR_OVERFLOW',
        message: `network seen-set full (${this.opts.maxTrackedConnections}): ${refused} connection(s) not reported` });
    }
    if (fresh.length === 0) return;

    const unknown = new Map<number, boolean>();
    for (const f of fresh) if (f.entry.inode !== 0 && !owners.knows(f.entry.inode)) unknown.set(f.entry.inode, f.listening);
    if (unknown.size > 0) owners.resolve(unknown, new Set(inodes.map(Number)));
    const now = Date.now();
    const events = fresh.map(({ entry: e }) => this.event(e, e.inode === 0 ? undefined : owners.ownerOf(e.inode), listening, now));
    this.counters.connections += events.length;
    sink.events(events);
  }

  private openDiag(): SockDiagTables | undefined {
    const source = this.opts.socketSource;
    if (source === 'procfs' || (source === 'auto' && this.opts.procRoot !== '/proc')) return undefined;
    const diag = this.openSockDiag();
    if (diag.ok) return diag.value;
    if (source === 'sockdiag') throw VigieError.from(diag.error);
    return undefined;
  }

  /** A table's text from sock_diag, or from /proc when the kernel has no diag module for it. */
  private tableText(reader: ProcReader, table: SocketTableName): ReturnType<ProcReader['socketTableText']> {
    if (this.diag && !this.procTables.has(table)) {
      const r = this.diag.text(table);
      if (r.ok || r.errno !== 'ENOENT') return r;
      this.procTables.add(table);
      this.sink?.problem({ code: 'VIGIE_NETLINK_UNAVAILABLE', message: `no sock_diag for ${table} in this kernel: reading /proc/net/${table}` });
    }
    return reader.socketTableText(table);
  }

  private event(e: SocketEntry, owner: SocketOwner | undefined, listening: ReadonlySet<string>, now: number): Event {
    if (!owner) this.counters.unowned++;
    return {
      timeMs: now,
      source: Source.SOURCE_PROCFS,
      host: this.opts.host,
      network: {
        process: owner?.ref ?? { pid: 0, startTimeMs: 0 },
        image: owner?.image ?? '',
        direction: directionOf(e, listening),
        protocol: e.protocol === 'tcp' ? Protocol.PROTOCOL_TCP : Protocol.PROTOCOL_UDP,
        localAddress: e.localAddress,
        localPort: e.localPort,
        remoteAddress: e.remoteAddress,
        remotePort: e.remotePort,
        state: e.state,
        bytesSent: 0,
        bytesReceived: 0,
        user: this.users?.name(e.uid) ?? `uid:${e.uid}`,
      },
    };
  }

  private report(problem: VigieProblem, about: SocketTableName | 'overflow' = 'overflow'): void {
    const key = `${problem.code}:${about}`;
    const now = Date.now();
    if (now - (this.lastReport.get(key) ?? Number.NEGATIVE_INFINITY) < REPORT_EVERY_MS) return;
    this.lastReport.set(key, now);
    this.sink?.problem(problem);
  }
}
