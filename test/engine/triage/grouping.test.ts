import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unwrap } from '../../../common/errors.js';
import { ALL_TENANTS, SqliteStore, tenantScope } from '../../../engine/store/index.js';
import { AlertGrouper, TriageActions, treeKeyOf } from '../../../engine/triage/index.js';
import { tempDir } from '../../helpers/fixtures.js';
import { CMD, EXPLORER, detection, phishing, proc, PS, SERVICES, T0, WORD, OUTLOOK } from './fixtures.js';

const WINDOW = 30 * 60_000;
const SVCHOST = proc(900, -9e6, 'C:\\Windows\\System32\\svchost.exe', 'svchost.exe -k netsvcs -s Schedule', 'SYSTEM');
const RUNDLL = proc(7000, 10_000, 'C:\\Windows\\System32\\rundll32.exe', 'rundll32.exe C:\\Users\\marie\\AppData\\Roaming\\oneupd.dll,DllGetClassObject');

describe('grouping detections into alerts', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteStore;
  let grouper: AlertGrouper;

  beforeEach(() => {
    dir = tempDir('grouping');
    store = unwrap(SqliteStore.open(`${dir.path}/vigie.db`));
    grouper = new AlertGrouper(store, { windowMs: WINDOW });
  });
  afterEach(() => { store.close(); dir.remove(); });

  it('puts one process tree into one alert with its severity, tactic and technique', () => {
    const outcome = grouper.ingest(phishing());
    expect(outcome).toEqual({ stored: 4, suppressed: 0, alertsCreated: 1, alertsGrown: 3 });
    const alerts = store.alerts.list(ALL_TENANTS);
    expect(alerts).toHaveLength(1);
    const a = alerts[0]!;
    expect(a).toMatchObject({ tenant: 'beaumont', host: 'BEAU-PC0042', detections: 4, severity: 'critical', state: 'new', source: 'mixed' });
    expect(a.title).toBe('PowerShell with an encoded command');
    expect(a.tactic).toBe('execution');
    expect(a.technique).toBe('T1059.001');
    expect(a.rules).toEqual(['win-office-spawns-shell', 'win-powershell-encoded-command', 'model-process@1.0.0', 'win-ad-reconnaissance']);
    expect(store.detections.list().every((d) => d.alertId === a.id && d.suppressedBy === null)).toBe(true);
    // the tree is named by its root below explorer.exe (a shared root): Outlook
    expect(a.treeKey).toBe(`${OUTLOOK.pid}:${OUTLOOK.startTimeMs}`);
  });

  it('counts repeats of a rule instead of raising them again, also across trees of the host', () => {
    const net = { network: { image: RUNDLL.image, remoteAddress: '203.0.113.50', remotePort: 443, direction: 1 } };
    const beacon = (i: number) => detection([RUNDLL, SVCHOST, SERVICES], { ruleId: 'model-network@1.0.0', source: 'model', title: 'Unusual network activity', severity: 'medium', at: 10_000 + i * 60_000, tags: [], event: net });
    for (let i = 0; i < 20; i++) grouper.ingest([beacon(i)]);
    const other = proc(7100, 900_000, 'C:\\Windows\\System32\\rundll32.exe', 'rundll32.exe other.dll,Start');
    grouper.ingest([detection([other, SVCHOST, SERVICES], { ruleId: 'model-network@1.0.0', source: 'model', title: 'Unusual network activity', severity: 'medium', at: 1_300_000, tags: [], event: net })]);
    const alerts = store.alerts.list(ALL_TENANTS);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.detections).toBe(21);
    expect(alerts[0]!.rules).toEqual(['model-network@1.0.0']);
    const [summary] = store.detections.ruleSummary(alerts[0]!.id);
    expect(summary).toMatchObject({ ruleId: 'model-network@1.0.0', count: 21, firstMs: T0 + 10_000, lastMs: T0 + 1_300_000 });
    // its tactic/technique come from the model mapping (network model -> command-and-control / T1071)
    expect(alerts[0]).toMatchObject({ tactic: 'command-and-control', technique: 'T1071' });
  });

  it('keeps other trees, hosts, tenants and times apart', () => {
    grouper.ingest(phishing());
    grouper.ingest([detection([RUNDLL, SVCHOST, SERVICES], { ruleId: 'win-rundll32-user-writable-dll', title: 'rundll32 runs a DLL from a user folder', tags: ['attack.defense_evasion', 'attack.t1218.011'] })]);
    grouper.ingest(phishing({ host: 'BEAU-PC0043' }));
    grouper.ingest(phishing({ tenant: 'montclar', host: 'MONT-PC0001' }));
    grouper.ingest([detection([PS, WORD, OUTLOOK, EXPLORER], { at: 2000 + WINDOW + 60_000 })]);
    const alerts = store.alerts.list(ALL_TENANTS);
    expect(alerts).toHaveLength(5);
    expect(alerts.map((a) => a.detections).sort()).toEqual([1, 1, 4, 4, 4]);
    const rundll = alerts.find((a) => a.rules[0] === 'win-rundll32-user-writable-dll')!;
    expect(rundll).toMatchObject({ tactic: 'defense-evasion', technique: 'T1218.011' });
  });

  it('opens a new alert once the earlier one is resolved', () => {
    grouper.ingest(phishing());
    const [a] = store.alerts.list(ALL_TENANTS);
    const actions = new TriageActions(store);
    expect(actions.resolve({ name: 'ana', scope: ALL_TENANTS }, a!.id, 'true_positive').ok).toBe(true);
    grouper.ingest([detection([CMD, PS, WORD, OUTLOOK, EXPLORER], { at: 9000, ruleId: 'win-cmd-recon', title: 'Recon' })]);
    const open = store.alerts.list(ALL_TENANTS);
    expect(open).toHaveLength(1);
    expect(open[0]!.id).not.toBe(a!.id);
    expect(store.alerts.list(ALL_TENANTS, { states: ['resolved_true_positive'] })[0]!.detections).toBe(4);
  });

  it('names the tree by the highest ancestor below a shared root', () => {
    expect(treeKeyOf(detection([PS, WORD, OUTLOOK, EXPLORER]))).toBe(`${OUTLOOK.pid}:${OUTLOOK.startTimeMs}`);
    expect(treeKeyOf(detection([RUNDLL, SVCHOST, SERVICES]))).toBe(`${RUNDLL.pid}:${RUNDLL.startTimeMs}`);
    expect(treeKeyOf(detection([SVCHOST, SERVICES]))).toBe(`${SVCHOST.pid}:${SVCHOST.startTimeMs}`);
    const orphan = { ...detection([PS]), evidence: { ...detection([PS]).evidence, ancestry: [] } };
    expect(treeKeyOf(orphan)).toBe(`${PS.pid}:${PS.startTimeMs}`);
  });

  it('filters the queue by tenant in SQL for a tenant scope', () => {
    grouper.ingest(phishing());
    grouper.ingest(phishing({ tenant: 'montclar', host: 'MONT-PC0001' }));
    expect(store.alerts.list(tenantScope(['montclar'])).map((a) => a.tenant)).toEqual(['montclar']);
    expect(store.alerts.list(tenantScope([]))).toEqual([]);
    expect(store.alerts.list(tenantScope(['montclar']), { tenant: 'beaumont' })).toEqual([]);
    const beau = store.alerts.list(ALL_TENANTS, { tenant: 'beaumont' })[0]!;
    expect(store.alerts.get(tenantScope(['montclar']), beau.id)).toBeUndefined();
    expect(store.alerts.get(tenantScope(['beaumont']), beau.id)?.id).toBe(beau.id);
    expect(store.alerts.list(ALL_TENANTS, { q: 'NLTEST.exe' })).toHaveLength(2); // search is on titles, rules, images
    expect(store.alerts.list(ALL_TENANTS, { q: 'mimikatz' })).toHaveLength(0);
    expect(store.alerts.list(ALL_TENANTS, { q: 'reconnaissance' })).toHaveLength(2);
    expect(store.alerts.list(ALL_TENANTS, { q: '100%' })).toHaveLength(0);
  });
});
