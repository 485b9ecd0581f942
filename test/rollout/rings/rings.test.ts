import { describe, expect, it } from 'vitest';
import { checkRingPlan, defaultRingPlan, hostPosition, RingMembership } from '../../../rollout/rings/ring-plan.js';
import { tenantDecision, type GaVersion } from '../../../rollout/rings/tenant-controls.js';

describe('ring membership', () => {
  const hosts = Array.from({ length: 20_000 }, (_, i) => `host-${i}`);
  const plan = defaultRingPlan(['it-1', 'it-2']);

  it('puts named hosts in ring 0 and shares of the rest in growing rings', () => {
    const m = new RingMembership(plan);
    expect(m.ringOf('it-1')).toBe(0);
    const counts = [0, 0, 0, 0, 0];
    for (const h of hosts) counts[m.ringOf(h)]!++;
    expect(counts[0]).toBe(0);
    // cumulative shares 1%, 10%, 50%, 100% of 20,000 hosts, within sampling noise
    expect(counts[1]).toBeGreaterThan(140);
    expect(counts[1]).toBeLessThan(260);
    expect(counts[1]! + counts[2]!).toBeGreaterThan(1800);
    expect(counts[1]! + counts[2]!).toBeLessThan(2200);
    expect(counts[1]! + counts[2]! + counts[3]!).toBeGreaterThan(9700);
    expect(counts[1]! + counts[2]! + counts[3]!).toBeLessThan(10_300);
  });

  it('is stable: a host keeps its ring across instances and when the fleet grows', () => {
    const a = new RingMembership(plan);
    const b = new RingMembership(plan);
    for (const h of hosts.slice(0, 500)) expect(b.ringOf(h)).toBe(a.ringOf(h));
    expect(hostPosition('host-7')).toBe(hostPosition('host-7'));
  });

  it('refuses plans that shrink or never reach the whole fleet', () => {
    expect(checkRingPlan(plan).ok).toBe(true);
    const bad = checkRingPlan({ rings: [{ name: 'r0', hosts: [], bakeMs: 0, minReportingHosts: 1 }, { name: 'a', share: 0.5, bakeMs: 0, minReportingHosts: 1 }, { name: 'b', share: 0.2, bakeMs: 0, minReportingHosts: 1 }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('VIGIE_CONFIG_INVALID');
      expect(bad.error.message).toMatch(/rings\[2\].*share must grow/);
    }
  });
});

describe('tenant controls', () => {
  const H = 3_600_000;
  const history: GaVersion[] = [{ version: '1.0.0', sha256: 'a', gaMs: 0 }, { version: '1.1.0', sha256: 'b', gaMs: 10 * H }, { version: '1.2.0', sha256: 'c', gaMs: 20 * H }];
  const known = (v: string) => history.find((h) => h.version === v);

  it('follows the rings without a control', () => {
    expect(tenantDecision(undefined, 'signatures', history, 21 * H, known)).toEqual({ take: 'rollout' });
  });

  it('pins, pauses, stays one behind and delays', () => {
    expect(tenantDecision({ tenant: 't', pin: { signatures: '1.0.0' } }, 'signatures', history, 21 * H, known)).toEqual({ take: 'version', version: '1.0.0', sha256: 'a' });
    expect(tenantDecision({ tenant: 't', paused: true }, 'signatures', history, 21 * H, known)).toEqual({ take: 'keep' });
    expect(tenantDecision({ tenant: 't', oneBehind: true }, 'signatures', history, 21 * H, known)).toEqual({ take: 'version', version: '1.1.0', sha256: 'b' });
    // 1.2.0 became GA 1 h ago; a 4 h delay keeps the tenant on 1.1.0, a 12 h delay on 1.0.0
    expect(tenantDecision({ tenant: 't', delayHours: 4 }, 'signatures', history, 21 * H, known)).toEqual({ take: 'version', version: '1.1.0', sha256: 'b' });
    expect(tenantDecision({ tenant: 't', delayHours: 12 }, 'signatures', history, 21 * H, known)).toEqual({ take: 'version', version: '1.0.0', sha256: 'a' });
    // a pin on another kind does not apply
    expect(tenantDecision({ tenant: 't', pin: { model: '1.0.0' } }, 'signatures', history, 21 * H, known)).toEqual({ take: 'rollout' });
  });
});
