import { describe, expect, it } from 'vitest';
import { HostProcesses } from '../../../models/score/host-processes.js';

/** A reference with the same contract: Map keyed by "pid:start", insertion order, oldest out. */
class Reference {
  readonly m = new Map<string, number>();
  constructor(readonly max: number) {}
  get(pid: number, start: number): number | undefined {
    return this.m.get(`${pid}:${start}`);
  }
  set(pid: number, start: number, score: number): boolean {
    const k = `${pid}:${start}`;
    if (this.m.has(k)) {
      this.m.set(k, score); // keeps its place
      return false;
    }
    let evicted = false;
    if (this.m.size >= this.max) {
      this.m.delete(this.m.keys().next().value!);
      evicted = true;
    }
    this.m.set(k, score);
    return evicted;
  }
}

/** Deterministic pseudo-random numbers (xorshift32). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

describe('HostProcesses', () => {
  it('agrees with a Map reference through growth, pid reuse, updates and many evictions', () => {
    for (const max of [16, 100, 4096]) {
      const t = new HostProcesses(max);
      const ref = new Reference(max);
      const r = rng(max);
      let evictions = 0;
      for (let i = 0; i < max * 12; i++) {
        // few pids (reuse), start times spread wide (some above 2^32), some repeats of recent processes
        const pid = Math.floor(r() * max * 2);
        const start = r() < 0.3 ? Math.floor(r() * 8) : 1_700_000_000_000 + Math.floor(r() * 1e9);
        const score = Math.round(r() * 1000) / 100;
        const a = t.set(pid, start, score);
        expect(a).toBe(ref.set(pid, start, score));
        if (a) evictions++;
        if (i % 7 === 0) {
          const qp = Math.floor(r() * max * 2);
          const qs = r() < 0.5 ? start : Math.floor(r() * 8);
          expect(t.get(qp, qs)).toBe(ref.get(qp, qs));
        }
      }
      expect(t.size).toBe(ref.m.size);
      expect(evictions).toBeGreaterThan(max);
      for (const k of ref.m.keys()) {
        const [p, s] = k.split(':').map(Number);
        expect(t.get(p!, s!)).toBe(ref.get(p!, s!));
      }
    }
  });

  it('tells apart processes that reused a pid, and finds NaN identities', () => {
    const t = new HostProcesses(16);
    t.set(7, 1, 1);
    t.set(7, 2, 2);
    t.set(NaN, NaN, 3);
    expect([t.get(7, 1), t.get(7, 2), t.get(7, 3), t.get(NaN, NaN)]).toEqual([1, 2, undefined, 3]);
  });
});
