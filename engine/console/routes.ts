/**
 * The web console: server-rendered pages on the API's Fastify instance, with the same access
 * rules (a token, kept in an HttpOnly cookie; the role's actions; the tenant scope in every query).
 * Forms post back and redirect (303), so every page works without script and by keyboard.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, type Action, type Principal } from '../access/index.js';
import { alertFilter, fleetSummary, tokenOf, TOKEN_COOKIE, withOnline, type ApiContext } from '../api/index.js';
import { ALERT_STATES, type AlertState } from '../store/index.js';
import { alertViewWithContext } from '../triage/index.js';
import type { Html } from './html.js';
import { alertPage } from './pages/alert.js';
import { fleetPage } from './pages/fleet.js';
import { hostPage } from './pages/host.js';
import { loginPage, messagePage } from './pages/login.js';
import { queuePage, type QueueParams } from './pages/queue.js';
import { CSS } from './style.js';

type Form = Record<string, string>;
const hide = { hide: true };
const COOKIE_MAX_AGE_S = 12 * 3600;

export function consoleRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  const send = (reply: FastifyReply, h: Html, status = 200) => reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(h.value);
  /** The logged-in principal, or a redirect to the login page (then undefined). */
  const session = (req: FastifyRequest, reply: FastifyReply): Principal | undefined => {
    const who = ctx.access.authenticate(tokenOf(req));
    if (who.ok) return who.value;
    void reply.code(303).header('location', '/console/login').send();
    return undefined;
  };
  const denied = (reply: FastifyReply, who: Principal, action: Action) =>
    send(reply, messagePage('Not allowed', `Your role (${who.role}) may not ${action}.`), 403);
  /** Forms only from pages of this console (SameSite=Strict cookies do most of this already). */
  const sameOrigin = (req: FastifyRequest) => {
    const origin = req.headers.origin;
    return origin === undefined || origin === 'null' ? true : origin === `http://${req.headers.host}`;
  };

  app.get('/', { schema: hide }, async (_req, reply) => reply.code(303).header('location', '/console/').send());
  app.get('/console/style.css', { schema: hide }, async (_req, reply) => reply.type('text/css').header('cache-control', 'max-age=3600').send(CSS));
  app.get('/console/login', { schema: hide }, async (_req, reply) => send(reply, loginPage()));

  app.post<{ Body: Form }>('/console/login', { schema: hide }, async (req, reply) => {
    const token = (req.body?.['token'] ?? '').trim();
    const who = ctx.access.authenticate(token);
    if (!who.ok || !sameOrigin(req)) return send(reply, loginPage('That token is not valid (unknown, expired or revoked).'), 401);
    ctx.log.info('console login', { user: who.value.user });
    return reply.code(303).header('set-cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${COOKIE_MAX_AGE_S}`)
      .header('location', '/console/').send();
  });

  app.post('/console/logout', { schema: hide }, async (_req, reply) =>
    reply.code(303).header('set-cookie', `${TOKEN_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`).header('location', '/console/login').send());

  app.get<{ Querystring: QueueParams }>('/console/', { schema: hide }, async (req, reply) => {
    const who = session(req, reply);
    if (!who) return reply;
    if (!can(who.role, 'alerts:read')) return reply.code(303).header('location', '/console/fleet').send();
    const p: QueueParams = { ...req.query, offset: Math.max(0, Math.min(1_000_000, Number(req.query.offset) || 0)) };
    const f = alertFilter({ ...p, q: p.q?.slice(0, 200), limit: 50 });
    const tenants = ctx.store.access.tenants(who.scope);
    if (!f.ok) return send(reply, queuePage(who, p, { limit: 50 }, [], tenants, f.error.message), 400);
    return send(reply, queuePage(who, p, f.value, ctx.store.alerts.list(who.scope, f.value), tenants));
  });

  const renderAlert = async (reply: FastifyReply, who: Principal, id: number, error?: string, status = 200) => {
    const view = Number.isInteger(id) ? await alertViewWithContext(ctx.store, who.scope, id, ctx.contexts) : undefined;
    if (!view) return send(reply, messagePage('No such alert', 'There is no alert with that number.'), 404);
    const users = ctx.store.access.users().filter((u) => {
      const p = ctx.access.principalOf(u.name);
      return p !== undefined && can(p.role, 'alerts:triage') && (p.scope.all || p.scope.tenants.includes(view.alert.tenant));
    });
    return send(reply, alertPage(who, view, users, error), status);
  };

  app.get<{ Params: { id: string } }>('/console/alerts/:id', { schema: hide }, async (req, reply) => {
    const who = session(req, reply);
    if (!who) return reply;
    if (!can(who.role, 'alerts:read')) return denied(reply, who, 'alerts:read');
    return renderAlert(reply, who, Number(req.params.id));
  });

  app.post<{ Params: { id: string }; Body: Form }>('/console/alerts/:id/action', { schema: hide }, async (req, reply) => {
    const who = session(req, reply);
    if (!who) return reply;
    if (!can(who.role, 'alerts:triage')) return denied(reply, who, 'alerts:triage');
    if (!sameOrigin(req)) return send(reply, messagePage('Refused', 'This form did not come from the console.'), 403);
    const id = Number(req.params.id);
    const f = req.body ?? {};
    const actor = { name: who.user, scope: who.scope };
    const action = f['action'] ?? '';
    let r: { ok: true } | { ok: false; error: { code: string; message: string } };
    if (action === 'note') r = ctx.triage.addNote(actor, id, f['text'] ?? '');
    else if (action === 'assign') r = ctx.triage.assign(actor, id, f['assignee'] || null);
    else if (action === 'resolved_true_positive') r = ctx.triage.resolve(actor, id, 'true_positive');
    else if (action === 'resolved_false_positive') {
      const withException = f['exception'] === 'on';
      if (withException && !can(who.role, 'exceptions:write')) return denied(reply, who, 'exceptions:write');
      const exception = withException ? {
        ruleId: f['ruleId'] || null, host: f['host'] || null, image: f['image'] || null, commandLine: f['commandLine'] || null,
        reason: f['reason'] ?? '', expiresInDays: Number(f['expiresInDays'] || 30),
      } : undefined;
      r = ctx.triage.resolve(actor, id, 'false_positive', { ...(f['note'] ? { note: f['note'] } : {}), ...(exception ? { exception } : {}) });
    } else if ((ALERT_STATES as readonly string[]).includes(action)) r = ctx.triage.transition(actor, id, action as AlertState);
    else r = { ok: false, error: { code: 'VIGIE_REQUEST_INVALID', message: `unknown action "${action}"` } };
    if (!r.ok) {
      if (r.error.code === 'VIGIE_NOT_FOUND' && r.error.message === 'no such alert') return renderAlert(reply, who, -1);
      return renderAlert(reply, who, id, `${r.error.code}: ${r.error.message}`, r.error.code === 'VIGIE_TRIAGE_STATE' ? 409 : 400);
    }
    return reply.code(303).header('location', `/console/alerts/${id}`).send();
  });

  app.get<{ Params: { sensorId: string } }>('/console/hosts/:sensorId', { schema: hide }, async (req, reply) => {
    const who = session(req, reply);
    if (!who) return reply;
    if (!can(who.role, 'hosts:read')) return denied(reply, who, 'hosts:read');
    const h = ctx.store.hosts.get(who.scope, req.params.sensorId);
    if (!h) return send(reply, messagePage('No such host', 'There is no host with that sensor.'), 404);
    const alerts = can(who.role, 'alerts:read') ? ctx.store.alerts.list(who.scope, { tenant: h.tenant, host: h.host, states: ALERT_STATES, limit: 100 }).slice(0, 100) : null;
    return send(reply, hostPage(who, withOnline([h], ctx.now(), ctx.onlineWithinMs)[0]!, alerts));
  });

  app.get('/console/fleet', { schema: hide }, async (req, reply) => {
    const who = session(req, reply);
    if (!who) return reply;
    if (!can(who.role, 'fleet:read')) return denied(reply, who, 'fleet:read');
    const hosts = ctx.store.hosts.list(who.scope);
    const open = can(who.role, 'alerts:read') ? ctx.store.alerts.openCounts(who.scope) : [];
    const now = ctx.now();
    // Offline hosts first: they are what a health page is for.
    const listed = withOnline(hosts, now, ctx.onlineWithinMs).sort((a, b) => Number(a.online) - Number(b.online)).slice(0, 1000);
    return send(reply, fleetPage(who, fleetSummary(hosts, open, now, ctx.onlineWithinMs), listed, ctx.onlineWithinMs, hosts.length));
  });
}
