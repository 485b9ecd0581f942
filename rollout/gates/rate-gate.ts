/**
 * Gates on a counted event (crashes, content errors, detections): the new version's rate per
 * host-hour against the old version's, with the exact conditional test (stats.ts). A gate fails
 * when the excess is both significant and material; it passes only with enough exposure.
 */
import type { CohortView, VersionTotals } from './cohort-view.js';
import type { GateResult, HealthGate } from './gate.js';
import { compareRates } from './stats.js';

export interface RateGateOptions {
  name: string;
  /** What is counted, in plain words ("crashes inside content"). */
  what: string;
  count: (t: VersionTotals) => number;
  /** Fail only when p is below this... */
  alpha: number;
  /** ...the new rate is at least this many times the old one... */
  minRatio: number;
  /** ...and at least this many events were seen on the new version. */
  minEvents: number;
  /** Host-hours on the new version before the gate can pass. */
  minExposureHours: number;
}

export class RateGate implements HealthGate {
  readonly name: string;
  constructor(private readonly o: RateGateOptions) {
    this.name = o.name;
  }

  evaluate(view: CohortView): GateResult {
    const { o } = this;
    const c = compareRates(o.count(view.newVersion), view.newVersion.exposureHours, o.count(view.oldVersion), view.oldVersion.exposureHours);
    const stats = { x_new: c.xNew, x_old: c.xOld, hours_new: round(c.eNew), hours_old: round(c.eOld), ratio: Number.isFinite(c.ratio) ? round(c.ratio) : -1, p: c.p };
    const rate = `${c.xNew} ${o.what} in ${round(c.eNew)} host-hours on the new version, ${c.xOld} in ${round(c.eOld)} on the old`;
    if (c.xNew >= o.minEvents && c.ratio >= o.minRatio && c.p < o.alpha) return { gate: this.name, verdict: 'fail', reason: `${rate} (p=${c.p.toExponential(1)})`, stats };
    if (c.eNew < o.minExposureHours || c.eOld <= 0) return { gate: this.name, verdict: 'inconclusive', reason: `not enough exposure yet: ${rate}, needs ${o.minExposureHours} host-hours`, stats };
    return { gate: this.name, verdict: 'pass', reason: rate, stats };
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
