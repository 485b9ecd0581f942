import { describe, expect, it } from 'vitest';
import { mix, Rng, weighted } from '../../../../sensors/simulate/behaviour/prng.js';

describe('Rng (sfc32)', () => {
  it('is a pure function of its seed words', () => {
    const a = new Rng(1, 2, 3);
    const b = new Rng(1, 2, 3);
    const c = new Rng(1, 2, 4);
    const xs = Array.from({ length: 100 }, () => a.u32());
    expect(Array.from({ length: 100 }, () => b.u32())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c.u32())).not.toEqual(xs);
  });

  it('mixes numbers above 2^32 (timestamps) without collapsing them', () => {
    expect(mix(1_736_150_000_000)).not.toBe(mix(1_736_150_000_001));
    expect(mix(2 ** 40)).not.toBe(mix(0));
  });

  it('draws in range with plausible moments', () => {
    const r = new Rng(7);
    let sum = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = r.float();
      sum += x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    for (let i = 0; i < 1000; i++) {
      const k = r.between(3, 5);
      expect(k >= 3 && k <= 5 && Number.isInteger(k)).toBe(true);
    }
  });

  it('gives Poisson counts with the requested mean, small and large', () => {
    const r = new Rng(9);
    for (const mean of [0.3, 4, 120]) {
      let s = 0;
      for (let i = 0; i < 20_000; i++) s += r.poisson(mean);
      expect(s / 20_000).toBeCloseTo(mean, mean > 10 ? 0 : 1);
    }
    expect(r.poisson(0)).toBe(0);
  });

  it('chooses by weight', () => {
    const r = new Rng(11);
    const t = weighted([['a', 1], ['b', 3]] as const);
    let b = 0;
    for (let i = 0; i < 40_000; i++) if (r.choose(t) === 'b') b++;
    expect(b / 40_000).toBeCloseTo(0.75, 1);
  });
});
