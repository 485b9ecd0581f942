/**
 * An exception as asked for (API, CLI, console form), checked into a draft: a reason, an expiry in
 * the future (a year at most: exceptions must be looked at again), at least one matcher, patterns
 * of sane length, and a tenant in the caller's scope (all tenants only for service-wide roles).
 */
import { fail, ok, type Result } from '../../common/errors.js';
import { inScope, type ExceptionDraft, type TenantScope } from '../store/index.js';

export interface ExceptionRequest {
  /** Defaults to the alert's tenant when made from an alert; null: every tenant. */
  tenant?: string | null;
  ruleId?: string | null;
  host?: string | null;
  image?: string | null;
  commandLine?: string | null;
  reason: string;
  /** Absolute expiry (ms), or `expiresInDays` from now; default 30 days. */
  expiresMs?: number;
  expiresInDays?: number;
}

export const MAX_EXCEPTION_DAYS = 366;
const DAY = 86_400_000;

const clean = (v: string | null | undefined): string | null => (v === undefined || v === null || v.trim() === '' ? null : v.trim());

export function draftException(actor: { name: string; scope: TenantScope }, r: ExceptionRequest, nowMs: number, fromAlert: number | null): Result<ExceptionDraft> {
  const reason = (r.reason ?? '').trim();
  if (reason.length === 0 || reason.length > 2000) return fail('VIGIE_REQUEST_INVALID', 'an exception needs a reason (2000 characters at most)', { field: 'reason' });
  const m = { ruleId: clean(r.ruleId), host: clean(r.host), image: clean(r.image), commandLine: clean(r.commandLine) };
  if (!m.ruleId && !m.host && !m.image && !m.commandLine) {
    return fail('VIGIE_REQUEST_INVALID', 'an exception needs at least one of rule, host, image, command line', { field: 'ruleId' });
  }
  for (const [field, v] of Object.entries(m)) {
    if (v !== null && v.length > 1000) return fail('VIGIE_REQUEST_INVALID', `${field} is longer than 1000 characters`, { field });
  }
  if (m.commandLine === '*' || m.image === '*') {
    if (!m.ruleId && !m.host) return fail('VIGIE_REQUEST_INVALID', 'a pattern of "*" alone would silence everything', { field: m.image === '*' ? 'image' : 'commandLine' });
  }
  const expiresMs = r.expiresMs ?? nowMs + (r.expiresInDays ?? 30) * DAY;
  if (!Number.isFinite(expiresMs) || expiresMs <= nowMs || expiresMs > nowMs + MAX_EXCEPTION_DAYS * DAY) {
    return fail('VIGIE_REQUEST_INVALID', `the expiry must be in the future and within ${MAX_EXCEPTION_DAYS} days`, { field: 'expires' });
  }
  const tenant = r.tenant === undefined ? undefined : clean(r.tenant);
  if (tenant === undefined) return fail('VIGIE_REQUEST_INVALID', 'an exception names its tenant (or null for every tenant)', { field: 'tenant' });
  if (tenant === null ? !actor.scope.all : !inScope(actor.scope, tenant)) {
    // Out of scope reads exactly like a tenant that does not exist.
    return fail('VIGIE_NOT_FOUND', 'no such tenant', { field: 'tenant' });
  }
  return ok({ tenant, ...m, author: actor.name, reason, createdMs: nowMs, expiresMs, fromAlert });
}
