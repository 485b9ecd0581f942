/** The console keeps the API's rules: another tenant's alert or host reads as a missing one; roles; no cookie, no page. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleRoutes } from '../../../engine/console/index.js';
import { world, type World } from '../api/setup.js';
import { detection, proc } from '../triage/fixtures.js';

describe('console access control', () => {
  let w: World;
  beforeAll(async () => { w = await world([consoleRoutes]); });
  afterAll(async () => { await w.close(); });

  const page = async (token: string | undefined, method: string, path: string, form?: Record<string, string>) => {
    const headers: Record<string, string> = {};
    if (token) headers['cookie'] = `vigie_token=${encodeURIComponent(token)}`;
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(`${w.server.url}${path}`, { method, headers, redirect: 'manual', ...(form ? { body: new URLSearchParams(form).toString() } : {}) });
    return { status: res.status, text: await res.text(), location: res.headers.get('location') };
  };

  it("answers another tenant's alert and host pages, and actions on them, exactly as missing ones", async () => {
    const cases: [string, string, Record<string, string> | undefined][] = [
      ['GET', '/console/alerts/:alert', undefined],
      ['POST', '/console/alerts/:alert/action', { action: 'acknowledged' }],
      ['POST', '/console/alerts/:alert/action', { action: 'note', text: 'x' }],
      ['POST', '/console/alerts/:alert/action', { action: 'resolved_false_positive', exception: 'on', image: 'x.exe', reason: 'r' }],
      ['GET', '/console/hosts/:sensor', undefined],
    ];
    for (const [method, path, form] of cases) {
      const theirs = await page(w.tokens.ana, method, path.replace(':alert', String(w.mont.alert)).replace(':sensor', w.mont.sensor), form);
      const none = await page(w.tokens.ana, method, path.replace(':alert', '999999').replace(':sensor', 'nope'), form);
      expect({ path, status: theirs.status, text: theirs.text }).toEqual({ path, status: 404, text: none.text });
    }
    const queue = await page(w.tokens.ana, 'GET', '/console/?state=all');
    expect(queue.text).toContain('BEAU-PC0042');
    expect(queue.text).not.toContain('MONT-PC0001');
    expect((await page(w.tokens.marc, 'GET', `/console/alerts/${w.mont.alert}`)).text).toContain('New');
    expect(w.store.alertLog.history(w.mont.alert)).toHaveLength(1);
  });

  it('sends the logged-out to the login page, and refuses roles without the action', async () => {
    expect(await page(undefined, 'GET', '/console/')).toMatchObject({ status: 303, location: '/console/login' });
    expect(await page(w.tokens.revoked, 'GET', `/console/alerts/${w.beau.alert}`)).toMatchObject({ status: 303, location: '/console/login' });
    expect((await page(w.tokens.rel, 'GET', `/console/alerts/${w.beau.alert}`)).status).toBe(403);
    expect(await page(w.tokens.rel, 'GET', '/console/')).toMatchObject({ status: 303, location: '/console/fleet' });
    const fleet = await page(w.tokens.rel, 'GET', '/console/fleet');
    expect(fleet.status).toBe(200);
    expect(fleet.text).toContain('MONT-PC0001');
    expect((await page(w.tokens.rel, 'POST', `/console/alerts/${w.beau.alert}/action`, { action: 'acknowledged' })).status).toBe(403);
    // a form from another site is refused
    const res = await fetch(`${w.server.url}/console/alerts/${w.beau.alert}/action`, {
      method: 'POST', redirect: 'manual', body: 'action=acknowledged',
      headers: { cookie: `vigie_token=${encodeURIComponent(w.tokens.ana)}`, 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(w.store.alerts.get({ all: true }, w.beau.alert)!.state).toBe('new');
  });

  it('escapes telemetry in pages', async () => {
    w.grouper.ingest([detection([proc(9000, 10, 'C:\\x\\<script>alert(1)</script>.exe', '<img src=x onerror=alert(1)>')], { ruleId: 'xss', title: '<b>bold</b>' })]);
    const id = w.store.alerts.list({ all: true }, { q: 'xss' })[0]!.id;
    const html = (await page(w.tokens.ana, 'GET', `/console/alerts/${id}`)).text;
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
