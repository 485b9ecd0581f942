import { describe, expect, it } from 'vitest';
import type { CohortView, VersionTotals } from '../../../rollout/gates/cohort-view.js';
import { defaultGates, Moments } from '../../../rollout/gates/index.js';

const totals = (o: Partial<VersionTotals> = {}): VersionTotals => ({ exposureHours: 0, crashes: 0, contentCrashes: 0, contentErrors: 0, reverts: 0, restarts: 0, detections: 0, hosts: 0, ...o });

function group(fresh: number[], old: number[], name = 'g') {
  const f = new Moments();
  const o = new Moments();
  for (const x of fresh) f.add(x);
  for (const x of old) o.add(x);
  return { group: name, fresh: f, old: o };
}

function noisy(mean: number, n: number, seed: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(mean + Math.sin(seed * 97 + i * 13.7) * 0.8);
  return out;
}

/** A healthy view: 50 hosts on the new version for 50 host-hours, 9,950 on the old. */
function healthy(): CohortView {
  return {
    nowMs: 0, intervalMs: 15_000,
    newVersion: totals({ exposureHours: 50, detections: 25, hosts: 50 }),
    oldVersion: totals({ exposureHours: 9950, detections: 5000, crashes: 1, restarts: 1, hosts: 9950 }),
    reportingNew: 50,
    cpu: [group(noisy(3, 50, 1), noisy(3, 500, 2))],
    rss: [group(noisy(120, 50, 3), noisy(120, 500, 4))],
    heartbeats: { newHosts: 50, newMissing: 0, oldHosts: 9950, oldMissing: 20, sitesInOutage: 0 },
  };
}

const verdicts = (v: CohortView) => Object.fromEntries(defaultGates().map((g) => [g.name, g.evaluate(v).verdict]));

describe('default gates', () => {
  it('all pass on a healthy canary', () => {
    expect(Object.values(verdicts(healthy())).every((v) => v === 'pass')).toBe(true);
  });

  it('one crash inside content on a small ring fails content-crashes', () => {
    const v = healthy();
    v.newVersion.contentCrashes = 1;
    v.newVersion.crashes = 1;
    const r = defaultGates().find((g) => g.name === 'content-crashes')!.evaluate(v);
    expect(r.verdict).toBe('fail');
    expect(r.reason).toMatch(/1 crashes inside content/);
  });

  it('a flood of detections fails detections, a modest rise does not', () => {
    const v = healthy();
    v.newVersion.detections = 500;
    expect(verdicts(v)['detections']).toBe('fail');
    v.newVersion.detections = 40;
    expect(verdicts(v)['detections']).toBe('pass');
  });

  it('CPU burn fails cpu; missing data is never a pass', () => {
    const v = healthy();
    v.cpu = [group(noisy(28, 50, 5), noisy(3, 500, 6))];
    expect(verdicts(v)['cpu']).toBe('fail');
    const empty = healthy();
    empty.cpu = [];
    empty.rss = [];
    empty.newVersion = totals();
    empty.heartbeats = { newHosts: 0, newMissing: 0, oldHosts: 9950, oldMissing: 20, sitesInOutage: 0 };
    const out = verdicts(empty);
    expect(out['cpu']).toBe('inconclusive');
    expect(out['content-crashes']).toBe('inconclusive');
    expect(out['heartbeats']).toBe('inconclusive');
    expect(Object.values(out)).not.toContain('pass');
  });

  it('hosts that go silent after taking the update fail heartbeats', () => {
    const v = healthy();
    v.heartbeats = { newHosts: 50, newMissing: 12, oldHosts: 9950, oldMissing: 20, sitesInOutage: 1 };
    expect(verdicts(v)['heartbeats']).toBe('fail');
  });
});
