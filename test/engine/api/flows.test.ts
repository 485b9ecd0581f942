import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detection, EXPLORER, OUTLOOK, PS, WORD } from '../triage/fixtures.js';
import { world, type World } from './setup.js';

interface AlertBody { alert: { id: number; state: string; assignee: string | null }; tree: { focus: string; roots: { image: string; relation: string; children: unknown[] }[] }; history: { actor: string; action: string }[]; notes: { text: string }[] }

describe('API triage flows', () => {
  let w: World;
  beforeAll(async () => { w = await world(); });
  afterAll(async () => { await w.close(); });

  it('acknowledges, assigns, notes and resolves as false positive with an exception; the next identical detection raises nothing', async () => {
    const id = w.beau.alert;
    expect((await w.call(w.tokens.ana, 'POST', `/api/alerts/${id}/ack`, { note: 'mine' })).body).toMatchObject({ state: 'acknowledged' });
    expect((await w.call(w.tokens.ana, 'POST', `/api/alerts/${id}/assign`, { assignee: 'ana' })).body).toMatchObject({ assignee: 'ana' });
    expect((await w.call(w.tokens.ana, 'POST', `/api/alerts/${id}/notes`, { text: 'the IT macro again' })).status).toBe(201);
    const bad = await w.call(w.tokens.ana, 'POST', `/api/alerts/${id}/state`, { state: 'new' });
    expect([bad.status, (bad.body as { error: { code: string } }).error.code]).toEqual([409, 'VIGIE_TRIAGE_STATE']);
    const resolved = await w.call(w.tokens.ana, 'POST', `/api/alerts/${id}/resolve`, {
      verdict: 'false_positive', note: 'known script', exception: { ruleId: 'win-powershell-encoded-command', host: 'BEAU-PC0042', image: 'powershell.exe', reason: 'IT macro', expiresInDays: 30 },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ alert: { state: 'resolved_false_positive' }, exception: { tenant: 'beaumont', author: 'ana', fromAlert: id } });
    const view = (await w.call(w.tokens.ana, 'GET', `/api/alerts/${id}`)).body as AlertBody;
    expect(view.history.map((h) => `${h.actor} ${h.action}`)).toEqual(['engine created', 'ana state', 'ana note', 'ana assign', 'ana note', 'ana state', 'ana note']);
    expect(view.notes.map((n) => n.text)).toEqual(['mine', 'the IT macro again', 'known script']);
    // the tree: explorer -> outlook -> word -> powershell (focus) -> ...
    expect(view.tree.roots.map((r) => r.image)).toEqual([EXPLORER.image]);
    expect(view.tree.focus).toBe(`${PS.pid}:${PS.startTimeMs}`);

    const before = ((await w.call(w.tokens.ana, 'GET', '/api/alerts')).body as { alerts: unknown[] }).alerts.length;
    expect(w.grouper.ingest([detection([PS, WORD, OUTLOOK, EXPLORER], { at: 90_000 })]).suppressed).toBe(1);
    expect(((await w.call(w.tokens.ana, 'GET', '/api/alerts')).body as { alerts: unknown[] }).alerts.length).toBe(before);
  });

  it('filters and searches the queue, and rejects bad filters with a typed error', async () => {
    const q = async (query: string) => ((await w.call(w.tokens.svc, 'GET', `/api/alerts?${query}`)).body as { alerts: { tenant: string }[] }).alerts;
    expect((await q('state=all')).length).toBe(2);
    expect((await q('state=all&severity=critical')).length).toBe(2);
    expect((await q('state=all&severity=low')).length).toBe(0);
    expect((await q('state=all&q=MONT-PC')).map((a) => a.tenant)).toEqual(['montclar']);
    const bad = await w.call(w.tokens.svc, 'GET', '/api/alerts?state=closed');
    expect([bad.status, (bad.body as { error: { code: string; field: string } }).error]).toEqual([400, expect.objectContaining({ code: 'VIGIE_REQUEST_INVALID', field: 'state' })]);
    const badBody = await w.call(w.tokens.svc, 'POST', `/api/alerts/${w.mont.alert}/state`, { state: 'nope' });
    expect([badBody.status, (badBody.body as { error: { code: string } }).error.code]).toEqual([400, 'VIGIE_REQUEST_INVALID']);
  });

  it('issues a token shown once, and a revoked token stops working at once', async () => {
    const issued = await w.call(w.tokens.root, 'POST', '/api/tokens', { user: 'marc', label: 'cli' });
    expect(issued.status).toBe(201);
    const { token, record } = issued.body as { token: string; record: { id: string } };
    expect((await w.call(token, 'GET', '/api/me')).body).toMatchObject({ user: 'marc', role: 'tenant_analyst', tenants: ['montclar'], allTenants: false });
    const list = await w.call(w.tokens.root, 'GET', '/api/tokens?user=marc');
    expect(list.text).not.toContain(token);
    expect((await w.call(w.tokens.root, 'DELETE', `/api/tokens/${record.id}`)).status).toBe(200);
    expect((await w.call(token, 'GET', '/api/me')).status).toBe(401);
    const audit = (await w.call(w.tokens.root, 'GET', '/api/audit?limit=2')).body as { entries: { actor: string; action: string }[] };
    expect(audit.entries.map((e) => `${e.actor} ${e.action}`)).toEqual(['root token.revoke', 'root token.issue']);
  });

  it('serves Prometheus metrics and an OpenAPI document with its schemas', async () => {
    const m = await w.call(undefined, 'GET', '/metrics');
    expect(m.text).toMatch(/# TYPE vigie_alerts gauge\nvigie_alerts\{state="[a-z_]+"\} \d+/);
    expect(m.text).toMatch(/vigie_http_requests_total\{method="GET",status="2xx"\} \d+/);
    expect(m.text).toContain('vigie_sensors_online 2');
    const doc = (await w.call(undefined, 'GET', '/api/openapi.json')).body as { openapi: string; components: { schemas: Record<string, unknown> }; paths: Record<string, Record<string, { security?: unknown[] }>>; security: unknown[] };
    expect(doc.security).toEqual([{ bearer: [] }]);
    for (const p of ['/api/health', '/api/openapi.json', '/metrics']) expect(doc.paths[p]!['get']!.security).toEqual([]);
    expect(doc.paths['/api/alerts']!['get']!.security).toBeUndefined();
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Alert', 'TreeNode', 'Exception', 'Host', 'User', 'Token']));
  });
});
