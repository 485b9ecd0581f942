/**
 * Sensors cut off from the engine (pointed at a dead port) for longer than their spool holds:
 * the spool drops its oldest segments, and when the sensors reach the engine again, what was
 * archived plus what the heartbeats report as dropped equals what was collected, per sensor.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../common/config/schema.js';
import { unwrap } from '../../common/errors.js';
import { varPaths } from '../../common/identity.js';
import { silentLogger } from '../../common/log.js';
import { summarizeArchive } from '../../engine/archive-summary.js';
import { engineConfigSchema } from '../../engine/config.js';
import { Engine } from '../../engine/engine.js';
import { sensorConfigSchema } from '../../sensors/agent/config.js';
import { enrollFleet, VirtualFleet, type VirtualHostSpec } from '../../sensors/fleet/virtual-fleet.js';
import { freePort } from '../helpers/engine-process.js';
import { processEvents, tempDir, waitFor } from '../helpers/fixtures.js';

const HOSTS = 20;
const PER_HOST = 4000; // ~90 bytes each: several times the 64 KiB spool

describe('network cut longer than the spool holds', () => {
  it('drops oldest segments, and the heartbeats account for every dropped event', async () => {
    const dir = tempDir('netcut');
    const engine = new Engine(unwrap(parseConfig(engineConfigSchema, { varDir: dir.path, endpoint: 'tcp://127.0.0.1:0', heartbeatFlushMs: 20 }, 'test')), silentLogger);
    await engine.start();
    const hosts: VirtualHostSpec[] = Array.from({ length: HOSTS }, (_, i) => ({ sensorId: `cut-${i}`, host: `cut-${i}`, tenant: 'town-b' }));
    const config = unwrap(parseConfig(sensorConfigSchema, {
      batchMaxEvents: 100, batchMaxMs: 20, spoolMaxBytes: 64 * 1024, spoolSegmentBytes: 16 * 1024,
      heartbeatMs: 100, ackTimeoutMs: 300, reconnectMinMs: 20, reconnectMaxMs: 200, sendTimeoutMs: 50,
    }, 'test'));
    const make = (endpoint: string) => new VirtualFleet({ varDir: dir.path, hosts, engineEndpoint: endpoint, enginePublicKey: engine.publicKey, config, keySeed: 'cut', log: silentLogger });
    let fleet = make(`tcp://127.0.0.1:${await freePort()}`); // nobody listens there
    try {
      enrollFleet(engine.sqlite, fleet.identities);
      await fleet.start();
      for (let k = 0; k < 8; k++) {
        for (const [i, a] of fleet.agents.entries()) a.ingest(processEvents(hosts[i]!.host, k * (PER_HOST / 8), PER_HOST / 8));
        await new Promise((r) => setTimeout(r, 30));
      }
      fleet.flush();
      const cut = fleet.totals();
      expect(cut.droppedEvents).toBeGreaterThan(0); // the spool overflowed
      expect(cut.appendedEvents).toBe(HOSTS * PER_HOST);
      await fleet.stop();

      // The network is back: the same sensors (same spools) reach the engine.
      fleet = make(engine.address);
      await fleet.start();
      await waitFor(() => fleet.totals().unackedBatches === 0, 30_000, 'spools drained');
      const after = fleet.totals();
      // a heartbeat sent after the drain carries the final counts
      await Promise.all(fleet.agents.map((a) => a.heartbeat()));
      await waitFor(() => engine.sqlite.statuses().filter((s) => (s.eventsDropped ?? -1) > 0).length === HOSTS
        && engine.sqlite.statuses().every((s) => s.eventsCollected === PER_HOST), 10_000, 'final heartbeats stored');
      const reported = new Map(engine.sqlite.statuses().map((s) => [s.sensorId, s]));
      await fleet.stop();
      await engine.stop();

      const archive = await summarizeArchive(varPaths(dir.path).archive);
      let totalDropped = 0;
      for (const h of hosts) {
        const archived = archive.sensors.get(h.sensorId)?.events ?? 0;
        const hb = reported.get(h.sensorId)!;
        expect(archived + hb.eventsDropped!, h.sensorId).toBe(PER_HOST);
        expect(hb.eventsCollected, h.sensorId).toBe(PER_HOST);
        totalDropped += hb.eventsDropped!;
      }
      expect(totalDropped).toBe(after.droppedEvents);
      console.log(`[netcut] ${HOSTS * PER_HOST} events collected, ${totalDropped} dropped and reported, ${archive.events} archived`);
    } finally {
      await fleet.stop();
      await engine.stop();
      dir.remove();
    }
  }, 120_000);
});
