/** /api/alerts: the queue, an alert with its evidence, and the triage actions. */
import type { FastifyInstance } from 'fastify';
import { fail, ok, type Result } from '../../../common/errors.js';
import type { Severity } from '../../detect/detection.js';
import { ALERT_STATES, OPEN_STATES, type AlertFilter, type AlertState } from '../../store/index.js';
import { alertViewWithContext, type ExceptionRequest } from '../../triage/index.js';
import { guard, principal } from '../auth.js';
import type { ApiContext } from '../context.js';
import { errorResponses, notFound, sendProblem, sendResult } from '../problems.js';
import { exceptionRequestSchema, idParams, ref, SEVERITY_LIST } from '../schemas.js';

interface ListQuery { state?: string; severity?: string; tenant?: string; host?: string; assignee?: string; q?: string; limit?: number; offset?: number }

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    state: { type: 'string', description: "'open' (default), 'all', or a comma-separated list of states" },
    severity: { type: 'string', description: 'comma-separated severities' },
    tenant: { type: 'string' }, host: { type: 'string' }, assignee: { type: 'string' },
    q: { type: 'string', maxLength: 200, description: 'case-insensitive search in titles, hosts, rules and images' },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
  },
} as const;

/** The query string as a store filter, or what is wrong with it. */
export function alertFilter(q: ListQuery): Result<AlertFilter> {
  const f: AlertFilter = { limit: q.limit ?? 50, offset: q.offset ?? 0 };
  if (q.state !== undefined && q.state !== 'open' && q.state !== '') {
    const states = q.state === 'all' ? [...ALERT_STATES] : q.state.split(',').map((s) => s.trim());
    const bad = states.find((s) => !(ALERT_STATES as readonly string[]).includes(s));
    if (bad !== undefined) return fail('VIGIE_REQUEST_INVALID', `state "${bad}" is not one of open, all, ${ALERT_STATES.join(', ')}`, { field: 'state' });
    f.states = states as AlertState[];
  } else f.states = OPEN_STATES;
  if (q.severity) {
    const sev = q.severity.split(',').map((s) => s.trim());
    const bad = sev.find((s) => !SEVERITY_LIST.includes(s));
    if (bad !== undefined) return fail('VIGIE_REQUEST_INVALID', `severity "${bad}" is not one of ${SEVERITY_LIST.join(', ')}`, { field: 'severity' });
    f.severities = sev as Severity[];
  }
  if (q.tenant) f.tenant = q.tenant;
  if (q.host) f.host = q.host;
  if (q.assignee) f.assignee = q.assignee;
  if (q.q) f.q = q.q;
  return ok(f);
}

const noteBody = { type: 'object', additionalProperties: false, properties: { note: { type: 'string', minLength: 1, maxLength: 10_000 } } } as const;

export function alertRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const read = guard(ctx.access, 'alerts:read');
  const triage = guard(ctx.access, 'alerts:triage');
  const tags = ['alerts'];
  const actor = (req: Parameters<typeof principal>[0]) => { const p = principal(req); return { name: p.user, scope: p.scope }; };

  app.get<{ Querystring: ListQuery }>('/api/alerts', {
    preHandler: read,
    schema: {
      tags, summary: 'The alert queue: highest priority (severity, raised by rule hits and corroboration), then most recent; open alerts unless `state` says otherwise',
      querystring: listQuery,
      response: { 200: { type: 'object', properties: { alerts: { type: 'array', items: ref('Alert') }, hasMore: { type: 'boolean' }, offset: { type: 'integer' }, limit: { type: 'integer' } } }, ...errorResponses },
    },
  }, async (req, reply) => {
    const f = alertFilter(req.query);
    if (!f.ok) return sendProblem(reply, f.error);
    const rows = ctx.store.alerts.list(principal(req).scope, f.value);
    const limit = f.value.limit!;
    return { alerts: rows.slice(0, limit), hasMore: rows.length > limit, offset: f.value.offset!, limit };
  });

  app.get<{ Params: { id: number } }>('/api/alerts/:id', {
    preHandler: read,
    schema: {
      tags, summary: 'One alert: evidence per rule or model, process tree (ancestors, siblings, children from the archived telemetry when it holds the window; `context` says), raw events, history, notes', params: idParams,
      response: {
        200: {
          type: 'object',
          properties: {
            alert: ref('Alert'), sensorId: { type: ['string', 'null'] },
            evidence: { type: 'array', items: { type: 'object', additionalProperties: true } },
            tree: { type: 'object', properties: { roots: { type: 'array', items: ref('TreeNode') }, focus: { type: ['string', 'null'] }, nodes: { type: 'integer' }, truncated: { type: 'boolean' }, omitted: { type: 'integer' } } },
            context: ref('ProcessContext'),
            detections: { type: 'array', items: { type: 'object', additionalProperties: true } },
            history: { type: 'array', items: { type: 'object', additionalProperties: true } },
            notes: { type: 'array', items: { type: 'object', additionalProperties: true } },
          },
        },
        ...errorResponses,
      },
    },
  }, async (req, reply) => {
    const view = await alertViewWithContext(ctx.store, principal(req).scope, req.params.id, ctx.contexts);
    return view ?? sendProblem(reply, notFound('alert'));
  });

  app.post<{ Params: { id: number }; Body: { note?: string } }>('/api/alerts/:id/ack', {
    preHandler: triage,
    schema: { tags, summary: 'Acknowledge (state acknowledged)', params: idParams, body: noteBody, response: { 200: ref('Alert'), ...errorResponses } },
  }, async (req, reply) => sendResult(reply, ctx.triage.transition(actor(req), req.params.id, 'acknowledged', withNote(req.body?.note))));

  app.post<{ Params: { id: number }; Body: { state: AlertState; duplicateOf?: number; note?: string } }>('/api/alerts/:id/state', {
    preHandler: triage,
    schema: {
      tags, summary: 'Move to a triage state (duplicate needs duplicateOf)', params: idParams,
      body: { type: 'object', additionalProperties: false, properties: { state: { type: 'string', enum: ALERT_STATES }, duplicateOf: { type: 'integer' }, note: noteBody.properties.note }, required: ['state'] },
      response: { 200: ref('Alert'), ...errorResponses },
    },
  }, async (req, reply) => {
    const { state, duplicateOf, note } = req.body;
    return sendResult(reply, ctx.triage.transition(actor(req), req.params.id, state, { ...(duplicateOf !== undefined ? { duplicateOf } : {}), ...withNote(note) }));
  });

  app.post<{ Params: { id: number }; Body: { verdict: 'true_positive' | 'false_positive'; note?: string; exception?: Omit<ExceptionRequest, 'tenant'> } }>('/api/alerts/:id/resolve', {
    preHandler: triage,
    schema: {
      tags, summary: 'Resolve as true or false positive; a false positive may create an exception in the same step (needs exceptions:write)', params: idParams,
      body: {
        type: 'object', additionalProperties: false, required: ['verdict'],
        properties: { verdict: { type: 'string', enum: ['true_positive', 'false_positive'] }, note: noteBody.properties.note, exception: { ...exceptionRequestSchema, properties: { ...exceptionRequestSchema.properties } } },
      },
      response: { 200: { type: 'object', properties: { alert: ref('Alert'), exception: { anyOf: [ref('Exception'), { type: 'null' }] } } }, ...errorResponses },
    },
  }, async (req, reply) => {
    const p = principal(req);
    const { verdict, note, exception } = req.body;
    if (exception) {
      const allowed = ctx.access.authorize(p, 'exceptions:write');
      if (!allowed.ok) return sendProblem(reply, allowed.error);
    }
    return sendResult(reply, ctx.triage.resolve(actor(req), req.params.id, verdict, { ...withNote(note), ...(exception ? { exception } : {}) }));
  });

  app.post<{ Params: { id: number }; Body: { assignee: string | null } }>('/api/alerts/:id/assign', {
    preHandler: triage,
    schema: {
      tags, summary: 'Assign to a user who can triage the tenant, or unassign (null)', params: idParams,
      body: { type: 'object', additionalProperties: false, properties: { assignee: { type: ['string', 'null'] } }, required: ['assignee'] },
      response: { 200: ref('Alert'), ...errorResponses },
    },
  }, async (req, reply) => sendResult(reply, ctx.triage.assign(actor(req), req.params.id, req.body.assignee)));

  app.post<{ Params: { id: number }; Body: { text: string } }>('/api/alerts/:id/notes', {
    preHandler: triage,
    schema: {
      tags, summary: 'Add a note', params: idParams,
      body: { type: 'object', additionalProperties: false, properties: { text: { type: 'string', minLength: 1, maxLength: 10_000 } }, required: ['text'] },
      response: { 201: { type: 'object', properties: { id: { type: 'integer' }, alertId: { type: 'integer' }, timeMs: { type: 'integer' }, author: { type: 'string' }, text: { type: 'string' } } }, ...errorResponses },
    },
  }, async (req, reply) => sendResult(reply, ctx.triage.addNote(actor(req), req.params.id, req.body.text), 201));
}

const withNote = (note: string | undefined) => (note !== undefined ? { note } : {});
