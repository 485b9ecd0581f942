/**
 * Expected failures as HTTP answers: one status per code, and one body shape,
 * `{ "error": { "code", "message" } }`. The body never carries the id that was asked for, so a
 * request for another tenant's object gets byte for byte the answer of a missing one.
 */
import type { FastifyReply } from 'fastify';
import type { ErrorCode, Result, VigieProblem } from '../../common/errors.js';

export const STATUS: Partial<Record<ErrorCode, number>> = {
  VIGIE_REQUEST_INVALID: 400,
  VIGIE_CONFIG_INVALID: 400,
  VIGIE_AUTH_TOKEN: 401,
  VIGIE_ACCESS_DENIED: 403,
  VIGIE_NOT_FOUND: 404,
  VIGIE_TRIAGE_STATE: 409,
};

export interface ErrorBody { error: { code: ErrorCode; message: string; field?: string } }

export function errorBody(p: VigieProblem): ErrorBody {
  return { error: { code: p.code, message: p.message, ...(p.location?.field !== undefined ? { field: p.location.field } : {}) } };
}

export function sendProblem(reply: FastifyReply, p: VigieProblem): FastifyReply {
  return reply.code(STATUS[p.code] ?? 500).send(errorBody(p));
}

/** Sends the value (200, or `status`) or the problem. */
export function sendResult<T>(reply: FastifyReply, r: Result<T>, status = 200): FastifyReply {
  return r.ok ? reply.code(status).send(r.value) : sendProblem(reply, r.error);
}

export const notFound = (what: string): VigieProblem => ({ code: 'VIGIE_NOT_FOUND', message: `no such ${what}` });

/** The error responses every authenticated route documents. */
export const errorSchema = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } }, required: ['code', 'message'] } },
  required: ['error'],
} as const;

export const errorResponses = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema } as const;
