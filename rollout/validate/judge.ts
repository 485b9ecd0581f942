/**
 * The comparisons that block a candidate against the current version, as pure functions of what
 * the replay measured on the same events in the same run. Relative limits catch a jump; an
 * absolute floor keeps a jump from 0.1 to 0.4 detections per 1,000 events (or from 1 µs to 3 µs
 * per event) from blocking on noise.
 */
import type { Thresholds } from './options.js';
import { block, pass, warn, type Check } from './report.js';

export interface VolumeSide {
  /** Detections (signature hits, or rows above the model's threshold). */
  detections: number;
  /** Events they came from. */
  events: number;
}

export const perThousand = (s: VolumeSide): number => (s.events > 0 ? (1000 * s.detections) / s.events : 0);

/** The most the candidate may detect per 1,000 events. */
export function detectionLimit(currentPerThousand: number, t: Thresholds): number {
  return Math.max(t.detectionFactor * currentPerThousand, currentPerThousand + t.detectionFloorPerThousand);
}

/** `noun` names what is counted: "signature hits", "rows above the threshold". */
export function judgeDetections(candidate: VolumeSide, current: VolumeSide | undefined, t: Thresholds, noun: string): Check {
  const cand = perThousand(candidate);
  if (!current) {
    return warn('detections', `not compared: the current version gave no baseline; ${noun}: ${round(cand)} per 1,000 events`, { metrics: { candidatePerThousand: round(cand), candidate: candidate.detections, events: candidate.events } });
  }
  const cur = perThousand(current);
  const limit = detectionLimit(cur, t);
  const metrics = { candidatePerThousand: round(cand), currentPerThousand: round(cur), limitPerThousand: round(limit), candidate: candidate.detections, current: current.detections, events: candidate.events };
  if (cand > limit) {
    return block('detections', 'VIGIE_VALIDATION_BLOCKED', `detection volume jump: ${noun} ${round(cand)} per 1,000 events against ${round(cur)} for the current version (limit ${round(limit)})`, { metrics });
  }
  // A fall is not blocked (a pack may retire noisy rules), but content that stopped firing is
  // also what a field the sensor no longer fills looks like: say it.
  if (cur > 0 && cand < cur / t.detectionFactor && cur - cand > t.detectionFloorPerThousand) {
    return warn('detections', `detection volume drop: ${noun} ${round(cand)} per 1,000 events against ${round(cur)} for the current version`, { metrics });
  }
  return pass('detections', `${noun}: ${round(cand)} per 1,000 events, current ${round(cur)} (limit ${round(limit)})`, metrics);
}

export interface CpuSide {
  /** Time spent on the events, ms (the content's own share: see each replay). */
  ms: number;
  events: number;
}

export const usPerEvent = (s: CpuSide): number => (s.events > 0 ? (1000 * s.ms) / s.events : 0);

export function cpuLimit(currentUs: number, t: Thresholds): number {
  return t.cpuFactor * currentUs + t.cpuFloorUs;
}

export function judgeCpu(candidate: CpuSide, current: CpuSide | undefined, t: Thresholds, extra: Record<string, number> = {}): Check {
  const cand = usPerEvent(candidate);
  if (!current) return warn('cpu', `not compared: the current version gave no baseline; the candidate takes ${round(cand)} µs per event`, { metrics: { candidateUs: round(cand), ...extra } });
  const cur = usPerEvent(current);
  const limit = cpuLimit(cur, t);
  const metrics = { candidateUs: round(cand), currentUs: round(cur), limitUs: round(limit), ...extra };
  if (cand > limit) {
    return block('cpu', 'VIGIE_VALIDATION_BLOCKED', `CPU jump: the candidate takes ${round(cand)} µs per event, the current ${round(cur)} (limit ${round(limit)})`, { metrics });
  }
  return pass('cpu', `${round(cand)} µs per event, current ${round(cur)} (limit ${round(limit)})`, metrics);
}

export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
