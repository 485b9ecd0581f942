/**
 * The default health gates. The controller evaluates them on every heartbeat interval, about a
 * thousand times over a rollout's rings, so a fixed per-look alpha would be paid a thousand times
 * over: the count gates use 1e-5 (a Bonferroni bound of about 1% over 1,000 looks) and ask for a
 * few events and a material ratio as well. Crashes inside content are the exception, on purpose:
 * the old version almost never crashes inside content, so such crashes are rare enough that the
 * gate's false-alarm rate is bounded by the chance of seeing one at all while the new version
 * holds a small share of the exposure (measured: `vigie rollout simulate --sweep`, docs/ROLLOUT.md),
 * and a single one on a ring holding 0.5% of the exposure (p = 0.005) must stop the rollout.
 */
import type { HealthGate } from './gate.js';
import { HeartbeatGate } from './heartbeat-gate.js';
import { RateGate } from './rate-gate.js';
import { ShiftGate } from './shift-gate.js';

export type { CohortView, GroupMoments, HeartbeatTally, VersionTotals } from './cohort-view.js';
export type { GateResult, GateVerdict, HealthGate } from './gate.js';
export { HeartbeatGate } from './heartbeat-gate.js';
export { RateGate } from './rate-gate.js';
export { ShiftGate } from './shift-gate.js';
export { binomialUpperTail, compareRates, Moments, stratifiedShift } from './stats.js';

export function defaultGates(): HealthGate[] {
  return [
    new RateGate({ name: 'content-crashes', what: 'crashes inside content', count: (t) => t.contentCrashes, alpha: 0.02, minRatio: 5, minEvents: 1, minExposureHours: 5 }),
    new RateGate({ name: 'crashes', what: 'agent crashes', count: (t) => t.crashes, alpha: 1e-5, minRatio: 2, minEvents: 5, minExposureHours: 5 }),
    new RateGate({ name: 'content-errors', what: 'content load or run errors', count: (t) => t.contentErrors, alpha: 1e-5, minRatio: 3, minEvents: 3, minExposureHours: 5 }),
    new RateGate({ name: 'detections', what: 'detections', count: (t) => t.detections, alpha: 1e-5, minRatio: 3, minEvents: 20, minExposureHours: 5 }),
    new ShiftGate({ name: 'cpu', what: 'agent CPU', unit: '% of a core', pick: (v) => v.cpu, absolute: 5, relative: 0.5, z: 4, minHosts: 5 }),
    new ShiftGate({ name: 'rss', what: 'agent memory', unit: 'MiB', pick: (v) => v.rss, absolute: 32, relative: 0.25, z: 4, minHosts: 5 }),
    new HeartbeatGate({ alpha: 1e-3, minExcess: 0.02, minMissing: 2, minHosts: 5 }),
  ];
}

