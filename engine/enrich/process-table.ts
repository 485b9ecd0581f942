/**
 * Per-host process table keyed by (pid, start time): the engine's memory of process trees, used
 * to give every event its parent chain. Bounded: each host keeps at most `maxPerHost` processes
 * and the table at most `maxHosts` hosts, least recently used first out (a Map's insertion order
 * is the LRU order: touching an entry re-inserts it).
 */
import { processKey, type Event } from '../../common/events.js';

export interface ProcessNode {
  key: string;
  pid: number;
  startTimeMs: number;
  parentKey: string;
  image: string;
  commandLine: string;
  user: string;
  exitedMs: number;
}

export interface ProcessTableOptions {
  maxPerHost?: number;
  maxHosts?: number;
}

export class ProcessTable {
  private readonly hosts = new Map<string, Map<string, ProcessNode>>();
  private readonly maxPerHost: number;
  private readonly maxHosts: number;
  evictedProcesses = 0;
  evictedHosts = 0;
  unknownExits = 0;

  constructor(options: ProcessTableOptions = {}) {
    this.maxPerHost = options.maxPerHost ?? 4096;
    this.maxHosts = options.maxHosts ?? 20_000;
  }

  /** Applies a host's events in order: starts add nodes, exits mark them. */
  apply(hostKey: string, events: readonly Event[]): void {
    const table = this.host(hostKey);
    for (const e of events) {
      const start = e.processStart;
      if (start) {
        const key = processKey(start.process);
        table.delete(key);
        table.set(key, {
          key,
          pid: start.process?.pid ?? 0,
          startTimeMs: start.process?.startTimeMs ?? 0,
          parentKey: processKey(start.parent),
          image: start.image ?? '',
          commandLine: start.commandLine ?? '',
          user: start.user ?? '',
          exitedMs: 0,
        });
        if (table.size > this.maxPerHost) {
          table.delete(table.keys().next().value!);
          this.evictedProcesses++;
        }
        continue;
      }
      const exit = e.processExit;
      if (exit) {
        const node = table.get(processKey(exit.process));
        if (node) node.exitedMs = e.timeMs ?? 0;
        else this.unknownExits++;
      }
    }
  }

  get(hostKey: string, key: string): ProcessNode | undefined {
    return this.hosts.get(hostKey)?.get(key);
  }

  /** The process and its ancestors, nearest first, as far as the table remembers (and no loops). */
  ancestry(hostKey: string, key: string, maxDepth = 16): ProcessNode[] {
    const table = this.hosts.get(hostKey);
    const chain: ProcessNode[] = [];
    const seen = new Set<string>();
    let node = table?.get(key);
    while (node && chain.length < maxDepth && !seen.has(node.key)) {
      chain.push(node);
      seen.add(node.key);
      node = table!.get(node.parentKey);
    }
    return chain;
  }

  get size(): { hosts: number; processes: number } {
    let processes = 0;
    for (const t of this.hosts.values()) processes += t.size;
    return { hosts: this.hosts.size, processes };
  }

  private host(hostKey: string): Map<string, ProcessNode> {
    let table = this.hosts.get(hostKey);
    if (table) {
      this.hosts.delete(hostKey);
      this.hosts.set(hostKey, table);
      return table;
    }
    table = new Map();
    this.hosts.set(hostKey, table);
    if (this.hosts.size > this.maxHosts) {
      this.hosts.delete(this.hosts.keys().next().value!);
      this.evictedHosts++;
    }
    return table;
  }
}
