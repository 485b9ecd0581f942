import { describe, expect, it } from 'vitest';
import { LineageScores } from '../../../models/score/lineage.js';

describe('LineageScores', () => {
  // Processes by slot, serial = slot unless said otherwise: 1 explorer, 2 implant, 3 cmd, 4 whoami...
  const P = (l: LineageScores, slot: number, parent: number, own: number) => l.processOf(slot, slot, parent, parent, own);

  it('a child inherits a decayed share of its parent, which carries its own ancestors', () => {
    const l = new LineageScores({ decay: 0.5 });
    expect(P(l, 2, 1, 8)).toBe(8);
    expect(l.lastInherited).toBe(0);
    expect(P(l, 3, 2, 1)).toBe(4);
    expect(l.lastInherited).toBe(4);
    expect(P(l, 4, 3, 0.1)).toBe(2);
    // its own score wins when higher
    expect(P(l, 5, 3, 3)).toBe(3);
    // a parent the extractor does not remember (-1), or not scored yet: own score only
    expect(l.processOf(6, 6, -1, -1, 0.2)).toBe(0.2);
    expect(P(l, 7, 99, 0.3)).toBe(0.3);
  });

  it('a network window takes max(own, decay * its process)', () => {
    const l = new LineageScores({ decay: 0.9 });
    P(l, 10, 1, 2);
    expect(l.networkOf(10, 10, 0.5)).toBeCloseTo(1.8);
    expect(l.lastInherited).toBeCloseTo(1.8);
    expect(l.networkOf(10, 10, 3)).toBe(3);
    expect(l.networkOf(11, 11, 0.5)).toBe(0.5);
    expect(l.networkOf(-1, -1, 0.5)).toBe(0.5);
  });

  it('decay 0 turns lineage off; a decay of 1 or more is refused', () => {
    const l = new LineageScores({ decay: 0 });
    P(l, 10, 1, 9);
    expect(P(l, 11, 10, 0.1)).toBe(0.1);
    expect(() => new LineageScores({ decay: 1 })).toThrow(RangeError);
  });

  it("trusts a slot only for its owner's serial: a reused slot is another process", () => {
    const l = new LineageScores({ decay: 0.5 });
    expect(l.processOf(3, 100, -1, -1, 8)).toBe(8);
    expect(l.processOf(4, 101, 3, 100, 0)).toBe(4);
    // the extractor forgot serial 100 and gave slot 3 to serial 205
    expect(l.processOf(3, 205, -1, -1, 0.5)).toBe(0.5);
    expect(l.evicted).toBe(1);
    expect(l.processOf(5, 206, 3, 100, 0)).toBe(0); // the old parent is gone
    expect(l.processOf(6, 207, 3, 205, 0)).toBe(0.25); // the slot's new owner
    expect(l.networkOf(3, 100, 0)).toBe(0);
    expect(l.networkOf(4, 101, 0)).toBe(2);
  });

  it("never lets a slot's earlier owner overwrite its later one (rows of two model batches)", () => {
    const l = new LineageScores({ decay: 0.5 });
    l.processOf(2, 50, -1, -1, 6); // the later owner, scored first
    l.processOf(2, 10, -1, -1, 9); // the earlier owner's row, scored late
    expect(l.scoreOf(2, 50)).toBe(6);
    expect(l.scoreOf(2, 10)).toBe(0);
    expect(l.evicted).toBe(0);
  });

  it('grows with the slots in use', () => {
    const l = new LineageScores({ decay: 0.5 });
    for (let s = 0; s < 5000; s++) l.processOf(s, s, s - 1, s - 1, s + 1);
    for (const s of [0, 1023, 1024, 4999]) expect(l.scoreOf(s, s)).toBe(s + 1);
    expect(l.processOf(100_000, 1e12, 4999, 4999, 0)).toBe(2500);
    expect(l.scoreOf(100_000, 1e12)).toBe(2500);
    expect(l.evicted).toBe(0);
  });
});
