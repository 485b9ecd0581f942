/**
 * Tenant isolation, roles and revocation over real HTTP, for every route of the OpenAPI document:
 * the test fails when a route is added without being listed here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { world, type World } from './setup.js';

type Who = 'ana' | 'marc' | 'svc' | 'rel' | 'root';
interface Route { method: string; path: string; action: string | null; body?: unknown }

/**
 * Every route: the action it needs (null: any valid token; 'public': no token) and a valid body.
 * `:alert`, `:exception`, `:sensor` are filled with tenant montclar's objects.
 */
const ROUTES: Route[] = [
  { method: 'GET', path: '/api/health', action: 'public' },
  { method: 'GET', path: '/api/openapi.json', action: 'public' },
  { method: 'GET', path: '/metrics', action: 'public' },
  { method: 'GET', path: '/api/me', action: null },
  { method: 'GET', path: '/api/alerts', action: 'alerts:read' },
  { method: 'GET', path: '/api/alerts/:alert', action: 'alerts:read' },
  { method: 'POST', path: '/api/alerts/:alert/ack', action: 'alerts:triage', body: {} },
  { method: 'POST', path: '/api/alerts/:alert/state', action: 'alerts:triage', body: { state: 'in_progress' } },
  { method: 'POST', path: '/api/alerts/:alert/resolve', action: 'alerts:triage', body: { verdict: 'false_positive', exception: { reason: 'x', image: 'powershell.exe' } } },
  { method: 'POST', path: '/api/alerts/:alert/assign', action: 'alerts:triage', body: { assignee: null } },
  { method: 'POST', path: '/api/alerts/:alert/notes', action: 'alerts:triage', body: { text: 'hello' } },
  { method: 'GET', path: '/api/exceptions', action: 'exceptions:read' },
  { method: 'GET', path: '/api/exceptions/:exception', action: 'exceptions:read' },
  { method: 'POST', path: '/api/exceptions', action: 'exceptions:write', body: { tenant: 'montclar', ruleId: 'r', reason: 'x' } },
  { method: 'DELETE', path: '/api/exceptions/:exception', action: 'exceptions:write' },
  { method: 'GET', path: '/api/hosts', action: 'hosts:read' },
  { method: 'GET', path: '/api/hosts/:sensor', action: 'hosts:read' },
  { method: 'GET', path: '/api/fleet', action: 'fleet:read' },
  { method: 'GET', path: '/api/tenants', action: 'tenants:read' },
  { method: 'POST', path: '/api/tenants', action: 'access:admin', body: { id: 'fontenay' } },
  { method: 'PUT', path: '/api/tenants/montclar/hosts/MONT-PC0001', action: 'access:admin' },
  { method: 'GET', path: '/api/users', action: 'access:admin' },
  { method: 'POST', path: '/api/users', action: 'access:admin', body: { name: 'new', role: 'service_analyst' } },
  { method: 'PATCH', path: '/api/users/marc', action: 'access:admin', body: { role: 'tenant_analyst' } },
  { method: 'PUT', path: '/api/users/marc/tenants/montclar', action: 'access:admin' },
  { method: 'DELETE', path: '/api/users/marc/tenants/montclar', action: 'access:admin' },
  { method: 'GET', path: '/api/tokens', action: 'access:admin' },
  { method: 'POST', path: '/api/tokens', action: 'access:admin', body: { user: 'marc' } },
  { method: 'DELETE', path: '/api/tokens/ffffffffffff', action: 'access:admin' },
  { method: 'GET', path: '/api/audit', action: 'audit:read' },
];

/** A role that lacks each action (release managers read no alerts; analysts manage no access). */
const LACKING: Record<string, Who> = {
  'alerts:read': 'rel', 'alerts:triage': 'rel', 'exceptions:read': 'rel', 'exceptions:write': 'rel', 'access:admin': 'ana', 'audit:read': 'svc',
};

describe('API access control over HTTP', () => {
  let w: World;
  beforeAll(async () => { w = await world(); });
  afterAll(async () => { await w.close(); });

  const fill = (path: string, o: { alert: number | string; exception: number | string; sensor: string }) =>
    path.replace(':alert', String(o.alert)).replace(':exception', String(o.exception)).replace(':sensor', o.sensor);
  const other = () => ({ alert: w.mont.alert, exception: w.mont.exception, sensor: w.mont.sensor });
  const missing = { alert: 999_999, exception: 999_999, sensor: 'no-such-sensor' };

  it('lists every route of the OpenAPI document', async () => {
    const doc = (await w.call(undefined, 'GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort();
    const normal = (p: string) => p.replace(':alert', '{id}').replace(':exception', '{id}').replace(':sensor', '{sensorId}')
      .replace('/tenants/montclar/hosts/MONT-PC0001', '/tenants/{id}/hosts/{host}').replace('/users/marc/tenants/montclar', '/users/{name}/tenants/{tenant}')
      .replace('/users/marc', '/users/{name}').replace('/tokens/ffffffffffff', '/tokens/{id}');
    expect(ROUTES.map((r) => `${r.method} ${normal(r.path)}`).sort()).toEqual(documented);
  });

  it("answers tenant A's token asking for tenant B's object exactly as for one that does not exist", async () => {
    const objectRoutes = ROUTES.filter((r) => /:alert|:exception|:sensor/.test(r.path));
    expect(objectRoutes.length).toBe(9);
    for (const r of objectRoutes) {
      const theirs = await w.call(w.tokens.ana, r.method, fill(r.path, other()), r.body);
      const none = await w.call(w.tokens.ana, r.method, fill(r.path, missing), r.body);
      expect({ route: `${r.method} ${r.path}`, status: theirs.status, text: theirs.text }).toEqual({ route: `${r.method} ${r.path}`, status: 404, text: none.text });
      expect(none.status).toBe(404);
    }
    // nothing of montclar's changed
    const mine = await w.call(w.tokens.marc, 'GET', `/api/alerts/${w.mont.alert}`);
    expect(mine.body).toMatchObject({ alert: { state: 'new', assignee: null }, notes: [] });
    expect((await w.call(w.tokens.marc, 'GET', `/api/exceptions/${w.mont.exception}`)).body).toMatchObject({ revokedMs: null });
  });

  it('filters lists to the caller\'s tenants, and a filter on another tenant reads as an unknown tenant', async () => {
    for (const path of ['/api/alerts?state=all&tenant=', '/api/hosts?tenant=']) {
      const theirs = await w.call(w.tokens.ana, 'GET', `${path}montclar`);
      const none = await w.call(w.tokens.ana, 'GET', `${path}nowhere`);
      expect(theirs.status).toBe(200);
      expect(theirs.text).toBe(none.text);
    }
    const tenantsOf = async (path: string, key: string, field: string) => {
      const res = await w.call(w.tokens.ana, 'GET', path);
      expect(res.status, res.text).toBe(200);
      return [...new Set((res.body as Record<string, Record<string, string>[]>)[key]!.map((x) => x[field]))];
    };
    expect(await tenantsOf('/api/alerts?state=all', 'alerts', 'tenant')).toEqual(['beaumont']);
    expect(await tenantsOf('/api/hosts', 'hosts', 'tenant')).toEqual(['beaumont']);
    expect(await tenantsOf('/api/exceptions', 'exceptions', 'tenant')).toEqual(['beaumont']);
    expect(await tenantsOf('/api/tenants', 'tenants', 'id')).toEqual(['beaumont']);
    expect(await tenantsOf('/api/fleet', 'tenants', 'tenant')).toEqual(['beaumont']);
    // creating an exception for another tenant reads as an unknown tenant
    const body = (tenant: string) => ({ tenant, ruleId: 'r', reason: 'x' });
    const theirs = await w.call(w.tokens.ana, 'POST', '/api/exceptions', body('montclar'));
    const none = await w.call(w.tokens.ana, 'POST', '/api/exceptions', body('nowhere'));
    expect([theirs.status, theirs.text]).toEqual([404, none.text]);
    // marking one's own alert a duplicate of another tenant's reads as a missing alert
    const dupTheirs = await w.call(w.tokens.ana, 'POST', `/api/alerts/${w.beau.alert}/state`, { state: 'duplicate', duplicateOf: w.mont.alert });
    const dupNone = await w.call(w.tokens.ana, 'POST', `/api/alerts/${w.beau.alert}/state`, { state: 'duplicate', duplicateOf: 999_999 });
    expect([dupTheirs.status, dupTheirs.text]).toEqual([404, dupNone.text]);
  });

  it('refuses a role without the action (403) and a missing or revoked token (401), on every route', async () => {
    for (const r of ROUTES) {
      const path = fill(r.path, { alert: w.beau.alert, exception: w.beau.exception, sensor: w.beau.sensor });
      if (r.action === 'public') {
        expect((await w.call(undefined, r.method, path)).status).toBe(200);
        continue;
      }
      for (const token of [w.tokens.revoked, undefined, 'vigie_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
        const res = await w.call(token, r.method, path, r.body);
        expect({ route: `${r.method} ${r.path}`, status: res.status }).toEqual({ route: `${r.method} ${r.path}`, status: 401 });
      }
      const lacking = r.action === null ? undefined : LACKING[r.action];
      if (lacking === undefined) continue; // every role has it
      const res = await w.call(w.tokens[lacking], r.method, path, r.body);
      expect({ route: `${r.method} ${r.path}`, status: res.status, code: (res.body as { error: { code: string } }).error.code })
        .toEqual({ route: `${r.method} ${r.path}`, status: 403, code: 'VIGIE_ACCESS_DENIED' });
    }
    // nothing of beaumont's changed through the refused calls
    expect((await w.call(w.tokens.ana, 'GET', `/api/alerts/${w.beau.alert}`)).body).toMatchObject({ alert: { state: 'new' }, notes: [] });
  });
});
