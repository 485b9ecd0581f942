/** A host: its sensor's health and its alerts. */
import type { Principal } from '../../access/index.js';
import type { AlertRecord, HostRecord } from '../../store/index.js';
import { bytes, html, time, type Html } from '../html.js';
import { page, severityLabel, stateLabel } from '../layout.js';

export function hostPage(who: Principal, h: HostRecord & { online: boolean }, alerts: AlertRecord[] | null): Html {
  const n = (v: number | null) => (v === null ? '—' : String(v));
  return page(`Host ${h.host}`, who, html`<p><a href="/console/fleet">← Fleet health</a></p>
  <h1>Host ${h.host}</h1>
  <dl class="facts">
    <dt>Tenant</dt><dd>${h.tenant}</dd><dt>Sensor</dt><dd><code>${h.sensorId}</code>${h.revokedMs !== null ? ` (revoked ${time(h.revokedMs)})` : ''}</dd>
    <dt>Status</dt><dd>${h.online ? 'ONLINE' : 'OFFLINE'} — last seen ${time(h.lastSeenMs)}, last heartbeat ${time(h.heartbeatMs)}</dd>
    <dt>Versions</dt><dd>sensor ${h.sensorVersion || '—'}, signature content ${h.contentVersion || 'none'}, collector ${h.collectorMode || '—'}</dd>
    <dt>Resources</dt><dd>CPU ${h.cpuPercent === null ? '—' : `${h.cpuPercent.toFixed(1)} %`}, memory ${bytes(h.rssBytes)}</dd>
    <dt>Spool</dt><dd>${bytes(h.spoolBytes)} in ${n(h.spoolBatches)} batches</dd>
    <dt>Drops</dt><dd>${n(h.eventsDropped)} events, ${n(h.batchesDropped)} batches (of ${n(h.eventsCollected)} events collected)</dd>
    <dt>Content failures</dt><dd>${n(h.contentFailuresTotal)}</dd><dt>Restarts</dt><dd>${n(h.restarts)}</dd>
  </dl>
  <h2>Alerts on this host</h2>
  ${alerts === null ? html`<p class="muted">Your role does not read alerts.</p>` : alerts.length === 0 ? html`<p>None.</p>` : html`<table>
    <thead><tr><th scope="col">Severity</th><th scope="col">Alert</th><th scope="col">State</th><th scope="col">Last seen</th><th scope="col">Detections</th></tr></thead>
    <tbody>${alerts.map((a) => html`<tr><td>${severityLabel(a.severity)}</td><td><a class="row-link" href="/console/alerts/${a.id}">${a.title}</a></td><td>${stateLabel(a.state)}</td><td>${time(a.lastMs)}</td><td>${a.detections}</td></tr>`)}</tbody></table>`}`);
}
