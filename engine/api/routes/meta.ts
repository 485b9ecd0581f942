/** Health, the caller's identity, the OpenAPI document and Prometheus /metrics. */
import type { FastifyInstance } from 'fastify';
import { ROLE_LABELS } from '../../access/index.js';
import { guard, principal } from '../auth.js';
import type { ApiContext } from '../context.js';
import { renderMetrics } from '../metrics.js';
import { errorResponses } from '../problems.js';

export function metaRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/api/health', {
    schema: { tags: ['meta'], security: [], summary: 'Liveness (no token needed)', response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } } },
  }, async () => ({ ok: true }));

  app.get('/api/openapi.json', {
    schema: { tags: ['meta'], security: [], summary: 'This document, generated from the route schemas (no token needed)' },
  }, async () => app.swagger());

  app.get('/api/me', {
    preHandler: guard(ctx.access, null),
    schema: {
      tags: ['meta'], summary: 'Who the token belongs to: user, role, tenants',
      response: { 200: { type: 'object', properties: { user: { type: 'string' }, role: { type: 'string' }, roleLabel: { type: 'string' }, tenants: { type: 'array', items: { type: 'string' } }, allTenants: { type: 'boolean' } } }, ...errorResponses },
    },
  }, async (req) => {
    const p = principal(req);
    return { user: p.user, role: p.role, roleLabel: ROLE_LABELS[p.role], tenants: [...p.tenants], allTenants: p.scope.all };
  });

  app.get('/metrics', {
    schema: { tags: ['meta'], security: [], summary: 'Prometheus metrics: fleet-wide totals only (no token needed)', produces: ['text/plain'] },
  }, async (_req, reply) => reply.type('text/plain; version=0.0.4').send(renderMetrics(ctx.metrics?.() ?? [])));
}
