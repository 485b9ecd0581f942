/**
 * Ingest never waits for analysis: with room for only two batches in analysis, a stream from
 * real agents is acked at archive speed while analysis falls behind and reads the archive; every
 * event is analysed exactly once, also across a stop in the middle of the catch-up (the next
 * engine resumes from the saved place).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { varPaths, type SensorIdentity } from '../../common/identity.js';
import { silentLogger } from '../../common/log.js';
import { parseConfig } from '../../common/config/schema.js';
import { unwrap } from '../../common/errors.js';
import { engineConfigSchema } from '../../engine/config.js';
import { Engine } from '../../engine/engine.js';
import { enrollSensor } from '../../engine/enrollment.js';
import { Agent } from '../../sensors/agent/agent.js';
import { sensorConfigSchema } from '../../sensors/agent/config.js';
import { processEvents, tempDir, waitFor } from '../helpers/fixtures.js';

const sensorConfig = unwrap(parseConfig(sensorConfigSchema, { batchMaxEvents: 50, batchMaxMs: 20, heartbeatMs: 100, ackTimeoutMs: 2000, maxInFlight: 32 }, 'test'));
const HOSTS = ['ws-1', 'ws-2', 'srv-1'];
const PER_HOST = 4000;

describe('analysis behind ingest', () => {
  let dir: ReturnType<typeof tempDir>;
  let engine: Engine | undefined;
  const agents: Agent[] = [];

  const newEngine = async (endpoint = 'tcp://127.0.0.1:0') => {
    const config = unwrap(parseConfig(engineConfigSchema, {
      varDir: dir.path, endpoint, analysisHighWater: 2, analysisThreads: 1, processModel: 'none', networkModel: 'none',
    }, 'test'));
    engine = new Engine(config, silentLogger);
    await engine.start();
    return engine;
  };

  beforeEach(() => {
    dir = tempDir('analysis-lag');
  });
  afterEach(async () => {
    for (const a of agents.splice(0)) await a.stop();
    await engine?.stop();
    engine = undefined;
    dir.remove();
  });

  async function stream(e: Engine): Promise<void> {
    const ids: SensorIdentity[] = HOSTS.map((id) => enrollSensor(e.sqlite, { sensorId: id, host: id, tenant: 'town-a', engineEndpoint: e.address, enginePublicKey: e.publicKey }));
    for (const identity of ids) {
      const a = new Agent({ identity, config: sensorConfig, spoolDir: varPaths(dir.path).sensorSpool(identity.sensorId), collectors: [], log: silentLogger });
      agents.push(a);
      await a.start();
      a.ingest(processEvents(identity.host, 0, PER_HOST));
      a.flush();
    }
    await waitFor(() => agents.every((a) => a.status().spool.unackedBatches === 0), 30_000, 'all batches acked');
    for (const a of agents.splice(0)) await a.stop();
  }

  const analysed = (e: Engine) => e.status().stages['enrich']?.['events'] ?? 0;

  it('acks without waiting, reads the archive when behind, analyses every event once', async () => {
    const e = await newEngine();
    await stream(e);
    expect(e.status().ingest.storedEvents).toBe(HOSTS.length * PER_HOST);
    await waitFor(() => analysed(e) >= HOSTS.length * PER_HOST && e.status().analysis.behind === 0, 30_000, 'analysis caught up');
    const a = e.status().analysis;
    expect(a.catchups).toBeGreaterThanOrEqual(1);
    expect(a.replayed_batches).toBeGreaterThan(0);
    expect(a.live_batches + a.replayed_batches).toBe(e.status().ingest.stored);
    expect(analysed(e)).toBe(HOSTS.length * PER_HOST);
    expect(e.status().stages['runner']?.['decode_failures']).toBe(0);
  });

  it('a stop while behind leaves the rest to the next start: every event analysed once in all', async () => {
    const first = await newEngine();
    const endpoint = first.address;
    await stream(first);
    const before = first.status();
    expect(before.analysis.behind).toBe(1);
    await first.stop();
    const firstAnalysed = first.status().stages['enrich']?.['events'] ?? 0;
    engine = undefined;
    expect(firstAnalysed).toBeLessThan(HOSTS.length * PER_HOST);

    const second = await newEngine(endpoint);
    await waitFor(() => firstAnalysed + analysed(second) >= HOSTS.length * PER_HOST && second.status().analysis.behind === 0, 30_000, 'resumed analysis caught up');
    expect(firstAnalysed + analysed(second)).toBe(HOSTS.length * PER_HOST);
    expect(second.status().analysis.catchups).toBe(1);
  });
});
