/**
 * The hosts a recorded log speaks for, so that a replay can stand up one virtual sensor per host.
 * Reads the whole file once, streaming (nothing but the per-host counters is kept).
 */
import type { VigieProblem } from '../../../common/errors.js';
import type { ReplayOptions, ReplayStats } from './replay-reader.js';
import { readReplay } from './replay-reader.js';

export interface ReplayHost {
  host: string;
  events: number;
  labelled: number;
  /** Earliest and latest event time (ms since the epoch). Lab clocks may be skewed: see stats. */
  firstTimeMs: number;
  lastTimeMs: number;
}

export interface ReplayHosts {
  /** Sorted by host name. */
  hosts: ReplayHost[];
  stats: ReplayStats;
  /** The first problems met (at most `maxProblems`); stats.problems has the full count. */
  problems: VigieProblem[];
}

export interface ListHostsOptions extends Omit<ReplayOptions, 'host'> {
  /** Problems kept in the answer. Default 100. */
  maxProblems?: number;
}

export async function listReplayHosts(file: string, options: ListHostsOptions = {}): Promise<ReplayHosts> {
  const maxProblems = options.maxProblems ?? 100;
  const reader = readReplay(file, options);
  const byHost = new Map<string, ReplayHost>();
  const problems: VigieProblem[] = [];
  for await (const chunk of reader) {
    for (const p of chunk.problems) if (problems.length < maxProblems) problems.push(p);
    for (const e of chunk.events) {
      const name = e.host ?? '';
      const t = Number(e.timeMs ?? 0);
      let h = byHost.get(name);
      if (!h) byHost.set(name, (h = { host: name, events: 0, labelled: 0, firstTimeMs: t, lastTimeMs: t }));
      h.events++;
      if (e.label) h.labelled++;
      if (t < h.firstTimeMs) h.firstTimeMs = t;
      if (t > h.lastTimeMs) h.lastTimeMs = t;
    }
  }
  const hosts = [...byHost.values()].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  return { hosts, stats: reader.stats, problems };
}
