/**
 * A simulated fleet, ready to run: the behaviour generator's hosts, each behind a real sensor
 * agent (VirtualFleet) fed by a SimulatedCollector, with attack scenarios scheduled on chosen
 * hosts. Seeded: the same options give the same hosts, keys, events and attacks.
 */
import { unwrap } from '../../common/errors.js';
import type { SignatureHost } from '../signatures/index.js';
import type { Logger } from '../../common/log.js';
import type { SensorConfig } from '../agent/config.js';
import { VirtualFleet } from '../fleet/virtual-fleet.js';
import { createBehaviour, createFleet, scenarioNames, SimulatedCollector, type Behaviour, type ScheduledScenario, type VirtualHost } from './behaviour/index.js';

export interface SimulationOptions {
  hosts: number;
  seed: number;
  varDir: string;
  engineEndpoint: string;
  enginePublicKey: string;
  config: SensorConfig;
  log: Logger;
  /** Virtual ms per real ms (1 = real time). */
  acceleration?: number;
  /** Activity multiplier (1 = the modelled office day). */
  rate?: number;
  /** Virtual start time; default: now. */
  startMs?: number;
  /** Scenario names to run, or 'all'; default 'all'. */
  scenarios?: readonly string[] | 'all';
  /** Virtual delay between start and the first attack, then between attacks. */
  attackEveryMs?: number;
  /** Edge signatures, shared by every virtual host. */
  signatures?: SignatureHost;
}

export interface Simulation {
  fleet: VirtualFleet;
  hosts: readonly VirtualHost[];
  behaviour: Behaviour;
  attacks: readonly ScheduledScenario[];
}

export function createSimulation(o: SimulationOptions): Simulation {
  const startMs = o.startMs ?? Date.now();
  const hosts = createFleet({ hosts: o.hosts, seed: o.seed, startMs });
  const bySensor = new Map(hosts.map((h) => [h.sensorId, h]));
  const behaviour = createBehaviour({ fleet: hosts, ...(o.rate !== undefined ? { rate: o.rate } : {}) });
  const attacks = scheduleAttacks(behaviour, hosts, o.scenarios ?? 'all', startMs, o.attackEveryMs ?? 5 * 60_000, o.seed);
  const fleet = new VirtualFleet({
    varDir: o.varDir,
    hosts: hosts.map((h) => ({ sensorId: h.sensorId, host: h.name, tenant: h.tenant })),
    engineEndpoint: o.engineEndpoint,
    enginePublicKey: o.enginePublicKey,
    config: o.config,
    keySeed: `simulate:${o.seed}`,
    log: o.log,
    ...(o.signatures ? { signatures: o.signatures } : {}),
    collectorsFor: (spec) => {
      const host = bySensor.get(spec.sensorId)!;
      return [new SimulatedCollector({ behaviour, host, startMs, acceleration: o.acceleration ?? 1 })];
    },
  });
  return { fleet, hosts, behaviour, attacks };
}

/**
 * Spreads the chosen scenarios over workstations. Lateral movement and ransomware take a target:
 * the town's file server.
 */
function scheduleAttacks(behaviour: Behaviour, hosts: readonly VirtualHost[], which: readonly string[] | 'all', startMs: number, everyMs: number, seed: number): ScheduledScenario[] {
  const names = which === 'all' ? scenarioNames : which;
  const workstations = hosts.filter((h) => h.role === 'workstation');
  if (workstations.length === 0) return [];
  return names.map((name, i) => {
    const host = workstations[(seed * 7 + i * 13) % workstations.length]!;
    const target = hosts.find((h) => h.tenant === host.tenant && h.role === 'file-server')
      ?? hosts.find((h) => h.tenant === host.tenant && h.role !== 'workstation' && h.os === 'windows');
    return unwrap(behaviour.scheduleScenario(name, { atMs: startMs + everyMs * (i + 1), host, ...(target ? { target } : {}) }));
  });
}
