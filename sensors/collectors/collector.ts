import type { Event } from '../../common/events.js';
import type { VigieProblem } from '../../common/errors.js';

/**
 * A source of telemetry on one host. Collectors read the host (or a recording, or a behaviour
 * generator) and hand events to the agent in arrays; they never batch for the wire, spool or send.
 */
export interface CollectorSink {
  /** Called with one or more events, in time order for this collector. */
  events(events: Event[]): void;
  /** An expected failure the collector survived (a vanished pid, an unparsable line). */
  problem(problem: VigieProblem): void;
}

export interface Collector {
  /** Stable name, e.g. "process", "network", "sysmon", "simulated". */
  readonly name: string;
  /** What is in use, reported in heartbeats: e.g. "netlink", "procfs-poll". Valid after start(). */
  readonly mode: string;
  start(sink: CollectorSink): Promise<void>;
  /** Stops reading; resolves when no more events will be emitted. Idempotent. */
  stop(): Promise<void>;
}
