/** /api/hosts and /api/fleet: sensors, their health (versions, spool, drops) and open alerts, in scope. */
import type { FastifyInstance } from 'fastify';
import { can } from '../../access/index.js';
import { ALERT_STATES } from '../../store/index.js';
import { guard, principal } from '../auth.js';
import type { ApiContext } from '../context.js';
import { fleetSummary, withOnline } from '../fleet-summary.js';
import { errorResponses, notFound, sendProblem } from '../problems.js';
import { ref } from '../schemas.js';

export function hostRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const tags = ['hosts'];

  app.get<{ Querystring: { tenant?: string } }>('/api/hosts', {
    preHandler: guard(ctx.access, 'hosts:read'),
    schema: {
      tags, summary: 'Enrolled sensors in scope with their last heartbeat',
      querystring: { type: 'object', additionalProperties: false, properties: { tenant: { type: 'string' } } },
      response: { 200: { type: 'object', properties: { hosts: { type: 'array', items: ref('Host') } } }, ...errorResponses },
    },
  }, async (req) => ({
    hosts: withOnline(ctx.store.hosts.list(principal(req).scope, req.query.tenant ? { tenant: req.query.tenant } : {}), ctx.now(), ctx.onlineWithinMs),
  }));

  app.get<{ Params: { sensorId: string } }>('/api/hosts/:sensorId', {
    preHandler: guard(ctx.access, 'hosts:read'),
    schema: {
      tags, summary: "One sensor's host, and its latest alerts when the role may read alerts",
      params: { type: 'object', properties: { sensorId: { type: 'string' } }, required: ['sensorId'] },
      response: { 200: { type: 'object', properties: { host: ref('Host'), alerts: { type: 'array', items: ref('Alert') } } }, ...errorResponses },
    },
  }, async (req, reply) => {
    const p = principal(req);
    const h = ctx.store.hosts.get(p.scope, req.params.sensorId);
    if (!h) return sendProblem(reply, notFound('host'));
    const alerts = can(p.role, 'alerts:read') ? ctx.store.alerts.list(p.scope, { tenant: h.tenant, host: h.host, states: ALERT_STATES, limit: 50 }).slice(0, 50) : [];
    return { host: withOnline([h], ctx.now(), ctx.onlineWithinMs)[0], alerts };
  });

  app.get('/api/fleet', {
    preHandler: guard(ctx.access, 'fleet:read'),
    schema: {
      tags, summary: 'Fleet health per tenant in scope: sensors online, versions, spool, drops, open alerts',
      response: { 200: { type: 'object', properties: { onlineWithinMs: { type: 'integer' }, tenants: { type: 'array', items: { type: 'object', additionalProperties: true } } } }, ...errorResponses },
    },
  }, async (req) => {
    const p = principal(req);
    const hosts = ctx.store.hosts.list(p.scope);
    const open = can(p.role, 'alerts:read') ? ctx.store.alerts.openCounts(p.scope) : [];
    return { onlineWithinMs: ctx.onlineWithinMs, tenants: fleetSummary(hosts, open, ctx.now(), ctx.onlineWithinMs) };
  });
}
