/**
 * A real engine serving the API and console, and a real agent on one simulated workstation that
 * matches Vigie's default signature pack and sends the phishing scenario (with the processes that
 * were already running, so the engine knows the ancestors).
 */
import { parseConfig } from '../../../common/config/schema.js';
import { unwrap } from '../../../common/errors.js';
import type { Event } from '../../../common/events.js';
import { varPaths } from '../../../common/identity.js';
import { silentLogger } from '../../../common/log.js';
import { engineConfigSchema } from '../../../engine/config.js';
import { Engine } from '../../../engine/engine.js';
import { enrollSensor } from '../../../engine/enrollment.js';
import { Agent } from '../../../sensors/agent/agent.js';
import { sensorConfigSchema } from '../../../sensors/agent/config.js';
import { SignatureHost } from '../../../sensors/signatures/index.js';
import { createBehaviour, createFleet, DEFAULT_FLEET_START_MS, type VirtualHost } from '../../../sensors/simulate/behaviour/index.js';
import { defaultPack } from '../../../signatures/pack/index.js';
import { tempDir } from '../../helpers/fixtures.js';

export interface AttackRig {
  dir: ReturnType<typeof tempDir>;
  engine: Engine;
  agent: Agent;
  host: VirtualHost;
  /** The scenario's events (with the running processes before them), as sent. */
  events: Event[];
  /** The encoded PowerShell process start of the scenario. */
  powershell: Event;
  stop(): Promise<void>;
}

export async function attackRig(): Promise<AttackRig> {
  const dir = tempDir('console');
  const engine = new Engine(unwrap(parseConfig(engineConfigSchema, {
    varDir: dir.path, endpoint: 'tcp://127.0.0.1:0', httpListen: '127.0.0.1:0', heartbeatFlushMs: 50, processModel: 'none', networkModel: 'none', analysisThreads: 0,
  }, 'test')), silentLogger);
  await engine.start();
  const fleet = createFleet({ hosts: 4, seed: 1 });
  const host = fleet.find((h) => h.role === 'workstation')!;
  const behaviour = createBehaviour({ fleet });
  const atMs = DEFAULT_FLEET_START_MS + 10 * 3_600_000; // Monday 10:00 local
  unwrap(behaviour.scheduleScenario('phishing-encoded-shell', { atMs, host }));
  const attack = behaviour.generate(host, atMs - 60_000, atMs + 10 * 60_000).filter((e) => e.label === 'phishing-encoded-shell');
  const events = [...behaviour.snapshot(host, atMs - 60_000), ...attack];
  const powershell = attack.find((e) => e.processStart?.commandLine?.includes(' -enc '))!;
  const identity = enrollSensor(engine.sqlite, { sensorId: host.sensorId, host: host.name, tenant: host.tenant, engineEndpoint: engine.address, enginePublicKey: engine.publicKey });
  const signatures = await SignatureHost.start(defaultPack(), { log: silentLogger, provenBatches: 1 });
  const config = unwrap(parseConfig(sensorConfigSchema, { batchMaxEvents: 500, batchMaxMs: 20, heartbeatMs: 200 }, 'test'));
  const agent = new Agent({ identity, config, spoolDir: varPaths(dir.path).sensorSpool(host.sensorId), collectors: [], log: silentLogger, signatures });
  await agent.start();
  agent.ingest(events);
  agent.flush();
  return {
    dir, engine, agent, host, events, powershell,
    async stop() { await agent.stop(); await signatures.close(); await engine.stop(); dir.remove(); },
  };
}

/** The PowerShell start again: same image, command line and parent, a new pid, a minute later. */
export function sameEventAgain(e: Event, n: number): Event {
  const start = e.processStart!;
  const t = Number(e.timeMs) + n * 60_000;
  return { ...e, timeMs: t, processStart: { ...start, process: { pid: (start.process!.pid ?? 0) + 4 * n, startTimeMs: t } } };
}
