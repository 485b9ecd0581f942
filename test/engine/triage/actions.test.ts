import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unwrap } from '../../../common/errors.js';
import { AccessService } from '../../../engine/access/index.js';
import { ALL_TENANTS, SqliteStore, tenantScope } from '../../../engine/store/index.js';
import { AlertGrouper, alertView, TriageActions, type Actor } from '../../../engine/triage/index.js';
import { tempDir } from '../../helpers/fixtures.js';
import { detection, EXPLORER, OUTLOOK, phishing, proc, PS, T0, WORD } from './fixtures.js';

const DAY = 86_400_000;
const NOW = T0 + 3_600_000;

describe('triage actions', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteStore;
  let grouper: AlertGrouper;
  let actions: TriageActions;
  const beau: Actor = { name: 'ana', scope: tenantScope(['beaumont']) };
  const mont: Actor = { name: 'marc', scope: tenantScope(['montclar']) };

  beforeEach(() => {
    dir = tempDir('triage');
    store = unwrap(SqliteStore.open(`${dir.path}/vigie.db`));
    grouper = new AlertGrouper(store, { windowMs: 30 * 60_000 });
    actions = new TriageActions(store);
    grouper.ingest(phishing(), NOW);
  });
  afterEach(() => { store.close(); dir.remove(); });

  const alertId = () => store.alerts.list(ALL_TENANTS, { states: ['new', 'acknowledged', 'in_progress', 'resolved_true_positive', 'resolved_false_positive', 'duplicate'] })[0]!.id;

  it('moves through the states, refuses moves that are not allowed, and keeps who did what', () => {
    const id = alertId();
    expect(unwrap(actions.transition(beau, id, 'acknowledged', {}, NOW + 1)).state).toBe('acknowledged');
    expect(unwrap(actions.transition(beau, id, 'in_progress', { note: 'looking' }, NOW + 2)).state).toBe('in_progress');
    const bad = actions.transition(beau, id, 'new', {}, NOW + 3);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('VIGIE_TRIAGE_STATE');
    expect(unwrap(actions.resolve(beau, id, 'true_positive', {}, NOW + 4)).alert.state).toBe('resolved_true_positive');
    expect(actions.resolve(beau, id, 'false_positive', {}, NOW + 5).ok).toBe(false);
    expect(unwrap(actions.transition(beau, id, 'in_progress', {}, NOW + 6)).state).toBe('in_progress'); // reopen
    const history = store.alertLog.history(id);
    expect(history.map((h) => [h.actor, h.action, h.detail['to'] ?? null])).toEqual([
      ['engine', 'created', null], ['ana', 'state', 'acknowledged'], ['ana', 'state', 'in_progress'], ['ana', 'note', null],
      ['ana', 'state', 'resolved_true_positive'], ['ana', 'state', 'in_progress'],
    ]);
    expect(history[1]!.timeMs).toBe(NOW + 1);
    expect(store.alertLog.notes(id).map((n) => [n.author, n.text])).toEqual([['ana', 'looking']]);
  });

  it("answers another tenant's alert exactly as a missing one, and changes nothing", () => {
    const id = alertId();
    const results = [
      actions.transition(mont, id, 'acknowledged'), actions.transition(mont, 999_999, 'acknowledged'),
      actions.resolve(mont, id, 'false_positive'), actions.resolve(mont, 999_999, 'false_positive'),
      actions.assign(mont, id, null), actions.assign(mont, 999_999, null),
      actions.addNote(mont, id, 'x'), actions.addNote(mont, 999_999, 'x'),
    ];
    for (let i = 0; i < results.length; i += 2) {
      expect(results[i]).toEqual(results[i + 1]);
      expect(results[i]!.ok).toBe(false);
    }
    expect(store.alerts.get(ALL_TENANTS, id)).toMatchObject({ state: 'new', assignee: null });
    expect(store.alertLog.history(id)).toHaveLength(1);
    expect(alertView(store, mont.scope, id)).toBeUndefined();
    expect(alertView(store, beau.scope, id)?.alert.id).toBe(id);
  });

  it('resolves as false positive with an exception in one step; the next identical detection raises nothing', () => {
    const id = alertId();
    const r = unwrap(actions.resolve(beau, id, 'false_positive', {
      note: 'IT test macro', exception: { ruleId: 'win-powershell-encoded-command', host: 'BEAU-PC0042', image: 'powershell.exe', reason: 'IT deployment script', expiresInDays: 7 },
    }, NOW));
    expect(r.alert.state).toBe('resolved_false_positive');
    expect(r.exception).toMatchObject({ tenant: 'beaumont', author: 'ana', fromAlert: id, expiresMs: NOW + 7 * DAY, image: 'powershell.exe' });
    expect(store.alertLog.history(id).find((h) => h.action === 'state')!.detail['exception']).toBe(r.exception!.id);

    const again = detection([PS, WORD, OUTLOOK, EXPLORER], { at: 60_000 });
    expect(grouper.ingest([again], NOW + 1000)).toMatchObject({ suppressed: 1, alertsCreated: 0 });
    expect(store.alerts.list(ALL_TENANTS)).toHaveLength(0);
    expect(store.exceptions.get(ALL_TENANTS, r.exception!.id)).toMatchObject({ hits: 1 });
    expect(store.detections.list({ limit: 1 })[0]).toMatchObject({ suppressedBy: r.exception!.id, alertId: null });
    // another rule, another host, another tenant, or after expiry: alerts again
    grouper.ingest([detection([PS, WORD, OUTLOOK, EXPLORER], { ruleId: 'other-rule' })], NOW + 2000);
    grouper.ingest([detection([PS, WORD, OUTLOOK, EXPLORER], { host: 'BEAU-PC0043' })], NOW + 2000);
    grouper.ingest([detection([PS, WORD, OUTLOOK, EXPLORER], { tenant: 'montclar', host: 'BEAU-PC0042' })], NOW + 2000);
    expect(grouper.ingest([detection([PS, WORD, OUTLOOK, EXPLORER], { at: 120_000 })], NOW + 8 * DAY).suppressed).toBe(0);
    // (the last one joins the other rule's alert: same host and tree, within the window)
    expect(store.alerts.list(ALL_TENANTS).map((a) => a.detections).sort()).toEqual([1, 1, 2]);
  });

  it('matches image and command-line globs, case-insensitively; revoked exceptions stop matching', () => {
    const e = unwrap(actions.createException(beau, { tenant: 'beaumont', commandLine: 'powershell.exe -nop * -enc *', reason: 'admin scripts' }, NOW));
    expect(grouper.ingest([detection([PS, WORD, OUTLOOK, EXPLORER], { at: 60_000 })], NOW).suppressed).toBe(1);
    const other = proc(5600, 70_000, 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'powershell.exe -File x.ps1');
    expect(grouper.ingest([detection([other, WORD, OUTLOOK, EXPLORER])], NOW).suppressed).toBe(0);
    unwrap(actions.revokeException(beau, e.id, NOW + 1));
    expect(grouper.ingest([detection([PS, WORD, OUTLOOK, EXPLORER], { at: 80_000 })], NOW + 2).suppressed).toBe(0);
    expect(store.exceptions.get(ALL_TENANTS, e.id)).toMatchObject({ revokedBy: 'ana', hits: 1 });
  });

  it('checks exceptions: reason, a matcher, expiry, tenant in scope', () => {
    const codes = [
      actions.createException(beau, { tenant: 'beaumont', ruleId: 'r', reason: ' ' }),
      actions.createException(beau, { tenant: 'beaumont', reason: 'why' }),
      actions.createException(beau, { tenant: 'beaumont', ruleId: 'r', reason: 'why', expiresInDays: 400 }),
      actions.createException(beau, { tenant: 'beaumont', ruleId: 'r', reason: 'why', expiresMs: Date.now() - 1 }),
      actions.createException(beau, { tenant: 'beaumont', image: '*', reason: 'why' }),
      actions.createException(beau, { tenant: 'montclar', ruleId: 'r', reason: 'why' }),
      actions.createException(beau, { tenant: null, ruleId: 'r', reason: 'why' }),
    ].map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes).toEqual(['VIGIE_REQUEST_INVALID', 'VIGIE_REQUEST_INVALID', 'VIGIE_REQUEST_INVALID', 'VIGIE_REQUEST_INVALID', 'VIGIE_REQUEST_INVALID', 'VIGIE_NOT_FOUND', 'VIGIE_NOT_FOUND']);
    expect(actions.createException({ name: 'svc', scope: ALL_TENANTS }, { tenant: null, ruleId: 'r', reason: 'fleet-wide' }).ok).toBe(true);
    expect(store.exceptions.list(beau.scope)).toHaveLength(0); // the all-tenants one is not shown to a tenant analyst
  });

  it('assigns only to users who can triage the tenant; marks duplicates within the tenant', () => {
    const access = new AccessService(store);
    unwrap(access.createTenant('root', 'beaumont', 'Beaumont'));
    unwrap(access.createTenant('root', 'montclar', 'Montclar'));
    unwrap(access.createUser('root', 'ana', 'tenant_analyst', ['beaumont']));
    unwrap(access.createUser('root', 'marc', 'tenant_analyst', ['montclar']));
    unwrap(access.createUser('root', 'rel', 'release_manager'));
    const id = alertId();
    expect(unwrap(actions.assign(beau, id, 'ana', NOW)).assignee).toBe('ana');
    for (const who of ['marc', 'rel', 'nobody']) expect(actions.assign(beau, id, who, NOW).ok).toBe(false);
    grouper.ingest([detection([PS, WORD, OUTLOOK, EXPLORER], { at: 5 * 3_600_000 })], NOW);
    const second = store.alerts.list(ALL_TENANTS).find((a) => a.id !== id)!;
    expect(unwrap(actions.transition(beau, second.id, 'duplicate', { duplicateOf: id })).duplicateOf).toBe(id);
    const view = alertView(store, beau.scope, id)!;
    expect(view.evidence.map((e) => [e.ruleId, e.count])).toEqual([
      ['win-office-spawns-shell', 1], ['win-powershell-encoded-command', 1], ['model-process@1.0.0', 1], ['win-ad-reconnaissance', 1],
    ]);
    expect(view.evidence[2]!.explanations[0]).toBe('whoami.exe is rare on this host');
  });
});
