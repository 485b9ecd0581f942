/**
 * The extract stage's core: events of one host in, feature rows out. Built once with its options
 * (counters, bounds, window length), then called per batch, or per event when reading a Sysmon
 * file (which has no batches): the extractor keeps its own bounded per-host context, so both
 * paths give the same rows for the same events.
 *
 * Per call it allocates only what the events force (a lineage node per process start, a window
 * when a process first talks on the network, one context per network row); rows go into the
 * caller's preallocated FeatureBatch. The per-event path builds no strings: processes are keyed
 * by their numbers (process-map.ts), image facts are cached per path (image-info.ts), a command
 * line is measured in one pass without a lower-case copy (command-line-scan.ts), once per
 * distinct line (command-line-cache.ts).
 */
import type { Event } from '../../common/events.js';
import { processRowContext, type NetworkRowContext, type ProcessRowContext } from './context.js';
import { HostTable, type HostState } from './host-state.js';
import { ImageInfoCache } from './image-info.js';
import { KeySeeds } from './keys.js';
import { refPid, refStart } from './process-map.js';
import { NetWindow, type RarityScope } from './network-window.js';
import { ProcessRowWriter } from './process-row.js';
import { ProcessSlots } from './process-slots.js';
import { CountMinSketch, type SketchOptions } from './rarity.js';
import type { FeatureBatch } from './rows.js';

export interface FeatureExtractorOptions {
  /** Rarity counters (count-min sketch). Default width 2^20, depth 4: 16 MiB. */
  sketch?: SketchOptions;
  /** Length of a process's network window, ms. Default 10 minutes. */
  windowMs?: number;
  /** Hosts remembered (LRU). Default 10,000. */
  maxHosts?: number;
  /** Processes remembered per host for ancestry (oldest first out). Default 4,096. */
  maxProcessesPerHost?: number;
  /** Open network windows per host; the oldest is closed early beyond it. Default 256. */
  maxWindowsPerHost?: number;
  /** Command-line tokens looked at for rarity. Default 32. */
  maxTokens?: number;
  /** Offset of the tenants' local time from UTC, minutes, for time-of-day features. Default 0. */
  utcOffsetMinutes?: number;
  /** Learn the counters from the events (default true); false scores against frozen counters. */
  learn?: boolean;
}

export interface ExtractorCounters {
  events: number;
  processRows: number;
  networkRows: number;
  hosts: number;
  openWindows: number;
  evictedHosts: number;
  evictedWindows: number;
  evictedLineage: number;
  sketchBytes: number;
  sketchHalvings: number;
}

export class FeatureExtractor {
  readonly options: Readonly<Required<Omit<FeatureExtractorOptions, 'sketch'>>>;
  readonly sketch: CountMinSketch;
  private readonly seeds = new KeySeeds();
  /** Slots and serials of the processes remembered (process-slots.ts), for lineage beside the rows. */
  readonly slots = new ProcessSlots();
  private readonly scope: RarityScope;
  private readonly processRows: ProcessRowWriter;
  private readonly hosts: HostTable;
  private readonly utcOffsetMs: number;
  /** Where windows closed outside a call with an output (host eviction) go: the next batch. */
  private pendingEvicted: Array<{ w: NetWindow; host: HostState }> = [];
  private readonly stats = { events: 0, processRows: 0, networkRows: 0, evictedWindows: 0, openWindows: 0 };

  constructor(o: FeatureExtractorOptions = {}) {
    this.options = Object.freeze({
      windowMs: Math.max(1000, o.windowMs ?? 600_000),
      maxHosts: Math.max(1, o.maxHosts ?? 10_000),
      maxProcessesPerHost: Math.max(16, o.maxProcessesPerHost ?? 4096),
      maxWindowsPerHost: Math.max(1, o.maxWindowsPerHost ?? 256),
      maxTokens: Math.max(1, Math.min(1024, o.maxTokens ?? 32)),
      utcOffsetMinutes: o.utcOffsetMinutes ?? 0,
      learn: o.learn ?? true,
    });
    this.utcOffsetMs = this.options.utcOffsetMinutes * 60_000;
    this.sketch = new CountMinSketch(o.sketch);
    const images = new ImageInfoCache();
    this.scope = { sketch: this.sketch, seeds: this.seeds, learn: this.options.learn, images };
    this.processRows = new ProcessRowWriter(this.slots, this.sketch, this.seeds, images, {
      maxTokens: this.options.maxTokens,
      maxLineagePerHost: this.options.maxProcessesPerHost,
      utcOffsetMs: this.utcOffsetMs,
      learn: this.options.learn,
    });
    this.hosts = new HostTable(this.options.maxHosts, (h) => {
      for (const w of h.windows.values()) this.pendingEvicted.push({ w, host: h });
      this.stats.openWindows -= h.windows.size;
      h.windows.clear();
      for (const node of h.lineage.values()) this.slots.release(node.slot);
      h.lineage.clear();
    });
  }

  /**
   * Extracts the rows of one host's events, in order, appending to `out` (which the caller
   * clears between batches). Process-start events give process rows; network and DNS events
   * feed their process's window, and windows that close give network rows.
   */
  extract(tenant: string, host: string, events: readonly Event[], out: FeatureBatch): void {
    const state = this.hosts.get(tenant, host);
    this.seeds.use(tenant, host);
    if (this.pendingEvicted.length > 0) this.flushEvicted(out);
    const windowMs = this.options.windowMs;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      const t = Number(e.timeMs ?? 0);
      if (t > state.lastMs) state.lastMs = t;
      if (e.processStart) {
        this.processRows.write(e, e.processStart, state, out.process, i);
        this.stats.processRows++;
      } else if (e.network || e.dns) {
        const ref = e.network ? e.network.process : e.dns!.process;
        const pid = refPid(ref);
        const start = refStart(ref);
        let w = state.windows.get(pid, start);
        if (w && t - w.openMs >= windowMs) {
          this.close(w, state, out, i, 'time');
          w = undefined;
        }
        if (!w) w = this.open(pid, start, (e.network ? e.network.image : e.dns!.image) ?? '', t, state, out);
        if (e.network) w.addConnection(e.network, t, this.scope);
        else w.addDns(e.dns!, t, this.scope);
      } else if (e.processExit) {
        const ref = e.processExit.process;
        const w = state.windows.get(refPid(ref), refStart(ref));
        if (w) this.close(w, state, out, i, 'exit');
      }
    }
    this.stats.events += events.length;
    this.sweep(state, state.lastMs, out);
  }

  /**
   * Closes the windows that ended by `nowMs` on every host (Infinity: all of them, at the end of
   * a file). Hosts that stopped sending keep their windows until this is called.
   */
  drain(out: FeatureBatch, nowMs = Infinity): void {
    if (this.pendingEvicted.length > 0) this.flushEvicted(out);
    for (const h of this.hosts.values()) {
      this.seeds.use(h.tenant, h.host);
      this.sweep(h, nowMs, out, 'drain');
    }
  }

  /**
   * A process row's context for explanations: the event's own fields, plus what the extractor
   * still remembers (depth, grandparent, the rarest token by the current counters).
   */
  processContext(tenant: string, host: string, event: Event): ProcessRowContext {
    const s = event.processStart;
    const base = processRowContext(tenant, host, event);
    if (!s) return base;
    this.seeds.use(tenant, host);
    const state = this.hosts.get(tenant, host);
    const node = state.lineage.get(refPid(s.process), refStart(s.process));
    const parent = state.lineage.get(refPid(s.parent), refStart(s.parent));
    const gp = parent?.parentImage ?? '';
    return {
      ...base,
      depth: node?.depth ?? 0,
      grandparentImage: gp.slice(Math.max(gp.lastIndexOf('\\'), gp.lastIndexOf('/')) + 1).toLowerCase(),
      rarestToken: this.processRows.rarestToken(s),
    };
  }

  counters(): ExtractorCounters {
    return {
      events: this.stats.events,
      processRows: this.stats.processRows,
      networkRows: this.stats.networkRows,
      hosts: this.hosts.size,
      openWindows: this.stats.openWindows,
      evictedHosts: this.hosts.evictedHosts,
      evictedWindows: this.stats.evictedWindows,
      evictedLineage: this.processRows.evictedLineage,
      sketchBytes: this.sketch.bytes,
      sketchHalvings: this.sketch.halvings,
    };
  }

  private open(pid: number, start: number, image: string, t: number, state: HostState, out: FeatureBatch): NetWindow {
    if (state.windows.size >= this.options.maxWindowsPerHost) {
      this.close(state.windows.oldest()!, state, out, -1, 'evicted');
      this.stats.evictedWindows++;
    }
    const w = new NetWindow(pid, start, image, t, this.scope, state.lineage.get(pid, start)?.scriptLineage ?? false);
    state.windows.set(pid, start, w);
    this.stats.openWindows++;
    return w;
  }

  private close(w: NetWindow, state: HostState, out: FeatureBatch, eventIndex: number, why: NetworkRowContext['closedBy']): void {
    state.windows.delete(w.pid, w.start);
    this.stats.openWindows--;
    this.emit(w, state, out, eventIndex, why);
  }

  private emit(w: NetWindow, state: HostState, out: FeatureBatch, eventIndex: number, why: NetworkRowContext['closedBy']): void {
    out.networkContexts.push(w.close(out.network, eventIndex, state.tenant, state.host, why, this.utcOffsetMs, state.lineage.get(w.pid, w.start)));
    this.stats.networkRows++;
  }

  /** Windows are in opening order: close from the front until one is still open at `nowMs`. */
  private sweep(state: HostState, nowMs: number, out: FeatureBatch, why: NetworkRowContext['closedBy'] = 'time'): void {
    const windowMs = this.options.windowMs;
    for (let w = state.windows.oldest(); w !== undefined && w.openMs + windowMs <= nowMs; w = state.windows.oldest()) {
      this.close(w, state, out, -1, why);
    }
  }

  private flushEvicted(out: FeatureBatch): void {
    const pending = this.pendingEvicted;
    this.pendingEvicted = [];
    for (const { w, host } of pending) {
      this.emit(w, host, out, -1, 'evicted');
      this.stats.evictedWindows++;
    }
  }
}
