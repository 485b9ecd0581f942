/** The engine serves the API, the console and /metrics; detections from a simulated attack become one alert. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unwrap } from '../../../common/errors.js';
import { AccessService } from '../../../engine/access/index.js';
import { ALL_TENANTS } from '../../../engine/store/index.js';
import { waitFor } from '../../helpers/fixtures.js';
import { attackRig, type AttackRig } from './attack.js';

describe('engine with HTTP', () => {
  let rig: AttackRig;
  beforeAll(async () => { rig = await attackRig(); });
  afterAll(async () => { await rig.stop(); });

  it('groups the phishing attack into one alert with its tree, served over HTTP', async () => {
    const store = rig.engine.sqlite;
    await waitFor(() => store.detections.count() >= 3, 15_000, 'the attack detections');
    await new Promise((r) => setTimeout(r, 300)); // the rest of the batch
    const alerts = store.alerts.list(ALL_TENANTS);
    expect(alerts).toHaveLength(1);
    const a = alerts[0]!;
    expect(a.detections).toBe(store.detections.count());
    expect(a.rules.length).toBeGreaterThanOrEqual(3);
    expect(a.tactic).not.toBe('unknown');
    expect(a.technique).toMatch(/^T\d{4}/);

    const access = new AccessService(store);
    unwrap(access.createUser('test', 'ana', 'tenant_analyst', [rig.host.tenant]));
    const token = unwrap(access.issueToken('test', 'ana', 'test')).token;
    const url = rig.engine.httpUrl!;
    const view = await (await fetch(`${url}/api/alerts/${a.id}`, { headers: { authorization: `Bearer ${token}` } })).json() as { tree: { roots: unknown[] }; context: { source: string; cached: boolean }; detections: { evidence: { event: { processStart?: { commandLine?: string } } } }[] };
    const flat = JSON.stringify(view.tree);
    expect(flat).toContain('WINWORD.EXE');
    expect(flat).toContain('powershell.exe');
    expect(flat).toContain('"relation":"focus"');
    expect(flat).toContain('"relation":"ancestor"');
    // The engine's archive gives the alert its process context: ipconfig fired nothing, yet it is drawn.
    expect(view.context).toMatchObject({ source: 'archive', cached: false });
    expect(flat).toContain('"commandLine":"ipconfig /all"');
    const again = await (await fetch(`${url}/api/alerts/${a.id}`, { headers: { authorization: `Bearer ${token}` } })).json() as { tree: unknown; context: { cached: boolean } };
    expect(again.context.cached).toBe(true);
    expect(JSON.stringify(again.tree)).toBe(flat);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/vigie_ingest_events_total [1-9]\d*/);
    expect(metrics).toMatch(/vigie_detections_stored_total [1-9]/);
    expect(metrics).toContain('vigie_alerts{state="new"} 1');
    expect(metrics).toContain('vigie_alerts_created_total 1');
    expect(metrics).toContain('vigie_alert_contexts_total{outcome="built"} 1');
    expect(metrics).toContain('vigie_alert_contexts_total{outcome="cache_hits"} 1');
    expect((await fetch(`${url}/console/login`)).status).toBe(200);
  });
});
