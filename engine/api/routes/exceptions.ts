/** /api/exceptions: suppressions by rule, host, image or command-line glob, each with author, reason and expiry. */
import type { FastifyInstance } from 'fastify';
import type { ExceptionRequest } from '../../triage/index.js';
import { guard, principal } from '../auth.js';
import type { ApiContext } from '../context.js';
import { errorResponses, notFound, sendProblem, sendResult } from '../problems.js';
import { exceptionRequestSchema, idParams, ref } from '../schemas.js';

export function exceptionRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const tags = ['exceptions'];
  const actor = (req: Parameters<typeof principal>[0]) => { const p = principal(req); return { name: p.user, scope: p.scope }; };

  app.get<{ Querystring: { active?: boolean } }>('/api/exceptions', {
    preHandler: guard(ctx.access, 'exceptions:read'),
    schema: {
      tags, summary: 'Exceptions in scope, newest first (active=true: neither revoked nor expired)',
      querystring: { type: 'object', additionalProperties: false, properties: { active: { type: 'boolean' } } },
      response: { 200: { type: 'object', properties: { exceptions: { type: 'array', items: ref('Exception') } } }, ...errorResponses },
    },
  }, async (req) => ({ exceptions: ctx.store.exceptions.list(principal(req).scope, req.query.active ? { activeAt: ctx.now() } : {}) }));

  app.get<{ Params: { id: number } }>('/api/exceptions/:id', {
    preHandler: guard(ctx.access, 'exceptions:read'),
    schema: { tags, summary: 'One exception', params: idParams, response: { 200: ref('Exception'), ...errorResponses } },
  }, async (req, reply) => ctx.store.exceptions.get(principal(req).scope, req.params.id) ?? sendProblem(reply, notFound('exception')));

  app.post<{ Body: ExceptionRequest }>('/api/exceptions', {
    preHandler: guard(ctx.access, 'exceptions:write'),
    schema: {
      tags, summary: 'Create an exception (tenant: one of yours; null: every tenant, service-wide roles only)',
      body: { ...exceptionRequestSchema, required: ['reason', 'tenant'] },
      response: { 201: ref('Exception'), ...errorResponses },
    },
  }, async (req, reply) => sendResult(reply, ctx.triage.createException(actor(req), req.body, ctx.now()), 201));

  app.delete<{ Params: { id: number } }>('/api/exceptions/:id', {
    preHandler: guard(ctx.access, 'exceptions:write'),
    schema: { tags, summary: 'Revoke an exception (kept, with who revoked it and when)', params: idParams, response: { 200: ref('Exception'), ...errorResponses } },
  }, async (req, reply) => sendResult(reply, ctx.triage.revokeException(actor(req), req.params.id, ctx.now())));
}
