/** Fleet health: per tenant, sensors online, versions, spool and drops, open alerts; then the hosts. */
import type { Principal } from '../../access/index.js';
import type { TenantHealth } from '../../api/index.js';
import type { HostRecord } from '../../store/index.js';
import { bytes, html, time, type Html } from '../html.js';
import { page } from '../layout.js';

const counts = (m: Record<string, number>) => Object.entries(m).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}: ${v}`).join(', ') || '—';

export function fleetPage(who: Principal, tenants: TenantHealth[], hosts: (HostRecord & { online: boolean })[], onlineWithinMs: number, shown: number): Html {
  return page('Fleet health', who, html`<h1>Fleet health</h1>
  <p class="muted">Online: heard from within ${Math.round(onlineWithinMs / 1000)} s. Drops are what sensors report in their heartbeats.</p>
  <table><thead><tr><th scope="col">Tenant</th><th scope="col">Sensors online</th><th scope="col">Sensor versions</th><th scope="col">Content versions</th>
    <th scope="col">Spool</th><th scope="col">Dropped</th><th scope="col">Content failures</th><th scope="col">Open alerts</th></tr></thead>
  <tbody>${tenants.map((t) => html`<tr><td>${t.tenant}</td><td>${t.online} of ${t.sensors}${t.revoked ? ` (${t.revoked} revoked)` : ''}</td>
    <td>${counts(t.sensorVersions)}</td><td>${counts(t.contentVersions)}</td><td>${bytes(t.spoolBytes)} (${t.spoolBatches} batches)</td>
    <td>${t.eventsDropped} events, ${t.batchesDropped} batches</td><td>${t.contentFailures}</td>
    <td>${counts(t.openAlerts as Record<string, number>)}</td></tr>`)}</tbody></table>
  <h2>Hosts${hosts.length < shown ? ` (first ${hosts.length} of ${shown})` : ''}</h2>
  <table><thead><tr><th scope="col">Host</th><th scope="col">Tenant</th><th scope="col">Status</th><th scope="col">Last seen</th><th scope="col">Sensor / content</th><th scope="col">Spool</th><th scope="col">Dropped events</th><th scope="col">Open alerts</th></tr></thead>
  <tbody>${hosts.map((h) => html`<tr><td><a class="row-link" href="/console/hosts/${encodeURIComponent(h.sensorId)}">${h.host}</a></td><td>${h.tenant}</td>
    <td>${h.revokedMs !== null ? 'REVOKED' : h.online ? 'ONLINE' : 'OFFLINE'}</td><td>${time(h.lastSeenMs)}</td><td>${h.sensorVersion || '—'} / ${h.contentVersion || 'none'}</td>
    <td>${bytes(h.spoolBytes)}</td><td>${h.eventsDropped ?? '—'}</td><td>${h.openAlerts}</td></tr>`)}</tbody></table>`, 'fleet');
}
