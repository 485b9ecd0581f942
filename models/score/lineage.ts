/**
 * Lineage scores: an attack is a process tree, not one process. The implant's children (the shell
 * it opens, whoami, net, sc...) each look only mildly unusual on their own; what makes them
 * suspicious is where they come from. So a process's score is the larger of its own and a decayed
 * share of its parent's (which already carries its own ancestors'):
 *
 *   lineage(p) = max(own(p), decay * lineage(parent(p)))      (0 <= decay < 1)
 *
 * i.e. the largest decay^k * own(ancestor k) along the remembered chain, and a network window's
 * score is max(own(window), decay * lineage(its process)). Scores are relative: a model's raw
 * score divided by its threshold (1 = at the threshold), so that process and network models
 * compare. The process model's threshold is calibrated on lineage scores (models/train/), so its
 * false-positive budget holds for what is alerted on; the network model's on its own scores.
 *
 * Computed online, in event order, from what was seen before: no future leaks in. Bounded:
 * per host an insertion-ordered table (host-processes.ts, oldest first out), hosts LRU.
 *
 * A process is named by its pid and start time as numbers (ProcessRef's fields), so the per-row
 * path builds no text and allocates nothing. The same code runs in evaluation (models/eval, via
 * models/score/row-lineage.ts), calibration and the engine, so what is measured is what runs.
 * Measured on otrf-atomic, leave-datasets-out (docs/EVALUATION.md): process ROC-AUC 0.85 -> 0.91,
 * network 0.93 -> 0.95 with decay 0.9.
 */

import { HostProcesses } from './host-processes.js';

export const DEFAULT_LINEAGE_DECAY = 0.9;

export interface LineageOptions {
  /** Share of a parent's score a child inherits; 0 turns lineage off. Default 0.9. */
  decay?: number;
  maxHosts?: number;
  maxProcessesPerHost?: number;
}

export interface LineagePart {
  /** The score the row is judged on: max(own, inherited). */
  score: number;
  /** decay * the ancestor chain's score (0 when unknown). */
  inherited: number;
}

export class LineageScores {
  readonly decay: number;
  private readonly hosts = new Map<string, HostProcesses>();
  private readonly maxHosts: number;
  private readonly maxPerHost: number;
  evicted = 0;
  /** The `inherited` part of the last processOf() or networkOf() call (they return the score alone). */
  lastInherited = 0;
  private lastHost: string | undefined;
  private lastTable: HostProcesses | undefined;
  private lastNetHost: string | undefined;
  private lastNetTable: HostProcesses | undefined;

  constructor(o: LineageOptions = {}) {
    const decay = o.decay ?? DEFAULT_LINEAGE_DECAY;
    if (!(decay >= 0 && decay < 1)) throw new RangeError(`lineage decay must be in [0, 1), got ${decay}`);
    this.decay = decay;
    this.maxHosts = Math.max(1, o.maxHosts ?? 10_000);
    this.maxPerHost = Math.max(16, o.maxProcessesPerHost ?? 4096);
  }

  /**
   * A process start scored `own`, named by pid and start time (ProcessRef's fields, 0 when
   * absent, as processKey() reads them): returns its lineage score, remembered for its children;
   * the inherited part is in lastInherited.
   */
  processOf(host: string, pid: number, start: number, parentPid: number, parentStart: number, own: number): number {
    const table = this.host(host);
    const inherited = this.decay * (table.get(parentPid, parentStart) ?? 0);
    const score = own > inherited ? own : inherited;
    // A process starts once: no LRU touch (its place is its first sighting; a process reported
    // twice keeps its place and takes the new score).
    if (table.set(pid, start, score)) this.evicted++;
    this.lastInherited = inherited;
    return score;
  }

  /** A network window of a process (pid, start time) scored `own`: max(own, inherited); the inherited part is in lastInherited. */
  networkOf(host: string, pid: number, start: number, own: number): number {
    // Network rows come host by host too, between process rows of other hosts: their own last host.
    let table = this.lastNetTable;
    if (host !== this.lastNetHost) {
      table = host === this.lastHost ? this.lastTable : this.hosts.get(host);
      this.lastNetHost = host;
      this.lastNetTable = table;
    }
    const inherited = this.decay * (table?.get(pid, start) ?? 0);
    this.lastInherited = inherited;
    return own > inherited ? own : inherited;
  }

  private host(host: string): HostProcesses {
    // Rows come host by host (a batch is one sensor's): the same host as the last row is the common case.
    if (host === this.lastHost && this.lastTable) return this.lastTable;
    let table = this.hosts.get(host);
    this.lastHost = host;
    if (table) {
      this.lastTable = table;
      this.hosts.delete(host);
      this.hosts.set(host, table);
      return table;
    }
    this.lastNetHost = undefined; // it may have cached this host's absence, and eviction follows
    table = new HostProcesses(this.maxPerHost);
    this.lastTable = table;
    this.hosts.set(host, table);
    if (this.hosts.size > this.maxHosts) {
      this.hosts.delete(this.hosts.keys().next().value!);
      this.evicted++;
    }
    return table;
  }
}
