import { describe, expect, it } from 'vitest';
import { VigieError } from '../../../common/errors.js';
import { MemoryAuditSink, verifyAuditChain } from '../../../rollout/audit/index.js';
import { RolloutController } from '../../../rollout/controller/controller.js';
import type { HostReport } from '../../../rollout/controller/host-report.js';
import { defaultGates } from '../../../rollout/gates/index.js';
import type { RingPlan } from '../../../rollout/rings/ring-plan.js';
import { createRoot, generateKeyPair, signDocument, TrustStore } from '../../../rollout/trust/index.js';

const I = 15_000;
const T0 = Date.parse('2026-03-02T08:00:00Z');
const keys = { root: [generateKeyPair()], release: [generateKeyPair()], directive: [generateKeyPair()] };
const trust = (() => {
  const r = TrustStore.fromRoot(signDocument(createRoot(keys, { expires: '2030-01-01T00:00:00Z' }), keys.root), T0);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
})();

const SHA_OLD = 'a'.repeat(64);
const SHA_NEW = 'b'.repeat(64);
const HOSTS = Array.from({ length: 400 }, (_, i) => `h${i}`);
// Ring 0: twelve hosts of one site (site-0), so that the site's outage can silence it.
const RING0 = HOSTS.filter((_, n) => n % 8 === 0).slice(0, 12);
const plan: RingPlan = {
  rings: [
    { name: 'ring0', hosts: RING0, bakeMs: 30 * 60_000, minReportingHosts: 10 },
    { name: 'half', share: 0.5, bakeMs: 10 * 60_000, minReportingHosts: 20 },
    { name: 'all', share: 1, bakeMs: 0, minReportingHosts: 1 },
  ],
};

interface Sim {
  c: RolloutController;
  audit: MemoryAuditSink;
  versions: Map<string, string>;
  contentCrashes: Map<string, number>;
  silent: Set<string>;
  directives: Map<string, { serial: number; rollback: string[] }>;
  step(i: number): void;
}

function setup(): Sim {
  const audit = new MemoryAuditSink();
  const c = new RolloutController({ plan, gates: defaultGates(), intervalMs: I, staleIntervals: 3, directiveTtlMs: 86_400_000, sign: (d) => signDocument(d, keys.directive), audit });
  c.install('signatures', 'pack', '1.0.0', SHA_OLD, T0 - 86_400_000, 'test');
  const versions = new Map(HOSTS.map((h) => [h, '1.0.0']));
  const contentCrashes = new Map<string, number>();
  const silent = new Set<string>();
  const directives = new Map<string, { serial: number; rollback: string[] }>();
  const sim: Sim = {
    c, audit, versions, contentCrashes, silent, directives,
    step(i: number) {
      const now = T0 + i * I;
      for (const [n, host] of HOSTS.entries()) {
        if (silent.has(host)) continue;
        const v = versions.get(host)!;
        const cc = contentCrashes.get(host) ?? 0;
        const r: HostReport = {
          host, tenant: n % 2 ? 'town-a' : 'town-b', site: `site-${n % 8}`, group: `g${n % 4}`, atMs: now, sensorVersion: '0.1.0',
          loaded: [{ kind: 'signatures', version: v }], crashes: cc ? [{ kind: 'signatures', version: '1.1.0', count: cc }] : [], contentCrashes: cc ? [{ kind: 'signatures', version: '1.1.0', count: cc }] : [],
          restarts: cc, contentErrors: [], reverts: [], cpuPercent: 3 + Math.sin(n * 7 + i) * 0.5, rssBytes: (100 + Math.cos(n * 3 + i) * 5) * 1048576, detections: Math.floor(i / 40),
        };
        c.ingest(r);
        const d = c.directiveFor(host, now);
        if (d) {
          const checked = trust.verifyDirective(d, now);
          expect(checked.ok ? 'ok' : checked.error.message).toBe('ok');
          directives.set(host, { serial: d.signed.serial, rollback: d.signed.rollback.map((x) => x.version) });
          const t = d.signed.targets.find((x) => x.kind === 'signatures');
          if (t) versions.set(host, t.version);
        }
      }
      c.tick(now);
    },
  };
  return sim;
}

describe('RolloutController', () => {
  it('moves a good version ring by ring to everyone, then makes it generally available', () => {
    const s = setup();
    for (let i = 0; i < 2; i++) s.step(i);
    const r = s.c.create({ kind: 'signatures', name: 'pack', version: '1.1.0', sha256: SHA_NEW }, T0 + 2 * I, 'alice');
    s.c.start(r.id, T0 + 2 * I, 'alice');
    s.step(3);
    expect([...s.versions].filter(([, v]) => v === '1.1.0').map(([h]) => h).sort()).toEqual([...RING0].sort());
    let i = 4;
    for (; i < 400 && s.c.get(r.id).state !== 'complete'; i++) s.step(i);
    expect(s.c.get(r.id).state).toBe('complete');
    expect(s.c.stable('signatures')?.version).toBe('1.1.0');
    s.step(i);
    expect([...s.versions.values()].every((v) => v === '1.1.0')).toBe(true);
    const actions = s.audit.entries().map((e) => e.action);
    expect(actions).toEqual(['install', 'create', 'start', 'advance', 'advance', 'complete']);
    expect(verifyAuditChain(s.audit.entries()).ok).toBe(true);
  });

  it('halts on a crash inside content in ring 0 and rolls back with a newer signed directive', () => {
    const s = setup();
    s.step(0);
    const r = s.c.create({ kind: 'signatures', name: 'pack', version: '1.1.0', sha256: SHA_NEW }, T0 + I, 'alice');
    s.c.start(r.id, T0 + I, 'alice');
    s.step(2);
    const rollout = s.directives.get(RING0[0]!)!;
    expect(rollout.rollback).toEqual([]);
    // Ring 0 is 3% of this small fleet: one crash inside content is not significant at 2%, two
    // (a crash loop, as a local revert reports) are.
    s.contentCrashes.set(RING0[0]!, 1);
    s.step(3);
    expect(s.c.get(r.id).state).toBe('rolling');
    s.contentCrashes.set(RING0[0]!, 2);
    s.step(4);
    const after = s.c.get(r.id);
    expect(after.state).toBe('rolled_back');
    expect(after.haltReason).toMatch(/content-crashes/);
    // Ring-0 hosts are told to go back by a directive with a higher serial naming the bad version.
    s.step(5);
    expect(RING0.every((h) => s.versions.get(h) === '1.0.0')).toBe(true);
    const back = s.directives.get(RING0[0]!)!;
    expect(back.serial).toBeGreaterThan(rollout.serial);
    expect(back.rollback).toEqual(['1.1.0']);
    // Hosts outside ring 0 were never told anything.
    expect(s.directives.has(HOSTS.find((h) => !RING0.includes(h) && s.c.membership.ringOf(h) === 2)!)).toBe(false);
    expect(s.audit.entries().map((e) => e.action)).toEqual(['install', 'create', 'start', 'halt', 'rollback']);
  });

  it('halts when hosts go silent after taking the update while their sites report', () => {
    const s = setup();
    s.step(0);
    const r = s.c.create({ kind: 'signatures', name: 'pack', version: '1.1.0', sha256: SHA_NEW }, T0 + I, 'alice');
    s.c.start(r.id, T0 + I, 'alice');
    s.step(2);
    for (const h of RING0.slice(0, 6)) s.silent.add(h);
    for (let i = 3; i < 12 && s.c.get(r.id).state === 'rolling'; i++) s.step(i);
    expect(s.c.get(r.id).state).toBe('rolled_back');
    expect(s.c.get(r.id).haltReason).toMatch(/heartbeats/);
  });

  it('holds (and alerts) when ring 0 stops reporting, then moves on when it is back', () => {
    const s = setup();
    s.step(0);
    const r = s.c.create({ kind: 'signatures', name: 'pack', version: '1.1.0', sha256: SHA_NEW }, T0 + I, 'alice');
    s.c.start(r.id, T0 + I, 'alice');
    s.step(2);
    // The whole of site-0 goes offline: an outage, not the update's fault.
    HOSTS.forEach((h, n) => n % 8 === 0 && s.silent.add(h));
    let i = 3;
    for (; i < 200; i++) s.step(i);
    expect(s.c.get(r.id).state).toBe('held');
    expect(s.c.get(r.id).ring).toBe(0);
    expect(s.audit.entries().some((e) => e.action === 'hold' && e.detail['alert'] === true)).toBe(true);
    s.silent.clear();
    for (; i < 500 && s.c.get(r.id).ring === 0; i++) s.step(i);
    expect(s.c.get(r.id).ring).toBe(1);
    expect(s.c.get(r.id).state).toBe('rolling');
  });

  it('refuses illegal transitions with VIGIE_ROLLOUT_STATE and a second live rollout of a kind', () => {
    const s = setup();
    s.step(0);
    const r = s.c.create({ kind: 'signatures', name: 'pack', version: '1.1.0', sha256: SHA_NEW }, T0, 'alice');
    const code = (f: () => void) => {
      try {
        f();
      } catch (e) {
        return (e as VigieError).code;
      }
      return 'none';
    };
    expect(code(() => s.c.resume(r.id, T0, 'alice'))).toBe('VIGIE_ROLLOUT_STATE');
    expect(code(() => s.c.create({ kind: 'signatures', name: 'pack', version: '1.2.0', sha256: 'c'.repeat(64) }, T0, 'bob'))).toBe('VIGIE_ROLLOUT_STATE');
    expect(code(() => s.c.get('r99'))).toBe('VIGIE_ROLLOUT_NOT_FOUND');
    s.c.start(r.id, T0, 'alice');
    s.c.pause(r.id, T0, 'alice', 'holiday');
    expect(code(() => s.c.pause(r.id, T0, 'alice'))).toBe('VIGIE_ROLLOUT_STATE');
    s.c.halt(r.id, T0, 'alice', 'by hand');
    expect(s.c.get(r.id).state).toBe('rolled_back');
    expect(code(() => s.c.promote(r.id, T0, 'alice'))).toBe('VIGIE_ROLLOUT_STATE');
  });

  it('keeps a pinned tenant on its version whatever the rings do', () => {
    const s = setup();
    s.step(0);
    s.c.setTenantControl({ tenant: 'town-a', pin: { signatures: '1.0.0' } }, T0, 'alice');
    const r = s.c.create({ kind: 'signatures', name: 'pack', version: '1.1.0', sha256: SHA_NEW }, T0 + I, 'alice');
    s.c.start(r.id, T0 + I, 'alice');
    for (let i = 2; i < 300 && s.c.get(r.id).state !== 'complete'; i++) s.step(i);
    expect(s.c.get(r.id).state).toBe('complete');
    s.step(301);
    HOSTS.forEach((h, n) => expect(s.versions.get(h)).toBe(n % 2 ? '1.0.0' : '1.1.0'));
  });
});
