/**
 * Roles and what each may do. A tenant analyst sees only the tenants granted to them; the other
 * roles are service-wide. Routes and CLI commands name the action they need; the scope (which
 * tenants) is applied separately, in every query.
 */
import { ALL_TENANTS, ROLES, tenantScope, type Role, type TenantScope } from '../store/index.js';

export { ROLES };
export type { Role };

export const ACTIONS = [
  'alerts:read', 'alerts:triage', 'exceptions:read', 'exceptions:write', 'hosts:read', 'fleet:read', 'tenants:read',
  'access:admin', 'audit:read', 'rollout:manage',
] as const;
export type Action = (typeof ACTIONS)[number];

const ANALYST: readonly Action[] = ['alerts:read', 'alerts:triage', 'exceptions:read', 'exceptions:write', 'hosts:read', 'fleet:read', 'tenants:read'];

export const GRANTS: Readonly<Record<Role, readonly Action[]>> = {
  tenant_analyst: ANALYST,
  service_analyst: ANALYST,
  // Release managers watch fleet health and stage updates; they do not read alerts.
  release_manager: ['hosts:read', 'fleet:read', 'tenants:read', 'rollout:manage'],
  admin: ACTIONS,
};

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  tenant_analyst: 'analyst of one or more tenants', service_analyst: 'service-wide analyst',
  release_manager: 'release manager', admin: 'administrator',
};

export function can(role: Role, action: Action): boolean {
  return GRANTS[role].includes(action);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Tenant analysts see their tenants (none when none were granted); every other role sees all. */
export function scopeOf(role: Role, tenants: readonly string[]): TenantScope {
  return role === 'tenant_analyst' ? tenantScope(tenants) : ALL_TENANTS;
}
