/** The alert queue: filters (state, severity, tenant), search; highest priority, then most recent, first. */
import type { Principal } from '../../access/index.js';
import type { AlertFilter, AlertRecord, TenantRecord } from '../../store/index.js';
import { ALERT_STATES } from '../../store/index.js';
import { STATE_LABELS } from '../../triage/index.js';
import { html, query, time, type Html } from '../html.js';
import { page, severityLabel, stateLabel } from '../layout.js';

export interface QueueParams { state?: string; severity?: string; tenant?: string; q?: string; offset?: number }

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational'];

export function queuePage(who: Principal, p: QueueParams, filter: AlertFilter, rows: AlertRecord[], tenants: TenantRecord[], error?: string): Html {
  const limit = filter.limit ?? 50;
  const shown = rows.slice(0, limit);
  const offset = filter.offset ?? 0;
  const opt = (value: string, label: string, current: string | undefined) => html`<option value="${value}" ${current === value ? html`selected` : ''}>${label}</option>`;
  const form = html`<form class="filters" method="get" action="/console/" role="search">
  <label>State<select name="state">${opt('open', 'Open (new, acknowledged, in progress)', p.state ?? 'open')}${opt('all', 'All', p.state)}${ALERT_STATES.map((s) => opt(s, STATE_LABELS[s], p.state))}</select></label>
  <label>Severity<select name="severity">${opt('', 'Any', p.severity ?? '')}${SEVERITIES.map((s) => opt(s, s, p.severity))}</select></label>
  <label>Tenant<select name="tenant">${opt('', 'All of mine', p.tenant ?? '')}${tenants.map((t) => opt(t.id, t.name, p.tenant))}</select></label>
  <label>Search (/)<input id="q" name="q" type="search" value="${p.q ?? ''}" placeholder="title, host, rule, image"></label>
  <button type="submit">Filter</button></form>`;
  const table = shown.length === 0 ? html`<p>No alerts match.</p>` : html`<table aria-describedby="queue-help">
  <thead><tr><th scope="col">Severity</th><th scope="col">Alert</th><th scope="col">State</th><th scope="col">Host</th><th scope="col">Tenant</th>
  <th scope="col">Tactic / technique</th><th scope="col">Detections</th><th scope="col">Last seen</th><th scope="col">Assignee</th></tr></thead>
  <tbody>${shown.map((a) => html`<tr data-alert="${a.id}">
    <td>${severityLabel(a.severity)}</td>
    <td><a class="row-link" href="/console/alerts/${a.id}">${a.title}</a> <span class="muted">#${a.id}</span></td>
    <td>${stateLabel(a.state)}</td><td>${a.host}</td><td>${a.tenant}</td>
    <td>${a.tactic} / ${a.technique}</td><td>${a.detections}${a.rules.length > 1 ? html` <span class="muted">(${a.rules.length} rules)</span>` : ''}</td>
    <td>${time(a.lastMs)}</td><td>${a.assignee ?? '—'}</td></tr>`)}</tbody></table>`;
  const nav = html`<p>${offset > 0 ? html`<a href="/console/${query({ ...p, offset: Math.max(0, offset - limit) })}">Previous page</a> ` : ''}
    ${rows.length > limit ? html`<a href="/console/${query({ ...p, offset: offset + limit })}">Next page</a>` : ''}</p>`;
  return page('Alert queue', who, html`<h1>Alert queue</h1>
  ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
  ${form}
  <p id="queue-help" class="muted">Highest priority first (severity, raised when a signature rule fired and when several rules or models agree), then most recent. Keys: <kbd>/</kbd> search, <kbd>j</kbd>/<kbd>k</kbd> next/previous alert, <kbd>Enter</kbd> open.</p>
  ${table}${nav}`, 'queue');
}
