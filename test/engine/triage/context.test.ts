/**
 * An alert's process context from the real archive: siblings and children that fired nothing are
 * drawn with their command lines, users, exits and peers; other sensors, tenants, times and
 * unrelated processes are not; the context is kept in the store, used, and rebuilt when the alert
 * grows; without the window in the archive (retention) the tree falls back to the detections.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unwrap } from '../../../common/errors.js';
import { Archive, type RecordWindowSource } from '../../../engine/archive/index.js';
import { ALL_TENANTS, SqliteStore, tenantScope, type AlertRecord } from '../../../engine/store/index.js';
import { AlertGrouper, alertViewWithContext, MAX_TREE_NODES, ProcessContexts, type TreeNode } from '../../../engine/triage/index.js';
import { tempDir } from '../../helpers/fixtures.js';
import { EXPLORER, NLTEST, phishing, proc, PS, T0, WHOAMI, WORD, CMD } from './fixtures.js';
import {
  archiveBatches, attackArchive, attackDetections, CMD2, CONHOST, IPCONFIG, LATE, NET, NOTEPAD, OTHER_SENSOR, OTHER_TENANT, SENSOR, SKEWED, SPLWOW, start,
  STORED_AT, whoamiDetection,
} from './telemetry.js';

function flatten(nodes: TreeNode[], out = new Map<string, TreeNode>()): Map<string, TreeNode> {
  for (const n of nodes) { out.set(n.key, n); flatten(n.children, out); }
  return out;
}
const key = (p: { pid: number; startTimeMs: number }) => `${p.pid}:${p.startTimeMs}`;

/** The archive, counting how often a window is read. */
function counting(archive: Archive): RecordWindowSource & { reads: number } {
  const source = { reads: 0, timeSpan: () => archive.timeSpan(), window: (...args: Parameters<Archive['window']>) => { source.reads++; return archive.window(...args); } };
  return source;
}

describe('alert process context from the archive', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteStore;
  let grouper: AlertGrouper;
  let archive: Archive;
  let alert: AlertRecord;

  beforeEach(async () => {
    dir = tempDir('context');
    store = unwrap(SqliteStore.open(`${dir.path}/vigie.db`));
    grouper = new AlertGrouper(store, { windowMs: 30 * 60_000 });
    grouper.ingest(attackDetections(), STORED_AT);
    alert = store.alerts.list(ALL_TENANTS)[0]!;
    archive = await attackArchive(`${dir.path}/archive`);
  });
  afterEach(async () => { await archive.close(); store.close(); dir.remove(); });

  it('draws siblings and children that fired nothing, with command lines, users, exits and peers', async () => {
    const contexts = new ProcessContexts(store, { source: archive });
    const view = (await alertViewWithContext(store, tenantScope(['beaumont']), alert.id, contexts))!;
    expect(view.context).toMatchObject({ source: 'archive', cached: false, window: { fromMs: T0 + 2000 - 600_000, toMs: T0 + 6000 + 600_000 } });
    expect(view.context.note).toContain(`sensor ${SENSOR}`);
    const nodes = flatten(view.tree.roots);
    expect(view.tree.roots.map((r) => r.key)).toEqual([key(EXPLORER)]);
    expect(view.tree.focus).toBe(key(PS));
    const at = (p: { pid: number; startTimeMs: number }) => nodes.get(key(p));
    // Fired nothing, drawn from the archive:
    expect(at(WHOAMI)).toMatchObject({ relation: 'descendant', commandLine: 'whoami /all', user: 'BEAU\\marie', detections: [], exitTimeMs: T0 + 5900 });
    expect(at(CMD)).toMatchObject({ relation: 'child', commandLine: 'cmd /c whoami /all', exitTimeMs: T0 + 6100 });
    expect(at(IPCONFIG)).toMatchObject({ relation: 'descendant', commandLine: 'ipconfig /all', detections: [] });
    expect(at(CMD2)?.children.map((c) => c.key)).toEqual([key(IPCONFIG)]);
    expect(at(CONHOST)).toMatchObject({ relation: 'child', image: CONHOST.image });
    expect(at(SPLWOW)).toMatchObject({ relation: 'sibling', commandLine: 'splwow64.exe 8192', user: 'BEAU\\print-svc' });
    // What fired, with peers and exits from the archive:
    expect(at(PS)?.peers).toEqual(['203.0.113.9:443 outbound']);
    expect(at(PS)?.detections.map((d) => d.ruleId)).toEqual(['win-office-spawns-shell', 'win-powershell-encoded-command']);
    expect(at(NLTEST)).toMatchObject({ relation: 'child', detections: [{ ruleId: 'win-ad-reconnaissance', count: 1 }] });
    expect(at(WORD)).toMatchObject({ relation: 'ancestor', exitTimeMs: T0 + 180_000, peers: ['DNS nexus.officeapps.live.com'] });
    // Not in the context: another sensor, another tenant, outside the window, unrelated.
    for (const p of [OTHER_SENSOR, OTHER_TENANT, LATE, SKEWED, NOTEPAD]) expect(at(p), p.image).toBeUndefined();
    expect([...nodes.values()].map((n) => n.image).join(' ')).not.toMatch(/other-|late|skewed|notepad/);
    expect(view.tree).toMatchObject({ truncated: false, omitted: 0, nodes: nodes.size });
  });

  it('keeps the context in the store, uses it, and rebuilds it when the alert grows', async () => {
    const source = counting(archive);
    const contexts = new ProcessContexts(store, { source });
    const first = (await alertViewWithContext(store, ALL_TENANTS, alert.id, contexts))!;
    expect(source.reads).toBe(1);
    expect(store.alertContexts.get(alert.id)).toMatchObject({ detections: 3, source: 'archive', complete: true });
    // Another ProcessContexts (a restarted engine, the CLI) reads the stored one: no archive read.
    const second = (await alertViewWithContext(store, ALL_TENANTS, alert.id, new ProcessContexts(store, { source })))!;
    expect(source.reads).toBe(1);
    expect(second.context).toMatchObject({ source: 'archive', cached: true, computedMs: first.context.computedMs });
    expect(second.tree).toEqual(first.tree);
    // A later batch: not drawn while the kept context is valid...
    await archiveBatches(archive, [{ sensorId: SENSOR, tenant: 'beaumont', receivedMs: T0 + 13_000, events: [start(NET, PS)] }]);
    expect(flatten((await alertViewWithContext(store, ALL_TENANTS, alert.id, contexts))!.tree.roots).has(key(NET))).toBe(false);
    expect(source.reads).toBe(1);
    // ...and drawn once the alert grows (a new detection) and the context is rebuilt.
    expect(grouper.ingest([whoamiDetection()], STORED_AT + 60_000)).toMatchObject({ alertsGrown: 1 });
    const grown = (await alertViewWithContext(store, ALL_TENANTS, alert.id, contexts))!;
    expect(source.reads).toBe(2);
    expect(grown.context.cached).toBe(false);
    const nodes = flatten(grown.tree.roots);
    expect(nodes.get(key(NET))).toMatchObject({ relation: 'child', commandLine: NET.commandLine });
    expect(nodes.get(key(WHOAMI))?.detections.map((d) => d.ruleId)).toEqual(['win-whoami-all']);
    expect(store.alertContexts.get(alert.id)?.detections).toBe(4);
    expect(contexts.counters).toMatchObject({ built: 2, cache_hits: 1 });
  });

  it('rebuilds a context whose window was still open when viewed again later', async () => {
    const source = counting(archive);
    let now = STORED_AT + 1000; // the receive window (25 minutes after the alert) is still open
    const contexts = new ProcessContexts(store, { source, now: () => now, refreshMs: 30_000 });
    await alertViewWithContext(store, ALL_TENANTS, alert.id, contexts);
    expect(store.alertContexts.get(alert.id)?.complete).toBe(false);
    now += 10_000;
    expect((await alertViewWithContext(store, ALL_TENANTS, alert.id, contexts))!.context.cached).toBe(true);
    now += 30_000;
    // Without the archive (the CLI on a machine without it), the kept tree is still the better one.
    const elsewhere = (await alertViewWithContext(store, ALL_TENANTS, alert.id, new ProcessContexts(store, { now: () => now, unavailable: 'No archive at /x' })))!;
    expect(elsewhere.context).toMatchObject({ source: 'archive', cached: true });
    expect(elsewhere.context.note).toContain('No archive at /x to bring it up to date.');
    expect(flatten(elsewhere.tree.roots).has(key(WHOAMI))).toBe(true);
    expect((await alertViewWithContext(store, ALL_TENANTS, alert.id, contexts))!.context.cached).toBe(false);
    expect(source.reads).toBe(2);
  });

  it('reads a context only through an alert in the caller\'s scope', async () => {
    const source = counting(archive);
    const contexts = new ProcessContexts(store, { source });
    expect(await alertViewWithContext(store, tenantScope(['montclar']), alert.id, contexts)).toBeUndefined();
    expect(source.reads).toBe(0);
  });

  it('falls back to the detections and says why: no archive, retention, an empty archive', async () => {
    const none = (await alertViewWithContext(store, ALL_TENANTS, alert.id, new ProcessContexts(store)))!;
    expect(none.context).toMatchObject({ source: 'detections', window: null });
    expect(none.context.note).toContain('No archive is available here');
    expect(flatten(none.tree.roots).has(key(WHOAMI))).toBe(false);
    expect(flatten(none.tree.roots).has(key(PS))).toBe(true);

    // Retention: every segment of the window swept, a newer batch kept.
    await archive.close();
    archive = unwrap(await Archive.open({ dir: `${dir.path}/archive`, fsync: false, retentionMs: 60_000 }));
    const swept = await archive.sweep(T0 + 3 * 3_600_000);
    expect(swept.deletedSegments).toBeGreaterThan(0);
    await archiveBatches(archive, [{ sensorId: SENSOR, tenant: 'beaumont', receivedMs: T0 + 3 * 3_600_000, events: [start(proc(9000, 3 * 3_600_000, 'C:\\x\\new.exe', 'new.exe'), EXPLORER)] }]);
    const expired = (await alertViewWithContext(store, ALL_TENANTS, alert.id, new ProcessContexts(store, { source: archive })))!;
    expect(expired.context.source).toBe('detections');
    expect(expired.context.note).toContain('no longer holds this alert\'s telemetry');
    expect(flatten(expired.tree.roots).has(key(WHOAMI))).toBe(false);
    expect(expired.tree.focus).toBe(key(PS));
    expect(store.alertContexts.get(alert.id)).toBeUndefined();

    const empty = { timeSpan: () => undefined, window: archive.window.bind(archive) };
    expect((await alertViewWithContext(store, ALL_TENANTS, alert.id, new ProcessContexts(store, { source: empty })))!.context.note).toContain('The archive holds no telemetry');
  });

  it('keeps a kept context over a busy archive, or the detections, and says so', async () => {
    grouper.ingest(phishing({ host: 'BEAU-PC0043', sensorId: 'sensor-BEAU-PC0043' }), STORED_AT);
    const other = store.alerts.list(ALL_TENANTS).find((a) => a.host === 'BEAU-PC0043')!;
    const contexts = new ProcessContexts(store, { source: archive, maxConcurrent: 1, maxWaiting: 0 });
    const [a, b] = await Promise.all([alertViewWithContext(store, ALL_TENANTS, alert.id, contexts), alertViewWithContext(store, ALL_TENANTS, other.id, contexts)]);
    expect(a!.context.source).toBe('archive');
    expect(b!.context).toMatchObject({ source: 'detections' });
    expect(b!.context.note).toContain('busy');
    expect(contexts.counters.busy).toBe(1);
    // With room to wait, the second build waits for the first's slot.
    store.database.prepare('DELETE FROM alert_contexts').run();
    const patient = new ProcessContexts(store, { source: archive, maxConcurrent: 1, maxWaiting: 1 });
    const both = await Promise.all([alertViewWithContext(store, ALL_TENANTS, alert.id, patient), alertViewWithContext(store, ALL_TENANTS, other.id, patient)]);
    expect(both.map((v) => v!.context.source)).toEqual(['archive', 'archive']);
    expect(patient.counters).toMatchObject({ built: 2, busy: 0 });
    // Two views of one alert share one build.
    const source = counting(archive);
    const shared = new ProcessContexts(store, { source, maxConcurrent: 1, maxWaiting: 0 });
    store.database.prepare('DELETE FROM alert_contexts').run();
    const [c, d] = await Promise.all([alertViewWithContext(store, ALL_TENANTS, other.id, shared), alertViewWithContext(store, ALL_TENANTS, other.id, shared)]);
    expect(source.reads).toBe(1);
    expect(c!.context.source).toBe('archive');
    expect(d!.tree).toEqual(c!.tree);
  });

  it('cuts a context at the tree bound and counts what it left out', async () => {
    const children = Array.from({ length: 600 }, (_, i) => start(proc(20_000 + i, 3000 + i, 'C:\\Windows\\System32\\cmd.exe', `cmd /c echo ${i}`), PS));
    await archiveBatches(archive, [{ sensorId: SENSOR, tenant: 'beaumont', receivedMs: T0 + 9000, events: children }]);
    const view = (await alertViewWithContext(store, ALL_TENANTS, alert.id, new ProcessContexts(store, { source: archive })))!;
    expect(view.tree).toMatchObject({ nodes: MAX_TREE_NODES, truncated: true });
    expect(view.tree.omitted).toBeGreaterThan(100);
    expect(view.context.note).toContain(`Cut at ${MAX_TREE_NODES} processes`);
    // What fired and its ancestors come first.
    const nodes = flatten(view.tree.roots);
    for (const p of [EXPLORER, WORD, PS, NLTEST]) expect(nodes.has(key(p))).toBe(true);
  });
});
