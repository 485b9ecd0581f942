/**
 * Per-host process table keyed by (pid, start time): the engine's memory of process trees, used
 * to give every event its parent chain. Bounded: each host keeps at most `maxPerHost` processes
 * and the table at most `maxHosts` hosts, least recently used first out.
 *
 * Processes are keyed by their numbers (models/features/process-map.ts), not by "pid:start" text:
 * building that text twice per process start and hashing it was 5% of an analysis thread's time
 * in bench:ingest's profile. A node's `key` and `parentKey` (processKey's text) are made when asked
 * for (ancestry of a detection), and get() takes that text.
 */
import type { Event } from '../../common/events.js';
import { ProcessMap, refPid, refStart } from '../../models/features/process-map.js';

export class ProcessNode {
  exitedMs = 0;

  constructor(
    readonly pid: number,
    readonly startTimeMs: number,
    readonly parentPid: number,
    readonly parentStartMs: number,
    readonly image: string,
    readonly commandLine: string,
    readonly user: string,
  ) {}

  /** As processKey() of common/events.ts. */
  get key(): string {
    return `${this.pid}:${this.startTimeMs}`;
  }

  get parentKey(): string {
    return `${this.parentPid}:${this.parentStartMs}`;
  }
}

export interface ProcessTableOptions {
  maxPerHost?: number;
  maxHosts?: number;
}

/** "pid:start" (processKey's text) as numbers; NaN for text that is not such a key. */
function parseKey(key: string): [number, number] {
  const at = key.indexOf(':');
  return at < 0 ? [NaN, NaN] : [Number(key.slice(0, at)), Number(key.slice(at + 1))];
}

export class ProcessTable {
  private readonly hosts = new Map<string, ProcessMap<ProcessNode>>();
  private readonly maxPerHost: number;
  private readonly maxHosts: number;
  evictedProcesses = 0;
  evictedHosts = 0;
  unknownExits = 0;

  constructor(options: ProcessTableOptions = {}) {
    this.maxPerHost = options.maxPerHost ?? 4096;
    this.maxHosts = options.maxHosts ?? 20_000;
  }

  /** Applies a host's events in order: starts add nodes (a process reported again replaces its node), exits mark them. */
  apply(hostKey: string, events: readonly Event[]): void {
    const table = this.host(hostKey);
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      const start = e.processStart;
      if (start) {
        const pid = refPid(start.process);
        const startMs = refStart(start.process);
        table.set(pid, startMs, new ProcessNode(pid, startMs, refPid(start.parent), refStart(start.parent),
          start.image ?? '', start.commandLine ?? '', start.user ?? ''));
        if (table.size > this.maxPerHost) {
          table.shift();
          this.evictedProcesses++;
        }
        continue;
      }
      const exit = e.processExit;
      if (exit) {
        const node = table.get(refPid(exit.process), refStart(exit.process));
        if (node) node.exitedMs = Number(e.timeMs ?? 0);
        else this.unknownExits++;
      }
    }
  }

  /** A process by processKey()'s text. */
  get(hostKey: string, key: string): ProcessNode | undefined {
    const [pid, start] = parseKey(key);
    return this.hosts.get(hostKey)?.get(pid, start);
  }

  /** The process and its ancestors, nearest first, as far as the table remembers (and no loops). */
  ancestry(hostKey: string, key: string, maxDepth = 16): ProcessNode[] {
    const table = this.hosts.get(hostKey);
    const chain: ProcessNode[] = [];
    if (!table) return chain;
    const seen = new Set<ProcessNode>();
    const [pid, start] = parseKey(key);
    let node = table.get(pid, start);
    while (node && chain.length < maxDepth && !seen.has(node)) {
      chain.push(node);
      seen.add(node);
      node = table.get(node.parentPid, node.parentStartMs);
    }
    return chain;
  }

  get size(): { hosts: number; processes: number } {
    let processes = 0;
    for (const t of this.hosts.values()) processes += t.size;
    return { hosts: this.hosts.size, processes };
  }

  private host(hostKey: string): ProcessMap<ProcessNode> {
    let table = this.hosts.get(hostKey);
    if (table) {
      this.hosts.delete(hostKey);
      this.hosts.set(hostKey, table);
      return table;
    }
    table = new ProcessMap();
    this.hosts.set(hostKey, table);
    if (this.hosts.size > this.maxHosts) {
      this.hosts.delete(this.hosts.keys().next().value!);
      this.evictedHosts++;
    }
    return table;
  }
}
