import { describe, expect, it } from 'vitest';
import { binomialUpperTail, compareRates, Moments, stratifiedShift } from '../../../rollout/gates/stats.js';

describe('binomialUpperTail', () => {
  it('matches direct sums on small cases', () => {
    // P(X >= 2), X ~ Bin(3, 0.5) = 3/8 + 1/8
    expect(binomialUpperTail(2, 3, 0.5)).toBeCloseTo(0.5, 12);
    expect(binomialUpperTail(1, 1, 0.005)).toBeCloseTo(0.005, 12);
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0);
  });

  it('stays accurate in the far tail and for large n', () => {
    // P(X >= 10), X ~ Bin(10, 0.1) = 1e-10
    expect(binomialUpperTail(10, 10, 0.1)).toBeCloseTo(1e-10, 20);
    // Bin(1000, 0.5): P(X >= 500) is a little above one half
    const p = binomialUpperTail(500, 1000, 0.5);
    expect(p).toBeGreaterThan(0.5);
    expect(p).toBeLessThan(0.52);
  });
});

describe('compareRates', () => {
  it('finds one crash on a ring holding 0.5% of the exposure significant at 1%, and not on half the fleet', () => {
    expect(compareRates(1, 50, 0, 9950).p).toBeCloseTo(0.005, 6);
    expect(compareRates(1, 5000, 0, 5000).p).toBeCloseTo(0.5, 6);
  });

  it('gives no evidence without events or without an old side', () => {
    expect(compareRates(0, 10, 5, 100).p).toBe(1);
    expect(compareRates(3, 10, 0, 0).p).toBe(1);
  });

  it('reports the rate ratio', () => {
    const c = compareRates(20, 10, 10, 100);
    expect(c.ratio).toBeCloseTo(20, 6);
    expect(c.p).toBeLessThan(1e-10);
  });
});

describe('stratifiedShift', () => {
  const moments = (xs: number[]) => {
    const m = new Moments();
    for (const x of xs) m.add(x);
    return m;
  };

  it('compares within groups, so a canary rich in a heavy group is not a regression', () => {
    // Group a uses 2% CPU, group b 20%: the new side is all group b, at the group's own level.
    const a = { fresh: moments([]), old: moments([2, 2.1, 1.9, 2, 2.05, 1.95]) };
    const b = { fresh: moments([20, 20.5, 19.5, 20.2]), old: moments([20, 19.8, 20.1, 20.3, 19.9, 20]) };
    const s = stratifiedShift([a, b]);
    expect(s.n).toBe(4);
    expect(Math.abs(s.diff)).toBeLessThan(0.5);
    expect(s.base).toBeCloseTo(20.02, 1);
  });

  it('sees a real shift and its standard error', () => {
    const g = { fresh: moments([30, 31, 29, 30.5, 29.5]), old: moments([5, 5.5, 4.5, 5.2, 4.8, 5.1]) };
    const s = stratifiedShift([g]);
    expect(s.diff).toBeCloseTo(25, 0);
    expect(s.se).toBeGreaterThan(0);
    expect(s.diff / s.se).toBeGreaterThan(20);
  });

  it('leaves out groups with too few old-side hosts', () => {
    const g = { fresh: moments([30]), old: moments([5, 5]) };
    expect(stratifiedShift([g]).n).toBe(0);
  });
});
