/**
 * The extractor's own bounded memory per host: a small lineage table (image, parent image and
 * depth per process, enough for ancestry features without walking chains) and the open network
 * windows. Hosts are LRU-bounded, lineage per host is insertion-order bounded. The engine's
 * ProcessTable holds richer nodes; this one exists so that Sysmon files (no batches, no engine)
 * and the engine compute the very same rows.
 */
import type { NetWindow } from './network-window.js';
import { ProcessMap } from './process-map.js';

export interface LineageNode {
  readonly image: string;
  readonly parentImage: string;
  /** The parent's ImageInfo.nameHash: a child's grandparent in rarity keys. */
  readonly parentNameHash: number;
  readonly depth: number;
  /** This process or one of its remembered ancestors is a script host. */
  readonly scriptLineage: boolean;
  /** The process's slot and serial (process-slots.ts), written beside its rows. */
  readonly slot: number;
  readonly serial: number;
}

export class HostState {
  readonly lineage = new ProcessMap<LineageNode>();
  /** Open windows by process, in opening order (re-opened windows move to the end). */
  readonly windows = new ProcessMap<NetWindow>();
  lastMs = 0;

  constructor(readonly tenant: string, readonly host: string) {}
}

export class HostTable {
  private readonly hosts = new Map<string, HostState>();
  /** The most recently used host (always in `hosts`: eviction takes the least recent). */
  private last: HostState | undefined;
  evictedHosts = 0;

  constructor(private readonly maxHosts: number, private readonly onEvict: (h: HostState) => void) {}

  get size(): number {
    return this.hosts.size;
  }

  /** The state of a host, created on first use; touching it makes it most recently used. */
  get(tenant: string, host: string): HostState {
    // the host of the previous call (a stream of single events) is already the most recent
    const last = this.last;
    if (last !== undefined && last.host === host && last.tenant === tenant) return last;
    const key = `${tenant}\u001f${host}`;
    let state = this.hosts.get(key);
    if (state) {
      this.hosts.delete(key);
      this.hosts.set(key, state);
    } else {
      state = new HostState(tenant, host);
      this.hosts.set(key, state);
      if (this.hosts.size > this.maxHosts) {
        const [oldKey, old] = this.hosts.entries().next().value!;
        this.hosts.delete(oldKey);
        this.evictedHosts++;
        this.onEvict(old);
      }
    }
    this.last = state;
    return state;
  }

  values(): IterableIterator<HostState> {
    return this.hosts.values();
  }
}
