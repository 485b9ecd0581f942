/**
 * Exceptions (suppressions): detections matching one are stored but raise no alert. Each names an
 * author, a reason and an expiry; revoking keeps the row (who, when) for the record.
 */
import type Database from 'better-sqlite3';
import { scopeCondition, type TenantScope } from './scope.js';

export interface ExceptionRecord {
  id: number;
  /** null: every tenant (created by service-wide roles only, visible to them only). */
  tenant: string | null;
  ruleId: string | null;
  host: string | null;
  /** Case-insensitive glob (`*`, `?`) on the image path or its last part. */
  image: string | null;
  /** Case-insensitive glob on the command line. */
  commandLine: string | null;
  author: string;
  reason: string;
  createdMs: number;
  expiresMs: number;
  revokedMs: number | null;
  revokedBy: string | null;
  /** The alert it was created from (resolve as false positive), if any. */
  fromAlert: number | null;
  hits: number;
  lastHitMs: number | null;
}

export type ExceptionDraft = Omit<ExceptionRecord, 'id' | 'revokedMs' | 'revokedBy' | 'hits' | 'lastHitMs'>;

const COLUMNS = `id, tenant, rule_id AS ruleId, host, image, command_line AS commandLine, author, reason, created_ms AS createdMs,
  expires_ms AS expiresMs, revoked_ms AS revokedMs, revoked_by AS revokedBy, from_alert AS fromAlert, hits, last_hit_ms AS lastHitMs`;

export class ExceptionTable {
  private readonly stmts;

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      insert: db.prepare(`INSERT INTO exceptions (tenant, rule_id, host, image, command_line, author, reason, created_ms, expires_ms, from_alert)
        VALUES (@tenant, @ruleId, @host, @image, @commandLine, @author, @reason, @createdMs, @expiresMs, @fromAlert)`),
      active: db.prepare(`SELECT ${COLUMNS} FROM exceptions WHERE revoked_ms IS NULL AND expires_ms > ? ORDER BY id`),
      hit: db.prepare('UPDATE exceptions SET hits = hits + ?, last_hit_ms = MAX(COALESCE(last_hit_ms, 0), ?) WHERE id = ?'),
      version: db.prepare('SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS top, COUNT(revoked_ms) AS revoked FROM exceptions'),
    };
  }

  add(d: ExceptionDraft): number {
    return Number(this.stmts.insert.run(d).lastInsertRowid);
  }

  get(scope: TenantScope, id: number): ExceptionRecord | undefined {
    const args: Record<string, unknown> = { id };
    return this.db.prepare(`SELECT ${COLUMNS} FROM exceptions WHERE id = @id AND ${scopeCondition(scope, 'tenant', args)}`).get(args) as ExceptionRecord | undefined;
  }

  /** Newest first; with `activeAt`, only those neither revoked nor expired at that time. */
  list(scope: TenantScope, o: { activeAt?: number; limit?: number } = {}): ExceptionRecord[] {
    const args: Record<string, unknown> = { limit: o.limit ?? 500 };
    const where = [scopeCondition(scope, 'tenant', args)];
    if (o.activeAt !== undefined) { where.push('revoked_ms IS NULL AND expires_ms > @at'); args['at'] = o.activeAt; }
    return this.db.prepare(`SELECT ${COLUMNS} FROM exceptions WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT @limit`).all(args) as ExceptionRecord[];
  }

  /** Every active exception, all tenants: the engine's matching path (it checks tenants itself). */
  active(nowMs: number): ExceptionRecord[] {
    return this.stmts.active.all(nowMs) as ExceptionRecord[];
  }

  /** False when the exception is unknown, out of scope or already revoked. */
  revoke(scope: TenantScope, id: number, by: string, nowMs: number): boolean {
    const args: Record<string, unknown> = { id, by, now: nowMs };
    return this.db.prepare(`UPDATE exceptions SET revoked_ms = @now, revoked_by = @by
      WHERE id = @id AND revoked_ms IS NULL AND ${scopeCondition(scope, 'tenant', args)}`).run(args).changes > 0;
  }

  hit(id: number, n: number, timeMs: number): void {
    this.stmts.hit.run(n, timeMs, id);
  }

  /** Changes whenever an exception is added or revoked (from any process): the engine's cache key. */
  version(): string {
    const v = this.stmts.version.get() as { n: number; top: number; revoked: number };
    return `${v.n}:${v.top}:${v.revoked}`;
  }
}
