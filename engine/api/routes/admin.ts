/** /api/tenants, /api/users, /api/tokens, /api/audit: access management (administrators), each change audited. */
import type { FastifyInstance } from 'fastify';
import { guard, principal } from '../auth.js';
import type { ApiContext } from '../context.js';
import { errorResponses, notFound, sendProblem, sendResult } from '../problems.js';
import { ref } from '../schemas.js';

const DAY = 86_400_000;
const nameParams = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } as const;
const tenantRecord = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, createdMs: { type: 'integer' }, hosts: { type: 'integer' }, sensors: { type: 'integer' } } } as const;

export function adminRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const admin = guard(ctx.access, 'access:admin');
  const who = (req: Parameters<typeof principal>[0]) => principal(req).user;

  app.get('/api/tenants', {
    preHandler: guard(ctx.access, 'tenants:read'),
    schema: { tags: ['tenants'], summary: 'Tenants in scope with their hosts and sensors counted', response: { 200: { type: 'object', properties: { tenants: { type: 'array', items: tenantRecord } } }, ...errorResponses } },
  }, async (req) => ({ tenants: ctx.store.access.tenants(principal(req).scope) }));

  app.post<{ Body: { id: string; name?: string } }>('/api/tenants', {
    preHandler: admin,
    schema: {
      tags: ['tenants'], summary: 'Declare a tenant',
      body: { type: 'object', additionalProperties: false, properties: { id: { type: 'string' }, name: { type: 'string', maxLength: 200 } }, required: ['id'] },
      response: { 201: tenantRecord, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = ctx.access.createTenant(who(req), req.body.id, req.body.name ?? req.body.id, ctx.now());
    if (!r.ok) return sendProblem(reply, r.error);
    return reply.code(201).send(ctx.store.access.tenants({ all: true }).find((t) => t.id === req.body.id));
  });

  app.put<{ Params: { id: string; host: string } }>('/api/tenants/:id/hosts/:host', {
    preHandler: admin,
    schema: {
      tags: ['tenants'], summary: "Assign a host (its sensors, alerts and detections) to a tenant",
      params: { type: 'object', properties: { id: { type: 'string' }, host: { type: 'string' } }, required: ['id', 'host'] },
      response: { 200: { type: 'object', properties: { sensors: { type: 'integer' } } }, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = ctx.access.assignHost(who(req), req.params.host, req.params.id, ctx.now());
    return r.ok ? { sensors: r.value } : sendProblem(reply, r.error);
  });

  app.get('/api/users', {
    preHandler: admin,
    schema: { tags: ['users'], summary: 'Users, their roles and tenants', response: { 200: { type: 'object', properties: { users: { type: 'array', items: ref('User') } } }, ...errorResponses } },
  }, async () => ({ users: ctx.store.access.users() }));

  app.post<{ Body: { name: string; role: string; tenants?: string[] } }>('/api/users', {
    preHandler: admin,
    schema: {
      tags: ['users'], summary: 'Create a user with a role (tenant_analyst: with its tenants)',
      body: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' }, role: { type: 'string' }, tenants: { type: 'array', items: { type: 'string' } } }, required: ['name', 'role'] },
      response: { 201: ref('User'), ...errorResponses },
    },
  }, async (req, reply) => sendResult(reply, ctx.access.createUser(who(req), req.body.name, req.body.role, req.body.tenants ?? [], ctx.now()), 201));

  app.patch<{ Params: { name: string }; Body: { role?: string; disabled?: true } }>('/api/users/:name', {
    preHandler: admin,
    schema: {
      tags: ['users'], summary: 'Change a role, or disable a user (revokes all their tokens)', params: nameParams,
      body: { type: 'object', additionalProperties: false, properties: { role: { type: 'string' }, disabled: { type: 'boolean', enum: [true] } } },
      response: { 200: ref('User'), ...errorResponses },
    },
  }, async (req, reply) => {
    const { role, disabled } = req.body;
    if (role !== undefined) { const r = ctx.access.setRole(who(req), req.params.name, role, ctx.now()); if (!r.ok) return sendProblem(reply, r.error); }
    if (disabled) { const r = ctx.access.disableUser(who(req), req.params.name, ctx.now()); if (!r.ok) return sendProblem(reply, r.error); }
    return ctx.store.access.user(req.params.name) ?? sendProblem(reply, notFound('user'));
  });

  const userTenantParams = { type: 'object', properties: { name: { type: 'string' }, tenant: { type: 'string' } }, required: ['name', 'tenant'] } as const;
  app.put<{ Params: { name: string; tenant: string } }>('/api/users/:name/tenants/:tenant', {
    preHandler: admin,
    schema: { tags: ['users'], summary: 'Grant a tenant to a user', params: userTenantParams, response: { 200: ref('User'), ...errorResponses } },
  }, async (req, reply) => sendResult(reply, ctx.access.grant(who(req), req.params.name, req.params.tenant, ctx.now())));

  app.delete<{ Params: { name: string; tenant: string } }>('/api/users/:name/tenants/:tenant', {
    preHandler: admin,
    schema: { tags: ['users'], summary: 'Withdraw a tenant from a user', params: userTenantParams, response: { 200: ref('User'), ...errorResponses } },
  }, async (req, reply) => sendResult(reply, ctx.access.ungrant(who(req), req.params.name, req.params.tenant, ctx.now())));

  app.get<{ Querystring: { user?: string } }>('/api/tokens', {
    preHandler: admin,
    schema: {
      tags: ['tokens'], summary: 'Tokens (never their secret)',
      querystring: { type: 'object', additionalProperties: false, properties: { user: { type: 'string' } } },
      response: { 200: { type: 'object', properties: { tokens: { type: 'array', items: ref('Token') } } }, ...errorResponses },
    },
  }, async (req) => ({ tokens: ctx.store.access.tokens(req.query.user) }));

  app.post<{ Body: { user: string; label?: string; expiresInDays?: number } }>('/api/tokens', {
    preHandler: admin,
    schema: {
      tags: ['tokens'], summary: 'Issue a token for a user: the answer is the only time the token is shown',
      body: { type: 'object', additionalProperties: false, properties: { user: { type: 'string' }, label: { type: 'string', maxLength: 200 }, expiresInDays: { type: 'number', exclusiveMinimum: 0, maximum: 3660 } }, required: ['user'] },
      response: { 201: { type: 'object', properties: { token: { type: 'string' }, record: ref('Token') } }, ...errorResponses },
    },
  }, async (req, reply) => {
    const { user, label, expiresInDays } = req.body;
    const now = ctx.now();
    return sendResult(reply, ctx.access.issueToken(who(req), user, label ?? '', expiresInDays === undefined ? null : now + expiresInDays * DAY, now), 201);
  });

  app.delete<{ Params: { id: string } }>('/api/tokens/:id', {
    preHandler: admin,
    schema: {
      tags: ['tokens'], summary: 'Revoke a token', params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      response: { 200: ref('Token'), ...errorResponses },
    },
  }, async (req, reply) => sendResult(reply, ctx.access.revokeToken(who(req), req.params.id, ctx.now())));

  app.get<{ Querystring: { limit?: number } }>('/api/audit', {
    preHandler: guard(ctx.access, 'audit:read'),
    schema: {
      tags: ['audit'], summary: 'The audit of access changes, newest first',
      querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 10_000, default: 200 } } },
      response: { 200: { type: 'object', properties: { entries: { type: 'array', items: { type: 'object', additionalProperties: true } } } }, ...errorResponses },
    },
  }, async (req) => ({ entries: ctx.store.access.auditLog(req.query.limit ?? 200) }));
}
