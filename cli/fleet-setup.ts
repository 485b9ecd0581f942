/**
 * What `simulate`, `replay` and `start` share: open the local engine store to enrol virtual
 * hosts, find the engine's key and endpoint, or run an embedded engine.
 */
import { unwrap } from '../common/errors.js';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { loadOrCreateEngineKey, readSensorIdentity, varPaths, writeJsonAtomic } from '../common/identity.js';
import { enrollSensor } from '../engine/enrollment.js';
import type { Logger } from '../common/log.js';
import { parseConfig } from '../common/config/schema.js';
import { engineConfigSchema } from '../engine/config.js';
import { Engine } from '../engine/engine.js';
import { SqliteStore } from '../engine/store/index.js';
import type { SensorIdentity } from '../common/identity.js';
import { enrollFleet } from '../sensors/fleet/virtual-fleet.js';

export interface EngineTarget {
  endpoint: string;
  publicKey: string;
  /** Set when this process runs the engine itself. */
  embedded?: Engine;
}

export async function engineTarget(varDir: string, endpoint: string | undefined, embedded: boolean, log: Logger): Promise<EngineTarget> {
  if (embedded) {
    const config = unwrap(parseConfig(engineConfigSchema, { varDir, endpoint: endpoint ?? 'tcp://127.0.0.1:0' }, 'embedded engine'));
    const engine = new Engine(config, log.child({ component: 'engine' }));
    await engine.start();
    return { endpoint: engine.address, publicKey: engine.publicKey, embedded: engine };
  }
  const key = unwrap(loadOrCreateEngineKey(varPaths(varDir).engineKey));
  return { endpoint: endpoint ?? 'tcp://127.0.0.1:7470', publicKey: key.publicKey };
}

/** Enrols virtual hosts in the engine store under `varDir` (the engine may be running: WAL). */
export function enrollLocal(varDir: string, identities: readonly SensorIdentity[], engine?: Engine): void {
  if (engine) return enrollFleet(engine.sqlite, identities);
  const store = unwrap(SqliteStore.open(varPaths(varDir).store));
  try {
    enrollFleet(store, identities);
  } finally {
    store.close();
  }
}

/**
 * The identity of the sensor on this host under `varDir`: read it if enrolled, otherwise enrol it
 * with the local engine store (the all-in-one and first-run case).
 */
export function localSensorIdentity(varDir: string, target: EngineTarget, tenant: string): SensorIdentity {
  const sensorId = `local-${hostname()}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 120);
  const path = varPaths(varDir).sensorIdentity(sensorId);
  if (existsSync(path)) {
    const identity = unwrap(readSensorIdentity(path));
    // The engine may listen elsewhere this run (an embedded engine on an OS-chosen port).
    return { ...identity, engineEndpoint: target.endpoint, enginePublicKey: target.publicKey };
  }
  const store = target.embedded?.sqlite ?? unwrap(SqliteStore.open(varPaths(varDir).store));
  try {
    const identity = enrollSensor(store, { sensorId, host: hostname(), tenant, engineEndpoint: target.endpoint, enginePublicKey: target.publicKey });
    writeJsonAtomic(path, identity);
    return identity;
  } finally {
    if (!target.embedded) store.close();
  }
}
