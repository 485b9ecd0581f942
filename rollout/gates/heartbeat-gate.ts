/**
 * Hosts that stop reporting after taking the update (the July 2024 failure: hosts that crash at
 * boot never report again). Counted by site: a site whose old-version hosts are silent too is
 * in a network outage and left out (cohort-view.ts), so an outage is not blamed on the update.
 */
import type { CohortView } from './cohort-view.js';
import type { GateResult, HealthGate } from './gate.js';
import { binomialUpperTail } from './stats.js';

export interface HeartbeatGateOptions {
  alpha: number;
  /** Excess share of silent hosts that matters (0.02 = 2 points above the old version's). */
  minExcess: number;
  minMissing: number;
  minHosts: number;
}

export class HeartbeatGate implements HealthGate {
  readonly name = 'heartbeats';
  constructor(private readonly o: HeartbeatGateOptions) {}

  evaluate(view: CohortView): GateResult {
    const h = view.heartbeats;
    // Laplace's rule keeps a zero count on the old side from making any silence significant.
    const base = (h.oldMissing + 1) / (h.oldHosts + 2);
    const p = binomialUpperTail(h.newMissing, h.newHosts, base);
    const share = h.newHosts > 0 ? h.newMissing / h.newHosts : 0;
    const stats = { new_hosts: h.newHosts, new_missing: h.newMissing, old_hosts: h.oldHosts, old_missing: h.oldMissing, sites_in_outage: h.sitesInOutage, p };
    const text = `${h.newMissing} of ${h.newHosts} hosts on the new version silent, ${h.oldMissing} of ${h.oldHosts} on the old (${h.sitesInOutage} sites in outage left out)`;
    if (h.newMissing >= this.o.minMissing && share > base + this.o.minExcess && p < this.o.alpha) return { gate: this.name, verdict: 'fail', reason: text, stats };
    if (h.newHosts < this.o.minHosts) return { gate: this.name, verdict: 'inconclusive', reason: `${text}; needs ${this.o.minHosts} hosts at sites that report`, stats };
    if (h.newMissing > 0 && share > base + this.o.minExcess) return { gate: this.name, verdict: 'inconclusive', reason: `${text}; waiting to see whether they come back`, stats };
    return { gate: this.name, verdict: 'pass', reason: text, stats };
  }
}
