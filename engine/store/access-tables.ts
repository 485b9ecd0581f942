/**
 * Tenants, users, their roles and tenants, API tokens (hashes only) and the audit of every change
 * to them. Plain tables: engine/access decides who may do what and writes the audit.
 */
import type Database from 'better-sqlite3';
import { scopeCondition, type TenantScope } from './scope.js';

export const ROLES = ['tenant_analyst', 'service_analyst', 'release_manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface TenantRecord { id: string; name: string; createdMs: number; hosts: number; sensors: number }
export interface UserRecord { name: string; role: Role; createdMs: number; disabledMs: number | null; tenants: string[] }
export interface TokenRecord {
  id: string; userName: string; label: string; createdMs: number; expiresMs: number | null; revokedMs: number | null; lastUsedMs: number | null;
}
export interface AuditEntry { id: number; timeMs: number; actor: string; action: string; target: string; detail: Record<string, unknown> }

const TOKEN_COLUMNS = 'id, user_name AS userName, label, created_ms AS createdMs, expires_ms AS expiresMs, revoked_ms AS revokedMs, last_used_ms AS lastUsedMs';

export class AccessTables {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      addTenant: db.prepare('INSERT INTO tenants (id, name, created_ms) VALUES (?, ?, ?)'),
      tenant: db.prepare('SELECT id FROM tenants WHERE id = ?'),
      addUser: db.prepare('INSERT INTO users (name, role, created_ms, disabled_ms) VALUES (?, ?, ?, NULL)'),
      user: db.prepare('SELECT name, role, created_ms AS createdMs, disabled_ms AS disabledMs FROM users WHERE name = ?'),
      users: db.prepare('SELECT name, role, created_ms AS createdMs, disabled_ms AS disabledMs FROM users ORDER BY name'),
      userCount: db.prepare('SELECT COUNT(*) AS n FROM users'),
      setRole: db.prepare('UPDATE users SET role = ? WHERE name = ?'),
      disable: db.prepare('UPDATE users SET disabled_ms = ? WHERE name = ? AND disabled_ms IS NULL'),
      grant: db.prepare('INSERT OR IGNORE INTO user_tenants (user_name, tenant) VALUES (?, ?)'),
      ungrant: db.prepare('DELETE FROM user_tenants WHERE user_name = ? AND tenant = ?'),
      tenantsOf: db.prepare('SELECT tenant FROM user_tenants WHERE user_name = ? ORDER BY tenant'),
      addToken: db.prepare(`INSERT INTO api_tokens (id, user_name, hash, label, created_ms, expires_ms, revoked_ms, last_used_ms)
        VALUES (@id, @userName, @hash, @label, @createdMs, @expiresMs, NULL, NULL)`),
      tokenByHash: db.prepare(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE hash = ?`),
      token: db.prepare(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE id = ?`),
      tokens: db.prepare(`SELECT ${TOKEN_COLUMNS} FROM api_tokens ORDER BY created_ms, id`),
      tokensOf: db.prepare(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE user_name = ? ORDER BY created_ms, id`),
      revokeToken: db.prepare('UPDATE api_tokens SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL'),
      revokeTokensOf: db.prepare('UPDATE api_tokens SET revoked_ms = ? WHERE user_name = ? AND revoked_ms IS NULL'),
      touch: db.prepare('UPDATE api_tokens SET last_used_ms = ? WHERE id = ?'),
      audit: db.prepare('INSERT INTO access_audit (time_ms, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)'),
      audits: db.prepare('SELECT id, time_ms AS timeMs, actor, action, target, detail FROM access_audit ORDER BY id DESC LIMIT ?'),
      moveSensors: db.prepare('UPDATE sensors SET tenant = ? WHERE host = ?'),
      moveAlerts: db.prepare('UPDATE alerts SET tenant = ? WHERE host = ?'),
      moveDetections: db.prepare('UPDATE detections SET tenant = ? WHERE host = ?'),
    };
  }

  /** Runs `fn` in one transaction (a change and its audit entry are written together or not at all). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  addTenant(id: string, name: string, nowMs: number): void { this.s.addTenant.run(id, name, nowMs); }
  tenantExists(id: string): boolean { return this.s.tenant.get(id) !== undefined; }

  /**
   * Tenants in scope: the declared ones and those that only exist through enrolled sensors, with
   * their hosts and sensors counted.
   */
  tenants(scope: TenantScope): TenantRecord[] {
    const args: Record<string, unknown> = {};
    const cond = scopeCondition(scope, 'ids.id', args);
    return this.db.prepare(`WITH ids AS (SELECT id FROM tenants UNION SELECT tenant AS id FROM sensors)
      SELECT ids.id AS id, COALESCE(t.name, ids.id) AS name, COALESCE(t.created_ms, 0) AS createdMs,
        (SELECT COUNT(DISTINCT host) FROM sensors s WHERE s.tenant = ids.id AND s.revoked_ms IS NULL) AS hosts,
        (SELECT COUNT(*) FROM sensors s WHERE s.tenant = ids.id AND s.revoked_ms IS NULL) AS sensors
      FROM ids LEFT JOIN tenants t ON t.id = ids.id WHERE ${cond} ORDER BY ids.id`).all(args) as TenantRecord[];
  }

  /** Moves a host (its sensors, alerts and detections) to another tenant; returns the sensors moved. */
  assignHost(host: string, tenant: string): number {
    const n = this.s.moveSensors.run(tenant, host).changes;
    this.s.moveAlerts.run(tenant, host);
    this.s.moveDetections.run(tenant, host);
    return n;
  }

  addUser(name: string, role: Role, nowMs: number): void { this.s.addUser.run(name, role, nowMs); }
  user(name: string): UserRecord | undefined {
    const u = this.s.user.get(name) as Omit<UserRecord, 'tenants'> | undefined;
    return u ? { ...u, tenants: this.tenantsOf(name) } : undefined;
  }
  users(): UserRecord[] {
    return (this.s.users.all() as Omit<UserRecord, 'tenants'>[]).map((u) => ({ ...u, tenants: this.tenantsOf(u.name) }));
  }
  userCount(): number { return (this.s.userCount.get() as { n: number }).n; }
  setRole(name: string, role: Role): boolean { return this.s.setRole.run(role, name).changes > 0; }
  disableUser(name: string, nowMs: number): boolean { return this.s.disable.run(nowMs, name).changes > 0; }
  grant(name: string, tenant: string): boolean { return this.s.grant.run(name, tenant).changes > 0; }
  ungrant(name: string, tenant: string): boolean { return this.s.ungrant.run(name, tenant).changes > 0; }
  tenantsOf(name: string): string[] { return (this.s.tenantsOf.all(name) as { tenant: string }[]).map((r) => r.tenant); }

  addToken(t: { id: string; userName: string; hash: string; label: string; createdMs: number; expiresMs: number | null }): void {
    this.s.addToken.run(t);
  }
  tokenByHash(hash: string): TokenRecord | undefined { return this.s.tokenByHash.get(hash) as TokenRecord | undefined; }
  token(id: string): TokenRecord | undefined { return this.s.token.get(id) as TokenRecord | undefined; }
  tokens(userName?: string): TokenRecord[] {
    return (userName === undefined ? this.s.tokens.all() : this.s.tokensOf.all(userName)) as TokenRecord[];
  }
  revokeToken(id: string, nowMs: number): boolean { return this.s.revokeToken.run(nowMs, id).changes > 0; }
  revokeTokensOf(userName: string, nowMs: number): number { return this.s.revokeTokensOf.run(nowMs, userName).changes; }
  touchToken(id: string, nowMs: number): void { this.s.touch.run(nowMs, id); }

  audit(timeMs: number, actor: string, action: string, target: string, detail: Record<string, unknown> = {}): void {
    this.s.audit.run(timeMs, actor, action, target, JSON.stringify(detail));
  }
  auditLog(limit = 200): AuditEntry[] {
    return (this.s.audits.all(limit) as (Omit<AuditEntry, 'detail'> & { detail: string })[])
      .map((a) => ({ ...a, detail: JSON.parse(a.detail) as Record<string, unknown> }));
  }
}
