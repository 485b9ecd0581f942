/** Fleet health from host rows: per tenant, sensors online, versions, spool and drops, open alerts. */
import type { Severity } from '../detect/detection.js';
import type { HostRecord } from '../store/index.js';

export interface TenantHealth {
  tenant: string;
  sensors: number;
  online: number;
  revoked: number;
  sensorVersions: Record<string, number>;
  contentVersions: Record<string, number>;
  spoolBytes: number;
  spoolBatches: number;
  eventsDropped: number;
  batchesDropped: number;
  contentFailures: number;
  openAlerts: Partial<Record<Severity, number>>;
}

export function isOnline(h: HostRecord, nowMs: number, withinMs: number): boolean {
  return h.revokedMs === null && h.lastSeenMs !== null && nowMs - h.lastSeenMs <= withinMs;
}

export function withOnline(hosts: HostRecord[], nowMs: number, withinMs: number): (HostRecord & { online: boolean })[] {
  return hosts.map((h) => ({ ...h, online: isOnline(h, nowMs, withinMs) }));
}

export function fleetSummary(hosts: readonly HostRecord[], open: readonly { tenant: string; severity: Severity; n: number }[], nowMs: number, withinMs: number): TenantHealth[] {
  const out = new Map<string, TenantHealth>();
  const of = (tenant: string): TenantHealth => {
    let t = out.get(tenant);
    if (!t) {
      t = { tenant, sensors: 0, online: 0, revoked: 0, sensorVersions: {}, contentVersions: {}, spoolBytes: 0, spoolBatches: 0, eventsDropped: 0, batchesDropped: 0, contentFailures: 0, openAlerts: {} };
      out.set(tenant, t);
    }
    return t;
  };
  for (const h of hosts) {
    const t = of(h.tenant);
    if (h.revokedMs !== null) { t.revoked++; continue; }
    t.sensors++;
    if (isOnline(h, nowMs, withinMs)) t.online++;
    const sv = h.sensorVersion || 'unknown';
    const cv = h.contentVersion || 'none';
    t.sensorVersions[sv] = (t.sensorVersions[sv] ?? 0) + 1;
    t.contentVersions[cv] = (t.contentVersions[cv] ?? 0) + 1;
    t.spoolBytes += h.spoolBytes ?? 0;
    t.spoolBatches += h.spoolBatches ?? 0;
    t.eventsDropped += h.eventsDropped ?? 0;
    t.batchesDropped += h.batchesDropped ?? 0;
    t.contentFailures += h.contentFailuresTotal ?? 0;
  }
  for (const o of open) of(o.tenant).openAlerts[o.severity] = o.n;
  return [...out.values()].sort((a, b) => a.tenant.localeCompare(b.tenant));
}
