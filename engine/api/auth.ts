/**
 * Bearer tokens on every /api route but health and the OpenAPI document, and the per-route
 * action check. Order: no valid token -> 401; a role without the action -> 403; then every query
 * runs in the principal's tenant scope (404 for what is outside it).
 * The console sends the same token from an HttpOnly cookie (engine/console).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessService, Action, Principal } from '../access/index.js';
import { sendProblem } from './problems.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export const TOKEN_COOKIE = 'vigie_token';

export function tokenOf(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (h !== undefined) return /^Bearer (\S+)$/i.exec(h)?.[1] ?? '';
  const cookie = req.headers.cookie;
  if (!cookie) return undefined;
  for (const part of cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === TOKEN_COOKIE) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** preHandler: authenticates, then checks the route's action. */
export function guard(access: AccessService, action: Action | null) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const who = access.authenticate(tokenOf(req));
    if (!who.ok) {
      await sendProblem(reply.header('www-authenticate', 'Bearer realm="vigie"'), who.error);
      return;
    }
    req.principal = who.value;
    if (action !== null) {
      const allowed = access.authorize(who.value, action);
      if (!allowed.ok) await sendProblem(reply, allowed.error);
    }
  };
}

/** The principal of a guarded route (set by guard). */
export function principal(req: FastifyRequest): Principal {
  if (!req.principal) throw new Error('route without guard');
  return req.principal;
}
