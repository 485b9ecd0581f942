/**
 * Which tenants a caller may see. Every query of the triage and access tables takes one and turns
 * it into a SQL condition, so that tenant isolation is decided in the query itself, never by
 * filtering rows after they were read.
 */
export type TenantScope = { readonly all: true } | { readonly all: false; readonly tenants: readonly string[] };

export const ALL_TENANTS: TenantScope = Object.freeze({ all: true });

export function tenantScope(tenants: readonly string[]): TenantScope {
  return Object.freeze({ all: false, tenants: Object.freeze([...new Set(tenants)].sort()) });
}

export function inScope(scope: TenantScope, tenant: string | null): boolean {
  if (scope.all) return true;
  return tenant !== null && scope.tenants.includes(tenant);
}

/**
 * The condition limiting `column` to the scope; its parameters are added to `args` as
 * `@scope0`, `@scope1`... An empty tenant list matches nothing (`0`), never everything.
 */
export function scopeCondition(scope: TenantScope, column: string, args: Record<string, unknown>): string {
  if (scope.all) return '1';
  if (scope.tenants.length === 0) return '0';
  scope.tenants.forEach((t, i) => { args[`scope${i}`] = t; });
  return `${column} IN (${scope.tenants.map((_, i) => `@scope${i}`).join(', ')})`;
}
