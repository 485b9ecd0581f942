/**
 * Access control over the store: who a token belongs to (a Principal with a role and a tenant
 * scope), and every change to tenants, users, roles and tokens, each written with its audit entry
 * in one transaction. Used by the HTTP API and by `vigie tenants|users|tokens`.
 */
import { fail, ok, type Result } from '../../common/errors.js';
import { ALL_TENANTS, type Role, type SqliteStore, type TenantScope, type TokenRecord, type UserRecord } from '../store/index.js';
import { can, isRole, scopeOf, type Action } from './roles.js';
import { hashToken, looksLikeToken, newToken } from './tokens.js';

export interface Principal {
  user: string;
  role: Role;
  tenants: readonly string[];
  scope: TenantScope;
  /** The token used, if the caller came with one (the CLI does not). */
  tokenId: string | null;
}

const NAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/i;
const TENANT = /^[a-z0-9][a-z0-9._-]{0,63}$/i;
/** last_used_ms is written at most this often per token (a write per request would serialize reads). */
const TOUCH_EVERY_MS = 60_000;

/** The local operator of the store file (CLI): every right, every tenant. */
export function operator(name: string): Principal {
  return { user: name, role: 'admin', tenants: [], scope: ALL_TENANTS, tokenId: null };
}

export class AccessService {
  constructor(private readonly store: SqliteStore) {}

  /** The principal of a token; one answer for every reason a token is refused (no oracle). */
  authenticate(token: string | undefined, nowMs = Date.now()): Result<Principal> {
    const refused = fail<Principal>('VIGIE_AUTH_TOKEN', 'missing, invalid, expired or revoked token');
    if (!token || !looksLikeToken(token)) return refused;
    const t = this.store.access.tokenByHash(hashToken(token));
    if (!t || t.revokedMs !== null || (t.expiresMs !== null && t.expiresMs <= nowMs)) return refused;
    const p = this.principalOf(t.userName);
    if (!p) return refused;
    if (t.lastUsedMs === null || nowMs - t.lastUsedMs > TOUCH_EVERY_MS) this.store.access.touchToken(t.id, nowMs);
    return ok({ ...p, tokenId: t.id });
  }

  /** An enabled user as a principal (no token), or undefined. */
  principalOf(name: string): Principal | undefined {
    const u = this.store.access.user(name);
    if (!u || u.disabledMs !== null) return undefined;
    return { user: u.name, role: u.role, tenants: u.tenants, scope: scopeOf(u.role, u.tenants), tokenId: null };
  }

  authorize(p: Principal, action: Action): Result<void> {
    return can(p.role, action) ? ok(undefined) : fail('VIGIE_ACCESS_DENIED', `role ${p.role} may not ${action}`);
  }

  createTenant(actor: string, id: string, name: string, nowMs = Date.now()): Result<void> {
    if (!TENANT.test(id)) return fail('VIGIE_REQUEST_INVALID', `tenant id "${id}": letters, digits, . _ - (64 at most)`, { field: 'id' });
    if (this.store.access.tenantExists(id)) return fail('VIGIE_REQUEST_INVALID', `tenant ${id} already exists`, { field: 'id' });
    this.store.access.transaction(() => {
      this.store.access.addTenant(id, name || id, nowMs);
      this.store.access.audit(nowMs, actor, 'tenant.create', id, { name: name || id });
    });
    return ok(undefined);
  }

  /** Moves a host's sensors, alerts and detections to a tenant (declared, or known through its sensors). */
  assignHost(actor: string, host: string, tenant: string, nowMs = Date.now()): Result<number> {
    if (!this.knownTenant(tenant)) return fail('VIGIE_NOT_FOUND', 'no such tenant', { field: 'tenant' });
    const moved = this.store.access.transaction(() => {
      const n = this.store.access.assignHost(host, tenant);
      if (n > 0) this.store.access.audit(nowMs, actor, 'host.assign', host, { tenant, sensors: n });
      return n;
    });
    return moved > 0 ? ok(moved) : fail('VIGIE_NOT_FOUND', 'no such host', { field: 'host' });
  }

  createUser(actor: string, name: string, role: string, tenants: readonly string[] = [], nowMs = Date.now()): Result<UserRecord> {
    if (!NAME.test(name)) return fail('VIGIE_REQUEST_INVALID', `user name "${name}": letters, digits, . _ @ - (64 at most)`, { field: 'name' });
    if (!isRole(role)) return fail('VIGIE_REQUEST_INVALID', `role "${role}" is not one of tenant_analyst, service_analyst, release_manager, admin`, { field: 'role' });
    if (this.store.access.user(name)) return fail('VIGIE_REQUEST_INVALID', `user ${name} already exists`, { field: 'name' });
    const unknown = tenants.find((t) => !this.knownTenant(t));
    if (unknown !== undefined) return fail('VIGIE_NOT_FOUND', `no such tenant: ${unknown}`, { field: 'tenants' });
    this.store.access.transaction(() => {
      this.store.access.addUser(name, role, nowMs);
      for (const t of tenants) this.grantOne(name, t, nowMs);
      this.store.access.audit(nowMs, actor, 'user.create', name, { role, tenants });
    });
    return ok(this.store.access.user(name)!);
  }

  setRole(actor: string, name: string, role: string, nowMs = Date.now()): Result<UserRecord> {
    if (!isRole(role)) return fail('VIGIE_REQUEST_INVALID', `role "${role}" is not one of tenant_analyst, service_analyst, release_manager, admin`, { field: 'role' });
    const before = this.store.access.user(name);
    if (!before) return fail('VIGIE_NOT_FOUND', 'no such user', { field: 'name' });
    this.store.access.transaction(() => {
      this.store.access.setRole(name, role);
      this.store.access.audit(nowMs, actor, 'user.role', name, { from: before.role, to: role });
    });
    return ok(this.store.access.user(name)!);
  }

  grant(actor: string, name: string, tenant: string, nowMs = Date.now()): Result<UserRecord> {
    if (!this.store.access.user(name)) return fail('VIGIE_NOT_FOUND', 'no such user', { field: 'name' });
    if (!this.knownTenant(tenant)) return fail('VIGIE_NOT_FOUND', 'no such tenant', { field: 'tenant' });
    this.store.access.transaction(() => {
      if (this.grantOne(name, tenant, nowMs)) this.store.access.audit(nowMs, actor, 'user.grant', name, { tenant });
    });
    return ok(this.store.access.user(name)!);
  }

  ungrant(actor: string, name: string, tenant: string, nowMs = Date.now()): Result<UserRecord> {
    if (!this.store.access.user(name)) return fail('VIGIE_NOT_FOUND', 'no such user', { field: 'name' });
    this.store.access.transaction(() => {
      if (this.store.access.ungrant(name, tenant)) this.store.access.audit(nowMs, actor, 'user.ungrant', name, { tenant });
    });
    return ok(this.store.access.user(name)!);
  }

  /** Disables a user and revokes all their tokens. */
  disableUser(actor: string, name: string, nowMs = Date.now()): Result<UserRecord> {
    if (!this.store.access.user(name)) return fail('VIGIE_NOT_FOUND', 'no such user', { field: 'name' });
    this.store.access.transaction(() => {
      this.store.access.disableUser(name, nowMs);
      const tokens = this.store.access.revokeTokensOf(name, nowMs);
      this.store.access.audit(nowMs, actor, 'user.disable', name, { tokensRevoked: tokens });
    });
    return ok(this.store.access.user(name)!);
  }

  /** Issues a token; `token` is the only time the secret exists outside its user's hands. */
  issueToken(actor: string, userName: string, label: string, expiresMs: number | null = null, nowMs = Date.now()): Result<{ token: string; record: TokenRecord }> {
    const u = this.store.access.user(userName);
    if (!u || u.disabledMs !== null) return fail('VIGIE_NOT_FOUND', 'no such user', { field: 'user' });
    if (expiresMs !== null && expiresMs <= nowMs) return fail('VIGIE_REQUEST_INVALID', 'expiry must be in the future', { field: 'expires' });
    const t = newToken();
    this.store.access.transaction(() => {
      this.store.access.addToken({ id: t.id, userName, hash: t.hash, label: label.slice(0, 200), createdMs: nowMs, expiresMs });
      this.store.access.audit(nowMs, actor, 'token.issue', t.id, { user: userName, label, expiresMs });
    });
    return ok({ token: t.token, record: this.store.access.token(t.id)! });
  }

  revokeToken(actor: string, id: string, nowMs = Date.now()): Result<TokenRecord> {
    const t = this.store.access.token(id);
    if (!t) return fail('VIGIE_NOT_FOUND', 'no such token', { field: 'id' });
    this.store.access.transaction(() => {
      if (this.store.access.revokeToken(id, nowMs)) this.store.access.audit(nowMs, actor, 'token.revoke', id, { user: t.userName });
    });
    return ok(this.store.access.token(id)!);
  }

  private knownTenant(id: string): boolean {
    return this.store.access.tenantExists(id) || this.store.access.tenants(ALL_TENANTS).some((t) => t.id === id);
  }

  /** Declares a tenant known only through its sensors before granting it (user_tenants references tenants). */
  private grantOne(name: string, tenant: string, nowMs: number): boolean {
    if (!this.store.access.tenantExists(tenant)) this.store.access.addTenant(tenant, tenant, nowMs);
    return this.store.access.grant(name, tenant);
  }
}
