/**
 * Many sensor agents in one process: the simulated fleet, replays of recorded logs, benchmarks.
 * Each virtual host is a real Agent with its own identity (a CURVE key derived from a seed, so
 * identities are stable across runs), its own spool directory, sequence and heartbeat; they share
 * one ZeroMQ context and one CPU sampler.
 */
import * as zmq from 'zeromq';
import { seededCurveKeyPair } from '../../common/curve.js';
import { varPaths, type SensorIdentity } from '../../common/identity.js';
import type { Logger } from '../../common/log.js';
import type { SqliteStore } from '../../engine/store/index.js';
import { Agent } from '../agent/agent.js';
import type { SensorConfig } from '../agent/config.js';
import { CpuMeter } from '../agent/heartbeat.js';
import type { Collector } from '../collectors/collector.js';
import type { SignatureHost } from '../signatures/index.js';

export interface VirtualHostSpec {
  sensorId: string;
  host: string;
  tenant: string;
}

export interface VirtualFleetOptions {
  varDir: string;
  hosts: readonly VirtualHostSpec[];
  engineEndpoint: string;
  enginePublicKey: string;
  config: SensorConfig;
  /** Seed for the hosts' CURVE keys: the same seed gives the same keys. */
  keySeed: string;
  log: Logger;
  collectorsFor?: (host: VirtualHostSpec) => Collector[];
  contentVersion?: string;
  /** Edge signatures, one worker shared by every virtual host. */
  signatures?: SignatureHost;
}

export function virtualIdentity(spec: VirtualHostSpec, o: Pick<VirtualFleetOptions, 'keySeed' | 'engineEndpoint' | 'enginePublicKey'>): SensorIdentity {
  const keys = seededCurveKeyPair(`${o.keySeed}:${spec.sensorId}`);
  return { ...spec, ...keys, engineEndpoint: o.engineEndpoint, enginePublicKey: o.enginePublicKey };
}

/** Registers the fleet's keys with a local engine store (idempotent). */
export function enrollFleet(store: SqliteStore, identities: readonly SensorIdentity[], nowMs = Date.now()): void {
  store.enrollMany(identities.map((i) => ({ sensorId: i.sensorId, tenant: i.tenant, host: i.host, publicKey: i.publicKey, enrolledMs: nowMs })));
}

export class VirtualFleet {
  readonly agents: Agent[];
  readonly identities: SensorIdentity[];
  private readonly context = new zmq.Context({ blocky: false });
  private readonly byHost = new Map<string, Agent>();

  constructor(o: VirtualFleetOptions) {
    const cpu = new CpuMeter();
    const paths = varPaths(o.varDir);
    this.identities = o.hosts.map((h) => virtualIdentity(h, o));
    this.agents = this.identities.map((identity, i) => {
      const agent = new Agent({
        identity,
        config: o.config,
        spoolDir: paths.sensorSpool(identity.sensorId),
        collectors: o.collectorsFor?.(o.hosts[i]!) ?? [],
        log: o.log.child({ sensor: identity.sensorId }),
        context: this.context,
        cpuMeter: cpu,
        ...(o.contentVersion !== undefined ? { contentVersion: o.contentVersion } : {}),
        ...(o.signatures ? { signatures: o.signatures } : {}),
      });
      this.byHost.set(identity.host, agent);
      return agent;
    });
  }

  agentForHost(host: string): Agent | undefined {
    return this.byHost.get(host);
  }

  async start(): Promise<void> {
    for (const a of this.agents) await a.start();
  }

  flush(): void {
    for (const a of this.agents) a.flush();
  }

  /** Totals over the fleet, for status lines and tests. */
  totals() {
    const t = { hosts: this.agents.length, connected: 0, spoolBytes: 0, unackedBatches: 0, unackedEvents: 0, appendedEvents: 0, ackedEvents: 0, droppedEvents: 0, droppedBatches: 0, pending: 0 };
    for (const a of this.agents) {
      const s = a.status();
      if (s.connected) t.connected++;
      t.spoolBytes += s.spool.bytes;
      // Frames still being matched against signatures are not acked either.
      t.unackedBatches += s.spool.unackedBatches + s.matching.frames;
      t.unackedEvents += s.spool.unackedEvents + s.matching.events;
      t.appendedEvents += s.counters.appendedEvents;
      t.ackedEvents += s.counters.ackedEvents;
      t.droppedEvents += s.counters.droppedEvents;
      t.droppedBatches += s.counters.droppedBatches;
      t.pending += s.pending;
    }
    return t;
  }

  async stop(): Promise<void> {
    await Promise.all(this.agents.map((a) => a.stop()));
  }
}
