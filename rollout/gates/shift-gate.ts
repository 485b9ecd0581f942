/**
 * Gates on a resource (CPU, RSS): the new version's hosts against the old version's hosts of the
 * same hardware and OS group (stats.ts stratifiedShift). Fails on a shift that is both material
 * (above an absolute and a relative floor) and clear (z above a bound); passes when enough hosts
 * report and the shift's upper bound stays under the floor.
 */
import type { CohortView, GroupMoments } from './cohort-view.js';
import type { GateResult, HealthGate } from './gate.js';
import { stratifiedShift } from './stats.js';

export interface ShiftGateOptions {
  name: string;
  what: string;
  unit: string;
  pick: (v: CohortView) => readonly GroupMoments[];
  /** The shift that matters: max(absolute, relative x the old mean). */
  absolute: number;
  relative: number;
  /** Standard errors the shift must clear to fail, and the bound used to pass. */
  z: number;
  minHosts: number;
}

export class ShiftGate implements HealthGate {
  readonly name: string;
  constructor(private readonly o: ShiftGateOptions) {
    this.name = o.name;
  }

  evaluate(view: CohortView): GateResult {
    const { o } = this;
    const s = stratifiedShift(o.pick(view));
    const floor = Math.max(o.absolute, o.relative * s.base);
    const stats = { hosts_new: s.n, diff: round(s.diff), se: round(s.se), base: round(s.base), floor: round(floor) };
    const text = `${o.what} ${s.diff >= 0 ? '+' : ''}${round(s.diff)} ${o.unit} on ${s.n} hosts against the same groups on the old version (base ${round(s.base)} ${o.unit})`;
    if (s.n === 0) return { gate: this.name, verdict: 'inconclusive', reason: `no host on the new version has a comparable host on the old one yet`, stats };
    if (s.diff > floor && s.diff > o.z * s.se) return { gate: this.name, verdict: 'fail', reason: text, stats };
    if (s.n < o.minHosts) return { gate: this.name, verdict: 'inconclusive', reason: `${text}; needs ${o.minHosts} hosts`, stats };
    if (s.diff + o.z * s.se >= floor) return { gate: this.name, verdict: 'inconclusive', reason: `${text}; too noisy to rule out a shift of ${round(floor)} ${o.unit}`, stats };
    return { gate: this.name, verdict: 'pass', reason: text, stats };
  }
}

function round(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 100) / 100 : -1;
}
