/**
 * Threshold calibration to a false-positive budget. An operator states how many alerts per host
 * per day they accept from benign activity; with E scored events per host per day and a budget
 * of A alerts, the allowed benign alert rate is A / E, so the threshold is the (1 - A/E) quantile
 * of held-out benign scores (rows never seen in training, or the score would be optimistic).
 *
 * Quantile: linear interpolation between order statistics (Hyndman-Fan type 7, numpy's default):
 * with sorted scores x[0..n-1] and h = (n - 1) q, threshold = x[floor h] + (h - floor h) * (x[floor h + 1] - x[floor h]).
 * Alerts are scores strictly above the threshold (model-card convention).
 * Edge cases: A >= E -> q <= 0 -> the minimum benign score (every benign event but the lowest
 * may alert: the budget allows it); A = 0 -> the maximum benign score (no held-out benign row
 * alerts); fewer than E / A held-out rows -> the quantile is not resolved by the data and
 * `underResolved` is set (the threshold is then the maximum, and the real rate is unknown).
 */
import { fail, ok, type Result } from '../../common/errors.js';

export interface FalsePositiveBudget {
  eventsPerHostPerDay: number;
  alertsPerHostPerDay: number;
}

export interface Calibration {
  threshold: number;
  /** The quantile level used, clamped to [0, 1]. */
  quantile: number;
  /** Fraction of the benign scores strictly above the threshold. */
  benignAlertRate: number;
  /** benignAlertRate * eventsPerHostPerDay: what the held-out data predicts. */
  expectedAlertsPerHostPerDay: number;
  /** True when there are too few benign scores to resolve the requested rate (n < E / A). */
  underResolved: boolean;
  benignCount: number;
}

export function calibrateThreshold(benignScores: ArrayLike<number>, budget: FalsePositiveBudget): Result<Calibration> {
  const { eventsPerHostPerDay: E, alertsPerHostPerDay: A } = budget;
  const problems: string[] = [];
  if (!Number.isFinite(E) || E <= 0) problems.push(`eventsPerHostPerDay must be a positive number, got ${E}`);
  if (!Number.isFinite(A) || A < 0) problems.push(`alertsPerHostPerDay must be zero or more, got ${A}`);
  if (problems.length > 0) return fail('VIGIE_CONFIG_INVALID', problems.join('; '), { field: 'falsePositiveBudget' });
  const n = benignScores.length;
  if (n === 0) return fail('VIGIE_DATA_INVALID', 'no benign scores to calibrate on');
  const sorted = Float64Array.from(benignScores).sort();
  if (!Number.isFinite(sorted[0]!) || !Number.isFinite(sorted[n - 1]!) || sorted.some(Number.isNaN)) {
    return fail('VIGIE_DATA_INVALID', 'benign scores contain NaN or Infinity');
  }
  const q = Math.min(1, Math.max(0, 1 - A / E));
  const threshold = quantileSorted(sorted, q);
  const above = n - upperBound(sorted, threshold);
  const benignAlertRate = above / n;
  return ok({
    threshold,
    quantile: q,
    benignAlertRate,
    expectedAlertsPerHostPerDay: benignAlertRate * E,
    underResolved: A > 0 && n < E / A,
    benignCount: n,
  });
}

/** Type-7 quantile of an ascending array; q in [0, 1]. */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const lower = sorted[lo]!;
  return lower + (h - lo) * (sorted[hi]! - lower);
}

/** First index whose value is > x (ascending array). */
function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
