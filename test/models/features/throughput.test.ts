/**
 * Extraction over a simulated fleet hour, per host in batches of 512 as the engine's extract stage
 * sees them: every event kind gets its rows and nothing is lost at drain. The throughput is
 * printed for information only; speed is measured by `npm run bench:score`, not asserted here
 * (a timed assertion flakes on a busy machine).
 */
import { describe, expect, it } from 'vitest';
import type { Event } from '../../../common/events.js';
import { FeatureBatch, FeatureExtractor } from '../../../models/features/index.js';
import { createBehaviour, createFleet, DEFAULT_FLEET_START_MS, HOUR_MS } from '../../../sensors/simulate/behaviour/index.js';

describe('extraction throughput', () => {
  it('extracts a simulated fleet hour fast enough for the engine', () => {
    const fleet = createFleet({ hosts: 300, seed: 1 });
    const behaviour = createBehaviour({ fleet, rate: 1 });
    const from = DEFAULT_FLEET_START_MS + 10 * HOUR_MS;
    const perHost: Array<{ tenant: string; host: string; events: Event[] }> = fleet.map((h) => ({
      tenant: h.tenant,
      host: h.sensorId,
      events: behaviour.generate(h, from, from + HOUR_MS),
    }));
    const total = perHost.reduce((n, h) => n + h.events.length, 0);
    const BATCH = 512;
    let best = Infinity;
    let rows = 0;
    let processRows = 0;
    for (let round = 0; round < 2; round++) {
      const x = new FeatureExtractor();
      const out = new FeatureBatch(BATCH);
      rows = 0;
      processRows = 0;
      const t0 = performance.now();
      for (const h of perHost) {
        for (let i = 0; i < h.events.length; i += BATCH) {
          out.clear();
          x.extract(h.tenant, h.host, h.events.slice(i, i + BATCH), out);
          rows += out.process.count + out.network.count;
          processRows += out.process.count;
        }
      }
      out.clear();
      x.drain(out);
      rows += out.network.count;
      best = Math.min(best, performance.now() - t0);
    }
    const eps = Math.round((total / best) * 1000);
    console.log(
      `simulated fleet features: ${perHost.length} hosts x 1 h = ${total} events -> ${processRows} process rows + ${rows - processRows} network rows ` +
        `in ${best.toFixed(0)} ms: ${eps.toLocaleString('en')} events/s, ${Math.round((rows / best) * 1000).toLocaleString('en')} rows/s`,
    );
    expect(total).toBeGreaterThan(50_000);
    expect(processRows).toBeGreaterThan(10_000);
    expect(rows - processRows).toBeGreaterThan(1_000);
  });
});
