/**
 * Canary rings: ring 0 is a list of named hosts (the service's own machines); the next rings are
 * growing cumulative shares of the rest of the fleet. Membership is stable: a host's place is a
 * hash of its id, so a host stays in the same ring from one rollout to the next and adding hosts
 * does not reshuffle the others.
 */
import { createHash } from 'node:crypto';
import { fail, ok, type Result, type VigieProblem } from '../../common/errors.js';

export interface RingSpec {
  name: string;
  /** Ring 0 only: the named hosts. */
  hosts?: readonly string[];
  /** Cumulative share of the fleet (0..1] that has the version once this ring is reached. */
  share?: number;
  /** How long the ring bakes before its gates may let the rollout move on, ms. */
  bakeMs: number;
  /** Hosts of this ring and the ones before that must have reported on the new version. */
  minReportingHosts: number;
}

export interface RingPlan {
  rings: readonly RingSpec[];
}

const MINUTE = 60_000;

/** The default plan: ring 0 named by configuration, then 1%, 10%, 50% and everyone. */
export function defaultRingPlan(ring0Hosts: readonly string[]): RingPlan {
  return {
    rings: [
      { name: 'ring0', hosts: ring0Hosts, bakeMs: 60 * MINUTE, minReportingHosts: Math.min(10, ring0Hosts.length) },
      { name: 'canary', share: 0.01, bakeMs: 60 * MINUTE, minReportingHosts: 20 },
      { name: 'early', share: 0.1, bakeMs: 60 * MINUTE, minReportingHosts: 100 },
      { name: 'broad', share: 0.5, bakeMs: 60 * MINUTE, minReportingHosts: 500 },
      { name: 'all', share: 1, bakeMs: 0, minReportingHosts: 1 },
    ],
  };
}

/** Checks a plan: every problem, with the ring's index as its field. */
export function checkRingPlan(plan: RingPlan): Result<RingPlan> {
  const problems: VigieProblem[] = [];
  const at = (i: number, message: string) => problems.push({ code: 'VIGIE_CONFIG_INVALID', message, location: { field: `rings[${i}]` } });
  if (plan.rings.length === 0) return fail('VIGIE_CONFIG_INVALID', 'a ring plan needs at least one ring', { field: 'rings' });
  let last = 0;
  plan.rings.forEach((r, i) => {
    if (i === 0 && r.hosts === undefined) at(i, 'ring 0 names its hosts');
    if (i > 0 && r.hosts !== undefined) at(i, 'only ring 0 names hosts; later rings are shares of the fleet');
    if (i > 0) {
      if (r.share === undefined || !(r.share > last && r.share <= 1)) at(i, `share must grow and stay within (${last}, 1]`);
      else last = r.share;
    }
    if (!(r.bakeMs >= 0)) at(i, 'bakeMs must be >= 0');
    if (!(Number.isInteger(r.minReportingHosts) && r.minReportingHosts >= 1)) at(i, 'minReportingHosts must be an integer >= 1');
  });
  if (last !== 1 && plan.rings.length > 1) at(plan.rings.length - 1, 'the last ring must reach the whole fleet (share 1)');
  if (problems.length > 0) return { ok: false, error: { ...problems[0]!, message: problems.map((p) => `${p.location?.field}: ${p.message}`).join('; ') } };
  return ok(plan);
}

/** A host's place in [0, 1): the first 48 bits of sha256(host id). */
export function hostPosition(host: string): number {
  const d = createHash('sha256').update(host).digest();
  return d.readUIntBE(0, 6) / 2 ** 48;
}

/** Maps hosts to rings, caching each host's position. */
export class RingMembership {
  private readonly ring0: ReadonlySet<string>;
  private readonly cache = new Map<string, number>();

  constructor(readonly plan: RingPlan) {
    this.ring0 = new Set(plan.rings[0]?.hosts ?? []);
  }

  ringOf(host: string): number {
    let r = this.cache.get(host);
    if (r !== undefined) return r;
    r = this.compute(host);
    this.cache.set(host, r);
    return r;
  }

  private compute(host: string): number {
    if (this.ring0.has(host)) return 0;
    const u = hostPosition(host);
    const rings = this.plan.rings;
    for (let i = 1; i < rings.length; i++) if (u < (rings[i]!.share ?? 1)) return i;
    return rings.length - 1;
  }
}
