/**
 * One alert: what fired and why (rule and ATT&CK tags, or the model's top features in words), the
 * process tree drawn as nested lists (ancestors, the focus process, siblings, children, with
 * command lines, users and network peers), the triage forms, history, notes and raw events.
 */
import type { Principal } from '../../access/index.js';
import { can } from '../../access/index.js';
import type { UserRecord } from '../../store/index.js';
import { subjectOf, TRANSITIONS, type AlertView, type TreeNode } from '../../triage/index.js';
import { baseName, html, time, type Html } from '../html.js';
import { page, severityLabel, stateLabel } from '../layout.js';

const RELATION: Record<TreeNode['relation'], string> = {
  focus: 'ALERT PROCESS', ancestor: 'ANCESTOR', sibling: 'SIBLING', child: 'CHILD', descendant: 'DESCENDANT', related: 'RELATED',
};

function node(n: TreeNode): Html {
  return html`<li role="treeitem" aria-expanded="true"><div class="node ${n.relation === 'focus' ? 'focus' : ''}" data-pid="${n.pid}">
    <span class="rel">[${RELATION[n.relation]}]</span> <strong>${baseName(n.image) || '(unknown image)'}</strong>
    <span class="muted">pid ${n.pid}, started ${time(n.startTimeMs)}${n.exitTimeMs ? `, exited ${time(n.exitTimeMs)}` : ''}${n.user ? `, user ${n.user}` : ''}</span><br>
    <code>${n.commandLine || n.image}</code>
    ${n.detections.length ? html`<br>Fired: ${n.detections.map((d, i) => html`${i ? '; ' : ''}${severityLabel(d.severity)} ${d.title}${d.count > 1 ? ` (×${d.count})` : ''}`)}` : ''}
    ${n.peers.length ? html`<br>Network: ${n.peers.join(', ')}` : ''}
  </div>${n.children.length ? html`<ul role="group">${n.children.map(node)}</ul>` : ''}</li>`;
}

function evidence(v: AlertView): Html {
  return html`<ul>${v.evidence.map((e) => html`<li>
    ${severityLabel(e.severity)} <strong>${e.title}</strong> — ${e.source === 'rule' ? html`rule <code>${e.ruleId}</code>` : html`model <code>${e.ruleId}</code>`},
    fired ${e.count} time${e.count > 1 ? 's' : ''} (${time(e.firstMs)}${e.count > 1 ? ` to ${time(e.lastMs)}` : ''})${e.maxScore !== null ? `, score ${e.maxScore.toFixed(2)} (1 = threshold)` : ''}
    ${e.tags.length ? html`<br>Tags: ${e.tags.join(', ')}` : ''}
    ${e.explanations.length ? html`<br>Why the model flagged it (top contributing features):<ol>${e.explanations.map((x) => html`<li>${x}</li>`)}</ol>` : ''}
    ${e.inheritedFrom ? html`<br>Lineage: ${e.inheritedFrom}` : ''}
  </li>`)}</ul>`;
}

function triageForms(who: Principal, v: AlertView, users: UserRecord[]): Html {
  const a = v.alert;
  if (!can(who.role, 'alerts:triage')) return html`<p class="muted">Your role cannot triage alerts.</p>`;
  const next = TRANSITIONS[a.state];
  const btn = (action: string, label: string, ok: boolean) => (ok ? html`<button type="submit" name="action" value="${action}">${label}</button>` : '');
  const latest = v.detections[0];
  const subject = latest ? subjectOf(latest) : { image: '', commandLine: '' };
  const resolvable = next.includes('resolved_false_positive');
  return html`<form method="post" action="/console/alerts/${a.id}/action" aria-label="Change state"><div class="actions">
    ${btn('acknowledged', 'Acknowledge', next.includes('acknowledged'))}${btn('in_progress', a.state.startsWith('resolved') || a.state === 'duplicate' ? 'Reopen' : 'Start work (in progress)', next.includes('in_progress'))}
    ${btn('resolved_true_positive', 'Resolve: true positive', next.includes('resolved_true_positive'))}</div></form>
  <form method="post" action="/console/alerts/${a.id}/action" aria-label="Assign"><div class="actions">
    <label>Assignee <select name="assignee"><option value="">(nobody)</option>${users.map((u) => html`<option value="${u.name}" ${a.assignee === u.name ? html`selected` : ''}>${u.name}</option>`)}</select></label>
    <button type="submit" name="action" value="assign">Assign</button></div></form>
  <form method="post" action="/console/alerts/${a.id}/action" aria-label="Add a note">
    <label>Note <textarea name="text" rows="2" cols="60" required></textarea></label> <button type="submit" name="action" value="note">Add note</button></form>
  ${resolvable ? html`<form method="post" action="/console/alerts/${a.id}/action" aria-label="Resolve as false positive"><fieldset><legend>Resolve as false positive</legend>
    <label>Note <input name="note" size="60"></label>
    <label><span><input type="checkbox" name="exception" value="on" checked> Create an exception so that the same detection raises no alert again</span></label>
    <label>Rule <select name="ruleId"><option value="">(any rule)</option>${a.rules.map((r) => html`<option value="${r}" ${r === latest?.ruleId ? html`selected` : ''}>${r}</option>`)}</select></label>
    <label>Host <input name="host" value="${a.host}" size="40"></label>
    <label>Image (glob, * and ?) <input name="image" value="${baseName(subject.image)}" size="60"></label>
    <label>Command line (glob, empty: any) <input name="commandLine" value="" size="80"></label>
    <label>Reason (required for an exception) <input name="reason" size="60"></label>
    <label>Expires in days (1 to 366) <input name="expiresInDays" type="number" min="1" max="366" value="30"></label>
    <button type="submit" name="action" value="resolved_false_positive">Resolve as false positive</button></fieldset></form>` : ''}`;
}

export function alertPage(who: Principal, v: AlertView, users: UserRecord[], error?: string): Html {
  const a = v.alert;
  return page(`Alert #${a.id}`, who, html`<p><a href="/console/">← Alert queue</a></p>
  <h1>${severityLabel(a.severity)} ${a.title} <span class="muted">#${a.id}</span></h1>
  ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
  <dl class="facts">
    <dt>State</dt><dd id="alert-state">${stateLabel(a.state)}${a.duplicateOf !== null ? html` of <a href="/console/alerts/${a.duplicateOf}">#${a.duplicateOf}</a>` : ''}</dd>
    <dt>Host</dt><dd>${v.sensorId ? html`<a href="/console/hosts/${encodeURIComponent(v.sensorId)}">${a.host}</a>` : a.host} (tenant ${a.tenant})</dd>
    <dt>ATT&amp;CK</dt><dd>tactic ${a.tactic}, technique ${a.technique}</dd>
    <dt>Seen</dt><dd>${time(a.firstMs)} to ${time(a.lastMs)}, ${a.detections} detection${a.detections > 1 ? 's' : ''} (${a.rules.length} rule${a.rules.length > 1 ? 's' : ''} or model${a.rules.length > 1 ? 's' : ''})</dd>
    <dt>Assignee</dt><dd>${a.assignee ?? 'nobody'}</dd>
  </dl>
  <section aria-labelledby="why"><h2 id="why">Why: what fired</h2>${evidence(v)}</section>
  <section aria-labelledby="tree"><h2 id="tree">Process tree</h2>
    <p class="muted" id="tree-source">${v.context.source === 'archive' ? '[FROM THE ARCHIVE]' : '[FROM DETECTIONS ONLY]'} ${v.context.note}${v.context.source === 'detections' ? ' Processes that neither fired nor are an ancestor of one that did are not shown.' : ''}${v.context.computedMs !== null && v.context.cached ? ` Built ${time(v.context.computedMs)}.` : ''}${v.tree.truncated && v.context.source === 'detections' ? ' Cut at 500 processes.' : ''}</p>
    <ul class="tree" role="tree" aria-labelledby="tree">${v.tree.roots.map(node)}</ul></section>
  <section aria-labelledby="triage"><h2 id="triage">Triage</h2>${triageForms(who, v, users)}</section>
  <section aria-labelledby="notes"><h2 id="notes">Notes</h2>${v.notes.length ? html`<ul>${v.notes.map((n) => html`<li><strong>${n.author}</strong>, ${time(n.timeMs)}: ${n.text}</li>`)}</ul>` : html`<p>None.</p>`}</section>
  <section aria-labelledby="history"><h2 id="history">History</h2><table><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th></tr></thead>
    <tbody>${v.history.map((h) => html`<tr><td>${time(h.timeMs)}</td><td>${h.actor}</td><td>${h.action} ${Object.entries(h.detail).map(([k, x]) => `${k}: ${String(x)}`).join(', ')}</td></tr>`)}</tbody></table></section>
  <section aria-labelledby="raw"><h2 id="raw">Raw events (latest ${v.detections.length})</h2>
    ${v.detections.map((d) => html`<details><summary>${time(d.timeMs)} — ${d.title} (<code>${d.ruleId}</code>, process ${d.processKey}, batch ${d.evidence.seq})</summary><pre>${JSON.stringify(d.evidence.event, null, 2)}</pre></details>`)}</section>
  `);
}
