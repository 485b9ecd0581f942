/**
 * The default health gates. Thresholds are chosen so that a good update over a 10,000-host fleet
 * never fails them (`vigie rollout simulate --fault none`, docs/ROLLOUT.md) while a crash inside
 * content fails at the first report from a small ring: the old version almost never crashes
 * inside content, so one such crash on a ring of 1% of the exposure is significant at 1%.
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

const MIB = 1024 * 1024;

export function defaultGates(): HealthGate[] {
  return [
    new RateGate({ name: 'content-crashes', what: 'crashes inside content', count: (t) => t.contentCrashes, alpha: 0.02, minRatio: 5, minEvents: 1, minExposureHours: 5 }),
    new RateGate({ name: 'crashes', what: 'agent crashes and restarts', count: (t) => t.crashes + t.restarts, alpha: 1e-3, minRatio: 2, minEvents: 3, minExposureHours: 5 }),
    new RateGate({ name: 'content-errors', what: 'content load or run errors', count: (t) => t.contentErrors, alpha: 1e-3, minRatio: 3, minEvents: 2, minExposureHours: 5 }),
    new RateGate({ name: 'detections', what: 'detections', count: (t) => t.detections, alpha: 1e-4, minRatio: 3, minEvents: 20, minExposureHours: 5 }),
    new ShiftGate({ name: 'cpu', what: 'agent CPU', unit: '% of a core', pick: (v) => v.cpu, absolute: 5, relative: 0.5, z: 4, minHosts: 5 }),
    new ShiftGate({ name: 'rss', what: 'agent memory', unit: 'MiB', pick: (v) => v.rss, absolute: 32, relative: 0.25, z: 4, minHosts: 5 }),
    new HeartbeatGate({ alpha: 1e-3, minExcess: 0.02, minMissing: 2, minHosts: 5 }),
  ];
}

export const RSS_UNIT = MIB;
