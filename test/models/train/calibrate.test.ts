import { describe, expect, it } from 'vitest';
import { calibrateThreshold, quantileSorted } from '../../../models/train/index.js';

const scores = Array.from({ length: 101 }, (_, i) => i); // 0..100, shuffled below
const shuffled = [...scores].reverse();

describe('calibrateThreshold', () => {
  it('is the (1 - alerts/events) quantile of benign scores', () => {
    const r = calibrateThreshold(shuffled, { eventsPerHostPerDay: 100, alertsPerHostPerDay: 5 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.quantile).toBeCloseTo(0.95, 12);
    expect(r.value.threshold).toBeCloseTo(95, 9); // h = 100 * 0.95
    expect(r.value.benignAlertRate).toBeCloseTo(5 / 101, 12); // 96..100 are above
    expect(r.value.underResolved).toBe(false);
  });
  it('interpolates linearly between order statistics (type 7)', () => {
    expect(quantileSorted(Float64Array.from([1, 2, 3, 4]), 0.5)).toBe(2.5);
    expect(quantileSorted(Float64Array.from([10, 20]), 0.25)).toBe(12.5);
    expect(quantileSorted(Float64Array.from([7]), 0.9)).toBe(7);
  });
  it('uses the minimum when the budget allows every event to alert', () => {
    const r = calibrateThreshold([5, 3, 9], { eventsPerHostPerDay: 10, alertsPerHostPerDay: 50 });
    expect(r.ok && r.value.threshold).toBe(3);
    expect(r.ok && r.value.quantile).toBe(0);
  });
  it('uses the maximum for a zero budget, and flags an unresolvable budget', () => {
    const zero = calibrateThreshold([5, 3, 9], { eventsPerHostPerDay: 10, alertsPerHostPerDay: 0 });
    expect(zero.ok && zero.value.threshold).toBe(9);
    expect(zero.ok && zero.value.benignAlertRate).toBe(0);
    const tiny = calibrateThreshold([5, 3, 9], { eventsPerHostPerDay: 10_000, alertsPerHostPerDay: 1 });
    expect(tiny.ok && tiny.value.underResolved).toBe(true);
  });
  it('returns typed errors for empty or non-finite scores and a bad budget', () => {
    const empty = calibrateThreshold([], { eventsPerHostPerDay: 10, alertsPerHostPerDay: 1 });
    expect(!empty.ok && empty.error.code).toBe('VIGIE_DATA_INVALID');
    const nan = calibrateThreshold([1, NaN], { eventsPerHostPerDay: 10, alertsPerHostPerDay: 1 });
    expect(!nan.ok && nan.error.code).toBe('VIGIE_DATA_INVALID');
    const bad = calibrateThreshold([1], { eventsPerHostPerDay: 0, alertsPerHostPerDay: -1 });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.code).toBe('VIGIE_CONFIG_INVALID');
    expect(bad.error.message).toContain('eventsPerHostPerDay');
    expect(bad.error.message).toContain('alertsPerHostPerDay');
  });
});
