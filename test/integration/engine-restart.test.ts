/**
 * The engine is SIGKILLed and restarted three times while 200 simulated hosts stream telemetry.
 * Every event sent is archived exactly once: counts and per-sensor sequences are checked against
 * what the sensors' spools assigned.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../common/config/schema.js';
import { unwrap } from '../../common/errors.js';
import { loadOrCreateEngineKey, varPaths } from '../../common/identity.js';
import { silentLogger } from '../../common/log.js';
import type { Event } from '../../common/events.js';
import { summarizeArchive } from '../../engine/archive-summary.js';
import { SqliteStore } from '../../engine/store/index.js';
import { sensorConfigSchema } from '../../sensors/agent/config.js';
import { enrollFleet, VirtualFleet } from '../../sensors/fleet/virtual-fleet.js';
import { createBehaviour, createFleet } from '../../sensors/simulate/behaviour/index.js';
import { distBuilt, EngineProcess, freePort } from '../helpers/engine-process.js';
import { tempDir, waitFor } from '../helpers/fixtures.js';

const HOSTS = 200;
const STEPS = 40;
const KILL_AT = [8, 18, 28];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!distBuilt)('engine killed during a stream (needs dist/: run `npm run build`)', () => {
  it('archives every event exactly once across three SIGKILLs and restarts', async () => {
    const dir = tempDir('restart');
    const endpoint = `tcp://127.0.0.1:${await freePort()}`;
    const engineKey = unwrap(loadOrCreateEngineKey(varPaths(dir.path).engineKey));
    // Monday 10:00 Paris: a busy hour, so every host has plenty to send.
    const startMs = Date.UTC(2025, 0, 6, 9, 0, 0);
    const hosts = createFleet({ hosts: HOSTS, seed: 7, startMs });
    const behaviour = createBehaviour({ fleet: hosts });
    const perHost: Event[][] = hosts.map((h) => behaviour.generate(h, startMs, startMs + 20 * 60_000));
    const fed = new Map(hosts.map((h) => [h.sensorId, 0]));
    const config = unwrap(parseConfig(sensorConfigSchema, {
      batchMaxEvents: 100, batchMaxMs: 50, ackTimeoutMs: 1500, heartbeatMs: 1000, reconnectMinMs: 50, reconnectMaxMs: 500, sendTimeoutMs: 200,
    }, 'test'));
    const fleet = new VirtualFleet({
      varDir: dir.path, hosts: hosts.map((h) => ({ sensorId: h.sensorId, host: h.name, tenant: h.tenant })),
      engineEndpoint: endpoint, enginePublicKey: engineKey.publicKey, config, keySeed: 'restart-test', log: silentLogger,
    });
    const store = unwrap(SqliteStore.open(varPaths(dir.path).store));
    enrollFleet(store, fleet.identities);
    store.close();
    const engine = new EngineProcess(dir.path, endpoint);
    try {
      await engine.start();
      await fleet.start();
      let kills = 0;
      let pendingAtKill = 0;
      for (let step = 0; step < STEPS; step++) {
        for (const [i, agent] of fleet.agents.entries()) {
          const events = perHost[i]!;
          const from = Math.floor((events.length * step) / STEPS);
          const to = Math.floor((events.length * (step + 1)) / STEPS);
          if (to > from) {
            agent.ingest(events.slice(from, to));
            fed.set(agent.sensorId, fed.get(agent.sensorId)! + (to - from));
          }
        }
        if (KILL_AT.includes(step)) {
          fleet.flush();
          pendingAtKill += fleet.totals().unackedBatches; // frames the kill catches between spool and ack
          expect(await engine.kill('SIGKILL')).toBeNull(); // killed, not exited
          kills++;
          await sleep(400);
          await engine.start();
        }
        await sleep(100);
      }
      expect(kills).toBe(3);
      fleet.flush();
      await waitFor(() => fleet.totals().unackedBatches === 0, 120_000, 'every batch acked');
      const totals = fleet.totals();
      const sent = [...fed.values()].reduce((a, b) => a + b, 0);
      expect(sent).toBeGreaterThan(50_000);
      expect(totals.droppedEvents).toBe(0);
      expect(totals.appendedEvents).toBe(sent);
      // The kills really interrupted deliveries: frames were waiting for acks when the engine died.
      expect(pendingAtKill).toBeGreaterThan(0);
      const resent = fleet.agents.reduce((n, a) => n + a.delivery.counters.resent, 0);
      console.log(`[restart] ${sent} events from ${HOSTS} hosts, 3 SIGKILLs, ${pendingAtKill} frames unacked at the kills, ${resent} re-sent`);
      const seqsAssigned = new Map(fleet.agents.map((a) => [a.sensorId, a.status().counters.appendedBatches]));
      await fleet.stop();
      expect(await engine.kill('SIGTERM')).toBe(0);

      const archive = await summarizeArchive(varPaths(dir.path).archive);
      expect(archive.problems).toEqual([]);
      expect(archive.events).toBe(sent);
      expect(archive.sensors.size).toBe(HOSTS);
      for (const [sensorId, s] of archive.sensors) {
        expect(s.duplicateSeqs, sensorId).toEqual([]);
        expect(s.events, sensorId).toBe(fed.get(sensorId));
        expect(s.batches, sensorId).toBe(seqsAssigned.get(sensorId));
        // one session per sensor: seqs are contiguous from the first
        const seqs = [...s.seqs].sort((a, b) => a - b);
        expect(seqs[seqs.length - 1]! - seqs[0]! + 1, sensorId).toBe(seqs.length);
      }
    } finally {
      await fleet.stop();
      await engine.kill('SIGKILL');
      dir.remove();
    }
  }, 240_000);
});
