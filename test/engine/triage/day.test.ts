/**
 * One simulated working day (08:00-18:00) of 200 hosts with three attacks, through the engine's
 * real stages in process (signature hits as sensors send them, enrich, the default anomaly models,
 * grouping): the queue holds each attack as one alert, the three at the top, and a few dozen
 * alerts in all, not hundreds of rows.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unwrap } from '../../../common/errors.js';
import { SqliteStore } from '../../../engine/store/index.js';
import { tempDir } from '../../helpers/fixtures.js';
import { simulateDay } from './day.js';

describe('a simulated working day', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteStore;
  beforeEach(() => { dir = tempDir('day'); store = unwrap(SqliteStore.open(`${dir.path}/vigie.db`)); });
  afterEach(() => { store.close(); dir.remove(); });

  it('puts three attacks among 200 hosts as three alerts at the top of the queue', async () => {
    const r = await simulateDay(store, {
      hosts: 200, fromHour: 8, toHour: 18, models: true,
      scenarios: [{ name: 'phishing-encoded-shell', hour: 9.5 }, { name: 'credential-dumping', hour: 11 }, { name: 'ransomware', hour: 15 }],
    });
    expect(r.events).toBeGreaterThan(500_000);
    const top = r.alerts.slice(0, 3).map((a) => r.attackHosts.get(a.host));
    expect(new Set(top)).toEqual(new Set(['phishing-encoded-shell', 'credential-dumping', 'ransomware']));
    for (const [host] of r.attackHosts) {
      const onHost = r.alerts.filter((a) => a.host === host);
      expect(onHost[0]!.detections).toBeGreaterThanOrEqual(3); // grouped: one alert holds the attack's detections
    }
    expect(r.alerts.length).toBeLessThan(60);
    expect(r.detections).toBeGreaterThan(r.alerts.length);
  });
});
