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
});
