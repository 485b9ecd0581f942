/** The page frame: skip link, navigation, who is logged in, and the keyboard help. */
import type { Principal } from '../access/index.js';
import { ROLE_LABELS } from '../access/index.js';
import type { Severity } from '../detect/detection.js';
import type { AlertState } from '../store/index.js';
import { STATE_LABELS } from '../triage/index.js';
import { Html, html } from './html.js';

/** Keyboard: `/` focuses the search; `j` and `k` move between queue rows; Enter opens. */
const KEYS = `document.addEventListener('keydown', (e) => {
  if (e.target.closest('input, textarea, select')) return;
  if (e.key === '/') { const q = document.getElementById('q'); if (q) { e.preventDefault(); q.focus(); } return; }
  if (e.key !== 'j' && e.key !== 'k') return;
  const links = [...document.querySelectorAll('a.row-link')];
  if (!links.length) return;
  const i = links.indexOf(document.activeElement);
  const next = e.key === 'j' ? Math.min(i + 1, links.length - 1) : Math.max(i - 1, 0);
  links[i < 0 ? 0 : next].focus(); e.preventDefault();
});`;

export function page(title: string, who: Principal | null, body: Html, active = ''): Html {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — Vigie</title><link rel="stylesheet" href="/console/style.css"></head>
<body><a class="skip" href="#content">Skip to content</a>
<header><strong>Vigie</strong>
${who ? html`<nav aria-label="Main"><a href="/console/" ${active === 'queue' ? html`aria-current="page"` : ''}>Alert queue</a><a href="/console/fleet" ${active === 'fleet' ? html`aria-current="page"` : ''}>Fleet health</a></nav>
<span class="who">${who.user} (${ROLE_LABELS[who.role]}${who.scope.all ? ', all tenants' : `: ${who.tenants.join(', ') || 'no tenant'}`})</span>
<form method="post" action="/console/logout"><button type="submit">Log out</button></form>` : ''}
</header>
<main id="content" tabindex="-1">${body}</main>
<script>${new Html(KEYS)}</script>
</body></html>`;
}

export function severityLabel(s: Severity): Html {
  return html`<span class="sev sev-${s}">[${s.toUpperCase()}]</span>`;
}

export function stateLabel(s: AlertState): Html {
  return html`<span class="state">${STATE_LABELS[s]}</span>`;
}
