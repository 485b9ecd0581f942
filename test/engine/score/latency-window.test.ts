import { describe, expect, it } from 'vitest';
import { LatencyWindow } from '../../../engine/score/latency-window.js';

describe('LatencyWindow', () => {
  it('gives nearest-rank quantiles of the last `size` samples', () => {
    const w = new LatencyWindow(100, 0);
    expect(w.quantile(0.99)).toBe(0);
    for (let i = 1; i <= 100; i++) w.add(i);
    expect(w.quantile(0.99)).toBe(99);
    expect(w.quantile(0.5)).toBe(50);
    for (let i = 0; i < 100; i++) w.add(1000 + i); // the ring forgets the first hundred
    expect(w.quantile(0.01)).toBe(1000);
  });

  it('answers a repeated quantile from its last sort for reuseMs, and afresh after clear()', () => {
    const w = new LatencyWindow(100, 60_000);
    for (let i = 1; i <= 100; i++) w.add(i);
    expect(w.quantile(0.99)).toBe(99);
    for (let i = 0; i < 100; i++) w.add(5000);
    expect(w.quantile(0.99)).toBe(99); // within reuseMs: the status value of a moment ago
    expect(w.quantile(0.5)).toBe(5000); // another quantile is sorted now
    w.clear();
    w.add(7);
    expect(w.quantile(0.99)).toBe(7);
  });

  it('takes a run of equal samples as that many samples, across the end of the ring', () => {
    const a = new LatencyWindow(10, 0);
    const b = new LatencyWindow(10, 0);
    const runs: Array<[number, number]> = [[3, 4], [9, 5], [1, 1], [7, 3], [2, 25], [8, 6]];
    for (const [ms, n] of runs) {
      a.addRepeated(ms, n);
      for (let k = 0; k < n; k++) b.add(ms);
      for (const q of [0.05, 0.3, 0.5, 0.7, 0.99]) expect(a.quantile(q), `after ${ms} x ${n}, q ${q}`).toBe(b.quantile(q));
    }
    // the last ten: 2, 2, 2, 2 then 8 x 6
    expect(a.quantile(0.4)).toBe(2);
    expect(a.quantile(0.5)).toBe(8);
  });
});
