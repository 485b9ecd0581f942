/**
 * A recorded Sysmon log played "as if from a live sensor": a Collector (name "replay", mode
 * "sysmon") that hands the agent arrays of events, each array from one host, as fast as possible
 * or paced by the recorded timestamps. For a fleet replay, `replayCollectorsByHost` lists the
 * hosts of a file and gives one collector per host, each to feed its own virtual sensor.
 */
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import type { Event } from '../../../common/events.js';
import type { Collector, CollectorSink } from '../../collectors/collector.js';
import type { ListHostsOptions, ReplayHosts } from './hosts.js';
import { listReplayHosts } from './hosts.js';
import type { ReplaySpeed } from './pacer.js';
import { DEFAULT_MAX_GAP_MS, Pacer } from './pacer.js';
import type { ReplayOptions, ReplayReader, ReplayStats } from './replay-reader.js';
import { readReplay } from './replay-reader.js';

export interface ReplayCollectorOptions extends Omit<ReplayOptions, 'signal'> {
  file: string;
  /** Default "max". See pacer.ts. */
  speed?: ReplaySpeed;
  /** Longest recorded gap honoured when pacing, in ms. Default 10 s. */
  maxGapMs?: number;
}

/** Splits a time-ordered array into one array per host, each in the original order. */
export function groupByHost(events: readonly Event[]): Event[][] {
  const groups = new Map<string, Event[]>();
  for (const e of events) {
    const host = e.host ?? '';
    const g = groups.get(host);
    if (g) g.push(e);
    else groups.set(host, [e]);
  }
  return [...groups.values()];
}

export class ReplayCollector implements Collector {
  readonly name = 'replay';
  readonly mode = 'sysmon';
  private readonly abort = new AbortController();
  private running: Promise<ReplayStats> | undefined;
  private readonly reader: ReplayReader;
  /** Undefined for speed "max". Built here so that a bad speed fails at construction. */
  private readonly pacer: Pacer | undefined;

  constructor(private readonly options: ReplayCollectorOptions) {
    const speed = options.speed ?? 'max';
    this.pacer = speed === 'max' ? undefined : new Pacer(speed, options.maxGapMs ?? DEFAULT_MAX_GAP_MS);
    this.reader = readReplay(options.file, { ...options, signal: this.abort.signal });
  }

  /** Counters of the replay so far (final once `done` resolves). */
  get stats(): ReplayStats {
    return this.reader.stats;
  }

  /**
   * Resolves with the final counters when the replay ends: end of file, unreadable file, or stop().
   * Rejects only on a bug (for instance a sink that throws). Undefined before start().
   */
  get done(): Promise<ReplayStats> | undefined {
    return this.running;
  }

  async start(sink: CollectorSink): Promise<void> {
    if (this.running) throw new Error('ReplayCollector.start() called twice');
    this.running = this.run(sink);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    if (this.running) await this.running;
  }

  private async run(sink: CollectorSink): Promise<ReplayStats> {
    const pacer = this.pacer;
    const signal = this.abort.signal;
    const startedAt = performance.now();
    const emit = (events: Event[]): void => {
      for (const group of groupByHost(events)) sink.events(group);
    };
    try {
      for await (const chunk of this.reader) {
        if (signal.aborted) break; // nothing reaches the sink after stop()
        for (const p of chunk.problems) sink.problem(p);
        if (!pacer) {
          emit(chunk.events);
          await yieldToLoop(undefined, { signal }); // let the agent's timers and I/O run between chunks
          continue;
        }
        let pending: Event[] = [];
        for (const e of chunk.events) {
          const wait = startedAt + pacer.dueOffset(Number(e.timeMs ?? 0)) - performance.now();
          if (wait >= 1) {
            if (pending.length > 0) emit(pending);
            pending = [];
            await sleep(wait, undefined, { signal });
          }
          pending.push(e);
        }
        if (pending.length > 0) emit(pending);
      }
    } catch (err) {
      if (!(signal.aborted && (err as Error).name === 'AbortError')) throw err;
    }
    return this.reader.stats;
  }
}

export interface HostCollectors {
  /** One collector per host of the file, keyed by host name, each keeping only that host's events. */
  collectors: Map<string, ReplayCollector>;
  /** What the listing pass found (hosts, counts, problems). */
  hosts: ReplayHosts;
}

/** Lists the hosts of `file` (one streaming pass), then makes one collector per host. */
export async function replayCollectorsByHost(
  file: string,
  options: Omit<ReplayCollectorOptions, 'file' | 'host'> = {},
): Promise<HostCollectors> {
  const listOptions: ListHostsOptions = { ...options };
  const hosts = await listReplayHosts(file, listOptions);
  const collectors = new Map<string, ReplayCollector>();
  for (const h of hosts.hosts) collectors.set(h.host, new ReplayCollector({ ...options, file, host: h.host }));
  return { collectors, hosts };
}
