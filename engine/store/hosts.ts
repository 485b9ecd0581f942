/**
 * Hosts as analysts see them: enrolled sensors with their last heartbeat (versions, spool, drops)
 * and their open alerts, scoped by tenant in SQL. The fleet health page is a summary of these.
 */
import type Database from 'better-sqlite3';
import { scopeCondition, type TenantScope } from './scope.js';

export interface HostRecord {
  sensorId: string;
  tenant: string;
  host: string;
  enrolledMs: number;
  revokedMs: number | null;
  lastSeenMs: number | null;
  heartbeatMs: number | null;
  sensorVersion: string | null;
  contentVersion: string | null;
  collectorMode: string | null;
  cpuPercent: number | null;
  rssBytes: number | null;
  spoolBytes: number | null;
  spoolBatches: number | null;
  eventsCollected: number | null;
  eventsDropped: number | null;
  batchesDropped: number | null;
  restarts: number | null;
  contentFailuresTotal: number | null;
  openAlerts: number;
}

const SELECT = `SELECT s.sensor_id AS sensorId, s.tenant, s.host, s.enrolled_ms AS enrolledMs, s.revoked_ms AS revokedMs,
    st.last_seen_ms AS lastSeenMs, st.heartbeat_ms AS heartbeatMs, st.sensor_version AS sensorVersion,
    st.content_version AS contentVersion, st.collector_mode AS collectorMode, st.cpu_percent AS cpuPercent,
    st.rss_bytes AS rssBytes, st.spool_bytes AS spoolBytes, st.spool_batches AS spoolBatches,
    st.events_collected AS eventsCollected, st.events_dropped AS eventsDropped, st.batches_dropped AS batchesDropped,
    st.restarts, st.content_failures_total AS contentFailuresTotal,
    (SELECT COUNT(*) FROM alerts a WHERE a.tenant = s.tenant AND a.host = s.host AND a.is_open = 1) AS openAlerts
  FROM sensors s LEFT JOIN sensor_status st ON st.sensor_id = s.sensor_id`;

export class HostQueries {
  constructor(private readonly db: Database.Database) {}

  list(scope: TenantScope, f: { tenant?: string; limit?: number } = {}): HostRecord[] {
    const args: Record<string, unknown> = { limit: f.limit ?? 10_000 };
    const where = [scopeCondition(scope, 's.tenant', args)];
    if (f.tenant !== undefined) { where.push('s.tenant = @tenant'); args['tenant'] = f.tenant; }
    return this.db.prepare(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY s.tenant, s.host, s.sensor_id LIMIT @limit`).all(args) as HostRecord[];
  }

  get(scope: TenantScope, sensorId: string): HostRecord | undefined {
    const args: Record<string, unknown> = { id: sensorId };
    return this.db.prepare(`${SELECT} WHERE s.sensor_id = @id AND ${scopeCondition(scope, 's.tenant', args)}`).get(args) as HostRecord | undefined;
  }

  /** The sensor of a host name in a tenant (alert pages link to it). */
  sensorOf(scope: TenantScope, tenant: string, host: string): string | undefined {
    const args: Record<string, unknown> = { tenant, host };
    const r = this.db.prepare(`SELECT sensor_id AS id FROM sensors s WHERE s.tenant = @tenant AND s.host = @host
      AND ${scopeCondition(scope, 's.tenant', args)} ORDER BY s.revoked_ms IS NOT NULL, s.enrolled_ms DESC LIMIT 1`).get(args) as { id: string } | undefined;
    return r?.id;
  }
}
